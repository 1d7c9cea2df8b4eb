"""review.tsv: the participant's flags, appended and flushed row by row, never rewritten.

Columns: episode, camera, file, file_frame, clock_time (the flagged frame's host_time in frames.tsv, the
one clock), category, note, then action (flag, confirm, remove), source (session: during the
experiment; later: `elicit review`) and time_utc. A later confirmation or removal is a new row naming
the same frame.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from elicitation.folder.state import utc_now
from elicitation.folder.tables import AppendOnlyTsv, read_tsv

COLUMNS = ["episode", "camera", "file", "file_frame", "clock_time", "category", "note", "action", "source", "time_utc"]


class ReviewLog(AppendOnlyTsv):
    def __init__(self, path: Path) -> None:
        super().__init__(path, COLUMNS)

    def add(self, **row: Any) -> None:
        row.setdefault("note", "")
        row.setdefault("time_utc", utc_now())
        if isinstance(row.get("clock_time"), float):
            row["clock_time"] = f"{row['clock_time']:.6f}"
        self.write([str(row.get(c, "")) for c in COLUMNS])


def read_review(path: Path) -> list[dict[str, str]]:
    return read_tsv(path)


def current_flags(rows: list[dict[str, str]], episode: str) -> list[dict[str, str]]:
    """The episode's flags that stand: flagged, and not removed later (by file and frame)."""
    flags: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:
        if row.get("episode") != episode:
            continue
        key = (row.get("file", ""), row.get("file_frame", ""))
        if row.get("action") == "flag":
            flags[key] = row
        elif row.get("action") == "remove":
            flags.pop(key, None)
    return list(flags.values())
