"""The face's block motion, frame by frame: detect the face, track it, dense optical flow in a grid of blocks.

For frame i (from k on) frame i and frame i - k, each cut at its face box, resized to
face_size x face_size and normalised (zero mean, unit spread: a global brightness change is gone), and
the dense flow between them (OpenCV Farneback, or DIS) is taken. The head's own movement is the median
flow over the whole face; it is subtracted, and what is left is averaged in each of grid x grid blocks:
``v[i, row, col] = (dx, dy)`` in face_size pixels, d(i) - d(i - k) of the face's local displacement d.
Frames without a face (not found, or before frame k) are NaN.

The face is detected every ``detect_every`` frames (``detect(gray) -> box | None``, by default
hardware.vision.detect_face). The box is tracked frame to frame by phase correlation of the face crop
(sub-pixel translation); a detection restarts the track only when it is more than TRACK_SLACK of the box
away from it (or the face was lost), so detector jitter never moves the box. The head's movement between
frame i - k and i is then mostly in the boxes; what the track missed is removed by the median.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from elicitation.spotting.params import Parameters

TRACK_SLACK = 0.25  # of the box's width: a detection this far from the track restarts it
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
        self._prepared: deque[np.ndarray] = deque(maxlen=params.k + 1)  # the face crops of the last k + 1 frames
        self._boxes_kept: deque[tuple[int, int, int, int]] = deque(maxlen=params.k + 1)
        self._inners: deque[tuple[int, int]] = deque(maxlen=params.k + 1)
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

    def _detect(self, gray: np.ndarray) -> None:
        """Every detect_every frames: (re)start the track where the detector finds the face, unless the
        track already holds it (a re-detection's jitter must not move a box the flow follows well)."""
        if len(self._v) % self.p.detect_every:
            return
        found = self.detect(gray)
        self._detections += 1
        if found is None:
            self._box = None
            return
        box = np.array([found.x, found.y, found.w, found.h], np.float64)
        moved = None if self._box is None else np.abs(box[:2] + box[2:] / 2 - self._box[:2] - self._box[2:] / 2)
        if moved is None or moved.max() > TRACK_SLACK * box[2]:
            self._box = box
            self._prepared.clear()
            self._boxes_kept.clear()

    def _int_box(self, shape: tuple[int, ...], box: np.ndarray) -> tuple[int, int, int, int] | None:
        x, y, w, h = (int(round(v)) for v in box)
        x, y = min(max(x, 0), shape[1] - 1), min(max(y, 0), shape[0] - 1)
        w, h = min(w, shape[1] - x), min(h, shape[0] - y)
        return (x, y, w, h) if w >= self.p.grid * 4 and h >= self.p.grid * 4 else None

    def _track(self, gray: np.ndarray) -> None:
        """Move the box with the head: the phase correlation of the last frame's face and this frame there."""
        if self._box is None or not self._prepared:
            return
        box = self._int_box(gray.shape, self._box)
        if box is None or box[2] != self._boxes_kept[-1][2] or box[3] != self._boxes_kept[-1][3]:
            return
        here = self._prepare(gray, self._boxes_kept[-1])
        last = self._prepared[-1]
        if here.shape != last.shape:
            return
        (dx, dy), _response = cv2.phaseCorrelate(last.astype(np.float32), here.astype(np.float32))
        self._box[:2] += np.array([dx, dy]) * (self._box[2:] / self.p.face_size)

    def push(self, gray: np.ndarray) -> None:
        """Add the next frame (uint8, H x W)."""
        self._track(gray)
        self._detect(gray)
        box = None if self._box is None else self._int_box(gray.shape, self._box)
        self._boxes.append(np.array(box if box else (np.nan,) * 4, np.float64))
        if box is None:
            self._prepared.clear()
            self._boxes_kept.clear()
            self._v.append(self._nan)
            return
        self._prepared.append(self._prepare(gray, box))
        self._inners.append(self._inner)
        self._boxes_kept.append(box)
        if len(self._prepared) <= self.p.k or self._prepared[0].shape != self._prepared[-1].shape:
            self._v.append(self._nan)
            return
        flow = self._flow(self._prepared[0], self._prepared[-1])
        g, bs = self.p.grid, self.p.face_size // self.p.grid
        ix, iy = self._inners[-1]
        inner = flow[iy : iy + g * bs, ix : ix + g * bs]
        head = np.median(inner.reshape(-1, 2), axis=0)
        local = (inner - head).reshape(g, bs, g, bs, 2).mean(axis=(1, 3))
        self._v.append(local.astype(np.float32))

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
