"""A session with Lab Streaming Layer on, with real liblsl on loopback (no mock).

While an autopilot session of a short demo protocol runs with the rig's markers and camera streams
on, this test is the rest of the lab: its outlets send a 200 Hz sine, a marker at known times and a
second stream that dies mid-session; its inlets receive our marker stream and our camera streams.
Then: every episode onset arrives with the flip time events.tsv has (within 1 ms), our camera
samples match frames.tsv rows one for one, the recorded sine holds every sample within 1 ms of the
time it was sent, the dead stream left a warning and its samples, and the session is intact.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from elicitation.folder import read_tsv
from hardware.lsl import read_stream_tsv
from hardware.video import read_frames_tsv
from tests.conftest import REPO, run_elicit, sim_camera, write_rig
from tests.hardware.lsl.outlets import Listener, MarkerSender, SineOutlet, unique
from tests.xdisplay import display_env


@pytest.fixture(scope="module", autouse=True)
def demo_clips() -> None:
    from stimuli import demo

    if demo.missing():
        demo.generate()


def short_protocol(folder: Path) -> Path:
    """protocols/demo.yaml with two episodes, only the rating after each and a short start."""
    text = (REPO / "protocols" / "demo.yaml").read_text()
    for old, new in (("episodes: [demo1, demo2, demo3]", "episodes: [demo1, demo2]"),
                     ("after_each: [rating, review, rest]", "after_each: [rating]"),
                     ("before: [checkin, instructions, penalty, neutral_face, sync_flash]",
                      "before: [checkin, sync_flash]"),
                     ("stimuli: ../stimuli/demo.yaml", f"stimuli: {REPO / 'stimuli' / 'demo.yaml'}")):  # fmt: skip
        assert old in text
        text = text.replace(old, new)
    path = folder / "protocol.yaml"
    path.write_text(text)
    return path


def lsl_rig(path: Path, prefix: str, record: list[dict]) -> Path:
    cameras = {"gras": sim_camera(384, 96), "uvc": sim_camera(384, 96, "bgr24", seed=1)}
    lsl = {"markers": True, "cameras": True, "name_prefix": prefix, "stall_s": 1.0, "record": record}
    return write_rig(path, cameras, validation={"max_rate_error_pct": 60.0}, lsl=lsl)


@pytest.fixture(scope="module")
def lsl_session(tmp_path_factory):
    root = tmp_path_factory.mktemp("lsl")
    prefix = unique("t").replace("-", "_")
    sine_name, probe_name, dying_name = unique("sine"), unique("probe"), unique("dying")
    sine, dying, probe = SineOutlet(sine_name).start(), SineOutlet(dying_name).start(), MarkerSender(probe_name)
    rig = lsl_rig(root / "rig.yaml", prefix, [{"name": sine_name, "type": "EXG"},
                  {"name": probe_name, "type": "Markers"}, {"name": dying_name, "required": False}])  # fmt: skip
    listeners = {key: Listener(f"{prefix}_{key}") for key in ("markers", "gras", "uvc")}
    data = root / "data"
    args = ["run", str(short_protocol(root)), "--participant", "L1", "--rig", str(rig), "--out", str(data),
            "--autopilot", "--windowed"]  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "elicitation", *args], cwd=REPO, env=display_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    folder = data / "sub-L1" / "ses-1"
    try:
        deadline = time.monotonic() + 240
        while not (folder / "events.tsv").exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(3.0)
        dying.stop()  # a device switched off mid-session
        while proc.poll() is None and time.monotonic() < deadline:
            probe.send(f"probe {len(probe.sent) + 1}")
            time.sleep(1.0)
        output = proc.communicate(timeout=60)[0]
    finally:
        if proc.poll() is None:
            proc.kill()
        for listener in listeners.values():
            listener.stop()
        sine.stop()
    return proc.returncode, output, folder, listeners, {"sine": sine, "probe": probe, "dying": dying}


def test_the_session_completes_with_the_dead_stream_as_a_warning(lsl_session):
    code, output, folder, _, sent = lsl_session
    assert code == 0, output
    state = json.loads((folder / "session.json").read_text())
    assert state["status"] == "completed"
    dying = sent["dying"].outlet is None and next(iter(state["lsl"]["record"][2].values()))
    warnings = [w["message"] for w in state["warnings"] if f"LSL stream {dying}" in w["message"]]
    assert warnings and "stopped during the session" in warnings[0], state["warnings"]
    assert f"LSL stream {dying} stopped" in " ".join(output.split())  # on the console too
    streams = state["runs"][0]["lsl_streams"]
    assert streams[dying]["stopped"] and streams[dying]["samples"] > 100  # what it sent before is kept
    assert len(read_stream_tsv(folder / "lsl" / f"{dying}.tsv")) == streams[dying]["samples"]
    for name in state["rig"]["cameras"]:
        assert state["runs"][0]["cameras"][name]["error"] == ""
        assert state["runs"][0]["cameras"][name]["frames_written"] == len(
            read_frames_tsv(folder / "video" / f"{name}_frames.tsv"))


def test_every_episode_onset_arrives_on_our_marker_stream_with_its_flip_time(lsl_session):
    _, _, folder, listeners, _ = lsl_session
    received = [(json.loads(s[0]), t) for s, t in zip(listeners["markers"].samples, listeners["markers"].times,
                                                       strict=True)]  # fmt: skip
    onsets = [r for r in read_tsv(folder / "events.tsv") if r["trial_type"] == "episode"]
    assert len(onsets) == 2
    for row in onsets:
        clock_time = float(row["clock_time"])
        event = [t for m, t in received if m.get("trial_type") == "episode" and m["episode"] == row["episode"]]
        assert len(event) == 1 and abs(event[0] - clock_time) < 0.001, (row, event)
        mark = [t for m, t in received if m.get("label") == f"episode {row['episode']} onset"]
        assert len(mark) == 1 and abs(mark[0] - clock_time) < 0.001  # the recorder's marker too
    # every events.tsv row written after our inlet connected is a sample, in order
    rows = [r for r in read_tsv(folder / "events.tsv") if float(r["clock_time"]) >= received[0][1] - 1e-6]
    events = [(m["trial_type"], t) for m, t in received if m["source"] == "events"]
    assert [r["trial_type"] for r in rows] == [e[0] for e in events][-len(rows):]


def test_our_camera_streams_match_frames_tsv_row_for_row(lsl_session):
    _, _, folder, listeners, _ = lsl_session
    for camera in ("gras", "uvc"):
        table = read_frames_tsv(folder / "video" / f"{camera}_frames.tsv")
        samples, times = np.array(listeners[camera].samples), np.array(listeners[camera].times)
        first = int(samples[0, 1])  # frames.tsv row of the first sample (rows before our inlet connected)
        assert first < 120, "the test inlet connected more than 2 s into the recording"
        assert len(samples) == len(table) - first  # one sample per row from then on, none lost or doubled
        assert np.array_equal(samples[:, 0], table.camera_frame_id[first:])
        assert np.array_equal(samples[:, 1], table.frame[first:])
        files = list(dict.fromkeys(table.file))  # file_index: the n-th distinct file of frames.tsv
        assert [files[int(i)] for i in samples[:, 2]] == table.file[first:]
        assert np.max(np.abs(times - table.host_time[first:])) < 1e-5  # stamped with host_time


def test_the_recorded_sine_and_markers_hold_every_sample_at_its_sent_time(lsl_session):
    _, _, folder, _, sent = lsl_session
    state = json.loads((folder / "session.json").read_text())
    names = [r["name"] for r in state["lsl"]["record"]]
    sine = read_stream_tsv(folder / "lsl" / f"{names[0]}.tsv")
    assert sine.columns == ["sine", "cosine"]
    sent_times = np.array([t for t, _ in sent["sine"].sent])
    first = int(np.argmin(np.abs(sent_times - sine.timestamp[0])))
    expected = sent_times[first:first + len(sine)]
    assert len(sine) > 200 * 20 and len(expected) == len(sine)
    assert np.max(np.abs(sine.timestamp - expected)) < 0.001  # every sample, in order, within 1 ms
    assert np.all(np.diff(sine.timestamp) > 0)
    probes = read_stream_tsv(folder / "lsl" / f"{names[1]}.tsv")
    by_text = dict((text, t) for t, text in sent["probe"].sent)
    assert len(probes) >= 5 and all(abs(t - by_text[row[0]]) < 0.001 for t, row in zip(probes.timestamp,
                                                                                          probes.rows, strict=True))
    meta = state["runs"][0]["lsl_streams"][names[0]]
    assert meta["nominal_srate"] == 200 and meta["type"] == "EXG" and "<channels>" in meta["xml"]


def test_a_missing_required_stream_stops_the_preflight_with_its_name(tmp_path):
    absent = unique("absent")
    rig = lsl_rig(tmp_path / "rig.yaml", "t_absent", [{"name": absent, "type": "EEG", "required": True}])
    result = run_elicit("run", str(short_protocol(tmp_path)), "--participant", "A1", "--rig", str(rig), "--out",
                        str(tmp_path / "data"), "--autopilot", "--windowed", env=display_env())  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"lsl stream {absent}" in result.stderr and "not found on the network" in result.stderr
    assert not (tmp_path / "data").exists()  # nothing created, no camera started


def test_the_report_shows_each_recorded_stream_with_its_rate_and_the_stop(lsl_session):
    _, _, folder, _, _ = lsl_session
    result = run_elicit("report", str(folder))
    assert result.returncode == 0, result.stderr
    page = (folder / "report.html").read_text()
    state = json.loads((folder / "session.json").read_text())
    assert "LSL streams recorded" in page and "alt='LSL stream rates'" in page
    for request in state["lsl"]["record"]:
        assert f"<td>{request['name']}</td>" in page
    assert ": stopped at " in page  # the dead stream's stop, with its time
