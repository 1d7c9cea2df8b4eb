"""The recorder: one acquisition process per camera, its writer thread, markers, rotation and live health."""

from __future__ import annotations

from hardware.recording.health import any_failed, health_line
from hardware.recording.preview import PREVIEW_HZ, PREVIEW_MAX_WIDTH, PreviewFrame, PreviewReader, preview_shape
from hardware.recording.recorder import CamerasNotStarted, Recorder, RecorderError

__all__ = [
    "PREVIEW_HZ",
    "PREVIEW_MAX_WIDTH",
    "PreviewFrame",
    "PreviewReader",
    "preview_shape",
    "CamerasNotStarted",
    "Recorder",
    "RecorderError",
    "any_failed",
    "health_line",
]
