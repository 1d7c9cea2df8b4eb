"""Camera timestamps onto the one clock, from TimestampLatch samples (PySpin backend).

Executing the camera's TimestampLatch command copies its timestamp counter into TimestampLatchValue
(SFNC names, Blackfly S and other USB3/GigE FLIR cameras; older GigE cameras call them
GevTimestampControlLatch / GevTimestampValue and count at GevTimestampTickFrequency). Reading the host
clock just before and just after gives a sample: camera time c at host time (before + after) / 2,
uncertain by half the round trip. Samples taken through the recording give offset and drift by least
squares; frames' chunk timestamps are then mapped with that line. A sample costs one register
round trip (well under a millisecond on USB3), so the backend takes one every REFRESH_S.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

REFRESH_S = 5.0
MAX_SAMPLES = 64  # the newest ones: drift changes slowly with temperature
MAX_ROUND_TRIP_S = 0.01  # a sample whose latch took longer (the bus was busy) is not used


class LatchClock:
    """Least-squares line host = offset + rate * camera over the latch samples."""

    def __init__(self, sample: Callable[[], tuple[float, float, float]]) -> None:
        self._sample = sample  # -> (host before, camera seconds, host after)
        self.samples: list[tuple[float, float]] = []  # (camera s, host s)
        self.offset = 0.0
        self.rate = 1.0
        self.last_sample_at = float("-inf")

    def refresh(self) -> bool:
        before, camera, after = self._sample()
        self.last_sample_at = after
        if after - before > MAX_ROUND_TRIP_S:
            return False
        self.samples = [*self.samples, (camera, (before + after) / 2)][-MAX_SAMPLES:]
        cams, hosts = np.array(self.samples).T
        if len(self.samples) == 1 or np.ptp(cams) < 1.0:  # too short a baseline for a rate
            self.rate, self.offset = 1.0, float(np.mean(hosts - cams))
        else:
            rate, offset = np.polyfit(cams - cams[0], hosts, 1)
            self.rate, self.offset = float(rate), float(offset - rate * cams[0])
        return True

    def due(self, now: float) -> bool:
        return now - self.last_sample_at >= REFRESH_S

    def to_host(self, camera_s: float) -> float:
        return self.offset + self.rate * camera_s

    @property
    def drift_ppm(self) -> float:
        """> 0: the camera's clock runs fast (its seconds pass quicker than the host's)."""
        return (1.0 / self.rate - 1.0) * 1e6

    @property
    def ready(self) -> bool:
        return bool(self.samples)
