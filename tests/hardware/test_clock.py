"""The one time base: the same clock in every process, and the clock PsychoPy's flips use."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys

from hardware import clock


def _child_reads_clock(conn) -> None:
    for _ in range(50):
        conn.recv()
        conn.send(clock.now())


def test_recorder_process_and_parent_agree_within_1ms():
    ctx = mp.get_context("spawn")  # the recorder's own start method
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child_reads_clock, args=(child,))
    proc.start()
    try:
        best_round_trip = float("inf")
        for _ in range(50):
            before = clock.now()
            parent.send(None)
            theirs = parent.recv()
            after = clock.now()
            # the child's reading must fall inside the round trip, whatever its length ...
            assert before <= theirs <= after
            best_round_trip = min(best_round_trip, after - before)
        # ... and one round trip short enough bounds the difference of the two clocks below 1 ms
        assert best_round_trip < 0.001
    finally:
        proc.join(timeout=10)


def test_psychopy_flip_clock_is_the_one_clock():
    """win.flip() times + getLastResetTime() are our clock (measured in a fresh interpreter)."""
    code = (
        "import hardware, time\n"
        "from hardware import clock\n"
        "from psychopy import core\n"
        "import psychtoolbox\n"
        "print(abs(clock.check_psychopy_clock()))\n"
        "print(abs(clock.flip_to_clock(core.monotonicClock.getTime()) - clock.now()))\n"
        "print(abs(psychtoolbox.GetSecs() - time.monotonic()))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PSYCH_GETSECS_CLOCK"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    diffs = [float(x) for x in result.stdout.split()]
    assert all(d < 0.001 for d in diffs), diffs


def test_without_the_pin_getsecs_is_wall_clock_and_the_check_catches_it():
    """Why hardware.clock pins PSYCH_GETSECS_CLOCK=1: without it GetSecs steps with NTP."""
    code = (
        "import psychtoolbox, time\n"
        "from psychopy import core\n"
        "print(abs(psychtoolbox.GetSecs() - time.time()) < 0.01)\n"
        "from hardware import clock\n"
        "try:\n"
        "    clock.check_psychopy_clock()\n"
        "    print('accepted')\n"
        "except clock.ClockMismatch as exc:\n"
        "    print('refused:', exc)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PSYCH_GETSECS_CLOCK"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "True"
    assert lines[1].startswith("refused:") and "PSYCH_GETSECS_CLOCK" in lines[1]
