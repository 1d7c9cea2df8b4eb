"""The spotting engine on frames in memory: sim face frames with known movements, the face's true box as
the detector (the detector itself is hardware.vision's, tested there)."""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from elicitation.folder import BadInput
from elicitation.spotting import Interval, Parameters, block_series, candidates
from elicitation.spotting.metric import match_video
from hardware.cameras.sim.expressions import ExpressionLayer
from hardware.cameras.sim.face import FaceLayer


def render(expressions: dict, seconds: float, fps: float = 60.0, size=(640, 480)):
    face = FaceLayer(size[0], size[1], 1, movement_px=3)
    layer = ExpressionLayer(face, expressions)
    rng = np.random.default_rng(0)
    background = rng.integers(90, 140, (size[1], size[0] + 256)).astype(np.uint8)
    clock = {"t": 0.0}

    def detect(_gray):
        box = face.face_box(clock["t"])
        return None if box is None else SimpleNamespace(x=box[0], y=box[1], w=box[2], h=box[3])

    def frames():
        for i in range(int(seconds * fps)):
            clock["t"] = t = i / fps
            frame = np.array(background[:, (3 * i) % 256 : (3 * i) % 256 + size[0]])
            layer.draw(frame, t)
            yield frame

    return layer, frames(), detect


def truth(layer: ExpressionLayer, fps: float) -> list[Interval]:
    out = []
    for m in layer.movements:
        if m.micro:
            shown = [i for i in range(int(30 * fps)) if m.amplitude(i / fps) > 0]
            out.append(Interval(shown[0], shown[-1]))
    return out


MOVES = {"movements": [
    {"at_s": 1.0, "kind": "brow_raise", "onset_ms": 100, "total_ms": 300, "pixels": 3},
    {"at_s": 2.2, "kind": "lip_pull", "onset_ms": 130, "total_ms": 450, "pixels": 2.5},
    {"at_s": 3.4, "kind": "brow_raise", "onset_ms": 80, "total_ms": 200, "pixels": 2},
]}  # fmt: skip


@pytest.mark.parametrize("flow", ["dis", "farneback"])
def test_each_injected_movement_is_one_micro_candidate_with_iou_at_least_half(flow) -> None:
    layer, frames, detect = render(MOVES, 4.2)
    params = Parameters.from_fps(60, flow=flow)
    found = candidates(block_series(frames, params, detect).v, params)
    result = match_video("v", [Interval(c.onset, c.offset) for c in found], truth(layer, 60))
    assert (result.tp, result.fp, result.fn) == (3, 0, 0)
    assert all(c.kind == "micro" and c.onset <= c.apex <= c.offset for c in found)


def test_distractors_give_no_candidate() -> None:
    _layer, frames, detect = render({"distractors": [
        {"kind": "head_translation", "at_s": 0.5, "duration_s": 2.0, "pixels": 16},
        {"kind": "brightness", "at_s": 2.8, "duration_s": 0.3, "change": -0.3},
        {"kind": "long_movement", "at_s": 3.4, "duration_s": 1.5, "pixels": 3},
    ]}, 5.2)  # fmt: skip
    params = Parameters.from_fps(60)
    assert candidates(block_series(frames, params, detect).v, params) == []


def test_frame_parameters_follow_the_fps() -> None:
    at60, at200 = Parameters.from_fps(60), Parameters.from_fps(200)
    assert (at60.k, at60.max_micro) == (9, 30)
    assert (at200.k, at200.max_micro) == (30, 100)
    with pytest.raises(BadInput, match="fps"):
        Parameters.from_fps(0)
    with pytest.raises(BadInput, match="unknown spotting parameter"):
        Parameters.from_fps(60, k_frames=3)


def test_a_200_fps_camera_finds_the_movement_with_its_own_frame_parameters() -> None:
    layer, frames, detect = render({"movements": [MOVES["movements"][0]]}, 1.8, fps=200.0)
    params = Parameters.from_fps(200)
    found = candidates(block_series(frames, params, detect).v, params)
    result = match_video("v", [Interval(c.onset, c.offset) for c in found], truth(layer, 200))
    assert (result.tp, result.fp, result.fn) == (1, 0, 0)


def test_frames_without_a_face_have_no_motion() -> None:
    _layer, frames, _detect = render(MOVES, 1.0)
    series = block_series(frames, Parameters.from_fps(60), lambda gray: None)
    assert not series.face_found.any() and np.isnan(series.v).all()


def test_a_long_strong_movement_is_at_most_one_candidate_and_not_micro() -> None:
    _layer, frames, detect = render(
        {"distractors": [{"kind": "long_movement", "at_s": 2.0, "duration_s": 1.5, "pixels": 6}]}, 6.0
    )
    params = Parameters.from_fps(60)
    found = candidates(block_series(frames, params, detect).v, params)
    assert len(found) <= 1 and all(c.kind == "macro" for c in found)  # rise and fall are not two movements


def test_the_head_movement_is_removed_from_the_blocks() -> None:
    """The whole face drifts 0.35 px a frame: what the tracked, whole-pixel boxes leave is the median's job."""
    rng = np.random.default_rng(1)
    texture = cv2.GaussianBlur(rng.integers(0, 255, (480, 640)).astype(np.float32), (0, 0), 3)
    texture = cv2.normalize(texture, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)

    def frames():
        for i in range(60):
            shift = np.float32([[1, 0, 0.35 * i], [0, 1, 0.2 * i]])
            yield cv2.warpAffine(texture, shift, (640, 480), borderMode=cv2.BORDER_REFLECT)

    params = Parameters.from_fps(60)
    series = block_series(frames(), params, lambda gray: SimpleNamespace(x=220, y=140, w=200, h=200))
    motion = np.linalg.norm(series.v[params.k :], axis=-1)
    assert np.nanmax(motion) < 0.15


def test_the_box_follows_the_head_between_detections() -> None:
    """1.5 px a frame to the right (88 px in all): the track keeps up within a tenth of the way (phase
    correlation's sub-pixel peak runs a little short); a detection near the track does not move it."""
    rng = np.random.default_rng(2)
    texture = cv2.GaussianBlur(rng.integers(0, 255, (480, 640)).astype(np.float32), (0, 0), 3)
    texture = cv2.normalize(texture, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    seen = {"i": 0}

    def frames():
        for i in range(60):
            seen["i"] = i
            yield cv2.warpAffine(texture, np.float32([[1, 0, 1.5 * i], [0, 1, 0]]), (640, 480),
                                 borderMode=cv2.BORDER_REFLECT)  # fmt: skip

    def detect(_gray):  # the true box, in whole pixels
        return SimpleNamespace(x=150 + round(1.5 * seen["i"]), y=140, w=200, h=200)

    series = block_series(frames(), Parameters.from_fps(60), detect)
    assert abs(series.boxes[-1, 0] - (150 + 1.5 * 59)) <= 0.1 * 1.5 * 59
    assert abs(series.boxes[-1, 1] - 140) <= 1
