"""The recorder: lossless files whose every frame matches frames.tsv, exact file splits at
markers, and no lost data when a camera, an encoder or a recorder process dies."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from hardware import clock
from hardware.cameras.sim import barcode
from hardware.recording import Recorder
from hardware.rig import load_rig
from hardware.video import COLUMNS, VideoWriter, WriterError, count_frames, iter_frames, read_frames_tsv


def barcodes(path: Path) -> list[int]:
    return [barcode.read(frame) for frame in iter_frames(path, "gray")]


def test_new_files_split_exactly_at_the_marker_time_and_lose_nothing(small_rig, tmp_path):
    out = tmp_path / "rec"
    with Recorder(load_rig(small_rig), out) as rec:
        time.sleep(1.0)
        split_at = clock.now()
        time.sleep(0.1)  # the command arrives late, as after a flip; the split must still be exact
        rec.new_files("ep01", at=split_at)
        rec.mark("episode 1 onset", at=split_at)
        time.sleep(1.0)
    for name in ("cam_a", "cam_b"):
        assert rec.summaries[name]["error"] == ""
        table = read_frames_tsv(out / f"{name}_frames.tsv")
        before, after = table.rows_in_file(f"{name}.mkv"), table.rows_in_file(f"{name}_ep01.mkv")
        assert len(before) > 50 and len(after) > 50 and len(before) + len(after) == len(table)
        assert table.host_time[before].max() < split_at <= table.host_time[after].min()
        # not a frame lost at the split: the camera's ids run on without a gap
        assert np.all(np.diff(table.camera_frame_id) == 1)
        assert list(table.file_frame[after]) == list(range(len(after)))
        for file, rows in ((f"{name}.mkv", before), (f"{name}_ep01.mkv", after)):
            assert barcodes(out / file) == list(table.camera_frame_id[rows])
    markers = (out / "markers.tsv").read_text().splitlines()
    assert markers[0] == "clock_time\tlabel" and markers[1] == f"{split_at:.6f}\tepisode 1 onset"


def test_frames_tsv_contract(small_rig, tmp_path):
    out = tmp_path / "rec"
    with Recorder(load_rig(small_rig), out):
        time.sleep(1.5)
    for name in ("cam_a", "cam_b"):
        path = out / f"{name}_frames.tsv"
        assert tuple(path.read_text().splitlines()[0].split("\t")) == COLUMNS
        table = read_frames_tsv(path)
        assert list(table.frame) == list(range(len(table)))
        assert np.all(np.diff(table.host_time) > 0)
        assert not np.isnan(table.camera_time).any()
        assert set(table.file) == {f"{name}.mkv"}
        assert count_frames(out / f"{name}.mkv") == len(table)


def test_lossless_pixels(tmp_path):
    """Decoded frames equal the simulated camera's frames bit for bit (mono and colour)."""
    from hardware.cameras import CameraSettings, create_camera
    from hardware.cameras.base import StreamFormat

    for fmt, pix in (("mono8", "gray"), ("bgr24", "bgr24")):
        settings = CameraSettings("c", "sim", 400, 64, fmt, 60.0, {"paced": False})
        cam = create_camera(settings)
        cam.open()
        cam.configure(settings)
        cam.start()
        frames = [cam.read() for _ in range(20)]
        writer = VideoWriter(tmp_path / f"{fmt}.mkv", StreamFormat(400, 64, fmt, 60.0))
        for frame in frames:
            writer.write(frame)
        writer.close()
        decoded = list(iter_frames(tmp_path / f"{fmt}.mkv", pix))
        assert len(decoded) == 20
        assert all(np.array_equal(d, f.pixels) for d, f in zip(decoded, frames, strict=True))


def test_never_overwrites_a_video(tmp_path):
    from hardware.cameras.base import StreamFormat

    (tmp_path / "x.mkv").write_bytes(b"precious")
    with pytest.raises(WriterError, match="never overwritten"):
        VideoWriter(tmp_path / "x.mkv", StreamFormat(400, 64, "mono8", 60.0))
    assert (tmp_path / "x.mkv").read_bytes() == b"precious"


def test_recorder_process_killed_leaves_a_playable_mkv_matching_its_table(small_rig, tmp_path):
    out = tmp_path / "rec"
    rec = Recorder(load_rig(small_rig), out)
    rec.start()
    time.sleep(2.5)
    os.kill(rec.camera_pids()["cam_a"], signal.SIGKILL)
    time.sleep(1.0)
    health = rec.health()
    assert health["cam_a"].state == "failed" and "died" in health["cam_a"].error
    assert health["cam_b"].state == "running"
    summaries = rec.stop()
    assert "exit code -9" in summaries["cam_a"]["error"] and summaries["cam_b"]["error"] == ""
    rows = len(read_frames_tsv(out / "cam_a_frames.tsv"))
    in_video = count_frames(out / "cam_a.mkv")
    assert rows > 100
    # every listed frame is in the video; at most the last second of rows was not flushed yet
    assert 0 <= in_video - rows <= 60
    assert barcodes(out / "cam_a.mkv")[:rows] == list(read_frames_tsv(out / "cam_a_frames.tsv").camera_frame_id)


def test_encoder_failure_is_reported_and_the_other_camera_records_on(small_rig, tmp_path):
    out = tmp_path / "rec"
    rec = Recorder(load_rig(small_rig), out)
    rec.start()
    time.sleep(1.5)
    for child in psutil.Process(rec.camera_pids()["cam_a"]).children():
        child.kill()  # the encoder dies, as on a full disk
    time.sleep(1.5)
    health = rec.health()
    assert health["cam_a"].state == "failed" and "writing failed" in health["cam_a"].error
    summaries = rec.stop()
    assert summaries["cam_b"]["error"] == "" and summaries["cam_b"]["frames_written"] > 150
    table = read_frames_tsv(out / "cam_a_frames.tsv")
    assert count_frames(out / "cam_a.mkv") == len(table) > 0  # the table lists exactly what the file holds
    assert barcodes(out / "cam_a.mkv") == list(table.camera_frame_id)


def test_a_camera_that_does_not_open_stops_the_start_with_its_name(tmp_path):
    from tests.conftest import sim_camera, write_rig

    rig = write_rig(tmp_path / "rig.yaml", {"tiny": sim_camera(100, 64), "ok": sim_camera(400, 64)})
    rec = Recorder(load_rig(rig), tmp_path / "rec")
    from hardware.cameras import CameraError

    with pytest.raises(CameraError, match="tiny.*needs at least 384x16"):
        rec.start()
