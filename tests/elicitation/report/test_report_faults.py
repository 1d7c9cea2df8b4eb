"""`elicit report` of damaged or resumed sessions: fps per run, a missing events.tsv said, a torn
frames.tsv header named instead of a traceback."""

from __future__ import annotations

from pathlib import Path

from elicitation.folder import SessionState
from hardware.video import FramesTsvWriter
from tests.conftest import run_elicit


def _session(folder: Path) -> SessionState:
    (folder / "video").mkdir(parents=True)
    runs = [
        {"run": 1, "status": "interrupted", "first_suffix": "setup", "t0_clock": 100.0, "started_clock": 100.0},
        {"run": 2, "status": "completed", "first_suffix": "resume1", "t0_clock": 100.0, "started_clock": 400.0},
    ]
    return SessionState.new(folder, participant="P1", session=1, t0_clock=100.0, runs=runs,
                            rig={"name": "test", "cameras": {"cam": {"fps": 60}}})  # fmt: skip


def _two_runs(folder: Path) -> None:
    writer = FramesTsvWriter(folder / "video" / "cam_frames.tsv")
    for i in range(600):  # run 1: 10 s at 60 fps, then 5 minutes without the session, then run 2
        writer.write(i, 100.0 + i / 60, None, "cam_setup.mkv", i)
    for i in range(600):
        writer.write(600 + i, 400.0 + i / 60, None, "cam_resume1.mkv", i)
    writer.close()


def _cameras_row(page: str) -> str:
    start = page.index("<td>cam</td>")
    return page[start : page.index("</tr>", start)]


def test_measured_fps_of_a_resumed_session_is_per_run_not_over_the_gap(tmp_path):
    folder = tmp_path / "ses-1"
    _session(folder)
    _two_runs(folder)
    (folder / "events.tsv").write_text("onset\tduration\ttrial_type\tepisode\tstimulus\tclock_time\n")
    result = run_elicit("report", str(folder))
    assert result.returncode == 0, result.stderr
    row = _cameras_row((folder / "report.html").read_text())
    assert "<td>60.00</td>" in row and "<td>1200</td>" in row and "<td>2</td>" in row  # runs


def test_a_session_without_events_tsv_says_so(tmp_path):
    folder = tmp_path / "ses-1"
    _session(folder)
    _two_runs(folder)
    result = run_elicit("report", str(folder))
    assert result.returncode == 0, result.stderr
    assert "events.tsv is missing" in (folder / "report.html").read_text()


def test_a_torn_frames_tsv_header_is_named_and_the_report_still_written(tmp_path):
    folder = tmp_path / "ses-1"
    _session(folder)
    (folder / "video" / "cam_frames.tsv").write_text("frame\tcamera_fr")
    (folder / "events.tsv").write_text("onset\tduration\ttrial_type\tepisode\tstimulus\tclock_time\n")
    result = run_elicit("report", str(folder))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    page = (folder / "report.html").read_text()
    assert "video/cam_frames.tsv is damaged" in page


def test_a_video_with_fewer_frames_than_rows_is_flagged_not_repaired(tmp_path):
    folder = tmp_path / "ses-1"
    _session(folder)
    _two_runs(folder)
    (folder / "events.tsv").write_text("onset\tduration\ttrial_type\tepisode\tstimulus\tclock_time\n")
    before = (folder / "video" / "cam_frames.tsv").read_bytes()
    result = run_elicit("report", str(folder))
    assert result.returncode == 0, result.stderr
    page = (folder / "report.html").read_text()
    assert "video/cam_setup.mkv: missing, frames.tsv lists 600 rows for it" in page
    assert (folder / "video" / "cam_frames.tsv").read_bytes() == before
