"""Offline analysis of recordings: validation, screen latency, camcorder alignment (never imports recording)."""

from __future__ import annotations

from hardware.analysis.camcorder_align import Alignment, FlashSyncError, align
from hardware.analysis.camcorder_align_io import FlashInputError, align_video, write_frames, write_report
from hardware.analysis.screen_latency import CameraSync, measure_camera, offsets_ms
from hardware.analysis.screen_latency_plot import plot_sync
from hardware.analysis.validation import count_dropped, drift_ppm, validate_camera, validate_recording
from hardware.analysis.validation_plot import plot_validation

__all__ = [
    "Alignment",
    "CameraSync",
    "FlashInputError",
    "FlashSyncError",
    "align",
    "align_video",
    "count_dropped",
    "drift_ppm",
    "measure_camera",
    "offsets_ms",
    "plot_sync",
    "plot_validation",
    "validate_camera",
    "validate_recording",
    "write_frames",
    "write_report",
]
