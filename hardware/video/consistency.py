"""Every video file of a recording against its rows in ``<camera>_frames.tsv``.

After a kill or a full disk a video can hold fewer frames than frames.tsv lists (the encoder's last
frames never reached the file) or more (rows not yet flushed), and the table can end in a torn row.
``check_table`` finds all three; with ``repair=True`` it cuts the torn row and drops the rows beyond
the frames a video holds (in place, no free space needed). Videos are never touched.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from pathlib import Path

from hardware.video.frames_tsv import COLUMNS, drop_rows_beyond, repair_tail
from hardware.video.probe import VideoFileError
from hardware.video.reader import count_frames


@dataclass
class FileCheck:
    file: str
    rows: int  # rows frames.tsv lists for the file (after any repair: rows kept)
    frames: int | None  # frames the video holds (decoded); None: the file is missing
    rows_dropped: int = 0
    trusted: bool = False  # frames taken from a clean recorder summary, not decoded

    @property
    def ok(self) -> bool:
        return self.frames is not None and self.frames == self.rows

    def problem(self) -> str:
        if self.frames is None:
            return f"{self.file}: missing, frames.tsv lists {self.rows} rows for it"
        if self.rows_dropped:
            return (f"{self.file} holds {self.frames} frames, frames.tsv listed {self.rows + self.rows_dropped}: "
                    f"{self.rows_dropped} rows for frames the video lacks were removed")  # fmt: skip
        if self.frames > self.rows:
            return f"{self.file} holds {self.frames} frames, frames.tsv lists {self.rows}: the last have no times"
        if self.frames < self.rows:
            return f"{self.file} holds {self.frames} frames, frames.tsv lists {self.rows} (not repaired)"
        return ""


@dataclass
class TableCheck:
    table: str
    torn_bytes: int = 0  # a torn last row (cut when repaired)
    damaged: str = ""  # the table cannot be read at all (e.g. a torn header)
    repaired: bool = False
    files: list[FileCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Consistent now: after a repair, when it fixed everything."""
        return (self.repaired or not self.torn_bytes) and not self.damaged and all(f.ok for f in self.files)

    def problems(self) -> list[str]:
        """Everything found, repaired or not (for warnings and the report)."""
        out = [f"{self.table}: {self.damaged}"] if self.damaged else []
        if self.torn_bytes:
            done = "cut" if self.repaired else "not repaired"
            out.append(f"{self.table} ended in a torn row ({self.torn_bytes} bytes, {done})")
        return out + [f.problem() for f in self.files if not f.ok or f.rows_dropped]


def rows_per_file(path: Path) -> dict[str, int]:
    """Whole rows per video file, in first-appearance order (a torn last row is not counted)."""
    counts: collections.Counter[str] = collections.Counter()
    with Path(path).open(encoding="utf-8", errors="replace", newline="") as fh:
        header = fh.readline()
        if tuple(header.rstrip("\n").split("\t")) != COLUMNS or not header.endswith("\n"):
            raise ValueError("not a frames.tsv: its header is damaged")
        for line in fh:
            cells = line.rstrip("\n").split("\t")
            if line.endswith("\n") and len(cells) == len(COLUMNS):
                counts[cells[4]] += 1
    return dict(counts)


def check_table(path: Path, trusted: dict[str, int] | None = None, repair: bool = False) -> TableCheck:
    """Check (and with repair=True, fix) one frames.tsv against the videos next to it.

    ``trusted`` maps file -> frames of files a recorder closed cleanly: those whose rows match are
    not decoded again (decoding a session's videos takes minutes)."""
    path = Path(path)
    result = TableCheck(path.name, repaired=repair)
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        result.torn_bytes = repair_tail(path) if repair else len(data) - (data.rfind(b"\n") + 1)
    try:
        rows = rows_per_file(path)
    except (ValueError, VideoFileError) as exc:
        result.damaged = str(exc)
        return result
    for name, count in rows.items():
        video = path.parent / name
        if not video.is_file():
            result.files.append(FileCheck(name, count, None))
            continue
        if trusted is not None and trusted.get(name) == count:
            result.files.append(FileCheck(name, count, count, trusted=True))
            continue
        try:
            frames = count_frames(video)
        except VideoFileError:
            frames = 0  # nothing decodable: not one of its rows names a frame that exists
        check = FileCheck(name, count, frames)
        if repair and frames < count:
            check.rows_dropped = drop_rows_beyond(path, name, frames)
            check.rows = count - check.rows_dropped
        result.files.append(check)
    return result
