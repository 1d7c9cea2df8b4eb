"""Read recorded videos back frame by frame (for checks, review and reports) with the bundled ffmpeg."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from hardware.video.encoder import ffmpeg_exe
from hardware.video.probe import VideoFileError, decode_media, probe_size

_CHANNELS = {"gray": 1, "bgr24": 3}


def iter_frames(
    path: Path, pix_fmt: str = "gray", size: tuple[int, int] | None = None
) -> Iterator[np.ndarray]:
    """Yield decoded frames as uint8 arrays (HxW for gray, HxWx3 for bgr24), in file order.

    ``size`` (width, height) scales on decode, which makes brightness scans of long videos cheap.
    """
    if pix_fmt not in _CHANNELS:
        raise ValueError(f"pix_fmt must be one of {', '.join(_CHANNELS)}")
    if size is None:
        width, height = probe_size(path)
        scale: list[str] = []
    else:
        width, height = size
        scale = ["-vf", f"scale={width}:{height}:flags=area"]
    channels = _CHANNELS[pix_fmt]
    frame_bytes = width * height * channels
    cmd = [
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-i",
        str(path),
        *scale,
        "-f",
        "rawvideo",
        "-pix_fmt",
        pix_fmt,
        "pipe:1",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    try:
        while True:
            buf = proc.stdout.read(frame_bytes)
            if len(buf) < frame_bytes:
                break
            shape = (height, width) if channels == 1 else (height, width, channels)
            yield np.frombuffer(buf, np.uint8).reshape(shape)
    finally:
        proc.stdout.close()
        proc.kill()
        proc.wait()


def count_frames(path: Path) -> int:
    """Frames in a video, counted by decoding (exact, also for a file cut short by a crash)."""
    result = decode_media(path, audio=False)
    if result.frames == 0 and result.errors:
        raise VideoFileError(f"{path}: cannot be decoded: {' '.join(result.errors)[-300:]}")
    return result.frames
