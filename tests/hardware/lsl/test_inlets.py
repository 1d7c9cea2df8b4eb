"""Recording another device's stream with real liblsl on loopback: every sample on our clock, a stream that
stops reported once while its samples stay, a marker stream that disappears reported too."""

from __future__ import annotations

import time

import pytest

from hardware.lsl import StreamRecorder, StreamRequest, read_stream_tsv
from tests.hardware.lsl.outlets import MarkerSender, SineOutlet, unique


def first_received(timestamp: float, sent: list[tuple[float, list[float]]]) -> int:
    """Index of the sent sample a recording starts with (the one within 1 ms of its first time stamp)."""
    return min(range(len(sent)), key=lambda i: abs(sent[i][0] - timestamp))


def _wait_for(recorder: StreamRecorder, kind: str, name: str, limit_s: float) -> list[tuple]:
    seen: list[tuple] = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        seen += recorder.poll()
        if any(k == kind and n == name for k, n, _ in seen):
            return seen
        time.sleep(0.05)
    pytest.fail(f"no '{kind}' report for {name} in {limit_s} s: {seen}")


def test_a_sine_is_recorded_sample_for_sample_on_our_clock_and_its_stop_is_reported(tmp_path):
    sine_name, marker_name = unique("sine"), unique("marks")
    sine, marks = SineOutlet(sine_name).start(), MarkerSender(marker_name)
    recorder = StreamRecorder([StreamRequest(sine_name, "EXG"), StreamRequest(marker_name, "Markers")],
                              tmp_path / "lsl", stall_s=1.0)  # fmt: skip
    try:
        assert sorted(recorder.start()) == sorted([sine_name, marker_name])
        time.sleep(0.5)
        marks.send("stimulus on")
        time.sleep(1.0)
        sine.stop()  # the device goes away mid-recording
        seen = _wait_for(recorder, "stopped", sine_name, 6.0)
        assert not any(k == "stopped" and n == marker_name for k, n, _ in seen)  # a quiet marker stream is not lost
    finally:
        streams = recorder.stop()
    table = read_stream_tsv(tmp_path / "lsl" / f"{sine_name}.tsv")
    assert table.columns == ["sine", "cosine"]  # the labels from the stream's metadata
    first = first_received(table.timestamp[0], sine.sent)  # an inlet gets the samples sent once it is connected
    sent = [t for t, _ in sine.sent[first:]]
    assert len(table) == len(sent) > 200  # every sample from then on, none twice
    assert max(abs(a - b) for a, b in zip(table.timestamp, sent, strict=True)) < 0.001
    assert abs(float(table.rows[10][0]) - sine.sent[first + 10][1][0]) < 1e-6
    markers = read_stream_tsv(tmp_path / "lsl" / f"{marker_name}.tsv")
    assert [r[0] for r in markers.rows] == ["stimulus on"]
    assert abs(markers.timestamp[0] - marks.sent[0][0]) < 0.001
    entry = streams[sine_name]
    assert entry["samples"] == len(sent) and entry["nominal_srate"] == 200
    assert entry["channel_labels"] == ["sine", "cosine"]
    assert entry["stopped"] and [e["kind"] for e in entry["events"]] == ["stopped"]
    assert entry["time_corrections"] and abs(entry["time_corrections"][0][1]) < 0.001


def test_a_marker_stream_that_disappears_is_reported_stopped(tmp_path):
    name = unique("marks")
    marks = MarkerSender(name)
    recorder = StreamRecorder([StreamRequest(name)], tmp_path / "lsl", stall_s=0.5)
    try:
        assert recorder.start() == [name]
        marks.send("one")
        time.sleep(0.3)
        del marks  # its outlet is destroyed
        _wait_for(recorder, "stopped", name, 10.0)
    finally:
        streams = recorder.stop()
    assert streams[name]["samples"] == 1  # what it sent before is kept


def test_a_stream_that_is_not_there_at_the_start_is_recorded_once_it_appears(tmp_path):
    name = unique("late")
    recorder = StreamRecorder([StreamRequest(name)], tmp_path / "lsl", stall_s=5.0)
    try:
        assert recorder.start() == []
        sine = SineOutlet(name).start()
        _wait_for(recorder, "opened", name, 8.0)
        time.sleep(0.5)
        sine.stop(destroy=False)
        time.sleep(0.3)
    finally:
        recorder.stop()
    table = read_stream_tsv(tmp_path / "lsl" / f"{name}.tsv")
    first = first_received(table.timestamp[0], sine.sent)
    assert len(table) == len(sine.sent) - first > 50
    assert max(abs(a - b) for a, (b, _) in zip(table.timestamp, sine.sent[first:], strict=True)) < 0.001
