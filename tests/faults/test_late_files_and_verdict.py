"""Issue 25 item 5: an episode's files as the writers confirm them, and a report verdict that uses the
rig's drop and rate thresholds.

A camera whose writer lags creates its episode file after the clip: while it has not failed, the file
stays listed; once it arrives a file already listed missing is moved back. The report calls a camera
ok only within max_dropped and max_rate_error_pct (worked by hand below)."""

from __future__ import annotations

from elicitation.folder import SessionState
from elicitation.report.data import load_session
from elicitation.session.record import prune_missing_files
from hardware.video import COLUMNS


def _state(folder, files):
    attempt = {"attempt": 1, "status": "complete", "suffix": "ep01", "files": dict(files)}
    episodes = {"01": {"status": "played", "attempts": [attempt], "video": dict(files)}}
    return SessionState.new(folder, episodes=episodes)


def test_a_late_file_stays_listed_while_its_camera_records_and_is_moved_back_when_it_arrives(tmp_path):
    video = tmp_path / "video"
    video.mkdir()
    (video / "gras_ep01.mkv").write_bytes(b"x")
    state = _state(tmp_path, {"gras": "gras_ep01.mkv", "uvc": "uvc_ep01.mkv"})
    entry = state.episode("01")
    prune_missing_files(state, video, failed=set())  # right after the clip: uvc's writer lags
    assert entry["attempts"][0]["files"] == {"gras": "gras_ep01.mkv", "uvc": "uvc_ep01.mkv"}
    assert "missing_files" not in entry["attempts"][0] and "uvc" in entry["video"]
    prune_missing_files(state, video, failed={"uvc"})  # a failed camera's file is missing at once
    assert entry["attempts"][0]["missing_files"] == {"uvc": "uvc_ep01.mkv"} and "uvc" not in entry["video"]
    (video / "uvc_ep01.mkv").write_bytes(b"x")  # ... and yet it arrived: the entry is corrected
    prune_missing_files(state, video)
    assert entry["attempts"][0]["files"] == {"gras": "gras_ep01.mkv", "uvc": "uvc_ep01.mkv"}
    assert "missing_files" not in entry["attempts"][0] and entry["video"]["uvc"] == "uvc_ep01.mkv"
    (video / "uvc_ep01.mkv").unlink()
    prune_missing_files(state, video)  # the end of a run: every writer finished, a file not there is missing
    assert entry["attempts"][0]["missing_files"] == {"uvc": "uvc_ep01.mkv"}


def _session(folder, thresholds=None):
    """A 60-fps camera that delivered every other frame: ids 0, 2, 4 ... at 1/30 s, 121 rows."""
    video = folder / "video"
    video.mkdir(parents=True)
    rows = ["\t".join(COLUMNS)] + [f"{i}\t{2 * i}\t{100 + i / 30:.6f}\t\tuvc_ep01.mkv\t{i}" for i in range(121)]
    (video / "uvc_frames.tsv").write_text("\n".join(rows) + "\n")
    state = SessionState.new(folder, rig={"name": "t", "cameras": {"uvc": {"fps": 60.0}},
                                          "thresholds": thresholds or {}})  # fmt: skip
    state.data["status"] = "completed"
    state.save()


def test_the_report_verdict_uses_the_drop_and_rate_thresholds(tmp_path):
    _session(tmp_path / "a")
    (camera,) = load_session(tmp_path / "a").cameras
    # by hand: 120 id steps of 2 -> 120 dropped; 120 intervals in 4 s -> 30 fps; floor 60 x 0.995 = 59.70
    assert camera.dropped == 120 and round(camera.measured_fps, 2) == 30.0
    assert camera.shortfalls == ["120 frames dropped (at most 0)", "30.00 fps, below 59.70 (60 fps - 0.5 %)"]
    _session(tmp_path / "b", {"uvc": {"max_dropped": 120, "max_rate_error_pct": 50.0}})
    assert load_session(tmp_path / "b").cameras[0].shortfalls == []  # within the rig's own thresholds


def test_the_report_page_says_below_thresholds_not_ok(tmp_path):
    from elicitation.report import write_report

    _session(tmp_path)
    page = write_report(tmp_path).read_text()
    row = page[page.index("<td>uvc</td>") : page.index("</tr>", page.index("<td>uvc</td>"))]
    assert "BELOW THRESHOLDS" in row and "30.00 fps, below 59.70" in row and ">ok<" not in row
