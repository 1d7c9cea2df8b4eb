"""The one time base of the project.

Every timestamp (camera frames, stimulus flips, markers, ratings) is seconds on one clock: the
clock that PsychoPy's ``win.flip()`` returns, expressed absolutely.

Measured on Linux (see tests/hardware/test_clock.py):
- ``win.flip()`` returns ``psychopy.clock.getTime()`` minus the time ``psychopy.clock`` was imported;
  adding ``psychopy.clock.monotonicClock.getLastResetTime()`` gives the absolute base clock.
- That base clock is ``psychtoolbox.GetSecs`` when psychtoolbox imports. GetSecs reads
  CLOCK_REALTIME (it steps when NTP adjusts the wall clock) unless ``PSYCH_GETSECS_CLOCK=1`` is set
  before psychtoolbox is imported; then it reads CLOCK_MONOTONIC, the clock ``time.monotonic()``
  reads in every process. If psychtoolbox is missing PsychoPy falls back to ``time.perf_counter``,
  which on Linux is CLOCK_MONOTONIC as well.

So we pin ``PSYCH_GETSECS_CLOCK=1`` as soon as this package is imported, and every process reads
``time.monotonic()``: cheap, never steps, the same in a camera process and in the experiment.
``check_psychopy_clock()`` verifies at run time that PsychoPy agrees.
"""

from __future__ import annotations

import os
import sys
import time

from hardware.errors import HardwareError

# Must happen before psychtoolbox is imported anywhere (psychopy imports it).
_LOADED_UNPINNED = "psychtoolbox" in sys.modules and os.environ.get("PSYCH_GETSECS_CLOCK") != "1"
os.environ.setdefault("PSYCH_GETSECS_CLOCK", "1")

now = time.monotonic
"""Seconds on the one clock (CLOCK_MONOTONIC). Safe to call from any process."""

CLOCK_NAME = "CLOCK_MONOTONIC (time.monotonic == psychtoolbox.GetSecs with PSYCH_GETSECS_CLOCK=1)"


class ClockMismatch(HardwareError):
    """Raised when PsychoPy's flip clock is not the project's clock (psychtoolbox imported too early)."""


def psychopy_base() -> float:
    """Offset to add to a ``win.flip()`` / ``core.getTime()``-relative time to get clock time."""
    from psychopy import clock as pclock

    return float(pclock.monotonicClock.getLastResetTime())


def flip_to_clock(flip_time: float) -> float:
    """Convert a time returned by ``win.flip()`` (or ``Clock`` based on it) to clock seconds."""
    return flip_time + psychopy_base()


def check_psychopy_clock(tolerance_s: float = 0.001) -> float:
    """Verify that PsychoPy's absolute clock is ours; return the measured difference in seconds.

    Raises ClockMismatch when psychtoolbox was imported before PSYCH_GETSECS_CLOCK=1 was set,
    in which case PsychoPy's times would be wall-clock and camera times monotonic.
    """
    from psychopy import clock as pclock

    before = now()
    theirs = pclock.monotonicClock.getTime() + pclock.monotonicClock.getLastResetTime()
    after = now()
    diff = theirs - (before + after) / 2
    if abs(diff) > tolerance_s + (after - before):
        why = (
            "psychtoolbox was imported before PSYCH_GETSECS_CLOCK=1 was set: import hardware first"
            if _LOADED_UNPINNED
            else "PsychoPy reads a different OS clock"
        )
        raise ClockMismatch(f"PsychoPy's clock differs from CLOCK_MONOTONIC by {diff:.3f} s ({why})")
    return diff
