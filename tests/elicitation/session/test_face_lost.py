"""Face-lost intervals: runs without a face, clipped to the clip, at least min_s, given out once."""

from __future__ import annotations

import pytest

from elicitation.session.face_lost import FaceLostTracker, LostInterval


def feed(tracker: FaceLostTracker, start: float, stop: float, away: list[tuple[float, float]], step: float = 0.1):
    for i in range(round((stop - start) / step)):
        t = round(start + i * step, 6)
        tracker.sample(t, not any(a <= t < b for a, b in away))


def test_one_interval_inside_a_clip_with_its_onset_and_duration():
    tracker = FaceLostTracker(0.3)
    feed(tracker, 0, 5, [])
    tracker.open_episode("01", 5.0)
    feed(tracker, 5, 30, [(20.0, 21.5)])
    tracker.close_episode(30.0)
    feed(tracker, 30, 31, [])
    (interval,) = tracker.take()
    assert interval.episode == "01"
    assert interval.onset == pytest.approx(20.0, abs=0.051) and interval.duration == pytest.approx(1.5, abs=0.051)
    assert tracker.take() == [] and tracker.take(final=True) == []  # given out once


def test_short_gaps_and_gaps_outside_clips_are_not_intervals():
    tracker = FaceLostTracker(0.3)
    feed(tracker, 0, 10, [(2.0, 3.0)])  # before any clip
    tracker.open_episode("01", 10.0)
    feed(tracker, 10, 20, [(12.0, 12.2)])  # 0.2 s: too short
    tracker.close_episode(20.0)
    feed(tracker, 20, 30, [(25.0, 27.0)])  # after the clip
    assert tracker.take() == []


def test_interval_is_clipped_to_the_clip_and_waits_until_final():
    tracker = FaceLostTracker(0.3)
    tracker.open_episode("02", 1.0)
    feed(tracker, 0, 4, [(0.5, 1.6), (3.0, 99)])
    assert tracker.take() == [LostInterval("02", 1.0, pytest.approx(0.55, abs=0.01))]  # starts at the onset
    assert tracker.lost_since == pytest.approx(2.95)  # halfway between the last face and the first without
    tracker.close_episode(4.5)
    assert tracker.take() == []  # away past the offset, samples not there yet
    feed(tracker, 4, 5, [(3.0, 99)])
    (interval,) = tracker.take()
    assert interval.onset == pytest.approx(2.95) and interval.onset + interval.duration == pytest.approx(4.5)


def test_final_gives_out_a_run_still_open_when_the_session_ends():
    tracker = FaceLostTracker(0.3)
    tracker.open_episode("03", 0.0)
    feed(tracker, 0, 3, [(1.0, 99)])
    assert tracker.take() == []
    (interval,) = tracker.take(final=True)
    assert interval.onset == pytest.approx(0.95) and interval.duration == pytest.approx(1.95, abs=0.01)


def test_skipped_samples_put_the_edges_halfway():
    tracker = FaceLostTracker(0.3)
    tracker.open_episode("01", 0.0)
    for t, found in [(19.7, True), (20.3, False), (21.0, False), (21.6, True), (22.0, True)]:
        tracker.sample(t, found)
    (interval,) = tracker.take()
    assert interval.onset == pytest.approx(20.0) and interval.duration == pytest.approx(1.3)
