"""The technician's sync test: simulated cameras that see the screen with a known latency (screen_latency_ms)
record real PsychoPy flashes (in a child process on an X display); the test recovers each latency."""

from __future__ import annotations

import json

from hardware.analysis import CameraSync, offsets_ms
from tests.conftest import run_elicit, sim_camera, write_rig
from tests.xdisplay import display_env

PERIOD_MS = 1000 / 60


def test_latencies_are_recovered_within_a_frame_and_a_blind_camera_fails(tmp_path):
    rig = write_rig(
        tmp_path / "rig.yaml",
        {
            "late": sim_camera(400, 120, screen_latency_ms=30),
            "prompt": sim_camera(400, 120, "bgr24", screen_latency_ms=0, seed=2),
            "blind": sim_camera(400, 120, seed=3),  # does not see the screen
        },
    )
    out = tmp_path / "sync"
    result = run_elicit("cameras", "sync-test", str(rig), "--flashes", "5", "--windowed", "--out", str(out),
                        env=display_env())  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads((out / "sync.json").read_text())
    cams = report["cameras"]
    for name, latency in (("late", 30.0), ("prompt", 0.0)):
        assert cams[name]["flashes_found"] == 5 and cams[name]["passed"], cams[name]
        stats = cams[name]["latency_ms"]
        assert latency <= stats["min"] and stats["max"] < latency + PERIOD_MS  # the first frame exposed after it
        assert abs(stats["mean"] - latency) < PERIOD_MS
    offset = report["offsets_ms"]["prompt"] - report["offsets_ms"]["late"]
    assert abs(-offset - 30.0) < PERIOD_MS  # the late camera sees each flash about 30 ms after the prompt one
    assert cams["blind"]["flashes_found"] == 0 and not cams["blind"]["passed"]
    assert "5 of 5 flashes not found" in cams["blind"]["reasons"][0]
    assert (out / "sync.png").stat().st_size > 10_000
    assert len((out / "flashes.tsv").read_text().splitlines()) == 6


def test_unstable_latency_fails_with_the_reason():
    steady = CameraSync("a", PERIOD_MS, [20.0, 25.0, 22.0, 30.0])
    shaky = CameraSync("b", PERIOD_MS, [20.0, 60.0, 22.0, None])
    assert steady.judge(4, None, None) and not steady.reasons
    assert not shaky.judge(4, None, None)
    assert any("not found" in r for r in shaky.reasons) and any("unstable" in r for r in shaky.reasons)
    assert offsets_ms([steady, shaky])["b"] == sum([20.0, 60.0, 22.0]) / 3 - sum([20.0, 25.0, 22.0, 30.0]) / 4


def test_sync_test_refuses_a_used_folder_and_a_bad_rig(tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "x").write_text("data")
    rig = write_rig(tmp_path / "rig.yaml", {"cam": sim_camera(400, 120, screen_latency=3)})
    result = run_elicit("cameras", "sync-test", "sim", "--out", str(used))
    assert result.returncode == 2 and "not empty" in result.stderr
    result = run_elicit("cameras", "sync-test", str(rig), "--out", str(tmp_path / "new"))
    assert result.returncode == 2 and "screen_latency" in result.stderr
