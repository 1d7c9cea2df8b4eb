"""The face's block motion, frame by frame: detect the face, track it, dense optical flow in a grid of blocks.

For frame i (from k on) both frame i and frame i - k are cut at frame i's face box, resized to
face_size x face_size and normalised (zero mean, unit spread: a global brightness change is gone), and
the dense flow between them (OpenCV Farneback, or DIS) is taken. The head's own movement is the median
flow over the whole face; it is subtracted, and what is left is averaged in each of grid x grid blocks:
``v[i, row, col] = (dx, dy)`` in face_size pixels, d(i) - d(i - k) of the face's local displacement d.
Frames without a face (not found, or before frame k) are NaN.

The face is detected every ``detect_every`` frames (``detect(gray) -> box | None``, by default
hardware.vision.detect_face); in between the box follows the head's median flow (/k per frame).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from elicitation.spotting.params import Parameters

MARGIN = 0.125  # of the box's size on each side, in the flow but not in the blocks
Detect = Callable[[np.ndarray], Any]  # returns an object with x, y, w, h (pixels) or None


def default_detector() -> Detect:
    from hardware.vision import detect_face  # the live view's detector

    return detect_face


@dataclass
class BlockSeries:
    """One file's block motion: v (frames x grid x grid x 2, NaN where unknown), the face box used per frame."""

    v: np.ndarray
    boxes: np.ndarray  # frames x 4 (x, y, w, h), NaN where there was no face
    detections: int

    @property
    def face_found(self) -> np.ndarray:
        return ~np.isnan(self.boxes[:, 0])


class FaceFlow:
    def __init__(self, params: Parameters, detect: Detect | None = None) -> None:
        self.p = params
        self.detect = detect or default_detector()
        self._frames: deque[np.ndarray] = deque(maxlen=params.k + 1)
        self._box: np.ndarray | None = None  # x, y, w, h as floats
        self._v: list[np.ndarray] = []
        self._boxes: list[np.ndarray] = []
        self._detections = 0
        self._inner = (0, 0)
        self._nan = np.full((params.grid, params.grid, 2), np.nan, np.float32)
        if params.flow == "dis":
            self._dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)

    def _prepare(self, gray: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
        """The face box and a margin around it (so the blocks are clear of the flow's border effects)."""
        x, y, w, h = box
        mx, my = round(w * MARGIN), round(h * MARGIN)
        x0, y0 = max(x - mx, 0), max(y - my, 0)
        x1, y1 = min(x + w + mx, gray.shape[1]), min(y + h + my, gray.shape[0])
        scale = self.p.face_size / w, self.p.face_size / h
        size = (round((x1 - x0) * scale[0]), round((y1 - y0) * scale[1]))
        crop = cv2.resize(gray[y0:y1, x0:x1], size, interpolation=cv2.INTER_AREA)
        self._inner = (round((x - x0) * scale[0]), round((y - y0) * scale[1]))
        mean, std = cv2.meanStdDev(crop)
        scale = 48.0 / max(float(std[0, 0]), 1.0)
        return cv2.convertScaleAbs(crop, alpha=scale, beta=128.0 - scale * float(mean[0, 0]))

    def _flow(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if self.p.flow == "dis":
            return self._dis.calc(a, b, None)
        return cv2.calcOpticalFlowFarneback(a, b, None, 0.5, 3, 15, 3, 5, 1.2, 0)

    def _locate(self, gray: np.ndarray) -> None:
        i = len(self._v)
        if i % self.p.detect_every == 0:
            found = self.detect(gray)
            self._detections += 1
            self._box = None if found is None else np.array([found.x, found.y, found.w, found.h], np.float64)

    def _int_box(self, shape: tuple[int, ...]) -> tuple[int, int, int, int] | None:
        if self._box is None:
            return None
        x, y, w, h = (int(round(v)) for v in self._box)
        x, y = min(max(x, 0), shape[1] - 1), min(max(y, 0), shape[0] - 1)
        w, h = min(w, shape[1] - x), min(h, shape[0] - y)
        return (x, y, w, h) if w >= self.p.grid * 4 and h >= self.p.grid * 4 else None

    def push(self, gray: np.ndarray) -> None:
        """Add the next frame (uint8, H x W)."""
        self._locate(gray)
        self._frames.append(gray)
        box = self._int_box(gray.shape)
        self._boxes.append(np.array(box if box else (np.nan,) * 4, np.float64))
        if box is None or len(self._frames) <= self.p.k:
            self._v.append(self._nan)
            return
        flow = self._flow(self._prepare(self._frames[0], box), self._prepare(gray, box))
        g, bs = self.p.grid, self.p.face_size // self.p.grid
        ix, iy = self._inner
        inner = flow[iy : iy + g * bs, ix : ix + g * bs]
        head = np.median(inner.reshape(-1, 2), axis=0)
        local = (inner - head).reshape(g, bs, g, bs, 2).mean(axis=(1, 3))
        self._v.append(local.astype(np.float32))
        assert self._box is not None
        self._box[:2] += head * (box[2] / self.p.face_size) / self.p.k  # track: the head's velocity

    def result(self) -> BlockSeries:
        empty = np.zeros((0, self.p.grid, self.p.grid, 2), np.float32)
        return BlockSeries(
            np.stack(self._v) if self._v else empty,
            np.stack(self._boxes) if self._boxes else np.zeros((0, 4)),
            self._detections,
        )


def block_series(frames: Any, params: Parameters, detect: Detect | None = None) -> BlockSeries:
    """The block motion of a sequence of grey frames (any iterable of H x W uint8 arrays)."""
    engine = FaceFlow(params, detect)
    for gray in frames:
        engine.push(gray if gray.ndim == 2 else cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY))
    return engine.result()
