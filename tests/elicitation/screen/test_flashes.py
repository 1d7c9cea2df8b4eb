"""The one flash train (session sync flashes and the sync test), on a fake screen whose flips return times."""

from __future__ import annotations

import pytest

from elicitation.screen import FlashPlan, show_flashes

PERIOD = 1 / 60


class FakeScreen:
    """Flips every period on its own clock; `stall_at` makes one flip late (a pause, a busy machine)."""

    def __init__(self, stall_at: float | None = None, stall_s: float = 0.0) -> None:
        self.t = 100.0
        self.shown: list[tuple[float, str, str | None]] = []  # (flip time, colour, screenshot name)
        self.stall_at, self.stall_s = stall_at, stall_s
        self.drawn = ""

    def frame(self, draw, shot):
        draw()
        self.t += PERIOD
        if self.stall_at is not None and self.t >= self.stall_at:
            self.t += self.stall_s
            self.stall_at = None
        self.shown.append((self.t, self.drawn, shot))
        return self.t


class Colour:
    def __init__(self, screen: FakeScreen, name: str) -> None:
        self.screen, self.name = screen, name

    def draw(self) -> None:
        self.screen.drawn = self.name


def run(plan: FlashPlan, screen: FakeScreen, **kw):
    changes: list[tuple[float, float]] = []
    ended: list[tuple[int, float, float]] = []
    times = show_flashes(screen.frame, Colour(screen, "white"), Colour(screen, "black"), PERIOD, plan,
                         on_change=lambda t, b: changes.append((t, b)),
                         on_flash=lambda i, on, off: ended.append((i, on, off)), **kw)  # fmt: skip
    return times, changes, ended


def test_onsets_and_offsets_are_the_flips_that_changed_the_screen():
    screen = FakeScreen()
    times, changes, ended = run(FlashPlan.regular(3, on_s=0.25, off_s=0.5), screen, shot="sync_flash")
    assert len(times) == 3 and ended == [(i, on, off) for i, (on, off) in enumerate(times)]
    flips = {t: colour for t, colour, _ in screen.shown}
    for on, off in times:
        assert flips[on] == "white" and flips[off] == "black"
        assert off - on == pytest.approx(0.25, abs=PERIOD / 2 + 1e-9)  # on_s, to the nearest flip
    first = screen.shown[0][0]
    assert times[0][0] - first == pytest.approx(0.5, abs=PERIOD / 2 + 1e-9)
    for (_, off), (on, _) in zip(times, times[1:], strict=False):
        assert on - off == pytest.approx(0.5, abs=PERIOD / 2 + 1e-9)  # the gap runs from the previous offset
    after_last = screen.shown[-1][0] + PERIOD - times[-1][1]  # black until the next step's first flip
    assert after_last == pytest.approx(0.5, abs=PERIOD / 2 + 1e-9)
    # every change of the screen (and the first flip) is told at once, with its flip time
    assert changes == [(first, 0.0)] + [c for on, off in times for c in ((on, 1.0), (off, 0.0))]
    assert [t for t, _, shot in screen.shown if shot] == [on for on, _ in times]  # a screenshot of a flash only


def test_a_late_flip_never_runs_two_flashes_together():
    screen = FakeScreen(stall_at=100.0 + 0.5 + 0.25 + 0.1, stall_s=3.0)  # 3 s stuck in the first gap
    times, _, _ = run(FlashPlan.regular(3, on_s=0.25, off_s=0.5), screen)
    for (_, off), (on, _) in zip(times, times[1:], strict=False):
        assert on - off >= 0.5 - PERIOD / 2


def test_the_sync_tests_plan_is_seeded_and_settles_first_and_last():
    plan = FlashPlan.seeded(5, 0.25, (0.7, 1.5), 1.0, seed=3)
    assert plan == FlashPlan.seeded(5, 0.25, (0.7, 1.5), 1.0, seed=3) != FlashPlan.seeded(5, 0.25, (0.7, 1.5), 1.0, 4)
    assert plan.gaps_s[0] == 1.0 and plan.tail_s == 1.0 and len(plan.gaps_s) == 5
    assert all(0.7 <= g <= 1.5 for g in plan.gaps_s[1:]) and len(set(plan.gaps_s[1:])) == 4
