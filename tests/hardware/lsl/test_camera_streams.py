"""The recorder's LSL streams with real liblsl: one camera sample per frames.tsv row, stamped with host_time,
and the same stream (name, source id) after a resume, so a listening inlet (LabRecorder) reconnects to it."""

from __future__ import annotations

import time

import numpy as np
import pylsl

from hardware.recording import Recorder
from hardware.rig import load_rig
from hardware.video import read_frames_tsv
from tests.conftest import sim_camera, write_rig
from tests.hardware.lsl.outlets import Listener, unique


def test_camera_samples_follow_frames_tsv_across_a_resume_on_one_reconnecting_inlet(tmp_path):
    prefix = unique("rec").replace("-", "_")
    rig = load_rig(write_rig(tmp_path / "rig.yaml", {"cam": sim_camera(400, 48)},
                             lsl={"markers": True, "cameras": True, "name_prefix": prefix}))  # fmt: skip
    out = tmp_path / "video"
    listener, markers = Listener(f"{prefix}_cam"), Listener(f"{prefix}_markers")
    try:
        with Recorder(rig, out, first_suffix="setup", lsl=True) as rec:
            time.sleep(1.0)
            rec.new_files("ep01", at=rec.mark("episode 01 onset"))
            time.sleep(1.0)
        first_run = len(listener.times)
        source = pylsl.resolve_byprop("name", f"{prefix}_cam", 1, 0.5)
        assert source == []  # the stream is gone between the runs
        with Recorder(rig, out, first_suffix="resume1", append=True, lsl=True) as rec:  # --resume
            found = pylsl.resolve_byprop("name", f"{prefix}_cam", 1, 5.0)
            assert found and found[0].source_id() == f"casme-elicitation:{prefix}_cam"
            time.sleep(4.0)
    finally:
        listener.stop()
        markers.stop()
    table = read_frames_tsv(out / "cam_frames.tsv")
    files = list(dict.fromkeys(table.file))
    assert files == ["cam_setup.mkv", "cam_ep01.mkv", "cam_resume1.mkv"]
    samples, times = np.array(listener.samples), np.array(listener.times)
    assert first_run > 60 and len(samples) > first_run + 60  # the same inlet got both runs
    rows = samples[:, 1].astype(int)  # frames.tsv row of each sample
    assert np.all(np.diff(rows) > 0)
    assert np.array_equal(samples[:, 0], table.camera_frame_id[rows])
    assert [files[int(i)] for i in samples[:, 2]] == [table.file[r] for r in rows]  # file_index across runs
    assert np.max(np.abs(times - table.host_time[rows])) < 1e-5
    # within each run nothing is lost once connected: consecutive rows
    second = samples[first_run:, 1].astype(int)
    assert np.all(np.diff(rows[:first_run]) == 1) and np.all(np.diff(second) == 1)
    assert second[-1] == len(table) - 1 and rows[first_run - 1] < second[0]
    labels = [s[0] for s in markers.samples]
    assert '{"source":"recorder","label":"episode 01 onset"}' in labels
