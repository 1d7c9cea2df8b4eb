"""Face detection on preview frames, with a model shipped inside an installed package (nothing downloaded).

Two CPU detectors, measured against each other by bench/face_detector.py (hit rate on sim-face and
CASME-sized astronaut frames, false alarms on frames without a face, ms per frame at preview size):

- ``hog``: dlib's built-in HOG + linear SVM frontal-face detector (``dlib.get_frontal_face_detector()``),
- ``lbp``: scikit-image's LBP cascade (``skimage.data.lbp_frontal_face_cascade_filename()``, OpenCV's
  lbpcascade_frontalface) through ``skimage.feature.Cascade``.

``detect_face`` uses DETECTOR (the measured choice, see bench/face_detector.py) and returns the largest
face, as a Box in pixels of the image it was given. Images taller than DETECT_HEIGHT are searched at
that height (faces below 80 px there, about 0.27 of the height, are not found: smaller than framing
allows anyway), which keeps a search at preview size to a few tens of milliseconds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np

DETECTOR = "hog"
DETECT_HEIGHT = 300  # pixels: dlib's HOG finds faces from 80 px up


@dataclass(frozen=True)
class Box:
    """A face box: left, top, width, height in pixels of the image it was found in."""

    x: int
    y: int
    w: int
    h: int

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def scaled(self, factor: float) -> Box:
        """The same box in an image `factor` times as large (preview -> full frame)."""
        return Box(*(round(v * factor) for v in (self.x, self.y, self.w, self.h)))


class Detector(Protocol):
    def detect(self, gray: np.ndarray) -> list[Box]: ...


class HogDetector:
    """dlib's frontal-face HOG detector; finds faces from about 80x80 px without upsampling."""

    def __init__(self) -> None:
        import dlib

        self._detector: Any = dlib.get_frontal_face_detector()

    def detect(self, gray: np.ndarray) -> list[Box]:
        rects = self._detector(np.ascontiguousarray(gray), 0)
        height, width = gray.shape[:2]
        out = []
        for r in rects:  # dlib may return boxes reaching past the image edge: clip them
            x0, y0 = max(0, r.left()), max(0, r.top())
            x1, y1 = min(width, r.right() + 1), min(height, r.bottom() + 1)
            if x1 > x0 and y1 > y0:
                out.append(Box(x0, y0, x1 - x0, y1 - y0))
        return out


class LbpDetector:
    """scikit-image's LBP frontal-face cascade, searched from 1/8 of the image height to 9/10 of it."""

    def __init__(self, scale_factor: float = 1.2, step_ratio: float = 1.0) -> None:
        from skimage.data import lbp_frontal_face_cascade_filename
        from skimage.feature import Cascade

        self._cascade = Cascade(lbp_frontal_face_cascade_filename())
        self.scale_factor, self.step_ratio = scale_factor, step_ratio

    def detect(self, gray: np.ndarray) -> list[Box]:
        side = min(gray.shape[:2])
        found = self._cascade.detect_multi_scale(
            img=gray, scale_factor=self.scale_factor, step_ratio=self.step_ratio,
            min_size=(max(24, side // 8),) * 2, max_size=(int(side * 0.9),) * 2,
        )
        return [Box(int(d["c"]), int(d["r"]), int(d["width"]), int(d["height"])) for d in found]


DETECTORS = {"hog": HogDetector, "lbp": LbpDetector}
_local = threading.local()  # one detector per thread: neither model is documented as thread-safe


def detector(name: str = DETECTOR) -> Detector:
    """The named detector, made once per thread."""
    cache = _local.__dict__.setdefault("detectors", {})
    if name not in cache:
        cache[name] = DETECTORS[name]()
    return cache[name]


def to_gray(frame: np.ndarray) -> np.ndarray:
    """uint8 grey of a mono (HxW) or BGR (HxWx3) frame."""
    if frame.ndim == 2:
        return frame
    weights = np.array([0.114, 0.587, 0.299], dtype=np.float32)  # B, G, R
    return (frame[:, :, :3].astype(np.float32) @ weights).clip(0, 255).astype(np.uint8)


def detect_face(gray: np.ndarray, name: str = DETECTOR) -> Box | None:
    """The largest face in a grey (or BGR) image, or None; searched at most DETECT_HEIGHT pixels tall."""
    image = to_gray(gray)
    factor = 1.0
    if image.shape[0] > DETECT_HEIGHT:
        factor = image.shape[0] / DETECT_HEIGHT
        size = (max(1, round(image.shape[1] / factor)), DETECT_HEIGHT)
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    boxes = detector(name).detect(image)
    if not boxes:
        return None
    best = max(boxes, key=lambda b: b.w * b.h)
    return best if factor == 1.0 else best.scaled(factor)
