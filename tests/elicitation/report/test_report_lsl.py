"""The report's LSL section: rate over time and gaps of a recorded stream (lsl/<name>.tsv)."""

from __future__ import annotations

import numpy as np

from elicitation.report.lsl import lsl_section, stream_stats
from hardware.lsl.tsv import StreamTsvWriter


def _write(path, times):
    writer = StreamTsvWriter(path, ["x"])
    writer.write([[float(i)] for i in range(len(times))], list(times), 0.0)
    writer.close()


def test_a_missing_stretch_of_a_200_hz_stream_is_one_gap_at_its_place(tmp_path):
    t0 = 1000.0
    times = t0 + 5 + np.arange(0, 4000) / 200.0  # 20 s at 200 Hz from 5 s on
    times = np.concatenate([times[:1000], times[1040:]])  # 0.2 s lost at 10 s
    _write(tmp_path / "eeg.tsv", times)
    stats = stream_stats(tmp_path / "eeg.tsv", {"nominal_srate": 200, "type": "EEG"}, t0)
    assert len(stats.gaps) == 1
    start, length = stats.gaps[0]
    assert abs(start - 9.995) < 1e-6 and abs(length - 0.205) < 1e-6
    assert abs(stats.measured_rate - 3959 / (times[-1] - times[0])) < 1e-9


def test_an_irregular_stream_has_no_gaps_and_the_section_lists_every_stream(tmp_path):
    (tmp_path / "lsl").mkdir()
    _write(tmp_path / "lsl" / "marks.tsv", [1001.0, 1009.0, 1030.0])
    _write(tmp_path / "lsl" / "eeg.tsv", 1000 + np.arange(0, 400) / 200.0)
    data = {"runs": [{"run": 1, "lsl_streams": {
        "marks": {"nominal_srate": 0.0, "type": "Markers"},
        "eeg": {"nominal_srate": 200.0, "type": "EEG",
                "events": [{"kind": "stopped", "clock": 1002.5, "why": "no sample for 0.5 s"}]},
    }}]}  # fmt: skip
    assert stream_stats(tmp_path / "lsl" / "marks.tsv", {"nominal_srate": 0}, 1000.0).gaps == []
    page = lsl_section(tmp_path, data, 1000.0)
    assert "<td>marks</td>" in page and "<td>eeg</td>" in page and "irregular" in page
    assert "run 1: stopped at 2.5 s no sample for 0.5 s" in page and "data:image/png;base64," in page
    assert lsl_section(tmp_path / "nothing", {}, 0.0) == ""
