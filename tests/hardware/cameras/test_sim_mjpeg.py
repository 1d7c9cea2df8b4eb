"""A sim camera delivering MJPEG as a UVC camera does: whole JPEGs, the barcode inside, little host CPU."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from hardware.cameras import CameraConfigError, CameraSettings, create_camera
from hardware.cameras.sim import barcode
from hardware.cameras.sim.mjpeg import JpegFrames


def mjpeg_camera(width: int = 1280, height: int = 720, **options):
    options = {"paced": False, "face": {"image": "astronaut", "movement_px": 3}, **options}
    settings = CameraSettings("uvc", "sim", width, height, "mjpeg", 60.0, options)
    cam = create_camera(settings)
    cam.open()
    fmt = cam.configure(settings)
    cam.start()
    return cam, fmt


def decode(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None, "not a decodable JPEG"
    return image


def test_every_frame_is_a_jpeg_of_the_face_with_its_own_id_and_few_are_encoded_whole() -> None:
    cam, fmt = mjpeg_camera()
    assert fmt.pixel_format == "mjpeg"
    frames = [cam.read() for _ in range(240)]  # 4 s of a swaying face
    assert all(f.pixels is None and f.data[:2] == b"\xff\xd8" and f.data[-2:] == b"\xff\xd9" for f in frames)
    pictures = [decode(f.data) for f in frames]
    assert [barcode.read(p) for p in pictures] == [f.frame_id for f in frames] == list(range(240))
    assert pictures[0].shape == (720, 1280, 3)
    # the face sways: the picture below the barcode is not always the same
    assert any(not np.array_equal(pictures[0][16:], p[16:]) for p in pictures[1:])
    # a distinct position is encoded once; every other frame only re-encodes its barcode rows
    assert cam._jpeg.full_encodes <= 40


def test_a_spliced_frame_is_byte_for_byte_the_jpeg_of_its_picture() -> None:
    """The splice's premise (one MCU row = the barcode; restart markers make rows independent) checked
    against libjpeg itself: encoding the stamped picture whole gives the same bytes."""
    rng = np.random.default_rng(3)
    picture = cv2.GaussianBlur(rng.integers(0, 256, (96, 400, 3), dtype=np.uint8), (7, 7), 2)
    jpeg = JpegFrames(400, 96)
    first = jpeg.frame("still", lambda: picture.copy(), 5)  # encodes the picture, then stamps it
    spliced = jpeg.frame("still", lambda: pytest.fail("a kept picture is not rendered again"), 123_456)
    stamped = picture.copy()
    barcode.write(stamped, 123_456)
    whole = cv2.imencode(".jpg", stamped, jpeg._params)[1].tobytes()
    assert spliced == whole
    assert barcode.read(decode(first)) == 5 and barcode.read(decode(spliced)) == 123_456


def test_frames_during_a_movement_are_encoded_whole_and_show_it() -> None:
    expressions = {"movements": [{"at_s": 1.0, "kind": "brow_raise", "onset_ms": 100, "total_ms": 300, "pixels": 4}]}
    cam, _ = mjpeg_camera(face={"image": "astronaut", "movement_px": 0}, expressions=expressions)
    frames = {f.frame_id: f for f in (cam.read() for _ in range(90))}
    still, apex = decode(frames[30].data), decode(frames[66].data)  # t = 0.5 s and 1.1 s (the apex)
    assert barcode.read(apex) == 66
    change = np.abs(apex[16:].astype(np.int16) - still[16:]).max(axis=2)
    assert change.max() > 40  # the brows moved (JPEG noise alone stays far below)
    before, after = decode(frames[50].data), decode(frames[89].data)
    assert np.abs(before[16:].astype(np.int16) - after[16:]).max() <= 2  # same still picture again


def test_too_small_a_picture_is_refused() -> None:
    with pytest.raises(CameraConfigError):
        JpegFrames(400, 8)


def test_the_swaying_faces_pictures_are_encoded_before_the_first_frame() -> None:
    """So the camera's first seconds cost what the rest do (no burst of whole encodes at start)."""
    cam, _ = mjpeg_camera()
    prepared = cam._jpeg.full_encodes
    assert 10 <= prepared <= 60  # +-3 px by +-2 px of sway, and the room without the face
    frames = [cam.read() for _ in range(600)]  # 10 s
    assert cam._jpeg.full_encodes == prepared
    assert [barcode.read(decode(f.data)) for f in frames[::50]] == list(range(0, 600, 50))
