"""Preflight's camera check counts drops with the validation code and judges the rate by the rig's thresholds."""

from __future__ import annotations

from elicitation.session.preflight import check_cameras
from hardware.rig import load_rig
from tests.conftest import sim_camera, write_rig


def test_dropped_frames_are_counted(tmp_path):
    rig = load_rig(write_rig(tmp_path / "rig.yaml", {"cam": sim_camera(400, 64, drop_frames=[20, 21, 22])}))
    (check,), rate = check_cameras(rig, seconds=1.0)
    assert ", 3 dropped in " in check.detail and rate > 0
    assert check.warning == check.ok  # a camera that passes with drops is worth a line in session.json


def test_the_rigs_rate_threshold_decides(tmp_path):
    slow = sim_camera(400, 64, fps=60, drift_ppm=-30_000.0)  # delivers 3 % below nominal (more on a busy PC)
    rig = load_rig(write_rig(tmp_path / "rig.yaml", {"cam": slow}, validation={"max_rate_error_pct": 40.0}))
    (check,), _ = check_cameras(rig, seconds=1.0)
    assert check.ok, check.detail
    strict = load_rig(write_rig(tmp_path / "strict.yaml", {"cam": slow}))  # default: 0.5 % (preflight: 1 %)
    (check,), _ = check_cameras(strict, seconds=1.0)
    assert not check.ok and "of 60 nominal" in check.detail
