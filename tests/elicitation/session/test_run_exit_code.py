"""A session's exit code agrees with `cameras record`: a camera that failed while the session ran is a
failure while running (3), whatever the procedure's own outcome; an interruption stays 130 (at a terminal
Ctrl-C reaches the camera processes as well, so their errors do not turn it into 3)."""

from __future__ import annotations

from types import SimpleNamespace

from elicitation.folder import SessionState
from elicitation.session import record


def test_a_camera_failing_during_the_session_makes_the_run_exit_3(tmp_path):
    state = SessionState.new(tmp_path)
    failed = SimpleNamespace(errors={"gras": "camera 'gras' disconnected"}, warnings={}, out_dir=tmp_path / "video")
    assert record.finish_run(state, failed, {}, "completed", 0) == 3
    assert any("gras" in w["message"] for w in state.data["warnings"])
    healthy = SimpleNamespace(errors={}, warnings={}, out_dir=tmp_path / "video")
    assert record.finish_run(state, healthy, {}, "completed", 0) == 0
    assert record.finish_run(state, healthy, {}, "interrupted", 130) == 130
    assert record.finish_run(state, failed, {}, "interrupted", 130) == 130  # the camera saw the same Ctrl-C
