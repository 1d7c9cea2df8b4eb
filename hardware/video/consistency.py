"""Every video file of a recording against its rows in ``<camera>_frames.tsv``.

After a kill or a full disk a video can hold fewer frames than frames.tsv lists (the encoder's last
frames never reached the file) or more (rows not yet flushed), and the table can end in a torn row.
``check_table`` finds all three; with ``repair=True`` it cuts the torn row and drops the rows beyond
the frames a video holds (in place, no free space needed). Videos are never touched.
"""

from __future__ import annotations

import collections
import math
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
    """Whole rows per video file, in first-appearance order (a torn last row is not counted).

    Every row is parsed and checked before it is counted: six cells; frame, camera_frame_id and
    file_frame integers, host_time a finite number, camera_time a number or empty; frame and
    camera_frame_id strictly increasing down the table; within each file, file_frame 0, 1, 2, ...
    with no gap or repeat; the file a plain name of this camera's (``<camera>_*`` or ``<camera>.*``
    beside the table). ValueError names the first line that breaks a rule: such a table cannot be
    trusted, nor appended to."""
    path = Path(path)
    camera = path.name.removesuffix("_frames.tsv")
    counts: collections.Counter[str] = collections.Counter()
    last_frame = last_id = -1
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        header = fh.readline()
        if tuple(header.rstrip("\n").split("\t")) != COLUMNS or not header.endswith("\n"):
            raise ValueError("not a frames.tsv: its header is damaged")
        for number, line in enumerate(fh, start=2):
            if not line.endswith("\n"):
                continue  # a torn last row: counted by the caller, cut by a repair
            try:
                frame, frame_id, name, file_frame = _parse_row(line.rstrip("\n").split("\t"), camera)
            except ValueError as exc:
                raise ValueError(f"line {number}: {exc}: {line.rstrip()[:80]!r}") from None
            if frame <= last_frame or frame_id <= last_id:
                raise ValueError(f"line {number}: frame {frame} (camera id {frame_id}) does not follow frame "
                                 f"{last_frame} (camera id {last_id}): a repeated or misplaced row")  # fmt: skip
            if file_frame != counts[name]:
                raise ValueError(f"line {number}: {name} frame {file_frame} where {counts[name]} was due: "
                                 "a row is missing or repeated")  # fmt: skip
            last_frame, last_id = frame, frame_id
            counts[name] += 1
    return dict(counts)


def _parse_row(cells: list[str], camera: str) -> tuple[int, int, str, int]:
    if len(cells) != len(COLUMNS):
        raise ValueError(f"{len(cells)} cells, not {len(COLUMNS)}")
    frame, frame_id, file_frame = int(cells[0]), int(cells[1]), int(cells[5])
    if not math.isfinite(float(cells[2])) or (cells[3] and not math.isfinite(float(cells[3]))):
        raise ValueError("a time that is not a finite number")
    name = cells[4]
    known = "/" not in name and (name.startswith(f"{camera}_") or name.startswith(f"{camera}."))
    if not known or frame < 0 or file_frame < 0:
        raise ValueError(f"file {name!r} is not a video of camera {camera}" if not known else "a negative index")
    return frame, frame_id, name, file_frame


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
