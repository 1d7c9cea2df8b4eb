"""MJPEG from a simulated camera at what a UVC camera's frames cost the host: almost nothing.

A real BenQ/UVC camera compresses in its own hardware; the host only stores the bytes (2.2 % of a core
at 1280x720, 60 fps). Encoding every simulated frame with libjpeg costs about 3 ms at 720p, a fifth of a
core at 60 fps: the simulated rig would cost what the real one does not. So each distinct picture (the
face at one position, lit by one screen level) is encoded once and kept, and each frame only re-encodes
its top 16 rows, the frame-id barcode (hardware.cameras.sim.barcode), and splices them in.

Why the splice is exact: the pictures are encoded with 4:2:0 chroma subsampling, so a JPEG MCU is 16
pixel rows high and the barcode is exactly the first MCU row; and with a restart marker after every MCU
row (``IMWRITE_JPEG_RST_INTERVAL`` = MCUs per row) each row's entropy-coded data stands alone (the DC
predictors restart at every marker). The strip is encoded with the same quality and subsampling, hence
the same quantisation and (default, unoptimised) Huffman tables, so its first row's data replaces the
picture's first row byte for byte. ``tests/hardware/cameras/test_sim_mjpeg.py`` decodes the result.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import cv2
import numpy as np

from hardware.cameras.base import CameraConfigError
from hardware.cameras.sim import barcode

QUALITY = 90  # a UVC webcam's usual MJPEG quality; the barcode reads back exactly at this level
MCU_ROWS = 16  # 4:2:0: one MCU is 16 x 16 pixels
PICTURES_KEPT = 96  # distinct pictures held (about 150 kB each at 720p): a swaying face needs about 35


class JpegFrames:
    """Builds a camera's MJPEG frames: one full encode per distinct picture, a strip encode per frame."""

    def __init__(self, width: int, height: int) -> None:
        if height < MCU_ROWS or barcode.BLOCK != MCU_ROWS:
            raise CameraConfigError(f"an MJPEG sim camera needs at least {MCU_ROWS} rows, got {height}")
        self.width, self.height = width, height
        mcus_per_row = -(-width // MCU_ROWS)
        self._params = [
            cv2.IMWRITE_JPEG_QUALITY, QUALITY,
            cv2.IMWRITE_JPEG_SAMPLING_FACTOR, cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420,
            cv2.IMWRITE_JPEG_RST_INTERVAL, mcus_per_row,
        ]  # fmt: skip
        self._pictures: dict[Hashable, tuple[bytes, int, int, np.ndarray]] = {}
        self.keep = PICTURES_KEPT
        self.full_encodes = 0  # pictures encoded whole (a test and the bench read it)

    def frame(self, key: Hashable | None, render: Callable[[], np.ndarray], frame_id: int) -> bytes:
        """The JPEG of frame `frame_id`: the picture `key` names (made by `render()` the first time, or
        every time when key is None: a picture that will not come again) with the frame id's barcode."""
        picture = self._pictures.get(key) if key is not None else None
        if picture is None:
            pixels = render()
            if key is None:  # seen once: encode it whole, barcode included
                barcode.write(pixels, frame_id)
                self.full_encodes += 1
                return self._encode(pixels)
            picture = self._keep(key, pixels)
        head, first_row_end, rest, strip = picture
        stamped = strip.copy()
        barcode.write(stamped, frame_id)
        strip_jpeg = self._encode(stamped)
        data_start = _scan_data_start(strip_jpeg)
        data_end = strip_jpeg.rindex(b"\xff\xd9")  # EOI: a one-row strip has no restart marker
        return b"".join((head, memoryview(strip_jpeg)[data_start:data_end], memoryview(rest)[first_row_end:]))

    def prepare(self, pictures: dict[Hashable, np.ndarray]) -> None:
        """Encode pictures before the first frame (configure), so the first seconds cost no more than the rest."""
        for key, pixels in pictures.items():
            self._keep(key, pixels)

    def _keep(self, key: Hashable, pixels: np.ndarray) -> tuple[bytes, int, int, np.ndarray]:
        jpeg = self._encode(pixels)
        self.full_encodes += 1
        data_start = _scan_data_start(jpeg)
        first_row_end = jpeg.index(b"\xff\xd0", data_start)  # RST0 ends the first MCU row
        picture = (jpeg[:data_start], first_row_end, jpeg, np.ascontiguousarray(pixels[:MCU_ROWS]))
        if len(self._pictures) >= self.keep:
            self._pictures.pop(next(iter(self._pictures)))  # the oldest
        self._pictures[key] = picture
        return picture

    def _encode(self, pixels: np.ndarray) -> bytes:
        ok, buf = cv2.imencode(".jpg", pixels, self._params)
        if not ok:
            raise CameraConfigError("libjpeg refused the simulated picture")
        return buf.tobytes()


def picture_key(face: Any, expressions: Any, t: float, level: float | None) -> Hashable | None:
    """What makes the simulated picture at time t distinct (None: a picture of its own, not worth keeping).

    `face` is a FaceLayer (or None), `expressions` an ExpressionLayer (or None); the background stands still."""
    if expressions is not None and expressions.active(t):
        return None  # a movement or a distractor in progress: each of its frames differs
    if face is None or not face.visible(t):
        return ("no face", level)
    return (face.offset(t), level)


def still_pictures(face: Any, background: np.ndarray) -> dict[Hashable, np.ndarray]:
    """The plain face at each position it sways to, and the room without it: picture_key's keys (level None)."""
    pictures: dict[Hashable, np.ndarray] = {("no face", None): background.copy()}
    for x, y in sorted(face.offsets()):
        pixels = background.copy()
        face.draw_at(pixels, x, y)
        pictures[((x, y), None)] = pixels
    return pictures


def _scan_data_start(jpeg: bytes) -> int:
    """Where the entropy-coded data begins: just after the start-of-scan segment (segments walked from SOI)."""
    at = 2
    while at + 4 <= len(jpeg):
        marker, length = jpeg[at + 1], int.from_bytes(jpeg[at + 2 : at + 4], "big")
        at += 2 + length
        if marker == 0xDA:
            return at
    raise CameraConfigError("libjpeg wrote no start of scan")
