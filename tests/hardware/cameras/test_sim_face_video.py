"""A sim camera showing a real face from a video clip (hardware.cameras.sim.face_video)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from hardware.cameras import CameraConfigError, CameraSettings, create_camera
from hardware.cameras.sim import barcode
from hardware.cameras.sim.face_video import REAL_FACES, real_face_cache
from hardware.vision import detect_face

CLIP_FPS = 10.0


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """10 frames at 10 fps, 160x90 (16:9 like the real clips), frame k all grey level 20 + 20k."""
    path = tmp_path_factory.mktemp("clip") / "levels.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), CLIP_FPS, (160, 90))
    for k in range(10):
        writer.write(np.full((90, 160, 3), 20 + 20 * k, np.uint8))
    writer.release()
    return path


def camera(fmt: str, face: dict, width: int = 640, height: int = 480):
    settings = CameraSettings("cam", "sim", width, height, fmt, 60.0, {"paced": False, "face": face})
    cam = create_camera(settings)
    cam.open()
    cam.configure(settings)
    cam.start()
    return cam


def picture(frame) -> np.ndarray:
    if frame.pixels is not None:
        return frame.pixels
    return cv2.imdecode(np.frombuffer(frame.data, np.uint8), cv2.IMREAD_GRAYSCALE)


@pytest.mark.parametrize("fmt", ["mono8", "mjpeg"])
def test_each_frame_shows_the_clip_frame_due_at_its_time_looped_and_keeps_its_barcode(clip, fmt) -> None:
    cam = camera(fmt, {"video": str(clip)})
    frames = [cam.read() for _ in range(150)]  # 2.5 s at 60 fps: the 1 s clip two and a half times
    for frame in frames:
        shown = picture(frame)
        assert barcode.read(shown) == frame.frame_id
        due = int(frame.frame_id / 60 * CLIP_FPS) % 10
        # the clip, scaled to the camera's width (640x360), is letterboxed in the middle of 640x480
        assert abs(float(np.median(shown[200:280, 100:540])) - (20 + 20 * due)) <= 6, frame.frame_id
    if fmt == "mjpeg":
        assert cam._jpeg.full_encodes <= 10  # one encode per clip frame, however often the loop comes round


def test_crop_shows_that_part_of_the_clip_scaled_to_the_camera(tmp_path) -> None:
    path = tmp_path / "halves.avi"  # left half dark, right half bright
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), CLIP_FPS, (160, 90))
    for _ in range(3):
        frame = np.full((90, 160, 3), 40, np.uint8)
        frame[:, 80:] = 200
        writer.write(frame)
    writer.release()
    whole = picture(camera("mono8", {"video": str(path)}).read())
    right = picture(camera("mono8", {"video": str(path), "crop": [0.5, 0, 1, 1]}).read())
    assert abs(int(np.median(whole[240, 100:300])) - 40) <= 8  # uncropped: dark left, bright right
    assert abs(int(np.median(right[240, 100:540])) - 200) <= 8  # the right half fills the width it is given


def test_face_video_options_are_strict_and_a_missing_clip_says_how_to_get_it(clip, tmp_path, monkeypatch) -> None:
    from hardware.cameras.sim.face import check_options

    assert check_options({"video": str(clip)}) is None
    assert "video takes only crop" in check_options({"video": str(clip), "image": "astronaut"})
    assert check_options({"video": str(clip), "crop": [0.5, 0, 1, 1]}) is None
    for bad in ([0.5, 0, 0.5, 1], [0, 0, 1.2, 1], [0, 0, 1], [0, 0, 1, True]):
        assert "crop is [x0, y0, x1, y1]" in check_options({"video": str(clip), "crop": bad}), bad
    assert "crop applies to a video face only" in check_options({"image": "astronaut", "crop": [0, 0, 1, 1]})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(CameraConfigError, match=r"bash \.ci/install"):
        camera("mono8", {"video": "pexels-crying-laughing"})
    with pytest.raises(CameraConfigError, match="does not exist"):
        camera("mono8", {"video": str(tmp_path / "nothing.mp4")})
    with pytest.raises(CameraConfigError, match="expressions need a face image"):
        settings = CameraSettings("cam", "sim", 640, 480, "mono8", 60.0,
                                  {"face": {"video": str(clip)}, "expressions": {"movements": []}})  # fmt: skip
        cam = create_camera(settings)
        cam.open()
        cam.configure(settings)


@pytest.mark.skipif(not (real_face_cache() / REAL_FACES["pexels-crying-laughing"]).is_file(),
                    reason="the real-face clips are unpacked by bash .ci/install")  # fmt: skip
def test_the_real_clip_shows_a_face_the_detector_finds() -> None:
    cam = camera("mjpeg", {"video": "pexels-crying-laughing"}, 1280, 720)
    frames = [cam.read() for _ in range(60)]  # the first second: her face, frontal
    found = [detect_face(picture(f)) for f in frames[::15]]
    assert all(box is not None and box.h > 720 * 0.2 for box in found)
