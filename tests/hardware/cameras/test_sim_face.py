"""The sim camera's face option: a photograph in the frames, moving a little, gone while away; barcode intact."""

from __future__ import annotations

import numpy as np
import pytest

from hardware.cameras import CameraSettings, create_camera
from hardware.cameras.sim import barcode
from hardware.cameras.sim.face import FaceLayer
from hardware.rig import load_rig
from hardware.strict_yaml import ConfigError
from tests.conftest import sim_camera, write_rig


def open_face_cam(width=640, height=480, pixel_format="mono8", **face):
    options = {"paced": False, "face": {"image": "astronaut", **face}}
    settings = CameraSettings("cam", "sim", width, height, pixel_format, 60.0, options)
    cam = create_camera(settings)
    cam.open()
    cam.configure(settings)
    cam.start()
    return cam


def frames_at(cam, ids):
    out = {}
    while len(out) < len(ids):
        frame = cam.read()
        if frame.frame_id in ids:
            out[frame.frame_id] = frame
    return out


@pytest.mark.parametrize("size,fmt", [((640, 480), "mono8"), ((1280, 720), "bgr24")])
def test_face_is_drawn_and_barcode_still_decodes(size, fmt):
    cam = open_face_cam(*size, fmt, movement_px=3)
    plain = create_camera(CameraSettings("p", "sim", *size, fmt, 60.0, {"paced": False}))
    plain.open()
    plain.configure(CameraSettings("p", "sim", *size, fmt, 60.0, {"paced": False}))
    plain.start()
    for _ in range(5):
        frame, bare = cam.read(), plain.read()
        assert barcode.read(frame.pixels) == frame.frame_id
        assert frame.pixels.shape == bare.pixels.shape
        h, w = frame.pixels.shape[:2]
        centre = (slice(h // 3, 2 * h // 3), slice(w // 3, 2 * w // 3))
        assert np.abs(frame.pixels[centre].astype(int) - bare.pixels[centre]).mean() > 20  # a face, not the pattern


def test_face_moves_smoothly_and_goes_away():
    cam = open_face_cam(movement_px=3, face_away=[[0.5, 1.0]])
    frames = frames_at(cam, {0, 12, 40, 70})  # 0 s, 0.2 s, 0.67 s (away), 1.17 s (back)
    layer = FaceLayer(640, 480, 1, movement_px=3, face_away=[[0.5, 1.0]])
    assert layer.offset(0.0) != layer.offset(1.1)  # it moves
    steps = [np.abs(np.subtract(layer.offset(i / 60), layer.offset((i + 1) / 60))).max() for i in range(600)]
    assert max(steps) <= 1  # smoothly: at most a pixel a frame
    head = layer.patch
    x, y = layer.offset(0.0)
    assert np.array_equal(frames[0].pixels[y + 50 : y + 100, x + 50 : x + 100], head[50:100, 50:100])
    assert layer.face_box(40 / 60) is None
    x, y = layer.offset(40 / 60)
    assert not np.array_equal(frames[40].pixels[y + 50 : y + 100, x + 50 : x + 100], head[50:100, 50:100])
    x, y = layer.offset(70 / 60)
    assert np.array_equal(frames[70].pixels[y + 50 : y + 100, x + 50 : x + 100], head[50:100, 50:100])


def test_colour_face_is_bgr():
    cam = open_face_cam(1280, 720, "bgr24", movement_px=0)
    frame = cam.read().pixels
    layer = FaceLayer(1280, 720, 3, movement_px=0)
    x, y = layer.offset(0)
    patch = frame[y : y + layer.patch.shape[0], x : x + layer.patch.shape[1]].reshape(-1, 3).mean(axis=0)
    assert patch[2] > patch[0]  # skin and hair: more red than blue, so red is the last channel


@pytest.mark.parametrize(
    "face,message",
    [
        ({"imag": "astronaut"}, "unknown key 'imag'"),
        ({"image": "camera"}, "image 'camera'"),
        ({"movement_px": -1}, "movement_px must be >= 0"),
        ({"face_away": [[3, 1]]}, "face_away entries"),
        ({"face_away": [5]}, "face_away entries"),
        ("astronaut", "must be dict"),
    ],
)
def test_face_option_is_strict(tmp_path, face, message):
    rig = write_rig(tmp_path / "rig.yaml", {"cam": sim_camera(face=face)})
    with pytest.raises(ConfigError, match=message):
        load_rig(rig)


def test_shipped_sim_rig_shows_a_face():
    rig = load_rig("sim")
    assert all(settings.options.get("face") for settings in rig.cameras.values())
