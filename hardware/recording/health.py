"""The live status line of a recording: one compact entry per camera."""

from __future__ import annotations

from hardware.recording.recorder import CameraHealth


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
