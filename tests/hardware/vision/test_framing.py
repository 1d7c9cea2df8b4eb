"""Face detection and framing checks on sim-face pictures: each check fails when its picture is wrong."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from hardware.cameras.sim.face import FaceLayer
from hardware.vision import Box, FramingThresholds, check_framing, detect_face


def picture(width=480, height=360, channels=1, background=120, t=0.0, layer=None) -> np.ndarray:
    shape = (height, width) if channels == 1 else (height, width, 3)
    frame = np.full(shape, background, np.uint8)
    (layer or FaceLayer(width, height, channels, movement_px=0)).draw(frame, t)
    return frame


@pytest.mark.parametrize("size,channels", [((480, 360), 1), ((480, 270), 3), ((1280, 720), 3)])
def test_detects_the_sim_face_where_it_is(size, channels):
    layer = FaceLayer(*size, channels, movement_px=0)
    box = detect_face(picture(*size, channels, layer=layer))
    truth = layer.face_box(0.0)
    assert box is not None and truth is not None
    cx, cy = box.centre
    assert truth[0] <= cx <= truth[0] + truth[2] and truth[1] <= cy <= truth[1] + truth[3]
    assert detect_face(np.full((360, 480), 120, np.uint8)) is None


def test_a_well_framed_face_passes_every_check():
    framing = check_framing(picture())
    assert framing.ok, framing.checks
    assert set(framing.checks) == {"face", "size", "centred", "light", "focus"}
    assert framing.face is not None and 60 < framing.mean_light < 200
    assert framing.as_dict()["checks"]["face"]["ok"] is True


def test_no_face_fails_and_says_so():
    framing = check_framing(np.full((360, 480), 120, np.uint8))
    assert not framing.ok and framing.face is None
    assert not framing.checks["face"].ok and framing.checks["face"].text == "no face found"


def test_off_centre_face_fails_centred_only():
    frame = np.full((360, 720), 120, np.uint8)
    frame[:, :480] = picture()  # the face in the left two thirds: its centre 17 % left of the middle
    framing = check_framing(frame)
    assert framing.face is not None
    assert framing.failed == ["centred"]


def test_small_face_fails_size():
    small = cv2.resize(picture(), (240, 180), interpolation=cv2.INTER_AREA)
    frame = np.full((360, 480), 120, np.uint8)
    frame[90:270, 120:360] = small  # centred, half as tall: found (at full resolution) but too small
    framing = check_framing(frame)
    assert framing.face is not None and not framing.checks["size"].ok
    assert framing.checks["centred"].ok
    assert check_framing(frame, FramingThresholds(min_face_share=0.1)).checks["size"].ok


def test_dark_and_clipped_faces_fail_light():
    frame = picture()
    dark = (frame * 0.3).astype(np.uint8)
    framing = check_framing(dark)
    assert framing.face is not None and "light" in framing.failed and framing.checks["centred"].ok
    assert "too dark" in framing.checks["light"].text
    bright = np.clip(frame.astype(int) * 2, 0, 255).astype(np.uint8)
    framing = check_framing(bright)
    if framing.face is not None:
        assert not framing.checks["light"].ok and "clipped" in framing.checks["light"].text


def test_light_is_the_skin_not_the_hair_at_the_box_edges(monkeypatch):
    """Dark hair or background inside the box's edges (real faces: 4-15 % crushed there) is not the face's
    light; shadows over its centre are."""
    from hardware.vision import framing as module

    frame = picture()
    box = detect_face(frame)
    assert box is not None
    monkeypatch.setattr(module, "detect_face", lambda gray: box)  # the same box whatever is painted in it
    hair = frame.copy()
    region = hair[box.y : box.y + box.h, box.x : box.x + box.w]
    region[:, : round(box.w * 0.15)] = 0  # a dark band down each side: 30 % of the box, outside its centre
    region[:, box.w - round(box.w * 0.15) :] = 0
    assert check_framing(hair).checks["light"].ok, check_framing(hair).checks["light"].text
    shadow = frame.copy()
    cy, cx = box.y + box.h // 2, box.x + box.w // 2
    shadow[cy - box.h // 6 : cy + box.h // 6, cx - box.w // 6 : cx + box.w // 6] = 0  # over the nose and mouth
    light = check_framing(shadow).checks["light"]
    assert not light.ok and "crushed" in light.text


def test_blur_fails_focus_against_the_check_in_value():
    sharp = picture()
    reference = check_framing(sharp).focus
    blurred = cv2.GaussianBlur(sharp, (0, 0), 2.5)
    framing = check_framing(blurred, reference_focus=reference)
    assert framing.face is not None, "blur this mild keeps the face detectable"
    assert framing.focus < 0.5 * reference
    assert framing.failed == ["focus"]
    assert check_framing(sharp, reference_focus=reference).checks["focus"].ok


def test_thresholds_update_only_known_keys():
    t = FramingThresholds().updated({"min_mean": 10, "unknown": 3, "max_mean": None})
    assert t.min_mean == 10.0 and t.max_mean == FramingThresholds().max_mean


def test_box_scales_back_to_the_full_frame():
    assert Box(10, 20, 30, 40).scaled(2.0) == Box(20, 40, 60, 80)
