"""Full-screen white flashes on black, the one flash train of the session's sync flashes and the sync test.

Every time here is a flip time on the one clock, as the caller's ``frame`` returns it (``Display.flip``,
or the session's frame loop around it). A flash's onset is the flip that showed white, its offset the flip
that removed it. Each flash waits its gap of black after the previous flash's offset (the first after the
train's first flip), so a pause during the train never runs two flashes together. Each change lands on
the flip nearest its due time (within half a frame period when flips come every period).

``on_change(flip_time, brightness)`` is called at once after each flip that changes the screen (and the
first), for whoever must know what the screen showed when (the sync test publishes it to simulated
cameras); ``on_flash(index, onset, offset)`` as each flash ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

Draw = Callable[[], None]
FrameFn = Callable[[Draw, str | None], float]  # draw, then flip (screenshot name); returns the flip time


class Drawable(Protocol):
    def draw(self) -> None: ...


@dataclass(frozen=True)
class FlashPlan:
    gaps_s: tuple[float, ...]  # black before each flash (after the previous offset; the first after the start)
    on_s: float  # how long each flash stays white
    tail_s: float  # black after the last flash

    @classmethod
    def regular(cls, flashes: int, on_s: float, off_s: float) -> FlashPlan:
        """The session's sync flashes: off_s of black before, between and after."""
        return cls((off_s,) * flashes, on_s, off_s)

    @classmethod
    def seeded(cls, flashes: int, on_s: float, gap_range: tuple[float, float], settle_s: float, seed: int) -> FlashPlan:
        """The sync test's: settle_s of black first and last, random gaps in between (so no flash locks to the
        cameras' frame grid)."""
        rng = np.random.default_rng(seed)
        gaps = [settle_s] + [float(rng.uniform(*gap_range)) for _ in range(flashes - 1)]
        return cls(tuple(gaps), on_s, settle_s)


def show_flashes(
    frame: FrameFn,
    white: Drawable,
    black: Drawable,
    period: float,
    plan: FlashPlan,
    on_change: Callable[[float, float], None] | None = None,
    on_flash: Callable[[int, float, float], None] | None = None,
    shot: str | None = None,
) -> list[tuple[float, float]]:
    """Show the train; (onset, offset) flip times of each flash. ``shot`` names the screenshot of a flash."""
    early = period + period / 2  # flip again while the flip after this one would still be half a frame early

    def show(stim: Drawable, brightness: float | None, name: str | None = None) -> float:
        t = frame(stim.draw, name)
        if brightness is not None and on_change is not None:
            on_change(t, brightness)  # at once: simulated cameras hold each frame a while for this
        return t

    t = show(black, 0.0)
    times: list[tuple[float, float]] = []
    for i, gap in enumerate(plan.gaps_s):
        due = t + gap
        while t + early < due:
            t = show(black, None)
        onset = t = show(white, 1.0, shot)
        while t + early < onset + plan.on_s:
            t = show(white, None)
        offset = t = show(black, 0.0)
        times.append((onset, offset))
        if on_flash is not None:
            on_flash(i, onset, offset)
    end = t + plan.tail_s
    while t + early < end:
        t = show(black, None)
    return times

