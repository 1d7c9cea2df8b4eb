"""``<camera>_frames.tsv``: one row per written frame, the contract between recorder and analysis.

Columns: ``frame`` (index in the recording), ``camera_frame_id`` (the camera's own counter),
``host_time`` (seconds on the one clock), ``camera_time`` (camera's own seconds, empty if none),
``file`` (video file name, relative to the TSV), ``file_frame`` (index inside that file).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hardware.video.reader import VideoFileError

COLUMNS = ("frame", "camera_frame_id", "host_time", "camera_time", "file", "file_frame")
FLUSH_EVERY_S = 0.5


class FramesTsvWriter:
    """Appends rows; flushes to the OS at least every FLUSH_EVERY_S so a crash loses < 1 s.

    Only whole rows ever stay in the file: rows go out in one os.write per flush, and a write that
    fails part-way (a full disk) is cut back with ftruncate to the last whole row, which needs no
    space; the rows it could not write are kept and tried again by the next flush or the close, so
    frames already in the video keep their times when space comes back. The file is created 0600
    (it describes a participant's recording).
    """

    def __init__(self, path: Path, append: bool = False) -> None:
        self.path = Path(path)
        self.next_frame = 0
        self._pending: list[str] = []
        self._last_flush = 0.0
        if append and self.path.exists() and self.path.stat().st_size > 0:
            repair_tail(self.path)  # a torn last row of a killed run never meets the next run's rows
            table = read_frames_tsv(self.path)
            self.next_frame = int(table.frame[-1]) + 1 if len(table) else 0
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        else:
            if self.path.exists() and self.path.stat().st_size > 0:
                raise FileExistsError(f"{self.path} exists; frame tables are never overwritten")
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            self._pending.append("\t".join(COLUMNS) + "\n")
        os.fchmod(self._fd, 0o600)
        self._good = os.fstat(self._fd).st_size  # end of the last whole row on disk

    def write(
        self, camera_frame_id: int, host_time: float, camera_time: float | None, file: str, file_frame: int
    ) -> None:
        cam = "" if camera_time is None else f"{camera_time:.6f}"
        self._pending.append(f"{self.next_frame}\t{camera_frame_id}\t{host_time:.6f}\t{cam}\t{file}\t{file_frame}\n")
        self.next_frame += 1

    def flush(self) -> None:
        """Hand the pending rows to the OS; on failure cut the file back to whole rows and raise."""
        if not self._pending:
            return
        rows = list(self._pending)
        self._pending.clear()
        data = "".join(rows).encode("utf-8")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError:
            os.ftruncate(self._fd, self._good)
            self._pending[:0] = rows  # kept, times and all: the close tries them again (space may be back)
            raise
        self._good += len(data)

    def flush_if_due(self, now: float) -> None:
        if now - self._last_flush >= FLUSH_EVERY_S:
            self.flush()
            self._last_flush = now

    def close(self) -> None:
        try:
            self.flush()
        finally:
            os.close(self._fd)


def repair_tail(path: Path) -> int:
    """Cut a torn last row (a write a crash or a full disk interrupted) in place; returns bytes cut."""
    path = Path(path)
    with path.open("rb") as fh:
        data = fh.read()
    keep = len(data) if data.endswith(b"\n") or not data else data.rfind(b"\n") + 1
    if keep < len(data):
        os.truncate(path, keep)
    return len(data) - keep


def drop_rows_beyond(path: Path, file: str, keep: int) -> int:
    """Remove the rows of `file` from index `keep` on (frames an encoder lost when it died), so the
    table lists only frames the video holds. Needs no free space: the usual case (those rows are
    the table's last) is a truncate; otherwise the kept rows are rewritten in place over the old
    bytes and the file truncated. Returns how many rows went."""
    path = Path(path)
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    target = file.encode("utf-8")
    drop = []
    for i, line in enumerate(lines[1:], start=1):
        cells = line.rstrip(b"\n").split(b"\t")
        if len(cells) == len(COLUMNS) and cells[4] == target and int(cells[5]) >= keep:
            drop.append(i)
    if not drop:
        return 0
    first = drop[0]
    offset = sum(len(line) for line in lines[:first])
    dropped = set(drop)
    rest = b"".join(line for i, line in enumerate(lines[first:], start=first) if i not in dropped)
    with path.open("r+b") as fh:
        if rest:
            fh.seek(offset)
            fh.write(rest)
            fh.flush()
        fh.truncate(offset + len(rest))
        os.fsync(fh.fileno())
    return len(drop)


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
