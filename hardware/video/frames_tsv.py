"""``<camera>_frames.tsv``: one row per written frame, the contract between recorder and analysis.

Columns: ``frame`` (index in the recording), ``camera_frame_id`` (the camera's own counter),
``host_time`` (seconds on the one clock), ``camera_time`` (camera's own seconds, empty if none),
``file`` (video file name, relative to the TSV), ``file_frame`` (index inside that file).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hardware.video.reader import VideoFileError

COLUMNS = ("frame", "camera_frame_id", "host_time", "camera_time", "file", "file_frame")
FLUSH_EVERY_S = 0.5


class FramesTsvWriter:
    """Appends rows; flushes to the OS at least every FLUSH_EVERY_S so a crash loses < 1 s."""

    def __init__(self, path: Path, append: bool = False) -> None:
        self.path = Path(path)
        self.next_frame = 0
        if append and self.path.exists() and self.path.stat().st_size > 0:
            table = read_frames_tsv(self.path)
            self.next_frame = int(table.frame[-1]) + 1 if len(table) else 0
            self._file = self.path.open("a", encoding="utf-8", newline="")
        else:
            if self.path.exists() and self.path.stat().st_size > 0:
                raise FileExistsError(f"{self.path} exists; frame tables are never overwritten")
            self._file = self.path.open("w", encoding="utf-8", newline="")
            self._file.write("\t".join(COLUMNS) + "\n")
        self._last_flush = 0.0

    def write(
        self, camera_frame_id: int, host_time: float, camera_time: float | None, file: str, file_frame: int
    ):
        cam = "" if camera_time is None else f"{camera_time:.6f}"
        self._file.write(
            f"{self.next_frame}\t{camera_frame_id}\t{host_time:.6f}\t{cam}\t{file}\t{file_frame}\n"
        )
        self.next_frame += 1

    def flush_if_due(self, now: float) -> None:
        if now - self._last_flush >= FLUSH_EVERY_S:
            self._file.flush()
            self._last_flush = now

    def close(self) -> None:
        self._file.flush()
        self._file.close()


def drop_rows_beyond(path: Path, file: str, keep: int) -> int:
    """Remove the rows of `file` from index `keep` on (frames an encoder lost when it died), so the
    table lists only frames the video holds. Rewrites atomically; returns how many rows went."""
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [lines[0]]
    for line in lines[1:]:
        cells = line.rstrip("\n").split("\t")
        if len(cells) == len(COLUMNS) and cells[4] == file and int(cells[5]) >= keep:
            continue
        kept.append(line)
    tmp = path.with_suffix(".tsv.tmp")
    tmp.write_text("".join(kept), encoding="utf-8")
    tmp.replace(path)
    return len(lines) - len(kept)


@dataclass
class FrameTable:
    """A frames.tsv as columns (camera_time is NaN where the camera gave none)."""

    frame: np.ndarray
    camera_frame_id: np.ndarray
    host_time: np.ndarray
    camera_time: np.ndarray
    file: list[str]
    file_frame: np.ndarray

    def __len__(self) -> int:
        return len(self.frame)

    def rows_in_file(self, name: str) -> np.ndarray:
        """Indices of the rows stored in one video file, in file order."""
        return np.array([i for i, f in enumerate(self.file) if f == name], dtype=np.int64)


def read_frames_tsv(path: Path) -> FrameTable:
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise VideoFileError(f"{path}: not a frames.tsv (expected columns {', '.join(COLUMNS)})")
        rows = []
        for r in reader:
            try:
                rows.append((int(r[0]), int(r[1]), float(r[2]), float(r[3]) if r[3] else np.nan, r[4], int(r[5])))
            except (IndexError, ValueError):
                continue  # a line torn by a crash mid-write
    return FrameTable(
        frame=np.array([r[0] for r in rows], dtype=np.int64),
        camera_frame_id=np.array([r[1] for r in rows], dtype=np.int64),
        host_time=np.array([r[2] for r in rows], dtype=np.float64),
        camera_time=np.array([r[3] for r in rows], dtype=np.float64),
        file=[r[4] for r in rows],
        file_frame=np.array([r[5] for r in rows], dtype=np.int64),
    )
