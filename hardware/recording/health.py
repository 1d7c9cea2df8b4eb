"""A camera's live health, read from the counters its acquisition process keeps in shared memory, and the
status line of a recording: one compact entry per camera."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hardware.recording import camera_process as acquisition


@dataclass
class CameraHealth:
    name: str
    state: str
    frames: int
    written: int
    fps: float
    dropped: int
    queue_depth: int
    error: str = ""
    last_time: float | None = None  # host_time of the camera's last frame


def read_health(name: str, state: str, counters: Any, error: str) -> CameraHealth:
    """One camera's health from its process's shared counters (camera_process.HEALTH_SIZE doubles)."""
    h = counters
    return CameraHealth(
        name=name, state=state, frames=int(h[acquisition.FRAMES]), written=int(h[acquisition.WRITTEN]),
        fps=float(h[acquisition.FPS]), dropped=int(h[acquisition.DROPPED]), queue_depth=int(h[acquisition.QUEUE]),
        error=error, last_time=float(h[acquisition.LAST_TIME]) or None,
    )  # fmt: skip


def health_line(health: dict[str, CameraHealth], elapsed: float | None = None) -> str:
    parts = []
    for name, h in health.items():
        if h.state == "failed":
            parts.append(f"{name}: FAILED ({h.error or 'see log'})")
            continue
        parts.append(f"{name}: {h.fps:4.1f} fps  {h.written:6d} frames  {h.dropped} dropped  queue {h.queue_depth}")
    head = f"[{elapsed:6.1f} s] " if elapsed is not None else ""
    return head + "  |  ".join(parts)


def any_failed(health: dict[str, CameraHealth]) -> bool:
    return any(h.state == "failed" for h in health.values())
