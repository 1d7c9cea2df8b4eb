"""Ctrl-C in a terminal and a SIGKILL of the whole process tree, each during episode 2, then --resume.

After each: every video's decodable frames against its frames.tsv rows, every row whole, what
session.json says, and that --resume completes with consistent files.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.conftest import run_elicit
from tests.faults.session_faults import (
    assert_consistent,
    episode_playing,
    frames_and_rows,
    kill_tree,
    outputs,
    session_args,
    small_rig,
    start,
    state,
    wait_for,
)
from tests.xdisplay import display_env


@pytest.mark.slow
def test_ctrl_c_stops_the_cameras_in_order_and_resume_reports_no_camera_error(tmp_path):
    data, rig = tmp_path / "data", small_rig(tmp_path / "rig.yaml")
    args = session_args(data, rig, "C1")
    folder = data / "sub-C1" / "ses-1"
    proc, out, err = start(args, tmp_path)
    try:
        wait_for(proc, lambda: episode_playing(folder, "02"), what="episode 2")
        time.sleep(1.5)  # inside the 3-s clip
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the whole foreground group
        assert proc.wait(timeout=90) == 130  # interrupted (README: exit codes)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = outputs(out, err)
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text[-3000:]
    s = state(folder)
    assert s["status"] == "interrupted" and s["runs"][0]["status"] == "interrupted"
    counts = assert_consistent(folder)
    for cam, summary in s["runs"][0]["cameras"].items():
        assert not summary["error"], summary["error"]
        assert summary["files"] and summary["frames_written"] > 300, (cam, summary)
        # the summary's counts are the rows, and the rows are the frames each video holds
        for entry in summary["files"]:
            assert counts[entry["file"]][1] == entry["frames"] == counts[entry["file"]][0], entry
    assert not any("recorder process died" in w["message"] for w in s["warnings"])

    result = run_elicit(*args, "--resume", env=display_env())
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "ERRORS" not in result.stdout
    s = state(folder)
    assert s["status"] == "completed" and not s.get("repairs")
    assert_consistent(folder)


@pytest.mark.slow
def test_sigkill_of_the_tree_is_repaired_on_resume_and_every_repair_recorded(tmp_path):
    data, rig = tmp_path / "data", small_rig(tmp_path / "rig.yaml")
    args = session_args(data, rig, "K1")
    folder = data / "sub-K1" / "ses-1"
    proc, out, err = start(args, tmp_path)
    try:
        wait_for(proc, lambda: episode_playing(folder, "02"), what="episode 2")
        time.sleep(1.5)  # inside the 3-s clip
        kill_tree(proc.pid)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    before = frames_and_rows(folder) if all(p.read_bytes().endswith(b"\n") for p in folder.glob("video/*.tsv")) \
        else None  # fmt: skip
    torn = {p.name for p in (folder / "video").glob("*_frames.tsv") if not p.read_bytes().endswith(b"\n")}

    result = run_elicit(*args, "--resume", env=display_env())
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    s = state(folder)
    assert s["status"] == "completed"
    assert_consistent(folder)
    repairs = s.get("repairs", [])
    assert {r["table"] for r in repairs if "torn_row_bytes_cut" in r} == torn
    if before is not None:  # every file whose rows outran its video was cut to its frames, and recorded
        expected = {name: rows - frames for name, (frames, rows) in before.items() if rows > frames}
        assert {r["file"]: r["rows_dropped"] for r in repairs if "file" in r} == expected
        for r in repairs:
            if "file" in r:
                assert r["frames_held"] == before[r["file"]][0] and r["rows_listed"] == before[r["file"]][1]
