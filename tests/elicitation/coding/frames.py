"""Frame tables for coding tests: host_time intervals that are not exactly 1/60 s."""

from __future__ import annotations

import numpy as np

from hardware.video import FrameTable


def frame_table(n: int = 400, start: float = 100.0, period: float = 1 / 60, jitter: float = 0.002, seed: int = 1):
    """n frames, each interval period +- jitter (seeded), files of 100 frames."""
    rng = np.random.default_rng(seed)
    intervals = period + rng.uniform(-jitter, jitter, n - 1)
    host = start + np.concatenate([[0.0], np.cumsum(intervals)])
    idx = np.arange(n, dtype=np.int64)
    return FrameTable(
        frame=idx,
        camera_frame_id=idx + 1000,
        host_time=host,
        camera_time=np.full(n, np.nan),
        file=[f"ep01_{i // 100}.mkv" for i in range(n)],
        file_frame=idx % 100,
    )


def two_cameras() -> dict[str, FrameTable]:
    """gras, and benq starting 7 ms later with its own jitter."""
    return {"gras": frame_table(seed=1), "benq": frame_table(start=100.007, seed=2)}
