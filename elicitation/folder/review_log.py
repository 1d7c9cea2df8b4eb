"""review.tsv: the participant's flags, appended and flushed row by row, never rewritten.

Columns: episode, camera, file, file_frame, clock_time (the flagged frame's host_time in frames.tsv, the
one clock), category, note, then action (flag, confirm, remove), source (session: during the
experiment; later: `elicit review`) and time_utc. A later confirmation or removal is a new row naming
the same frame.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from elicitation.folder.state import open_private, utc_now

COLUMNS = ["episode", "camera", "file", "file_frame", "clock_time", "category", "note", "action", "source", "time_utc"]


class ReviewLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        new = not self.path.exists() or self.path.stat().st_size == 0
        self._fh = open_private(self.path, "a")
        self._writer = csv.writer(self._fh, delimiter="\t", lineterminator="\n")
        if new:
            self._writer.writerow(COLUMNS)
            self._fh.flush()

    def add(self, **row: Any) -> None:
        row.setdefault("note", "")
        row.setdefault("time_utc", utc_now())
        if isinstance(row.get("clock_time"), float):
            row["clock_time"] = f"{row['clock_time']:.6f}"
        self._writer.writerow([row.get(c, "") for c in COLUMNS])
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def read_review(path: Path) -> list[dict[str, str]]:
    if not Path(path).is_file():
        return []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


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
