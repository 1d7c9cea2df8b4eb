"""Validation arithmetic on synthetic frame tables, where the truth is known exactly."""

from __future__ import annotations

import numpy as np
import pytest

from hardware.analysis import count_dropped, drift_ppm, validate_camera
from hardware.thresholds import Thresholds
from hardware.video import FrameTable


def table(host: np.ndarray, ids: np.ndarray | None = None, cam: np.ndarray | None = None) -> FrameTable:
    n = len(host)
    ids = np.arange(n) if ids is None else ids
    cam = np.full(n, np.nan) if cam is None else cam
    return FrameTable(np.arange(n), ids, host, cam, ["v.mkv"] * n, np.arange(n))


def test_dropped_from_id_gaps_and_without_ids_from_long_intervals():
    ids = np.array([0, 1, 2, 5, 6, 8])
    host = ids / 60.0
    assert count_dropped(table(host, ids), 60.0, frame_ids=True) == 3
    # a camera without ids: consecutive synthesized ids, but the intervals show 2 + 1 missing frames
    assert count_dropped(table(host, np.arange(6)), 60.0, frame_ids=False) == 3


def test_drift_is_recovered_despite_one_sided_arrival_delays():
    rng = np.random.default_rng(1)
    cam = np.arange(600) / 60.0
    true_ppm = 80.0
    host = 100 + cam / (1 + true_ppm * 1e-6) + rng.exponential(0.002, 600)  # late, never early
    assert drift_ppm(table(host, cam=cam)) == pytest.approx(true_ppm, abs=15)
    assert drift_ppm(table(host)) is None  # no camera timestamps, no drift


def test_verdict_names_each_failed_threshold():
    host = np.arange(300) / 60.0
    ok = validate_camera(table(host), 60.0, 5.0, Thresholds())
    assert ok.passed and ok.reasons == [] and ok.measured_fps == pytest.approx(60.0)
    slow = validate_camera(table(np.arange(300) / 55.0), 60.0, 5.0, Thresholds())
    assert not slow.passed and "below 60" in slow.reasons[0]
    jittery = host + np.random.default_rng(2).normal(0, 0.004, 300)
    bad = validate_camera(table(np.sort(jittery)), 60.0, 5.0, Thresholds())
    assert any("sd" in r for r in bad.reasons)
    short = validate_camera(table(host[:120]), 60.0, 5.0, Thresholds(), error="camera 'x' disconnected")
    assert any("disconnected" in r for r in short.reasons) and any("lasted" in r for r in short.reasons)
    relaxed = validate_camera(table(np.arange(300) / 55.0), 60.0, 5.0, Thresholds(max_rate_error_pct=10))
    assert relaxed.passed
