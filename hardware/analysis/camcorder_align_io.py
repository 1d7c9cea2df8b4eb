"""Files around flash alignment: the flash list in, the video's brightness, frames.tsv and the report out.

FLASHES.tsv: tab-separated with a header; the column ``clock_time`` holds each flash's flip time on the one
clock (seconds). A session's events.tsv works as it is: when it has a ``trial_type`` column, only the
``sync_flash`` rows are used. Flip times must strictly increase from row to row: a repeated or
out-of-order time (a duplicated row, two lists pasted together) is refused with both row numbers.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np

from hardware.analysis.camcorder_align import Alignment, FlashSyncError, align
from hardware.errors import HardwareError
from hardware.video import FramesTsvWriter, iter_frames, probe_media

SCAN_SIZE = (32, 18)  # decoded size for the brightness scan: the mean is all we need


class FlashInputError(HardwareError):
    """Raised when a file given to the alignment is unusable; the message names file and line."""


def read_flash_times(path: Path) -> np.ndarray:
    path = Path(path)
    if not path.is_file():
        raise FlashInputError(f"{path}: no such file")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    if not rows or "clock_time" not in rows[0]:
        raise FlashInputError(f"{path}:1: needs a tab-separated header with a 'clock_time' column")
    header = rows[0]
    col, kind = header.index("clock_time"), header.index("trial_type") if "trial_type" in header else None
    times: list[float] = []
    previous = 0  # file line of the last flash
    for line, row in enumerate(rows[1:], start=2):
        if not row or (kind is not None and len(row) > kind and row[kind] != "sync_flash"):
            continue
        try:
            value = float(row[col])
        except (IndexError, ValueError):
            cell = row[col] if col < len(row) else "(missing)"
            raise FlashInputError(f"{path}:{line}: clock_time {cell!r} is not a number of seconds") from None
        if not np.isfinite(value):
            raise FlashInputError(f"{path}:{line}: clock_time {row[col]!r} is not a number of seconds")
        if times and value <= times[-1]:
            same = "repeats" if value == times[-1] else "is before"
            raise FlashInputError(
                f"{path}:{line}: flip time {value!r} {same} the one on line {previous} ({times[-1]!r}); "
                "flip times must strictly increase (a duplicated row?)"
            )
        times.append(value)
        previous = line
    if not times:
        raise FlashInputError(f"{path}: lists no flash (no clock_time rows{' of trial_type sync_flash' * bool(kind)})")
    return np.array(times)


def nominal_fps(video: Path) -> float:
    """The frame rate the file declares (ffmpeg's stream line), exact for NTSC rates such as 59.94."""
    fps = probe_media(video).fps
    if fps is None:
        raise FlashInputError(f"{video}: no video stream with a frame rate (is it a video file?)")
    return fps


def video_brightness(video: Path) -> np.ndarray:
    """Mean grey level of every frame, in file order (decoded small by the bundled ffmpeg)."""
    values = [float(frame.mean()) for frame in iter_frames(video, "gray", size=SCAN_SIZE)]
    if not values:
        raise FlashInputError(f"{video}: no frame could be decoded")
    return np.array(values)


def align_video(video: Path, flashes: Path, fps: float | None = None) -> Alignment:
    """Everything from files: raises FlashInputError (bad file) or FlashSyncError (flashes do not match)."""
    video = Path(video)
    if not video.is_file():
        raise FlashInputError(f"{video}: no such file")
    flip_times = read_flash_times(flashes)
    rate = fps or nominal_fps(video)
    return align(video_brightness(video), rate, flip_times)


def write_frames(alignment: Alignment, video: Path, out: Path) -> None:
    """frames.tsv in the recorder's format; ``file`` is the video's path relative to the table."""
    out = Path(out)
    if out.exists():
        raise FlashInputError(f"{out} exists; frame tables are never overwritten")
    name = Path(os.path.relpath(Path(video).resolve(), out.resolve().parent)).as_posix()
    frames = np.arange(alignment.frames)
    host, camera = alignment.host_time(frames), alignment.camera_time(frames)
    writer = FramesTsvWriter(out)
    try:
        for i in range(alignment.frames):
            writer.write(i, float(host[i]), float(camera[i]), name, i)
    finally:
        writer.close()


def write_report(alignment: Alignment, path: Path) -> None:
    Path(path).write_text(json.dumps(alignment.report(), indent=2) + "\n", encoding="utf-8")


__all__ = ["FlashInputError", "FlashSyncError", "align_video", "read_flash_times", "write_frames", "write_report"]
