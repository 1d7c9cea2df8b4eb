"""Issue 25 item 6: a closed terminal (SIGHUP to the session's process group) during episode 2 ends the
session like SIGTERM: exit 130, session.json `interrupted`, no episode left `playing`, no `.reserve`,
the cameras' files finished, and the report does not call the session running."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.conftest import run_elicit
from tests.faults.session_faults import (
    assert_consistent,
    episode_playing,
    session_args,
    small_rig,
    start,
    state,
    wait_for,
)


@pytest.mark.slow
def test_sighup_ends_the_session_like_sigterm(tmp_path):
    data, rig = tmp_path / "data", small_rig(tmp_path / "rig.yaml")
    folder = data / "sub-H1" / "ses-1"
    proc, out, err = start(session_args(data, rig, "H1"), tmp_path)
    try:
        wait_for(proc, lambda: episode_playing(folder, "02"), what="episode 2")
        time.sleep(1.0)
        os.killpg(proc.pid, signal.SIGHUP)  # what a closed terminal does to its foreground group
        assert proc.wait(timeout=90) == 130
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    s = state(folder)
    assert s["status"] == "interrupted" and s["runs"][0]["status"] == "interrupted"
    assert all(e["status"] != "playing" for e in s["episodes"].values())
    assert not (folder / ".reserve").exists()
    for cam, summary in s["runs"][0]["cameras"].items():
        assert not summary["error"] and summary["files"], (cam, summary)
    assert_consistent(folder)
    result = run_elicit("report", str(folder))
    assert result.returncode == 0, result.stderr
    assert "This session is running" not in (folder / "report.html").read_text()
