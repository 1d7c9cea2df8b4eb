"""An X display for tests that open PsychoPy windows (in child processes).

Uses $DISPLAY when set (CI runs pytest under `xvfb-run -a`); otherwise starts one Xvfb for the
whole test run, so `python -m pytest` works on a machine without a screen as well.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
from functools import cache

import pytest


@cache
def display_env() -> dict[str, str]:
    env = dict(os.environ)
    if env.get("DISPLAY"):
        return env
    if shutil.which("Xvfb") is None:
        pytest.skip("no $DISPLAY and no Xvfb (apt-get install xvfb)")
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as fh:
        number = fh.readline().strip()  # Xvfb writes the display number once it accepts clients
    if not number:
        proc.kill()
        pytest.skip("Xvfb did not start")
    atexit.register(lambda: (proc.terminate(), proc.wait(timeout=10)))
    env["DISPLAY"] = f":{number}"
    return env
