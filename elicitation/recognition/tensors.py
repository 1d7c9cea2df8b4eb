"""A sample's pictures -> one 64 x 64 x 64 grey tensor (time x rows x columns), as Table V's samples were made.

The paper cropped its faces by hand and resized each clip to 64 x 64 x 64. We:
- crop: one box per sample, dlib's HOG face detector (hardware.vision) on the onset picture, enlarged by
  MARGIN of its width and height on every side and clipped to the picture; where no face is found the whole
  picture is used, and the sample says so (``face_found`` False);
- grey (OpenCV's BGR -> grey weights), resized to 64 x 64 with area averaging, scaled to 0..1;
- time: 64 frames evenly spaced from the first to the last picture's frame number, each linearly
  interpolated between the two pictures nearest in frame number (so a clip exported every second frame is
  not stretched); a one-picture sample is that picture 64 times.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from elicitation.errors import ElicitationError
from elicitation.recognition.samples import RecognitionSample
from hardware.vision import detect_face

SIZE = 64
MARGIN = 0.2
DEFINITION = {
    "size": [SIZE, SIZE, SIZE],
    "crop": f"one box per sample: dlib HOG face box on the onset picture, enlarged by {MARGIN} of its size on each "
    "side, clipped; the whole picture when no face is found",
    "space": "grey, resized to 64x64 with cv2.INTER_AREA, scaled to 0..1",
    "time": "64 frames evenly spaced between the first and last picture's frame numbers, linear interpolation "
    "between the two nearest pictures",
}


class PictureError(ElicitationError):
    """Raised when a sample's picture cannot be read or differs in size from its onset picture."""


@dataclass(frozen=True)
class SampleTensor:
    tensor: np.ndarray  # float32, SIZE x SIZE x SIZE, 0..1
    face_found: bool


def _grey(path: object) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise PictureError(f"{path} cannot be read as a picture")
    return image


def crop_box(onset: np.ndarray) -> tuple[tuple[int, int, int, int], bool]:
    """(x0, y0, x1, y1) to crop every picture of a sample with, and whether a face was found."""
    height, width = onset.shape[:2]
    face = detect_face(onset)
    if face is None:
        return (0, 0, width, height), False
    dx, dy = round(face.w * MARGIN), round(face.h * MARGIN)
    return (
        max(0, face.x - dx),
        max(0, face.y - dy),
        min(width, face.x + face.w + dx),
        min(height, face.y + face.h + dy),
    ), True


def sample_tensor(sample: RecognitionSample) -> SampleTensor:
    frames = [n for n, _ in sample.pictures]
    first = _grey(sample.pictures[0][1])
    (x0, y0, x1, y1), found = crop_box(first)
    small = []
    for _, path in sample.pictures:
        image = first if path == sample.pictures[0][1] else _grey(path)
        if image.shape != first.shape:
            raise PictureError(
                f"{path} is {image.shape[1]}x{image.shape[0]}, the onset picture {first.shape[1]}x{first.shape[0]}"
            )
        small.append(cv2.resize(image[y0:y1, x0:x1], (SIZE, SIZE), interpolation=cv2.INTER_AREA))
    stack = np.stack(small).astype(np.float32) / 255.0
    return SampleTensor(normalise_time(stack, np.asarray(frames, dtype=float)), found)


def normalise_time(stack: np.ndarray, frames: np.ndarray, length: int = SIZE) -> np.ndarray:
    """`stack` (pictures x H x W at frame numbers `frames`, increasing) -> `length` frames evenly spaced."""
    if len(stack) == 1:
        return np.repeat(stack, length, axis=0)
    targets = np.linspace(frames[0], frames[-1], length)
    upper = np.clip(np.searchsorted(frames, targets, side="right"), 1, len(frames) - 1)
    lower = upper - 1
    weight = ((targets - frames[lower]) / (frames[upper] - frames[lower])).astype(np.float32)[:, None, None]
    return (1 - weight) * stack[lower] + weight * stack[upper]
