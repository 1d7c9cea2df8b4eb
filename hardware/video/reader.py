"""Read recorded videos back frame by frame (for checks, review and reports) with the bundled ffmpeg."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from hardware.errors import HardwareError
from hardware.video.encoder import ffmpeg_exe

_CHANNELS = {"gray": 1, "bgr24": 3}


class VideoFileError(HardwareError):
    """Raised when a video file or a frames.tsv cannot be read; the message names the file."""


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


def probe_size(path: Path) -> tuple[int, int]:
    """(width, height) of the first video stream, from the container header."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    for line in result.stderr.splitlines():
        if "Video:" in line:
            for token in line.replace(",", " ").split():
                parts = token.split("x")
                if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
                    return int(parts[0]), int(parts[1])
    raise VideoFileError(f"{path}: no video stream found")


def count_frames(path: Path) -> int:
    """Frames in a video, counted by decoding (exact, also for a file cut short by a crash)."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0", "-f", "null", "-"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    counts = [
        line.split("frame=")[1].split()[0]
        for line in result.stderr.replace("\r", "\n").splitlines()
        if "frame=" in line
    ]
    if not counts:
        raise VideoFileError(f"{path}: cannot be decoded: {result.stderr.strip()[-300:]}")
    return int(counts[-1])
