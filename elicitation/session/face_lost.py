"""Face-lost intervals during episodes, from the watched camera's face-found samples.

Samples arrive at the previews' rate (10 a second) with the frame's time on the one clock. A run of
samples without a face starts halfway between the last sample with a face and the first without (the
face went somewhere in between, also when a busy watch skipped previews), and ends halfway between
the last sample without and the first with a face again. Each episode keeps the parts of those runs
inside its clip, [onset flip, offset flip], that last at least ``min_s``: one interval per run,
clipped to the clip. An interval is given out once it is final: its run has ended, or the clip has
ended and samples have reached its offset (or the session is closing). An onset or an end is off by
at most half the time between two samples: 0.05 s at 10 previews a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

KEEP_RUNS_S = 30.0  # ended runs are kept this long for a clip whose onset is still on its way


@dataclass(frozen=True)
class LostInterval:
    episode: str
    onset: float  # clock time
    duration: float


@dataclass
class _Window:
    label: str
    onset: float
    offset: float | None = None
    given: set[float] = field(default_factory=set)  # run starts already given out
    done: bool = False


class FaceLostTracker:
    """Not thread-safe: the caller holds one lock around sample() and take()."""

    def __init__(self, min_s: float = 0.3) -> None:
        self.min_s = min_s
        self.last_time = -math.inf
        self.found: bool | None = None
        self._runs: list[list[float | None]] = []  # [start, end or None while the face is still away]
        self._windows: list[_Window] = []

    @property
    def lost_since(self) -> float | None:
        """Clock time the current run without a face began (None while a face is found)."""
        if self._runs and self._runs[-1][1] is None:
            return self._runs[-1][0]
        return None

    def sample(self, t: float, found: bool) -> None:
        if t <= self.last_time:
            return  # a repeated or late sample changes nothing
        between = t if self.last_time == -math.inf else (self.last_time + t) / 2
        self.last_time, self.found = t, found
        if not found and self.lost_since is None:
            self._runs.append([between, None])
        elif found and self.lost_since is not None:
            self._runs[-1][1] = between

    def open_episode(self, label: str, onset: float) -> None:
        self._windows.append(_Window(label, onset))

    def close_episode(self, offset: float) -> None:
        for window in self._windows:
            if window.offset is None:
                window.offset = offset

    def take(self, final: bool = False) -> list[LostInterval]:
        """Intervals that became final since the last call; with final=True, everything still pending."""
        out = []
        for window in self._windows:
            if window.done:
                continue
            ended = window.offset is not None and (self.last_time >= window.offset or final)
            close = min(window.offset if window.offset is not None else math.inf, self.last_time)
            for start, end in self._runs:
                assert start is not None
                if start in window.given or (window.offset is not None and start >= window.offset):
                    continue
                if end is None and not (ended or final):
                    continue  # still away, the clip still playing: not final yet
                stop = close if end is None else min(end, close if ended or final else end)
                if window.offset is not None:
                    stop = min(stop, window.offset)
                begin = max(start, window.onset)
                if stop - begin >= self.min_s:
                    out.append(LostInterval(window.label, begin, stop - begin))
                if end is not None or ended or final:
                    window.given.add(start)
            window.done = ended
        horizon = self.last_time - KEEP_RUNS_S  # an ended run is given out to the open window at once
        self._runs = [r for r in self._runs if r[1] is None or r[1] > horizon]
        self._windows = [w for w in self._windows if not w.done]
        return out
