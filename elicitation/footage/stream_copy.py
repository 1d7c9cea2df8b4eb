"""Keep a video's own stream instead of the re-encoded one, when that is safe: copied into Matroska, and kept
only if the workbench's reader (hardware.video.IndexedReader) decodes it frame-exactly by index.

Tried only for a video imported whole (one episode, its own timestamps, no rotation to apply) whose pictures
the reader would decode in the pixel format we store (it reads H.264 4:2:0 as luma only, so a colour H.264
4:2:0 stream stays re-encoded). The copy is checked against the digests of the pictures the import decoded
in order: the reader must list exactly as many frames, and CHECKS frames spread over the file, read last to
first so every read seeks, must be those pictures bit for bit. Anything else keeps the re-encoded file.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import av
import numpy as np

from hardware.video import IndexedReader, VideoFileError

log = logging.getLogger(__name__)
CHECKS = 48
STORED = "stream copy into Matroska (the source's own coded frames; checked frame-exact by index)"


def digest(pixels: np.ndarray) -> bytes:
    return hashlib.blake2b(pixels.tobytes(), digest_size=16).digest()


def _remux(source: Path, target: Path) -> None:
    with av.open(str(source)) as inp, av.open(str(target), "w", format="matroska") as out:
        stream = inp.streams.video[0]
        copied = out.add_stream_from_template(stream)
        for packet in inp.demux(stream):
            if packet.dts is None and packet.pts is None:
                continue  # the demuxer's final flush packet
            packet.stream = copied
            out.mux(packet)


def _exact(target: Path, digests: list[bytes], pix_fmt: str) -> bool:
    with IndexedReader(target, cache_frames=1) as reader:
        if len(reader) != len(digests) or reader.pix_fmt != pix_fmt:
            return False
        probes = sorted({round(i) for i in np.linspace(0, len(digests) - 1, min(CHECKS, len(digests)))}, reverse=True)
        return all(digest(reader.frame(i)) == digests[i] for i in probes)


def replace_with_copy(source: Path, stored: Path, digests: list[bytes], pixel_format: str) -> bool:
    """Put the verified stream copy of source in place of `stored` (0600); False leaves `stored` as it is."""
    target = stored.with_name(f".{stored.name}.copy.mkv")
    pix_fmt = "gray" if pixel_format == "mono8" else "bgr24"
    try:
        _remux(source, target)
        ok = _exact(target, digests, pix_fmt)
    except (av.FFmpegError, VideoFileError, ValueError, OSError) as exc:
        log.info("%s: stream copy not usable (%s); keeping the re-encoded file", source.name, exc)
        ok = False
    if ok:
        os.chmod(target, 0o600)
        os.replace(target, stored)
    else:
        target.unlink(missing_ok=True)
    return ok
