"""The technician's sync test: simulated cameras that see the screen with a known latency (screen_latency_ms)
record real PsychoPy flashes (in a child process on an X display); the test recovers each latency."""

from __future__ import annotations

import json

import numpy as np

from hardware.analysis import CameraSync, count_dropped, offsets_ms
from hardware.analysis.screen_latency import SEARCH_AFTER_S, dropped_between
from hardware.video import FrameTable, read_frames_tsv
from tests.conftest import run_elicit, sim_camera, write_rig
from tests.xdisplay import display_env

PERIOD_MS = 1000 / 60
BUFFER = 60  # frames a camera holds: 1 s, so a reader starved by the other engineers' load does not drop


def test_latencies_are_recovered_within_a_frame_and_a_blind_camera_fails(tmp_path):
    rig = write_rig(
        tmp_path / "rig.yaml",
        {
            "late": sim_camera(400, 120, screen_latency_ms=30, buffer_frames=BUFFER),
            "prompt": sim_camera(400, 120, "bgr24", screen_latency_ms=0, seed=2, buffer_frames=BUFFER),
            "blind": sim_camera(400, 120, seed=3, buffer_frames=BUFFER),  # does not see the screen
            "dropping": sim_camera(400, 120, screen_latency_ms=0, seed=4, buffer_frames=BUFFER,
                                   drop_frames=list(range(45, 3000, 45))),  # fmt: skip
        },
    )
    out = tmp_path / "sync"
    result = run_elicit("cameras", "sync-test", str(rig), "--flashes", "5", "--windowed", "--out", str(out),
                        env={**display_env(), "COLUMNS": "300"})  # fmt: skip
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
    for name in ("late", "prompt", "blind"):
        assert cams[name]["dropped"] == 0 and cams[name]["frames"] > 300, cams[name]
        assert cams[name]["dropped_total"] >= cams[name]["dropped"]
    # a camera that dropped frames while the flashes were shown gets no latency verdict, only that reason
    flashes = np.loadtxt(out / "flashes.tsv", skiprows=1, ndmin=2)
    table = read_frames_tsv(out / "dropping_frames.tsv")
    shown = (table.host_time >= flashes[0, 1]) & (table.host_time <= flashes[-1, 2] + SEARCH_AFTER_S)
    ids = table.camera_frame_id[shown]
    injected = sum(1 for i in range(45, 3000, 45) if ids[0] < i < ids[-1])  # drops strictly inside the stretch
    dropping = cams["dropping"]
    assert not dropping["passed"] and injected >= 5 and dropping["dropped"] >= injected, dropping
    assert dropping["reasons"] == [f"{dropping['dropped']} frames dropped while the flashes were shown: "
                                   "no latency verdict"]  # fmt: skip
    row = next(line for line in result.stdout.splitlines() if "dropping" in line)  # the printed table
    assert "FAIL" in row and f" {dropping['dropped']} " in row and f"{dropping['dropped']} frames dropped" in row
    assert (out / "sync.png").stat().st_size > 10_000
    assert len((out / "flashes.tsv").read_text().splitlines()) == 6


def test_unstable_latency_fails_with_the_reason():
    steady = CameraSync("a", PERIOD_MS, [20.0, 25.0, 22.0, 30.0])
    shaky = CameraSync("b", PERIOD_MS, [20.0, 60.0, 22.0, None])
    assert steady.judge(4, None, None) and not steady.reasons
    assert not shaky.judge(4, None, None)
    assert any("not found" in r for r in shaky.reasons) and any("unstable" in r for r in shaky.reasons)
    assert offsets_ms([steady, shaky])["b"] == sum([20.0, 60.0, 22.0]) / 3 - sum([20.0, 25.0, 22.0, 30.0]) / 4


def test_dropped_frames_fail_the_verdict_with_that_reason_alone():
    shaky_because_holes = CameraSync("c", PERIOD_MS, [20.0, 60.0, 22.0, None], dropped=3)
    assert not shaky_because_holes.judge(4, None, None)
    assert shaky_because_holes.reasons == ["3 frames dropped while the flashes were shown: no latency verdict"]
    one = CameraSync("d", PERIOD_MS, [20.0, 25.0, 22.0, 30.0], dropped=1)
    assert not one.judge(4, None, None) and one.reasons[0].startswith("1 frame dropped")


def _table(ids: list[int], fps: float = 60.0) -> FrameTable:
    ids_a = np.array(ids, dtype=np.int64)
    host = 100.0 + ids_a / fps
    return FrameTable(np.arange(len(ids)), ids_a, host, ids_a / fps, ["v.mkv"] * len(ids), np.arange(len(ids)))


def test_drops_are_counted_while_the_flashes_were_shown_only():
    ids = [0, 1, 2, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 25, 26]  # gaps after 2, 11 and 18
    table = _table(ids)
    assert count_dropped(table, 60.0) == 2 + 2 + 6
    t = lambda frame_id: 100.0 + frame_id / 60.0  # noqa: E731
    assert dropped_between(table, 60.0, t(6), t(10)) == 0  # the flashes came between the gaps
    assert dropped_between(table, 60.0, t(6), t(15)) == 2  # the gap 11 -> 14
    assert dropped_between(table, 60.0, t(3.5), t(9)) == 2  # a gap across the start counts
    assert dropped_between(table, 60.0, t(15), t(20)) == 6  # and one across the end


def test_sync_test_refuses_a_used_folder_and_a_bad_rig(tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "x").write_text("data")
    rig = write_rig(tmp_path / "rig.yaml", {"cam": sim_camera(400, 120, screen_latency=3)})
    result = run_elicit("cameras", "sync-test", "sim", "--out", str(used))
    assert result.returncode == 2 and "not empty" in result.stderr
    result = run_elicit("cameras", "sync-test", str(rig), "--out", str(tmp_path / "new"))
    assert result.returncode == 2 and "screen_latency" in result.stderr


def test_a_720p_colour_camera_that_sees_the_screen_keeps_its_frame_rate_while_it_flashes(tmp_path):
    """The shipped sim rig's colour camera: it once spent ~80 ms per frame lighting its room and delivered
    under a third of its frames during a sync test (however deep its buffer: it fell behind for good). It must
    now deliver (nearly) every one while full-screen flashes are drawn."""
    uvc = sim_camera(1280, 720, "bgr24", screen_latency_ms=30, seed=1, buffer_frames=BUFFER)
    rig = write_rig(tmp_path / "rig.yaml", {"uvc": uvc})
    out = tmp_path / "sync"
    result = run_elicit("cameras", "sync-test", str(rig), "--flashes", "3", "--out", str(out), env=display_env())
    cam = json.loads((out / "sync.json").read_text())["cameras"]["uvc"]
    table = read_frames_tsv(out / "uvc_frames.tsv")
    flashes = np.loadtxt(out / "flashes.tsv", skiprows=1, ndmin=2)
    start, end = flashes[0, 1], flashes[-1, 2] + SEARCH_AFTER_S
    ids = table.camera_frame_id[(table.host_time >= start) & (table.host_time <= end)]
    made = int(ids[-1] - ids[0]) + 1  # frames the camera exposed while the flashes were shown
    assert len(ids) >= 0.97 * made and made > 3 * 60, (len(ids), made, result.stdout)
    assert cam["frames"] == len(table) and cam["flashes_found"] == 3, cam
    assert cam["dropped"] == dropped_between(table, 60.0, start, end) and cam["dropped"] <= made - len(ids) + 2
    assert cam["dropped_total"] == count_dropped(table, 60.0)  # the whole recording's drops written down too
