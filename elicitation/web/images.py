"""Frames as JPEG for the browser (mono stays mono)."""

from __future__ import annotations

import cv2
import numpy as np


def jpeg(frame: np.ndarray, quality: int = 80) -> bytes:
    """Encode a HxW (mono) or HxWx3 (BGR, OpenCV's order) uint8 frame as JPEG bytes."""
    if frame.dtype != np.uint8:
        raise ValueError(f"jpeg() takes uint8 frames, not {frame.dtype}")
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if not (frame.ndim == 2 or (frame.ndim == 3 and frame.shape[2] == 3)):
        raise ValueError(f"jpeg() takes HxW or HxWx3 frames, not shape {frame.shape}")
    if not 1 <= quality <= 100:
        raise ValueError(f"JPEG quality must be 1..100, not {quality}")
    ok, data = cv2.imencode(".jpg", np.ascontiguousarray(frame), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError("OpenCV could not encode the frame as JPEG")
    return data.tobytes()
