"""The pictures of one sample: its frames decoded exactly, by index, from our MKVs, written as JPEG or PNG.

Decoding (PyAV): for each video file the sample's frames lie in, one seek to the keyframe at or
before the first frame wanted, then decoding forward to the last one; each decoded frame's index
is its timestamp x the stream's frame rate (our encoder writes constant-rate timestamps), and the
indices must run on by exactly one or the export stops (a frame is never guessed). A file a crash
cut short (no Matroska cues) cannot seek: it is decoded from its start. Decoding a range
from one seek is what makes this faster than a seek per picture (bench/dataset.py); the decoded
pixels are what ``ffmpeg -f rawvideo`` gives (hardware.video.iter_frames; tested on the barcodes).

:func:`export_job` is one sample's whole work and returns its manifest entries: the seam for a
batch engine (one call per sample, in any process), which the build does not need to be correct.
Files are written 0600 in folders made 0700 (participant faces).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from itertools import groupby
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.dataset.build_plan import Job, Picture
from elicitation.errors import ElicitationError
from elicitation.folder import create_private_dir
from hardware.cameras import debayer, is_bayer

log = logging.getLogger(__name__)
Decoded = tuple[int, np.ndarray]
JPEG_QUALITY = 95  # the barcode and faces survive it; CASME II's own pictures are JPEG


class ExportError(ElicitationError):
    """Raised when a frame the plan names cannot be decoded from its video file."""


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the output folder, "/"-separated
    bytes: int
    sha256: str


def write_private(root: Path, relative: str, data: bytes) -> FileEntry:
    """Write a new file 0600 (its folders 0700); refuses to overwrite."""
    path = Path(root) / relative
    create_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    return FileEntry(relative, len(data), hashlib.sha256(data).hexdigest())


def _index(frame: object, time_base: Fraction, rate: Fraction) -> int:
    pts = getattr(frame, "pts", None)
    if pts is None:
        raise ExportError("a decoded frame has no timestamp: frame indices cannot be known exactly")
    return round(pts * time_base * rate)


def decode_range(path: Path, wanted: list[int], mode: str) -> Iterator[tuple[int, np.ndarray]]:
    """(index, image) for each wanted index of one file, in order, from one seek (see the module docstring)."""
    import av

    targets = sorted(set(wanted))
    if not targets:
        return
    fmt = "bgr24" if mode == "bgr24" else "gray"
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        raise ExportError(f"{path}: cannot be opened ({exc})") from None
    try:
        yield from _decode(av, container, targets, fmt, mode, path)
    except av.error.FFmpegError as exc:
        raise ExportError(f"{path}: cannot be decoded ({exc})") from None
    finally:
        container.close()


def _decode(av: Any, container: Any, targets: list[int], fmt: str, mode: str, path: Path) -> Iterator[Decoded]:
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    rate, time_base = Fraction(stream.average_rate or stream.guessed_rate), Fraction(stream.time_base)
    try:
        container.seek(int(targets[0] / rate / time_base), stream=stream, backward=True)
    except av.error.FFmpegError as exc:  # a file a crash cut short has no cues: decode from its start
        log.info("%s: cannot seek (%s); decoding from the start", path, exc)
    need, previous = iter(targets), None
    target = next(need)
    for frame in container.decode(stream):
        index = _index(frame, time_base, rate)
        if previous is not None and index != previous + 1:
            raise ExportError(f"{path}: frame timestamps jump from index {previous} to {index}")
        if previous is None and index > target:
            raise ExportError(f"{path}: seeking for frame {target} landed on frame {index}")
        previous = index
        if index == target:
            image = frame.to_ndarray(format=fmt)
            yield index, debayer(image, mode, "BGR") if is_bayer(mode) else image
            target = next(need, None)  # type: ignore[arg-type]
            if target is None:
                return
    held = 0 if previous is None else previous + 1
    raise ExportError(f"{path}: ends before frame {target} (the file holds {held})")


def encode(image: np.ndarray, lossless: bool) -> bytes:
    import cv2

    params = [cv2.IMWRITE_PNG_COMPRESSION, 3] if lossless else [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
    ok, data = cv2.imencode(".png" if lossless else ".jpg", image, params)
    if not ok:
        raise ExportError(f"OpenCV could not encode a {image.shape} picture")
    return data.tobytes()


def picture_name(picture: Picture, lossless: bool) -> str:
    return f"img{picture.frame}.{'png' if lossless else 'jpg'}"


def export_job(job: Job, out: Path, lossless: bool = False,
               on_picture: Callable[[int], None] | None = None) -> list[FileEntry]:  # fmt: skip
    """Decode and write every picture of one sample; returns their manifest entries."""
    entries = []
    for file, group in groupby(sorted(job.pictures, key=lambda p: (p.file, p.file_frame)), key=lambda p: p.file):
        pictures = {p.file_frame: p for p in group}
        for index, image in decode_range(job.video_dir / file, list(pictures), job.decode_as):
            name = f"{job.folder}/{picture_name(pictures[index], lossless)}"
            entries.append(write_private(out, name, encode(image, lossless)))
            if on_picture is not None:
                on_picture(1)
    return entries
