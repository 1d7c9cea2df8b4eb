"""Every kind of failure through the CLI, as a user meets it: the exit code (0 ok, 1 a check failed,
2 bad input, 3 a failure while running, 130 interrupted), one clear message naming the file or
value, no traceback, and for bad input nothing created."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from hardware.video import count_frames, read_frames_tsv
from tests.conftest import REPO, run_elicit, sim_camera, write_rig


def _clean(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr


def test_version_prints_the_package_version():
    from importlib.metadata import version

    result = run_elicit("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"elicit {version('casme-elicitation')}"


def test_a_bad_rig_file_exits_2_naming_file_line_and_column(tmp_path):
    rig = tmp_path / "rig.yaml"
    rig.write_text("name: x\ncameras:\n  a:\n\tbackend: sim\n")  # a tab indents the camera
    out = tmp_path / "D"
    result = run_elicit("cameras", "record", str(rig), "--seconds", "1", "--out", str(out))
    assert result.returncode == 2
    assert f"error: {rig}:4:1: not valid YAML: found character" in _clean(result)
    assert "<unicode string>" not in result.stderr and not out.exists()


def test_a_camera_failing_at_start_exits_3_in_record_validate_and_sync_test(tmp_path):
    rig = write_rig(tmp_path / "rig.yaml", {"good": sim_camera(400, 64), "bad": sim_camera(400, 64, "yuyv")})
    for command, *extra in (("record", "--seconds", "2"), ("validate", "--seconds", "2"), ("sync-test",)):
        out = tmp_path / command
        result = run_elicit("cameras", command, str(rig), "--out", str(out), *extra)  # no window: cameras first
        assert result.returncode == 3, (command, result.stdout, result.stderr)
        stderr = _clean(result)
        assert "camera failed: cameras did not start: sim camera 'bad' supports mono8, bgr24, mjpeg, not yuyv" in stderr
    info = json.loads((tmp_path / "record" / "recording.json").read_text())
    assert "bad" in info["errors"]  # the record says why as well


def test_a_camera_failing_while_recording_exits_3_and_keeps_its_frames(tmp_path):
    rig = write_rig(tmp_path / "rig.yaml", {"cam": sim_camera(400, 64, disconnect_after_s=1.0)})
    out = tmp_path / "D"
    result = run_elicit("cameras", "record", str(rig), "--seconds", "3", "--out", str(out))
    assert result.returncode == 3, result.stdout + result.stderr
    assert "camera failed: 1 camera(s) failed while recording" in _clean(result) and "disconnected" in result.stderr
    assert len((out / "cam_frames.tsv").read_text().splitlines()) > 30


def test_validation_fail_exits_1_and_a_piped_table_keeps_each_reason_on_one_line(tmp_path):
    rig = write_rig(tmp_path / "rig.yaml", {"cam": sim_camera(400, 64, drop_frames=[30, 31, 32], drift_ppm=900.0)})
    out = tmp_path / "V"
    result = run_elicit("cameras", "validate", str(rig), "--seconds", "3", "--out", str(out))  # stdout: a pipe
    assert result.returncode == 1, result.stdout + result.stderr
    assert "check failed: validation: cam did not pass" in _clean(result)
    reasons = json.loads((out / "validation.json").read_text())["cameras"]["cam"]["reasons"]
    assert len(reasons) >= 2 and all(len(r) > 25 for r in reasons)
    lines = result.stdout.splitlines()
    for reason in reasons:
        assert any(reason in line for line in lines), (reason, result.stdout)


def test_ctrl_c_at_a_terminal_exits_130_with_every_file_finished(tmp_path):
    """Ctrl-C at a terminal signals the whole process group (CLI, camera processes, encoders)."""
    out = tmp_path / "D"
    proc = subprocess.Popen([sys.executable, "-m", "elicitation", "cameras", "record", "sim", "--seconds", "60",
                             "--out", str(out)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (out / "markers.tsv").exists():  # written once all started
            time.sleep(0.2)
        time.sleep(1.5)
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, stderr
    assert "interrupted: recording stopped early" in stderr and "Traceback" not in stderr
    info = json.loads((out / "recording.json").read_text())
    assert info["interrupted"] is True and info["errors"] == {}, info["errors"]
    for name, summary in info["cameras"].items():
        assert summary["frames_written"] == len(read_frames_tsv(out / f"{name}_frames.tsv")) > 30
        assert count_frames(out / f"{name}.mkv") == summary["frames_written"]


@pytest.mark.parametrize("participant", ["P01\n", "P01\r", "../x", "P 1", ""])
def test_a_bad_participant_id_exits_2_and_creates_nothing(tmp_path, participant):
    data = tmp_path / "data"
    result = run_elicit("run", "protocols/demo.yaml", "--participant", participant, "--rig", "sim", "--out", str(data))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"participant ID {participant!r} refused" in _clean(result)
    assert list(tmp_path.iterdir()) == []


def test_resuming_an_unknown_participant_exits_2(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    result = run_elicit("run", "protocols/demo.yaml", "--participant", "P404", "--rig", "sim", "--out", str(data),
                        "--resume")  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert "there is no session" in _clean(result) and "sub-P404" in result.stderr
    assert list(data.iterdir()) == []


def test_out_naming_a_regular_file_exits_2_before_any_camera_or_window(tmp_path):
    target = tmp_path / "data.txt"
    target.write_text("notes")
    result = run_elicit("run", "protocols/demo.yaml", "--participant", "P1", "--rig", "sim", "--out", str(target))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{target} is a file, not a folder" in _clean(result)
    assert target.read_text() == "notes" and sorted(p.name for p in tmp_path.iterdir()) == ["data.txt"]
    assert result.stdout == ""  # no preflight table: refused before clips, cameras or the window
    result = run_elicit("cameras", "record", "sim", "--seconds", "1", "--out", str(target))
    assert result.returncode == 2 and f"--out {target} is a file, not a folder" in _clean(result)


def test_sync_align_refuses_a_flash_list_that_does_not_strictly_increase(tmp_path):
    video = tmp_path / "cam.mp4"
    video.write_bytes(b"not read: the flash list is refused first")
    flashes = tmp_path / "flashes.tsv"
    flashes.write_text("flash\tclock_time\n1\t10.5\n2\t12.25\n2\t12.25\n3\t14.0\n")  # row 2 pasted twice
    out = tmp_path / "frames.tsv"
    result = run_elicit("sync", "align", str(video), "--flashes", str(flashes), "--out", str(out))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"error: {flashes}:4: flip time 12.25 repeats the one on line 3" in _clean(result)
    assert not out.exists()


def test_unknown_session_folder_exits_2_in_report_review_and_import(tmp_path):
    missing = tmp_path / "sub-P1" / "ses-9"
    for args in (["report", str(missing)], ["review", str(missing)],
                 ["import", str(tmp_path / "x.mp4"), "--session", str(missing), "--camera", "benq"]):  # fmt: skip
        result = run_elicit(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert str(missing) in _clean(result) or "x.mp4" in result.stderr
    assert list(tmp_path.iterdir()) == []
