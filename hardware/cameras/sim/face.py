"""A face in the simulated camera's frames: a real photograph that moves a little and can turn away.

Rig option of a sim camera (checked strictly)::

    face: {image: astronaut, movement_px: 3, face_away: [[20, 21.5]]}

- ``image``        the photograph: ``astronaut`` (scikit-image's public-domain NASA portrait, shipped
                   inside the package: nothing is downloaded),
- ``movement_px``  amplitude of the smooth head movement (two slow sines, x and y), in frame pixels,
- ``face_away``    intervals ``[t0, t1]`` in seconds since the camera started in which no face is drawn.

The head is cut out and scaled once (``FaceLayer.__init__``); a frame costs one copy of that patch.
Its height is FACE_SHARE of the frame's, which puts the face (as a detector boxes it) at about 200 px
in 640x480 and 300 px in 1280x720, CASME's scale. ``FaceLayer.draw(frame, t)`` is a function of time
only, so a layer on top (sim expressions) can warp the patch at known times and draw it the same way.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

IMAGES = ("astronaut",)
HEAD_CROP = (14, 222, 130, 315)  # astronaut.png rows y0:y1, columns x0:x1: hair to chin, ear to ear
FACE_IN_CROP = (44, 52, 96, 96)  # x, y, w, h of the face as the LBP cascade finds it inside HEAD_CROP
FACE_SHARE = 0.9  # the patch's height over the frame's
LIT_LEVELS_KEPT = 8
FACE_KEYS = {"image": str, "movement_px": (int, float), "face_away": list, "video": str, "crop": list}


def check_options(value: Any) -> str | None:
    """The strict check of a rig's ``face:`` mapping (an error text, or None when it is right)."""
    if not isinstance(value, dict):
        return f"must be a mapping like {{image: astronaut, movement_px: 3, face_away: [[t0, t1]]}}, got {value!r}"
    for key, val in value.items():
        if key not in FACE_KEYS:
            return f"has unknown key '{key}' (allowed: {', '.join(FACE_KEYS)})"
        if isinstance(val, bool) or not isinstance(val, FACE_KEYS[key]):
            return f"key '{key}' has the wrong type: {val!r}"
    if "video" in value:  # a real face from a clip (hardware.cameras.sim.face_video): only its crop applies
        extra = sorted(set(value) - {"video", "crop"})
        if extra:
            return f"video takes only crop besides, got {', '.join(extra)}"
        crop = value.get("crop", [0, 0, 1, 1])
        ok = len(crop) == 4 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in crop)
        if not ok or not (0 <= crop[0] < crop[2] <= 1 and 0 <= crop[1] < crop[3] <= 1):
            return f"crop is [x0, y0, x1, y1], shares of the clip's width and height (x0 < x1 <= 1), got {crop!r}"
        return None
    if "crop" in value:
        return "crop applies to a video face only"
    if value.get("image", "astronaut") not in IMAGES:
        return f"image '{value['image']}' is not one of: {', '.join(IMAGES)}"
    if value.get("movement_px", 0) < 0:
        return f"movement_px must be >= 0, got {value['movement_px']}"
    for pair in value.get("face_away", []):
        ok = isinstance(pair, list) and len(pair) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in pair
        )
        if not ok or not 0 <= pair[0] < pair[1]:
            return f"face_away entries must be [t0, t1] with 0 <= t0 < t1 (seconds), got {pair!r}"
    return None


def _head(image: str, channels: int) -> np.ndarray:
    from skimage import data  # scikit-image only where a face is asked for

    if image != "astronaut":
        raise ValueError(f"unknown face image '{image}'")
    y0, y1, x0, x1 = HEAD_CROP
    rgb = data.astronaut()[y0:y1, x0:x1]
    if channels == 3:
        return np.ascontiguousarray(rgb[:, :, ::-1])  # BGR, as the sim camera's colour frames
    grey = rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return grey.clip(0, 255).astype(np.uint8)


class FaceLayer:
    """The scaled head, its movement and its absences; draws into frames of one size."""

    def __init__(
        self,
        width: int,
        height: int,
        channels: int,
        image: str = "astronaut",
        movement_px: float = 3.0,
        face_away: Sequence[Sequence[float]] = (),
        lighten: Callable[[np.ndarray, float], np.ndarray] | None = None,
    ) -> None:
        from skimage.transform import resize

        head = _head(image, channels)
        scale = min(FACE_SHARE * height / head.shape[0], 0.9 * width / head.shape[1])
        size = (max(1, round(head.shape[0] * scale)), max(1, round(head.shape[1] * scale)))
        scaled = resize(head, size + head.shape[2:], order=1, anti_aliasing=True, preserve_range=True)
        self.patch: np.ndarray = scaled.round().clip(0, 255).astype(np.uint8)
        self.scale = scale
        self.width, self.height = width, height
        self.movement_px = float(movement_px)
        self.face_away = [(float(a), float(b)) for a, b in face_away]
        self._lighten = lighten
        self._lit: dict[float, np.ndarray] = {}
        self._x0 = (width - self.patch.shape[1]) // 2
        self._y0 = (height - self.patch.shape[0]) // 2

    @classmethod
    def from_options(
        cls, options: dict[str, Any], width: int, height: int, channels: int,
        lighten: Callable[[np.ndarray, float], np.ndarray] | None = None,
    ) -> FaceLayer:
        return cls(
            width, height, channels, options.get("image", "astronaut"),
            float(options.get("movement_px", 3.0)), options.get("face_away", []), lighten,
        )

    def visible(self, t: float) -> bool:
        return not any(a <= t < b for a, b in self.face_away)

    def offset(self, t: float) -> tuple[int, int]:
        """The patch's top-left corner at time t: a slow, smooth sway around the centre."""
        a = self.movement_px
        dx = a * math.sin(2 * math.pi * 0.23 * t)
        dy = 0.7 * a * math.sin(2 * math.pi * 0.17 * t + 1.3)
        x = min(max(self._x0 + round(dx), 0), self.width - self.patch.shape[1])
        y = min(max(self._y0 + round(dy), 0), self.height - self.patch.shape[0])
        return x, y

    def offsets(self) -> set[tuple[int, int]]:
        """Every position offset(t) takes (the sway is a few pixels: a handful of positions), for caches."""
        t = np.arange(0.0, 600.0, 1 / 120)
        dx = np.round(self.movement_px * np.sin(2 * math.pi * 0.23 * t)).astype(int)
        dy = np.round(0.7 * self.movement_px * np.sin(2 * math.pi * 0.17 * t + 1.3)).astype(int)
        xs = np.clip(self._x0 + dx, 0, self.width - self.patch.shape[1])
        ys = np.clip(self._y0 + dy, 0, self.height - self.patch.shape[0])
        return set(zip(xs.tolist(), ys.tolist(), strict=True))

    def draw_at(self, frame: np.ndarray, x: int, y: int) -> None:
        """Paste the plain patch with its top-left corner at (x, y), in place."""
        frame[y : y + self.patch.shape[0], x : x + self.patch.shape[1]] = self.patch

    def face_box(self, t: float) -> tuple[int, int, int, int] | None:
        """Where the face is at time t (x, y, w, h in frame pixels), or None while it is away."""
        if not self.visible(t):
            return None
        x, y = self.offset(t)
        fx, fy, fw, fh = (round(v * self.scale) for v in FACE_IN_CROP)
        return x + fx, y + fy, fw, fh

    def draw(self, frame: np.ndarray, t: float, level: float | None = None, patch: np.ndarray | None = None) -> None:
        """Paste the face (or `patch`, a warped copy of ``self.patch``) at time t, in place; nothing while away.

        `level` is the screen brightness the room is lit by (sim screen link): the face is lit the same way.
        """
        if not self.visible(t):
            return
        if patch is None:
            patch = self.patch if level is None or self._lighten is None else self._lit_patch(level)
        elif level is not None and self._lighten is not None:
            patch = self._lighten(patch, level)
        x, y = self.offset(t)
        frame[y : y + patch.shape[0], x : x + patch.shape[1]] = patch

    def _lit_patch(self, level: float) -> np.ndarray:
        lit = self._lit.get(level)
        if lit is None:
            if len(self._lit) >= LIT_LEVELS_KEPT:
                self._lit.clear()
            assert self._lighten is not None
            lit = self._lit[level] = self._lighten(self.patch, level)
        return lit
