"""The file layer under faults, without a session: ENOSPC injected into frames.tsv and the event tables,
a really full (tiny tmpfs) disk for the repairs that must need no space and for session.json's
reserve, and a video with more rows than frames repaired for --resume with the repair recorded."""

from __future__ import annotations

import errno
import json
import os
import subprocess

import numpy as np
import pytest

from elicitation.folder import EventLog, SessionState
from hardware.cameras.base import Frame, StreamFormat
from hardware.video import FramesTsvWriter, VideoWriter, check_table, count_frames, drop_rows_beyond, read_frames_tsv
from hardware.video import frames_tsv as frames_tsv_module


def _rows(writer: FramesTsvWriter, n: int, file: str = "cam_ep01.mkv") -> None:
    for i in range(n):
        writer.write(i, 100.0 + i / 60, None, file, i)


def _half_then_enospc(real):
    def write(fd, data):
        if len(data) > 40:
            real(fd, bytes(data[: len(data) // 2]))  # a disk that fills part-way through a write
        raise OSError(errno.ENOSPC, "No space left on device")

    return write


def test_a_frames_tsv_write_that_hits_enospc_leaves_only_whole_rows(tmp_path, monkeypatch):
    path = tmp_path / "cam_frames.tsv"
    writer = FramesTsvWriter(path)
    _rows(writer, 5)
    writer.flush()
    monkeypatch.setattr(frames_tsv_module.os, "write", _half_then_enospc(os.write))
    _rows(writer, 5)
    with pytest.raises(OSError) as exc:
        writer.flush()
    assert exc.value.errno == errno.ENOSPC
    monkeypatch.undo()
    data = path.read_text()
    assert data.endswith("\n") and len(read_frames_tsv(path)) == 5 and data.count("\n") == 6
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_an_event_row_cut_short_by_enospc_is_truncated_away(tmp_path, monkeypatch):
    from elicitation.folder import tables

    log = EventLog(tmp_path / "events.tsv", t0=0.0)
    log.add("checkin", 1.0, duration=0.5)
    monkeypatch.setattr(tables.os, "write", _half_then_enospc(os.write))
    with pytest.raises(OSError):
        log.add("instructions with a long enough name", 2.0, duration=0.5)
    monkeypatch.undo()
    log.add("penalty", 3.0)
    log.close()
    lines = (tmp_path / "events.tsv").read_text().splitlines()
    assert [line.split("\t")[2] for line in lines[1:]] == ["checkin", "penalty"]


def test_resuming_a_torn_frames_tsv_cuts_the_torn_row_before_appending(tmp_path):
    path = tmp_path / "cam_frames.tsv"
    writer = FramesTsvWriter(path)
    _rows(writer, 3)
    writer.close()
    with path.open("a") as fh:
        fh.write("3\t3\t")  # a kill mid-row
    again = FramesTsvWriter(path, append=True)
    _rows(again, 2, "cam_resume1.mkv")
    again.close()
    lines = path.read_text().splitlines()
    assert all(len(line.split("\t")) == 6 for line in lines)
    assert [int(line.split("\t")[0]) for line in lines[1:]] == [0, 1, 2, 3, 4]


@pytest.fixture
def full_disk(tmp_path):
    """A 2 MiB tmpfs (root only), to be filled by the test."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder) -> None:
    with open(folder / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass


def test_rows_beyond_a_video_are_dropped_on_a_disk_with_no_free_byte(full_disk):
    path = full_disk / "cam_frames.tsv"
    writer = FramesTsvWriter(path)
    _rows(writer, 100, "cam_after01.mkv")
    _rows(writer, 50, "cam_ep02.mkv")
    writer.close()
    _fill(full_disk)
    assert drop_rows_beyond(path, "cam_after01.mkv", 80) == 20  # rows in the middle: rewritten in place
    assert drop_rows_beyond(path, "cam_ep02.mkv", 40) == 10  # the last rows: a truncate
    table = read_frames_tsv(path)
    assert table.file.count("cam_after01.mkv") == 80 and table.file.count("cam_ep02.mkv") == 40
    assert not list(full_disk.glob("*.tmp"))


def test_session_json_is_saved_on_a_full_disk_from_its_reserve_and_leaves_no_temp_file(full_disk):
    state = SessionState.new(full_disk, participant="P1")
    state.make_reserve(256 * 1024)
    _fill(full_disk)
    state.data["status"] = "stopped: disk full"
    state.data["padding"] = "x" * 20000  # more than the last free bytes of the disk
    state.save()
    assert json.loads((full_disk / "session.json").read_text())["status"] == "stopped: disk full"
    assert not (full_disk / ".session.json.tmp").exists() and not (full_disk / ".reserve").exists()
    state.data["padding"] = "x" * 600000  # and with the reserve gone, a clear error and still no temp file
    with pytest.raises(OSError):
        state.save()
    assert not (full_disk / ".session.json.tmp").exists()


def _video(path, n: int) -> None:
    fmt = StreamFormat(width=64, height=32, pixel_format="mono8", fps=60.0)
    writer = VideoWriter(path, fmt)
    for i in range(n):
        writer.write(Frame(np.full((32, 64), i, np.uint8), frame_id=i, host_time=i / 60))
    writer.close()


def test_resume_check_drops_rows_beyond_the_video_cuts_a_torn_row_and_records_both(tmp_path):
    from elicitation.session.repair import repair_for_resume

    folder = tmp_path / "ses-1"
    (folder / "video").mkdir(parents=True)
    state = SessionState.new(folder, rig={"cameras": {"cam": {"fps": 60}}})
    _video(folder / "video" / "cam_ep01.mkv", 12)
    assert count_frames(folder / "video" / "cam_ep01.mkv") == 12
    writer = FramesTsvWriter(folder / "video" / "cam_frames.tsv")
    _rows(writer, 20)  # 8 rows for frames the killed encoder never wrote
    writer.close()
    with (folder / "video" / "cam_frames.tsv").open("a") as fh:
        fh.write("20\t20\t100.3")
    assert not check_table(folder / "video" / "cam_frames.tsv").ok
    check = repair_for_resume(state)
    assert check.ok and "8 rows" in check.detail
    saved = json.loads((folder / "session.json").read_text())
    file_repair = next(r for r in saved["repairs"] if "file" in r)
    assert (file_repair["rows_listed"], file_repair["frames_held"], file_repair["rows_dropped"]) == (20, 12, 8)
    assert any("torn_row_bytes_cut" in r for r in saved["repairs"])
    assert len(read_frames_tsv(folder / "video" / "cam_frames.tsv")) == 12
    assert check_table(folder / "video" / "cam_frames.tsv").ok
    assert count_frames(folder / "video" / "cam_ep01.mkv") == 12  # the video is never touched


def test_rows_a_full_disk_refused_are_written_at_the_close_once_space_is_back(tmp_path, monkeypatch):
    """Issue 25 item 7: frames already in the video keep their times (the rows are kept, not dropped)."""
    path = tmp_path / "cam_frames.tsv"
    writer = FramesTsvWriter(path)
    _rows(writer, 5)
    writer.flush()
    monkeypatch.setattr(frames_tsv_module.os, "write", _half_then_enospc(os.write))
    for i in range(5, 10):
        writer.write(i, 100.0 + i / 60, None, "cam_ep01.mkv", i)
    with pytest.raises(OSError):
        writer.flush()
    monkeypatch.undo()  # the session stopped; space is back for the close
    writer.close()
    table = read_frames_tsv(path)
    assert list(table.frame) == list(range(10)) and list(table.file_frame) == list(range(10))


def test_after_a_full_disk_the_summary_counts_the_rows_the_table_holds(tmp_path, monkeypatch):
    """Issue 25 item 7: the camera's frames_written and its files' frames equal the rows (and frames)."""
    from hardware.recording.writer import RecordingWriter

    fmt = StreamFormat(64, 16, "mono8", 60.0)
    writer = RecordingWriter("cam", fmt, str(tmp_path), "ep01", append=False, holdback_s=0.0)
    pixels = np.zeros((16, 64), np.uint8)
    for i in range(40):
        writer._write(Frame(pixels, i, 100.0 + i / 60, None))
    writer.tsv.flush()
    monkeypatch.setattr(frames_tsv_module.os, "write", _half_then_enospc(os.write))
    with pytest.raises(OSError):  # the flush of frame 40's batch fails: its row was never counted
        writer._write(Frame(pixels, 40, 200.0, None))
    writer._failed_files.add("cam_ep01.mkv")
    writer.tsv.close = lambda: (_ for _ in ()).throw(OSError(errno.ENOSPC, "still full"))  # the retry fails too
    writer._finish()
    monkeypatch.undo()
    rows = len(read_frames_tsv(tmp_path / "cam_frames.tsv"))
    assert rows == 40 and writer.frames_written == rows == writer.files[0]["frames"]
    assert count_frames(tmp_path / "cam_ep01.mkv") >= rows
