"""Vision on preview frames: face detection (a CPU model shipped in a package) and the framing checks."""

from __future__ import annotations

from hardware.vision.detect import DETECTOR, DETECTORS, Box, detect_face, detector, to_gray
from hardware.vision.framing import (
    CHECKS,
    Check,
    Framing,
    FramingThresholds,
    check_framing,
    focus_measure,
)

__all__ = [
    "CHECKS",
    "DETECTOR",
    "DETECTORS",
    "Box",
    "Check",
    "Framing",
    "FramingThresholds",
    "check_framing",
    "detect_face",
    "detector",
    "focus_measure",
    "to_gray",
]
