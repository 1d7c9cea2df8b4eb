"""The append-only TSV under ``coding/`` that both a coder's log and final.tsv are: one row per action.

Each row is written with one ``write`` call on a file opened O_APPEND, then flushed and fsync'ed, so an
action the coder saw accepted survives a power cut. Files are 0600 and the folder 0700 (the codes
describe faces). A crash mid-write can leave a torn line: on reopening, a missing final newline is added
(the torn text is kept, never rewritten) and replay skips any line that does not parse, reporting it.

Every cell is clean text before it is written (:func:`clean_text`: valid UTF-8, no control characters,
whitespace collapsed) and a row is split on tabs alone, with no field size limit, so a reader reads
whatever the writer can write.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from elicitation.coding.events import Event, FrameRef, clean_text
from elicitation.folder import create_private_dir, utc_now

EVENT_COLUMNS = ("event_id", "episode", "kind", "camera", "onset", "apex", "apex2", "offset",
                 "action_units", "emotion", "category", "note", "frames")  # fmt: skip


@dataclass(frozen=True)
class TornLine:
    line: int  # 1-based line number in the file
    text: str
    reason: str


def event_cells(event: Event | None) -> dict[str, str]:
    if event is None:
        return {}
    frames = {cam: {p: r.as_dict() for p, r in refs.items()} for cam, refs in event.frames.items()}
    cells = {c: getattr(event, c) for c in EVENT_COLUMNS if c != "frames"}
    cells["apex2"] = "" if event.apex2 is None else event.apex2
    cells["note"] = clean_text(event.note)  # no tab or newline inside a cell
    cells["frames"] = json.dumps(frames, separators=(",", ":"), sort_keys=True)
    return {k: str(v) for k, v in cells.items()}


def event_from_cells(row: dict[str, str]) -> Event:
    raw = json.loads(row["frames"] or "{}")
    frames = {cam: {p: FrameRef(int(r["frame"]), str(r["file"]), int(r["file_frame"]), float(r["host_time"]))
                    for p, r in refs.items()} for cam, refs in raw.items()}  # fmt: skip
    return Event(
        event_id=row["event_id"], episode=row["episode"], kind=row["kind"], camera=row["camera"],
        onset=int(row["onset"]), apex=int(row["apex"]), offset=int(row["offset"]),
        apex2=int(row["apex2"]) if row["apex2"] else None, action_units=row["action_units"],
        emotion=row["emotion"], category=row["category"], note=row["note"], frames=frames,
    )  # fmt: skip


class AppendOnlyTsv:
    """Rows appended with fsync; the header is written when the file is new."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path = Path(path)
        self.columns = columns
        create_private_dir(self.path.parent)
        new = not self.path.exists() or self.path.stat().st_size == 0
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(self._fd, 0o600)  # open's mode applies only to a new file; a copied-in one may be 0644
        if new:
            self._write("\t".join(columns) + "\n")
        elif not self.path.read_bytes().endswith(b"\n"):
            self._write("\n")  # end a torn line so the next row starts on its own line

    def _write(self, text: str) -> None:
        os.write(self._fd, text.encode("utf-8"))
        os.fsync(self._fd)

    def encode(self, cells: dict[str, str]) -> str:
        """The row `cells` make, stamped now, each cell clean text (see clean_text)."""
        row = {"time_utc": utc_now(), **cells}
        # frames is JSON, ASCII only (json.dumps escapes): kept as it is
        values = [str(row.get(c, "")) if c == "frames" else clean_text(str(row.get(c, ""))) for c in self.columns]
        return "\t".join(values) + "\n"

    def write_row(self, line: str) -> None:
        self._write(line)

    def append(self, cells: dict[str, str]) -> None:
        self._write(self.encode(cells))

    def close(self) -> None:
        os.close(self._fd)


def read_rows(
    path: Path, columns: tuple[str, ...], later: tuple[str, ...] = ()
) -> tuple[list[tuple[int, dict[str, str]]], list[TornLine]]:
    """(line number, row) for every whole row, and the lines that are not whole rows.

    `later` are columns added after files were begun: a file keeps the header it was begun with (it is
    never rewritten), so its header is `columns` plus any first few of `later`, and rows appended since
    carry the later cells at their end. A cell a row does not have reads as ""."""
    path = Path(path)
    if not path.is_file():
        return [], []
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    ends_clean = lines[-1] == ""
    lines = lines[:-1] if ends_clean else lines
    full = (*columns, *later)
    header = tuple(lines[0].split("\t")) if lines else ()
    if len(header) < len(columns) or header != full[: len(header)]:
        raise ValueError(f"{path}: line 1 is not the header {' '.join(full)}")
    rows, torn = [], []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")  # cells never hold a tab (clean_text): no quoting, no size limit
        last = number == len(lines) and not ends_clean
        if not len(header) <= len(cells) <= len(full) or last:
            reason = "no final newline (crash mid-write)" if last else f"{len(cells)} of {len(header)} columns"
            torn.append(TornLine(number, line, reason))
            continue
        rows.append((number, {c: cells[i] if i < len(cells) else "" for i, c in enumerate(full)}))
    return rows, torn
