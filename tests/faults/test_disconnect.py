"""A camera disconnects mid-session (sim ``disconnect_after_s`` on uvc, after episode 1): the session goes
on with gras; session.json lists only files that exist, session.log and session.json record the
failure with its time, and the report marks the camera failed."""

from __future__ import annotations

import pytest

from tests.conftest import run_elicit
from tests.faults.session_faults import assert_consistent, outputs, session_args, small_rig, start, state


@pytest.mark.slow
def test_a_camera_lost_mid_session_is_recorded_as_failed_and_never_listed_for_later_episodes(tmp_path):
    data, rig = tmp_path / "data", small_rig(tmp_path / "rig.yaml", disconnect_after_s=18)
    folder = data / "sub-X1" / "ses-1"
    proc, out, err = start(session_args(data, rig, "X1"), tmp_path)
    try:
        code = proc.wait(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = outputs(out, err)
    assert code == 3 and "Traceback" not in text, text[-3000:]
    s = state(folder)
    assert s["status"] == "completed"
    (failure,) = s["camera_failures"]
    assert failure["camera"] == "uvc" and "disconnected" in failure["error"] and failure["last_frame_clock"]
    lost_at = failure["last_frame_clock"]
    later = 0
    for label, entry in s["episodes"].items():
        (attempt,) = entry["attempts"]
        assert attempt["status"] == "complete" and "gras" in attempt["files"]
        if attempt["onset_clock"] > lost_at:  # the camera was gone before this clip began
            later += 1
            assert "uvc" not in attempt["files"] and "uvc" not in entry["video"], (label, attempt)
            assert attempt["missing_files"] == {"uvc": f"uvc_{attempt['suffix']}.mkv"}
    assert later >= 1, "the disconnect came too late to test anything"
    assert_consistent(folder)  # every file session.json names exists; videos match their rows
    log = (folder / "session.log").read_text()
    assert "camera uvc failed" in log and "disconnected" in log

    result = run_elicit("report", str(folder))
    assert result.returncode == 0, result.stderr
    page = (folder / "report.html").read_text()
    row = page[page.index("<td>uvc</td>") : page.index("</tr>", page.index("<td>uvc</td>"))]
    assert "FAILED" in row and f"failed at {lost_at - s['t0_clock']:.1f} s" in row
    gras = page[page.index("<td>gras</td>") : page.index("</tr>", page.index("<td>gras</td>"))]
    assert "FAILED" not in gras
