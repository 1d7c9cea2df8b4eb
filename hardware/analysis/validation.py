"""Frame-rate validation: does each camera really deliver its nominal rate?

Works on a recording's frames.tsv (the same files an analysis uses), so what is validated is what
was stored. Per camera: measured rate, frame intervals (mean, sd, p99, max), dropped frames, clock
drift of the camera against the host, and a verdict with reasons. Thresholds: hardware/thresholds.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hardware.thresholds import Thresholds
from hardware.video import FrameTable, read_frames_tsv


@dataclass
class CameraValidation:
    nominal_fps: float
    measured_fps: float
    frames: int
    dropped: int
    interval_ms: dict[str, float]
    drift_ppm: float | None
    passed: bool
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def count_dropped(table: FrameTable, nominal_fps: float, frame_ids: bool = True) -> int:
    """Gaps in the camera's frame ids; for cameras without ids, intervals beyond 1.5 periods."""
    if len(table) < 2:
        return 0
    if frame_ids:
        steps = np.diff(table.camera_frame_id)
        return int(np.sum(np.clip(steps - 1, 0, None)))
    period = 1.0 / nominal_fps
    intervals = np.diff(table.host_time)
    late = intervals > 1.5 * period
    return int(np.sum(np.round(intervals[late] / period) - 1))


def drift_ppm(table: FrameTable, chunks: int = 10) -> float | None:
    """How fast the camera's clock runs against the host clock, in ppm (positive: camera fast).

    Host arrival times are the camera's times plus a delay that is never negative (transfer,
    scheduling), so we fit the lower envelope: the smallest host-minus-camera offset in each of
    `chunks` stretches, which a busy machine cannot push down.
    """
    ok = ~np.isnan(table.camera_time)
    if ok.sum() < 10 * chunks:
        return None
    cam = table.camera_time[ok] - table.camera_time[ok][0]
    offset = (table.host_time[ok] - table.host_time[ok][0]) - cam
    if cam[-1] <= 0:
        return None
    parts = np.array_split(np.arange(len(cam)), chunks)
    lows = [p[np.argmin(offset[p])] for p in parts]
    slope = np.polyfit(cam[lows], offset[lows], 1)[0]  # host = cam * (1 + slope) + c
    return float((1.0 / (1.0 + slope) - 1.0) * 1e6)


def validate_camera(
    table: FrameTable,
    nominal_fps: float,
    seconds: float,
    thresholds: Thresholds,
    error: str = "",
    frame_ids: bool = True,
) -> CameraValidation:
    reasons: list[str] = []
    n = len(table)
    if error:
        reasons.append(f"camera failed: {error}")
    if n < 2:
        reasons.append(f"only {n} frame(s) recorded")
        return CameraValidation(nominal_fps, 0.0, n, 0, {}, None, False, reasons)
    span = float(table.host_time[-1] - table.host_time[0])
    measured = (n - 1) / span if span > 0 else 0.0
    intervals = np.diff(table.host_time) * 1000
    stats = {
        "mean": float(intervals.mean()),
        "sd": float(intervals.std()),
        "p99": float(np.percentile(intervals, 99)),
        "max": float(intervals.max()),
    }
    dropped = count_dropped(table, nominal_fps, frame_ids)
    drift = drift_ppm(table)
    period_ms = 1000 / nominal_fps
    t = thresholds
    if measured < nominal_fps * (1 - t.max_rate_error_pct / 100):
        reasons.append(f"measured {measured:.2f} fps, below {nominal_fps:g} by more than {t.max_rate_error_pct:g} %")
    if dropped > t.max_dropped:
        reasons.append(f"{dropped} dropped frame(s) (allowed {t.max_dropped})")
    if stats["sd"] > t.max_interval_sd_ms:
        reasons.append(f"interval sd {stats['sd']:.2f} ms above {t.max_interval_sd_ms:g} ms")
    if stats["p99"] > t.max_p99_periods * period_ms:
        reasons.append(f"p99 interval {stats['p99']:.1f} ms above {t.max_p99_periods:g} frame periods")
    if drift is not None and abs(drift) > t.max_abs_drift_ppm:
        reasons.append(f"camera clock drifts {drift:+.0f} ppm (allowed ±{t.max_abs_drift_ppm:g})")
    if span + 1 / nominal_fps < seconds * t.min_duration_fraction:
        reasons.append(f"recording lasted {span:.2f} s of the {seconds:g} s asked")
    return CameraValidation(nominal_fps, measured, n, dropped, stats, drift, not reasons, reasons)


def validate_recording(
    out_dir: Path,
    cameras: dict[str, float],
    seconds: float,
    thresholds: dict[str, Thresholds],
    errors: dict[str, str],
    frame_ids: dict[str, bool] | None = None,
) -> dict[str, CameraValidation]:
    """Validate every camera of a recording directory; ``cameras`` maps name to nominal fps."""
    results = {}
    for name, fps in cameras.items():
        tsv = Path(out_dir) / f"{name}_frames.tsv"
        table = read_frames_tsv(tsv) if tsv.exists() else _empty_table()
        results[name] = validate_camera(
            table,
            fps,
            seconds,
            thresholds.get(name, Thresholds()),
            errors.get(name, ""),
            (frame_ids or {}).get(name, True),
        )
    return results


def _empty_table() -> FrameTable:
    empty = np.zeros(0)
    return FrameTable(empty.astype(np.int64), empty.astype(np.int64), empty, empty, [], empty.astype(np.int64))
