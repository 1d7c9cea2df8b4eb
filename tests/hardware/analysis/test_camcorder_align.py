"""Camcorder import: a synthetic camcorder video (60 fps, 40 s, H.264) whose clock runs 80 ppm fast and whose
first frame comes 3.2 s before the first flash is put on the one clock by its flashes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from hardware.analysis import FlashSyncError, align
from hardware.video import ffmpeg_exe, read_frames_tsv
from tests.conftest import run_elicit

FPS, SECONDS, PPM, ON_S = 60.0, 40.0, 80.0, 0.2
T0 = 7321.25  # host time (one clock) when the camcorder's frame 0 starts
TRUE_PERIOD = 1 / FPS / (1 + PPM * 1e-6)  # the camcorder's clock is fast: its frames come a little early
FLASH_FRAMES = [192, 240, 288, 2196, 2244, 2292]  # frame 192 starts 3.2 s (in true time 3.19974 s) after frame 0


def camcorder(path: Path, flips: np.ndarray, width: int = 64, height: int = 36) -> Path:
    """Each frame exposed for its whole period: a flash lights it by the fraction of its exposure it overlaps."""
    n = int(SECONDS * FPS)
    starts = T0 + np.arange(n) * TRUE_PERIOD
    overlap = [np.clip(np.minimum(starts + TRUE_PERIOD, f + ON_S) - np.maximum(starts, f), 0, None) for f in flips]
    lit = np.sum(overlap, axis=0) / TRUE_PERIOD
    rng = np.random.default_rng(7)
    room = 70 + 10 * np.sin(np.linspace(0, 3, n))  # slow light change in the room
    video = room[:, None, None] + 45 * lit[:, None, None] + rng.normal(0, 2, (n, height, width))
    cmd = [ffmpeg_exe(), "-v", "error", "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{width}x{height}"]
    cmd += ["-framerate", f"{FPS:g}", "-i", "pipe:0", "-c:v", "libx264", "-qp", "12", "-pix_fmt", "yuv420p", str(path)]
    subprocess.run(cmd, input=video.clip(0, 255).astype(np.uint8).tobytes(), check=True)
    return path


def events_tsv(path: Path, flips: np.ndarray) -> Path:
    """A session's events.tsv: sync flashes among other events, rows in order of their end."""
    rows = [("episode", T0 + 10.0)] + [("sync_flash", t) for t in flips] + [("rating", T0 + 20.0)]
    lines = ["onset\tduration\ttrial_type\tepisode\tstimulus\tclock_time"]
    lines += [f"{t - T0:.6f}\t0.2\t{kind}\tn/a\tn/a\t{t:.6f}" for kind, t in sorted(rows, key=lambda r: r[1])]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_camcorder_video_is_aligned_to_within_half_a_frame_at_every_flash(tmp_path):
    flips = T0 + np.array(FLASH_FRAMES) * TRUE_PERIOD
    video = camcorder(tmp_path / "benq_card.mp4", flips)
    flashes = events_tsv(tmp_path / "events.tsv", flips)
    out, report = tmp_path / "benq_frames.tsv", tmp_path / "benq_sync.json"
    result = run_elicit(
        "sync", "align", str(video), "--flashes", str(flashes), "--out", str(out), "--report", str(report)
    )
    assert result.returncode == 0, result.stderr
    table = read_frames_tsv(out)
    assert len(table) == SECONDS * FPS and set(table.file) == {"benq_card.mp4"}
    assert np.allclose(table.camera_time, np.arange(len(table)) / FPS, atol=1e-6)
    errors = table.host_time[FLASH_FRAMES] - flips
    assert np.all(np.abs(errors) < 0.5 / FPS), errors  # the criterion
    assert np.all(np.abs(errors) < 0.001)  # in fact: flips that start a frame land on it
    summary = json.loads(report.read_text())
    assert summary["flashes_found"] == 6 and summary["drift_ppm"] == pytest.approx(PPM, abs=3)
    assert summary["offset_s"] == pytest.approx(T0, abs=0.001) and summary["residual_ms"] < 1.0


def test_flashes_between_frame_starts_are_timed_to_a_fraction_of_a_frame(tmp_path):
    flips = T0 + np.array([3.2, 4.0, 4.8, 36.6, 37.4, 38.2]) / (1 + PPM * 1e-6) + 0.0071  # not on frame starts
    video = camcorder(tmp_path / "cam.mp4", flips)
    from hardware.analysis import align_video

    alignment = align_video(video, events_tsv(tmp_path / "events.tsv", flips))
    exact_frame = (flips - T0) / TRUE_PERIOD  # fractional frame at which each flip happened
    assert np.all(np.abs(alignment.host_time(exact_frame) - flips) < 0.002)


def test_a_flash_list_that_does_not_match_is_refused(tmp_path):
    flips = T0 + np.array(FLASH_FRAMES) * TRUE_PERIOD
    video = camcorder(tmp_path / "cam.mp4", flips)
    wrong = flips.copy()
    wrong[4] += 0.3  # one flash of the list is not where the video shows one
    out = tmp_path / "frames.tsv"
    result = run_elicit(
        "sync", "align", str(video), "--flashes", str(events_tsv(tmp_path / "f.tsv", wrong)), "--out", str(out)
    )
    assert result.returncode == 2 and "do not match the 6 listed flips one-to-one" in result.stderr
    assert not out.exists()
    result = run_elicit(
        "sync", "align", str(video), "--flashes", str(events_tsv(tmp_path / "g.tsv", flips[:1])), "--out", str(out)
    )
    assert result.returncode == 2 and "the video shows 6 flashes but the flash list has only 1" in result.stderr


def test_a_pattern_that_fits_in_two_places_or_too_few_flashes_is_refused():
    n = int(SECONDS * FPS)
    brightness = np.full(n, 80.0) + np.random.default_rng(1).normal(0, 0.5, n)
    for f in FLASH_FRAMES[:3]:  # the video holds only the first group; the list has two identical groups
        brightness[f : f + 12] += 40
    listed = T0 + np.array(FLASH_FRAMES) / FPS
    with pytest.raises(FlashSyncError, match="fit the flash list at 2 places"):
        align(brightness, FPS, listed)
    brightness[FLASH_FRAMES[1] :] = 80.0
    with pytest.raises(FlashSyncError, match="1 flash\\(es\\) found in the video, at least 2"):
        align(brightness, FPS, listed)


def test_bad_input_files_exit_2_with_file_and_line(tmp_path):
    video = camcorder(tmp_path / "cam.mp4", T0 + np.array(FLASH_FRAMES) * TRUE_PERIOD)
    bad = tmp_path / "flashes.tsv"
    bad.write_text("clock_time\n7321.5\nsoon\n")
    result = run_elicit("sync", "align", str(video), "--flashes", str(bad), "--out", str(tmp_path / "x.tsv"))
    assert result.returncode == 2 and f"{bad}:3: clock_time 'soon'" in result.stderr
    result = run_elicit(
        "sync", "align", str(tmp_path / "nope.mp4"), "--flashes", str(bad), "--out", str(tmp_path / "x.tsv")
    )
    assert result.returncode == 2 and "nope.mp4: no such file" in result.stderr


def test_import_copies_the_camcorder_video_into_the_session_on_its_clock(tmp_path):
    from elicitation.folder import SessionState, create_private_dir

    session = tmp_path / "sub-P01" / "ses-1"
    create_private_dir(session / "video")
    SessionState.new(session, rig={"name": "casme", "cameras": {"gras": {}, "benq": {}}})
    flips = T0 + np.array(FLASH_FRAMES) * TRUE_PERIOD
    events_tsv(session / "events.tsv", flips)
    video = camcorder(tmp_path / "MVI_0001.MP4", flips)

    refused = run_elicit("import", str(video), "--session", str(session), "--camera", "benq")
    assert refused.returncode == 2 and "is one of the session's rig cameras" in refused.stderr
    result = run_elicit("import", str(video), "--session", str(session), "--camera", "benq_card")
    assert result.returncode == 0, result.stderr
    copy = session / "video" / "benq_card_import.mp4"
    assert copy.read_bytes() == video.read_bytes() and copy.stat().st_mode & 0o077 == 0
    table = read_frames_tsv(session / "video" / "benq_card_frames.tsv")
    assert set(table.file) == {copy.name} and len(table) == SECONDS * FPS
    assert np.all(np.abs(table.host_time[FLASH_FRAMES] - flips) < 0.5 / FPS)
    entry = json.loads((session / "session.json").read_text())["imports"][0]
    assert entry["camera"] == "benq_card" and entry["alignment"]["flashes_found"] == 6

    again = run_elicit("import", str(video), "--session", str(session), "--camera", "benq_card")
    assert again.returncode == 2 and "imported already" in again.stderr
    assert len(json.loads((session / "session.json").read_text())["imports"]) == 1


def test_import_of_a_video_without_the_sessions_flashes_writes_nothing(tmp_path):
    from elicitation.folder import SessionState, create_private_dir

    session = tmp_path / "ses-1"
    create_private_dir(session / "video")
    SessionState.new(session, rig={"cameras": {}})
    flips = T0 + np.array(FLASH_FRAMES) * TRUE_PERIOD
    events_tsv(session / "events.tsv", flips + np.array([0, 0, 0, 0, 0.4, 0]))  # one flip elsewhere
    result = run_elicit("import", str(camcorder(tmp_path / "c.mp4", flips)), "--session", str(session),
                        "--camera", "cam")  # fmt: skip
    assert result.returncode == 2 and "do not match" in result.stderr
    assert list((session / "video").iterdir()) == []
    assert run_elicit("import", str(tmp_path / "c.mp4"), "--session", str(tmp_path), "--camera", "cam").returncode == 2
