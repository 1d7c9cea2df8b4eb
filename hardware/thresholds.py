"""Pass/fail thresholds of frame-rate validation: documented defaults, overridable in a rig file
(top-level ``validation:`` for every camera, or ``validation:`` inside one camera)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from hardware.strict_yaml import Field, non_negative, positive


@dataclass(frozen=True)
class Thresholds:
    # measured rate may fall short of nominal by at most this many percent (0.5 % of 60 = 0.3 fps)
    max_rate_error_pct: float = 0.5
    # frames missing from the camera's id sequence (or intervals > 1.5 periods without ids)
    max_dropped: int = 0
    # frame-to-frame interval spread; host arrival times on a loaded 2-core PC stay well under this
    max_interval_sd_ms: float = 2.0
    # the 99th percentile interval, in frame periods: 1.5 means one late frame in a hundred is ok
    max_p99_periods: float = 1.5
    # camera clock vs host clock; crystals are within +-100 ppm, more means a broken timestamp
    max_abs_drift_ppm: float = 200.0
    # the recording must last at least this share of the requested seconds (a disconnect fails)
    min_duration_fraction: float = 0.98

    def updated(self, overrides: dict) -> Thresholds:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return Thresholds(**values)


THRESHOLD_FIELDS: dict[str, Field] = {
    "max_rate_error_pct": Field(float, check=non_negative, doc="percent below nominal fps"),
    "max_dropped": Field(int, check=non_negative),
    "max_interval_sd_ms": Field(float, check=positive),
    "max_p99_periods": Field(float, check=positive),
    "max_abs_drift_ppm": Field(float, check=non_negative),
    "min_duration_fraction": Field(float, check=non_negative),
}
