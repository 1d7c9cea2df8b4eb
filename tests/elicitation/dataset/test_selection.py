"""Selection by the paper's rule on our own sessions: host_time durations, fast-onset, exclusions."""

from __future__ import annotations

import pytest

from elicitation.dataset import (
    DURATION_CONVENTION,
    FAST_ONSET,
    TOTAL,
    Limits,
    Sample,
    compute_stats,
    read_samples,
    select,
    session_samples,
    write_samples,
)
from tests.elicitation.dataset.conftest import HOST, ms


def test_the_paper_rule_on_host_time(session):
    samples = [s for s in session_samples(session) if s.cls == "gras"]
    selection = select(samples)
    chosen = {s.sample.sample_id.split("/")[2]: s for s in selection.selected}
    assert sorted(chosen) == ["fast+fast", "unconfirmed+unconfirmed", "under+under"]
    assert chosen["under+under"].arm == TOTAL and chosen["fast+fast"].arm == FAST_ONSET
    assert chosen["under+under"].total_ms == pytest.approx(ms(10, 38)) == pytest.approx(490.0)
    assert chosen["fast+fast"].onset_ms == pytest.approx(245.0)
    reasons = {x.sample.sample_id.split("/")[2]: x.reason for x in selection.excluded}
    assert ms(100, 129) == pytest.approx(507.0) and ms(300, 315) == pytest.approx(262.0)
    assert "total 507.0 ms > 500 ms" in reasons["over+over"] and "onset 262.0 ms > 250 ms" in reasons["slow+slow"]
    assert reasons["swallow+swallow"] == "coded irrelevant (swallowing)"
    assert "participant flagged swallowing" in reasons["flagged+flagged"]


def test_every_camera_is_a_class_with_its_own_times(session):
    samples = session_samples(session)
    assert {s.cls for s in samples} == {"gras", "benq"} and {s.subject for s in samples} == {"P07"}
    benq = next(s for s in samples if s.cls == "benq" and "under" in s.sample_id)
    assert benq.onset_s == pytest.approx(HOST[10] + 0.004) and benq.offset_frame == 38


def test_limits_are_configurable_and_the_convention_is_stated(session):
    samples = [s for s in session_samples(session) if s.cls == "gras"]
    assert len(select(samples, Limits(total_ms=510.0)).selected) == 4  # "over" now passes
    assert len(select(samples, Limits(onset_ms=240.0)).selected) == 2  # "fast" no longer does
    stats = compute_stats(samples)
    assert stats["duration_convention"] == DURATION_CONVENTION
    assert DURATION_CONVENTION.startswith("time(offset) - time(onset), in ms rounded to the microsecond")
    assert stats["limits"] == {"total_ms": 500.0, "onset_ms": 250.0}
    assert {x["arm"] for x in stats["selected"]} == {TOTAL, FAST_ONSET}


def test_a_samples_class_is_its_cameras_class_in_the_sessions_rig_snapshot(session):
    import json

    meta = json.loads((session / "session.json").read_text())
    meta["rig"] = {"cameras": {"gras": {"dataset_class": "B"}, "benq": {"pixel_format": "bgr24"}}}
    (session / "session.json").write_text(json.dumps(meta))
    classes = {(s.sample_id.rsplit("/", 1)[1], s.cls) for s in session_samples(session)}
    assert classes == {("gras", "B"), ("benq", "benq")}  # no class in the rig: the camera's name


def test_each_movement_is_counted_on_one_camera_the_coded_one_or_the_rigs_reference(session, tmp_path):
    import json

    samples = session_samples(session)
    assert len({s.movement for s in samples}) == 7 and len(samples) == 14
    assert {s.sample_id.rsplit("/", 1)[1] for s in samples if s.counted} == {"gras"}  # coded on gras
    meta = json.loads((session / "session.json").read_text())
    meta["rig"] = {"cameras": {"gras": {"reference": False}, "benq": {"reference": True}}}
    (session / "session.json").write_text(json.dumps(meta))
    samples = session_samples(session)
    assert {s.sample_id.rsplit("/", 1)[1] for s in samples if s.counted} == {"benq"}
    assert sum(s.counted for s in samples) == 7
    write_samples(tmp_path / "samples.tsv", samples)
    back = read_samples(tmp_path / "samples.tsv")  # movement and counted round-trip
    assert [(s.movement, s.counted) for s in back] == [(s.movement, s.counted) for s in samples]
    old = [line.rsplit("\t", 2)[0] for line in (tmp_path / "samples.tsv").read_text().splitlines()]
    (tmp_path / "old.tsv").write_text("\n".join(old) + "\n")  # a samples.tsv from before the two columns
    assert all(s.counted and s.movement_id == s.sample_id for s in read_samples(tmp_path / "old.tsv"))


def _imported(onset: int, apex: int, offset: int, fps: float) -> Sample:
    """A sample as an imported sheet gives it: each time frame / fps."""
    return Sample(f"s{onset}", "1", "", "EP01", "casme2", "micro", onset, apex, None, offset, onset / fps,
                  apex / fps, None, offset / fps, 1 / fps)  # fmt: skip


def test_a_span_of_exactly_the_limit_passes() -> None:
    at_200 = select([_imported(114, 300, 214, 200.0)])  # 100 frames at 200 fps: exactly 500 ms
    assert [s.arm for s in at_200.selected] == [TOTAL] and at_200.selected[0].total_ms == 500.0
    at_60 = select([_imported(16, 31, 46, 60.0)])  # total 500 ms; and onset 15 frames at 60 fps: exactly 250 ms
    assert at_60.selected[0].total_ms == 500.0 and at_60.selected[0].onset_ms == 250.0
    fast = select([_imported(16, 31, 76, 60.0)])  # 1000 ms total, onset exactly 250 ms: the fast-onset arm
    assert [s.arm for s in fast.selected] == [FAST_ONSET]
    every = select([_imported(k, k + 50, k + 100, 200.0) for k in range(0, 20000, 7)])
    assert every.excluded == []  # every exact-limit span at 200 fps, wherever it starts
    just_over = select([_imported(k, k + 60, k + 101, 200.0) for k in range(0, 2000, 7)])
    assert just_over.selected == []  # 505 ms, onset 300 ms: one frame over is out


def test_a_host_time_span_of_exactly_the_limit_passes() -> None:
    # host_time to the microsecond, as frames.tsv holds it: 1.500004 -> 2.000004 s is 500.0000000000002 ms unrounded
    clock = Sample("c", "P1", "1", "01", "gras", "micro", 0, 10, None, 30, 1.500004, 1.750004, None, 2.000004, None)
    assert (clock.offset_s - clock.onset_s) * 1000 > 500.0
    [chosen] = select([clock]).selected
    assert (chosen.arm, chosen.total_ms, chosen.onset_ms) == (TOTAL, 500.0, 250.0)
