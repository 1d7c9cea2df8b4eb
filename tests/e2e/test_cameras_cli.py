"""`elicit cameras record|validate|list` as a technician runs them."""

from __future__ import annotations

import json
import stat

import numpy as np
import pytest

from hardware.cameras.sim import barcode
from hardware.video import iter_frames, read_frames_tsv
from tests.conftest import SIM_RIG, run_elicit, sim_camera, write_rig


def test_record_sim_rig_10_seconds(tmp_path):
    """The issue's check: ~600 frames each, median 16.67 ms, every decoded barcode equals its row."""
    out = tmp_path / "D"
    result = run_elicit("cameras", "record", str(SIM_RIG), "--seconds", "10", "--out", str(out))
    assert result.returncode == 0, result.stderr
    live = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert len(live) >= 3 and "gras:" in live[-1] and "fps" in live[-1] and "dropped" in live[-1]  # live status
    assert stat.S_IMODE(out.stat().st_mode) == 0o700  # faces: not world-readable
    info = json.loads((out / "recording.json").read_text())
    assert info["rig"]["name"] == "sim" and "ffmpeg" in info["versions"] and not info["errors"]
    tables = {name: read_frames_tsv(out / f"{name}_frames.tsv") for name in ("gras", "uvc")}
    # the 10 s count once every camera delivers: the first to start records while the others start
    common_start = max(float(t.host_time[0]) for t in tables.values())
    for name, pix in (("gras", "gray"), ("uvc", "bgr24")):
        table = tables[name]
        assert 590 <= int(np.sum(table.host_time >= common_start)) <= 615
        assert table.host_time[0] > common_start - 2.0  # no camera started long before the others
        assert np.median(np.diff(table.host_time)) * 1000 == pytest.approx(16.67, abs=0.1)
        decoded = [barcode.read(frame) for frame in iter_frames(out / f"{name}.mkv", pix)]
        assert decoded == list(table.camera_frame_id)
        assert info["cameras"][name]["frames_written"] == len(table)


def test_validate_reports_drops_and_disconnect_and_passes_the_healthy_camera(tmp_path):
    rig = write_rig(
        tmp_path / "faulty.yaml",
        {
            "gras": sim_camera(640, 480, drop_frames=[120, 121, 122], disconnect_after_s=4),
            "uvc": sim_camera(1280, 720, "bgr24"),
        },
        # drops and the disconnect are what this test checks; interval timing limits are checked alone
        validation={"max_interval_sd_ms": 50.0, "max_p99_periods": 20.0},
    )
    out = tmp_path / "V"
    result = run_elicit("cameras", "validate", str(rig), "--seconds", "6", "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads((out / "validation.json").read_text())
    assert report["passed"] is False
    gras, uvc = report["cameras"]["gras"], report["cameras"]["uvc"]
    assert gras["passed"] is False and gras["dropped"] == 3
    assert any("disconnected" in r for r in gras["reasons"])
    assert any("3 dropped" in r for r in gras["reasons"])
    assert uvc["passed"] is True and uvc["dropped"] == 0, uvc["reasons"]
    assert len(read_frames_tsv(out / "uvc_frames.tsv")) >= 6 * 60 - 5  # full length on disk
    gras_rows = read_frames_tsv(out / "gras_frames.tsv")
    assert 4 * 60 - 10 <= len(gras_rows) <= 4 * 60  # up to the disconnect
    assert (out / "validation.png").stat().st_size > 10_000
    for key in ("nominal_fps", "measured_fps", "frames", "dropped", "interval_ms", "drift_ppm", "passed", "reasons"):
        assert key in uvc
    assert set(uvc["interval_ms"]) == {"mean", "sd", "p99", "max"}


def test_validate_measures_drift(tmp_path):
    rig = write_rig(tmp_path / "drift.yaml", {"cam": sim_camera(400, 64, drift_ppm=500.0)})
    out = tmp_path / "V"
    result = run_elicit("cameras", "validate", str(rig), "--seconds", "3", "--out", str(out))
    report = json.loads((out / "validation.json").read_text())
    cam = report["cameras"]["cam"]
    assert abs(cam["drift_ppm"] - 500) < 50, cam
    assert result.returncode == 1 and any("drifts" in r for r in cam["reasons"])


def test_record_refuses_a_non_empty_folder_and_a_bad_rig(tmp_path):
    out = tmp_path / "D"
    out.mkdir()
    (out / "old.mkv").write_bytes(b"x")
    result = run_elicit("cameras", "record", str(SIM_RIG), "--seconds", "1", "--out", str(out))
    assert result.returncode == 2 and "not empty" in result.stderr
    assert (out / "old.mkv").read_bytes() == b"x"
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncameras:\n  a:\n    backend: sim\n    widht: 640\n")
    result = run_elicit("cameras", "validate", str(bad), "--out", str(tmp_path / "E"))
    assert result.returncode == 2
    assert "bad.yaml:5:" in result.stderr and "unknown key 'widht'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "E").exists()


def test_list_shows_backends_and_the_rig():
    result = run_elicit("cameras", "list", "--rig", "sim")
    assert result.returncode == 0, result.stderr
    assert "sim" in result.stdout and "available" in result.stdout
    assert "1280x720" in result.stdout


def test_every_command_has_help():
    for args in (["--help"], ["cameras", "--help"], ["cameras", "list", "--help"],
                 ["cameras", "record", "--help"], ["cameras", "validate", "--help"]):
        result = run_elicit(*args)
        assert result.returncode == 0 and "Usage" in result.stdout, args
