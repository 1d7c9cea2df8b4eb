"""Hand labels of whether a face is there, per second of a clip, and what the framing watch sees on its frames.

A label file is a TSV (``#`` lines are comments) with the columns ``clip second label nose_x nose_y note``:

- ``label``: ``present`` (the whole face codable in every frame looked at), ``partly`` (a face, but part
  of it hidden by a hand or turned away in some of them) or ``absent`` (no face);
- ``nose_x nose_y``: the nose tip in pixels of the clip's own frame at the second's labelled frame
  (``labelled_index``), ``n/a`` when absent; it tells a box on the face from a box elsewhere.

``watch_clip`` runs the session's path on every frame of a clip: the preview the camera process makes
(at most 480 px wide, hardware.recording.preview) and the framing checks on it (hardware.vision:
dlib's HOG face detector, then size, centred, light, focus). The focus reference is the focus at the
first frame with a face, as the check-in takes it. Scores are in elicitation.footage.face_scores.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import cv2

from elicitation.footage.source import FootageError
from hardware.recording.preview import downscale, preview_shape
from hardware.vision import check_framing

LABELS = ("present", "partly", "absent")
COLUMNS = ("clip", "second", "label", "nose_x", "nose_y", "note")


@dataclass(frozen=True)
class SecondLabel:
    clip: str
    second: int
    label: str
    nose: tuple[float, float] | None  # in pixels of the clip's frame; None when absent
    note: str = ""


@dataclass(frozen=True)
class FrameSeen:
    """One frame of a clip as the framing watch saw it (box in pixels of the clip's own frame)."""

    index: int
    second: int
    box: tuple[float, float, float, float] | None  # x, y, w, h
    checks: dict[str, bool]  # framing check -> passed

    def on(self, point: tuple[float, float]) -> bool:
        """The box contains the point."""
        if self.box is None:
            return False
        x, y, w, h = self.box
        return x <= point[0] <= x + w and y <= point[1] <= y + h


def read_labels(path: Path) -> list[SecondLabel]:
    """The labels of a file, in its order; FootageError names the first bad row."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    if not lines or tuple(lines[0].split("\t")) != COLUMNS:
        raise FootageError(f"{path.name}: the header must be {' '.join(COLUMNS)}")
    out, seen = [], set()
    for number, row in enumerate(rows, start=2):
        where = f"{path.name} row {number}"
        label = row["label"]
        if label not in LABELS:
            raise FootageError(f"{where}: label {label!r} is not one of {', '.join(LABELS)}")
        try:
            second = int(row["second"])
            nose = None if row["nose_x"] == "n/a" else (float(row["nose_x"]), float(row["nose_y"]))
        except (TypeError, ValueError):
            raise FootageError(f"{where}: second and nose_x/nose_y must be numbers (nose n/a when absent)") from None
        if (nose is None) != (label == "absent"):
            raise FootageError(f"{where}: a nose point is given exactly when the face is not absent")
        if (row["clip"], second) in seen or second < 0:
            raise FootageError(f"{where}: second {second} of {row['clip']} is negative or labelled twice")
        seen.add((row["clip"], second))
        out.append(SecondLabel(row["clip"], second, label, nose, row.get("note") or ""))
    return out


def second_of(index: int, fps: float) -> int:
    """The second a frame falls in: its time index / fps, rounded down."""
    return math.floor(index / fps + 1e-9)


def labelled_index(second: int, fps: float, frames: int) -> int:
    """The frame at the middle of the second's span within the clip (the last second may be shorter)."""
    duration = frames / fps
    middle = (second + min(second + 1, duration)) / 2
    return min(frames - 1, math.floor(middle * fps))


def watch_clip(path: Path) -> tuple[float, list[FrameSeen]]:
    """The clip's frame rate and every frame's framing, decoded with OpenCV (as the sim camera shows it)."""
    capture = cv2.VideoCapture(str(path))
    fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
    if not capture.isOpened() or fps <= 0:
        raise FootageError(f"{path.name}: not a video OpenCV can read")
    seen: list[FrameSeen] = []
    reference: float | None = None
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            height, width, _ = preview_shape(frame.shape[1], frame.shape[0], "bgr24")
            preview = downscale(frame, height, width)
            framing = check_framing(preview, reference_focus=reference)
            box = None
            if framing.face is not None:
                f = frame.shape[1] / width  # preview pixels -> the clip's pixels
                box = (framing.face.x * f, framing.face.y * f, framing.face.w * f, framing.face.h * f)
                reference = reference or framing.focus
            checks = {name: check.ok for name, check in framing.checks.items()}
            seen.append(FrameSeen(len(seen), second_of(len(seen), fps), box, checks))
    finally:
        capture.release()
    if not seen:
        raise FootageError(f"{path.name}: no frames")
    return fps, seen
