"""LSL time is the project's one clock on this PC: measured, not assumed."""

from __future__ import annotations

import time

import pylsl

from hardware.lsl import clock_offset


def test_pylsl_local_clock_reads_clock_monotonic_within_a_millisecond():
    diffs = []
    for _ in range(500):
        before = time.monotonic()
        theirs = pylsl.local_clock()
        after = time.monotonic()
        diffs.append(theirs - (before + after) / 2)
    diffs.sort()
    assert abs(diffs[len(diffs) // 2]) < 0.001, f"median difference {diffs[len(diffs) // 2] * 1e6:.1f} us"
    assert abs(clock_offset()) < 0.001
    # and it advances with it: one second of sleep is one second on both
    a_mono, a_lsl = time.monotonic(), pylsl.local_clock()
    time.sleep(0.2)
    b_mono, b_lsl = time.monotonic(), pylsl.local_clock()
    assert abs((b_lsl - a_lsl) - (b_mono - a_mono)) < 0.001
