"""Face zoom for the player: the full-resolution crop around a camera's face, at 1x / 2x / 4x.

A 1280x720 camera is shown about 640 px wide, so a micro-expression of a few pixels is halved on screen.
Zoomed, the server sends a crop of the decoded frame at its own resolution (never rescaled), so at 2x the
640x360 crop of a 1280x720 frame is seen pixel for pixel.

The face box comes from the live view's detector (hardware.vision.detect_face, dlib's HOG), run once per
camera and episode on the episode's middle frame and kept for the session (a coded episode is seconds
long and the participant sits still; re-detecting per frame would make the crop jitter). The crop at zoom
``z`` is ``1/z`` of the frame in each direction (the frame's aspect, so the card keeps its shape), centred
on the face box and moved inside the frame. Measured on the demo session: faces of 200 px (640x480) and
300 px (1280x720) fit a 2x crop with a margin; at 4x the crop (320x180 of 1280x720) holds the middle 60 %
of a 300 px face's height, shown twice enlarged. Without a face the crop is centred on the frame, and the page
says no face was found.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from elicitation.coding import CodingError
from elicitation.workbench.pictures import Pictures, Row
from elicitation.workbench.sessions import Session
from hardware.vision import Box

ZOOMS = (1, 2, 4)

Detect = Callable[[np.ndarray], "Box | None"]


@dataclass(frozen=True)
class Face:
    """Where a camera's face is in an episode: the box (None: not found), found on `frame`, in a frame of
    width x height pixels."""

    camera: str
    episode: str
    frame: int
    width: int
    height: int
    box: Box | None

    def crop(self, zoom: int) -> Box:
        return crop_box(self.width, self.height, self.box, zoom)

    def as_json(self) -> dict[str, Any]:
        box = self.box
        return {
            "camera": self.camera, "episode": self.episode, "frame": self.frame, "width": self.width,
            "height": self.height, "found": box is not None,
            "box": None if box is None else [box.x, box.y, box.w, box.h],
            "crops": {str(z): list(_tuple(self.crop(z))) for z in ZOOMS},
        }  # fmt: skip


def _tuple(box: Box) -> tuple[int, int, int, int]:
    return box.x, box.y, box.w, box.h


def crop_box(width: int, height: int, face: Box | None, zoom: int) -> Box:
    """The crop (in frame pixels) zoom `zoom` shows: see the module's docstring."""
    if zoom not in ZOOMS:
        raise CodingError(f"zoom {zoom} is not one of {', '.join(map(str, ZOOMS))}")
    if zoom == 1:
        return Box(0, 0, width, height)
    cw, ch = max(1, round(width / zoom)), max(1, round(height / zoom))
    cx, cy = face.centre if face is not None else (width / 2, height / 2)
    x = min(max(0, round(cx - cw / 2)), width - cw)
    y = min(max(0, round(cy - ch / 2)), height - ch)
    return Box(x, y, cw, ch)


def default_detect(image: np.ndarray) -> Box | None:
    from hardware.vision import detect_face  # dlib is loaded only when a coder first zooms

    return detect_face(image)


class FaceZoom:
    """Face boxes per (session, episode, camera), found once, and the zoomed crops of frames."""

    def __init__(self, detect: Detect | None = None) -> None:
        self.detect = detect or default_detect
        self._faces: dict[tuple[int, str, str], Face] = {}
        self._lock = threading.Lock()

    def face(self, n: int, session: Session, pictures: Pictures, episode: str, camera: str) -> Face:
        key = (n, episode, camera)
        with self._lock:
            if key in self._faces:
                return self._faces[key]
        rows = session.segment(episode).rows.get(camera)
        if rows is None or not len(rows):
            raise CodingError(f"camera {camera!r} has no frames in episode {episode}")
        middle = int(session.tables[camera].frame[rows[len(rows) // 2]])
        image, _row = pictures.picture(camera, middle)
        found = Face(camera, episode, middle, image.shape[1], image.shape[0], self.detect(image))
        with self._lock:
            return self._faces.setdefault(key, found)

    def zoomed(
        self, n: int, session: Session, pictures: Pictures, camera: str, frame: int, zoom: int
    ) -> tuple[np.ndarray, Row, Face, Box]:
        """The frame's full-resolution crop at `zoom` around the face of the episode holding it."""
        if zoom not in ZOOMS:
            raise CodingError(f"zoom {zoom} is not one of {', '.join(map(str, ZOOMS))}")
        row = pictures.row(camera, frame)
        episode = next((s.key for s in session.segments if _holds(s.rows.get(camera), row.row)), None)
        if episode is None:
            raise CodingError(f"frame {frame} of {camera} is in no episode: no face to zoom on")
        face = self.face(n, session, pictures, episode, camera)
        image, row = pictures.picture(camera, frame)
        crop = face.crop(zoom)
        return image[crop.y : crop.y + crop.h, crop.x : crop.x + crop.w], row, face, crop


def _holds(rows: np.ndarray | None, row: int) -> bool:
    return rows is not None and bool((rows == row).any())
