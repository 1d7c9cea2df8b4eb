"""``events.tsv`` and ``ratings.tsv``: append-only tables, each row flushed as it is written, so a
crash loses nothing already written and a resumed session appends where the last one stopped.

events.tsv (BIDS-style):
    onset        seconds since the session's recording started (clock_time - t0)
    duration     seconds, or n/a
    trial_type   episode, episode_incomplete, instructions (any text screen, by its name), ready,
                 rating, review, rest, sync_flash, penalty_mark, pause, resume, abort ...
    episode      01..NN or n/a
    stimulus     the clip's file name or n/a
    clock_time   the onset on the one clock (the same clock as host_time in <camera>_frames.tsv)
    source       who pressed, for the experimenter's actions (pause, abort, abort_cancelled,
                 penalty_mark): keyboard, dashboard or autopilot ("keyboard/dashboard": paused on
                 one, resumed on the other); n/a for everything else. Files written before this
                 column existed lack it, and a resumed session appends to them without it.
Stimulus onsets and offsets are flip times. Rows are appended when an event ends (an episode row
when its clip has gone), so they are in order of their end, not their onset.

ratings.tsv: one row per emotion the participant chose after an episode, with its intensity and
response times (seconds from the rating screen's first flip).

``AppendOnlyTsv`` writes every one of elicitation's tables (events, ratings, review) and ``read_tsv``
reads them back: tab-separated, a header line, no quoting (a tab or newline inside a cell becomes a space).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

EVENT_COLUMNS = ("onset", "duration", "trial_type", "episode", "stimulus", "clock_time", "source")
OLD_EVENT_COLUMNS = EVENT_COLUMNS[:-1]  # events.tsv before the source column
_CONTROL = re.compile(r"[\t\r\n]")
RATING_COLUMNS = (
    "episode",
    "stimulus",
    "emotion",
    "intensity",
    "rt_choice",
    "rt_intensity",
    "rt_done",
    "screen_onset_clock",
)


def _cell(value: Any, digits: int = 6) -> str:
    if value is None or value == "":
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return " ".join(str(value).split())  # no tabs or newlines inside a cell


class AppendOnlyTsv:
    """A table that only grows: header once (for a new or empty file), then rows, one whole row per write
    (0600 file). A row a full disk cuts short is truncated away again, and a torn last row a kill left is
    cut before the next is appended."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path, self.columns = Path(path), tuple(columns)
        self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(self._fd, 0o600)
        self._size = os.fstat(self._fd).st_size
        if self._size and os.pread(self._fd, 1, self._size - 1) != b"\n":
            data = os.pread(self._fd, self._size, 0)
            self._size = data.rfind(b"\n") + 1
            os.ftruncate(self._fd, self._size)
        if self._size == 0:
            self.write(self.columns)

    def write(self, cells: Sequence[str]) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{self.path}: {len(cells)} cells for {len(self.columns)} columns")
        data = ("\t".join(_CONTROL.sub(" ", str(c)) for c in cells) + "\n").encode("utf-8")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]  # in the OS's hands: survives a kill of this process
        except OSError:
            os.ftruncate(self._fd, self._size)
            raise
        self._size += len(data)

    def close(self) -> None:
        os.close(self._fd)


class _Table(AppendOnlyTsv):
    columns: tuple[str, ...] = ()

    def __init__(self, path: Path) -> None:
        super().__init__(path, type(self).columns)

    def _row(self, values: list[str]) -> None:
        self.write(values)


class EventLog(AppendOnlyTsv):
    def __init__(self, path: Path, t0: float, on_row: Callable[[dict[str, str]], None] | None = None) -> None:
        path = Path(path)
        super().__init__(path, OLD_EVENT_COLUMNS if _header(path) == OLD_EVENT_COLUMNS else EVENT_COLUMNS)
        self.t0 = t0  # clock time of the session's recording start
        self.on_row = on_row  # told of every row written (the live dashboard); must not block

    def add(
        self,
        trial_type: str,
        clock_time: float,
        duration: float | None = None,
        episode: str | None = None,
        stimulus: str | None = None,
        source: str | None = None,
    ) -> None:
        cells = [_cell(clock_time - self.t0), _cell(duration), _cell(trial_type), _cell(episode), _cell(stimulus),
                 _cell(clock_time), _cell(source)][: len(self.columns)]  # fmt: skip
        self.write(cells)
        if self.on_row is not None:
            self.on_row(dict(zip(self.columns, cells, strict=True)))


def _header(path: Path) -> tuple[str, ...]:
    """The header of an existing table (empty for a missing or empty file)."""
    try:
        with path.open(encoding="utf-8") as fh:
            return tuple(fh.readline().rstrip("\n").split("\t"))
    except FileNotFoundError:
        return ()


class RatingsLog(_Table):
    columns = RATING_COLUMNS

    def add(self, episode: str, stimulus: str, answer: dict[str, Any], screen_onset: float) -> None:
        """One row per chosen emotion of a RatingState.result()."""
        for choice in answer["choices"]:
            self._row(
                [
                    _cell(episode),
                    _cell(stimulus),
                    _cell(choice["emotion"]),
                    _cell(choice["intensity"]),
                    _cell(choice["rt_choice"], 3),
                    _cell(choice["rt_intensity"], 3),
                    _cell(answer["rt_done"], 3),
                    _cell(screen_onset),
                ]
            )


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of one of these tables as dicts; a missing file has none, blank lines are skipped, a row cut
    short (a crash mid-write) has None for the cells it lacks."""
    path = Path(path)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [row for row in rows if any(row.values())]
