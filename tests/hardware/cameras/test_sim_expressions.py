"""Sim expressions: movements warp only their face region at known times, distractors do what they say,
the rig option is strict."""

from __future__ import annotations

import numpy as np
import pytest

from hardware.cameras import CameraConfigError, CameraSettings, create_camera
from hardware.cameras.sim import schedule
from hardware.cameras.sim.expressions import RANDOM_KINDS, Movement
from hardware.rig import load_rig
from hardware.strict_yaml import ConfigError
from tests.conftest import sim_camera, write_rig

FPS = 60.0


def camera(expressions, face=True, width=640, height=480, fmt="mono8"):
    options = {"paced": False, "expressions": expressions}
    if face:
        options["face"] = {"image": "astronaut", "movement_px": 0}
    settings = CameraSettings("cam", "sim", width, height, fmt, FPS, options)
    cam = create_camera(settings)
    cam.open()
    cam.configure(settings)
    cam.start()
    return cam


def frames(cam, ids):
    out = {}
    while len(out) < len(ids):
        frame = cam.read()
        if frame.frame_id in ids:
            out[frame.frame_id] = frame.pixels.astype(np.int16)
    return out


def test_profile_rises_over_the_onset_and_is_gone_after_the_total() -> None:
    m = Movement("brow_raise", 1.0, 0.1, 0.3, 3.0)
    assert m.amplitude(1.0) == 0.0 and m.amplitude(1.3) == 0.0
    assert m.amplitude(1.1) == pytest.approx(1.0)
    assert 0 < m.amplitude(1.05) < 1 and 0 < m.amplitude(1.2) < 1
    assert m.times() == (1.0, pytest.approx(1.1), pytest.approx(1.3))


def test_random_movements_stay_in_the_issue_ranges_and_are_reproducible() -> None:
    plan = schedule({"random": {"count": 30, "start_s": 1.0, "every_s": 1.0, "seed": 4}})
    assert plan == schedule({"random": {"count": 30, "start_s": 1.0, "every_s": 1.0, "seed": 4}})
    assert len(plan) == 30 and {m.kind for m in plan} == {"brow_raise", "lip_pull"}
    assert all(0.08 <= m.onset_s <= 0.15 and 0.2 <= m.total_s <= 0.5 and 2 <= m.pixels <= 4 for m in plan)


def test_random_kinds_draw_only_the_kinds_named_and_default_to_the_first_two() -> None:
    named = schedule({"random": {"count": 30, "every_s": 1.0, "seed": 4, "kinds": ["lid_tighten", "brow_lower"]}})
    assert {m.kind for m in named} == {"lid_tighten", "brow_lower"} and all(m.micro for m in named)
    default = schedule({"random": {"count": 30, "every_s": 1.0, "seed": 4}})
    explicit = schedule({"random": {"count": 30, "every_s": 1.0, "seed": 4, "kinds": list(RANDOM_KINDS)}})
    assert default == explicit and RANDOM_KINDS == ("brow_raise", "lip_pull")
    assert [m.onset_s for m in named] == [m.onset_s for m in default]  # the same draws, only the kinds differ


# rows of a 640x480 frame (head patch from row 24, 2.08 frame px per crop px): brows ~184, eyes ~205,
# nose wings ~251, lip corners ~290; each kind changes its own rows and none of another region's
REGIONS = {
    "brow_lower": ((160, 270), (280, 330)),  # brows and nose wings, not the mouth
    "lip_corner_depress": ((265, 320), (150, 250)),  # the mouth, not the brows or eyes
    "lid_tighten": ((180, 235), (250, 330)),  # the eyes, not the nose or mouth
}


@pytest.mark.parametrize("kind", sorted(REGIONS))
def test_each_new_kind_moves_its_own_face_region(kind) -> None:
    cam = camera({"movements": [{"at_s": 0.5, "kind": kind, "onset_ms": 100, "total_ms": 300, "pixels": 4}]})
    got = frames(cam, {20, 36, 60})  # before, apex (0.6 s), after
    head = (slice(30, 450), slice(135, 505))
    ys, _xs = np.nonzero(np.abs(got[36][head] - got[20][head]) > 8)
    ys = ys + 30
    (lo, hi), (quiet_lo, quiet_hi) = REGIONS[kind]
    assert len(ys) > 50, f"{kind} changed almost nothing"
    inside = np.mean((ys >= lo) & (ys <= hi))
    assert inside > 0.97, f"{kind}: only {inside:.0%} of the changed pixels in rows {lo}-{hi}"
    assert not np.any((ys >= quiet_lo) & (ys <= quiet_hi)), f"{kind} changed rows {quiet_lo}-{quiet_hi}"
    assert np.array_equal(got[20][head], got[60][head])


def test_brow_lower_moves_the_brows_down_where_brow_raise_moves_them_up() -> None:
    def brow_shift(kind: str) -> int:
        cam = camera({"movements": [{"at_s": 0.5, "kind": kind, "onset_ms": 100, "total_ms": 300, "pixels": 4}]})
        got = frames(cam, {20, 36})
        apex = got[36][178:192, 262:292]  # the middle of the left brow at the apex
        errors = {s: np.abs(got[20][178 - s : 192 - s, 262:292] - apex).mean() for s in range(-6, 7)}
        return min(errors, key=errors.__getitem__)  # the still picture moved down by this matches best

    assert brow_shift("brow_lower") >= 2 and brow_shift("brow_raise") <= -2


def test_a_brow_raise_changes_the_brows_at_its_apex_and_nothing_before_or_after() -> None:
    cam = camera({"movements": [{"at_s": 0.5, "kind": "brow_raise", "onset_ms": 100, "total_ms": 300, "pixels": 4}]})
    got = frames(cam, {20, 36, 60})  # before, apex (0.6 s), after
    head = (slice(30, 450), slice(135, 505))  # inside the head patch (the background scrolls 3 px a frame)
    changed = np.abs(got[36][head] - got[20][head]) > 8
    assert changed.any()
    ys, _xs = np.nonzero(changed)
    assert ys.max() - ys.min() < 60, "the warp reaches beyond the brows"
    assert ys.mean() + 30 < 240, "brows are in the upper half of the frame"
    assert np.array_equal(got[20][head], got[60][head])


def test_a_lip_pull_moves_the_lower_face() -> None:
    cam = camera({"movements": [{"at_s": 0.5, "kind": "lip_pull", "onset_ms": 100, "total_ms": 300, "pixels": 4}]})
    got = frames(cam, {20, 36})
    ys, _ = np.nonzero(np.abs(got[36][30:450, 135:505] - got[20][30:450, 135:505]) > 8)
    assert len(ys) and ys.mean() + 30 > 240


def test_brightness_distractor_dims_the_frame_and_comes_back() -> None:
    cam = camera({"distractors": [{"kind": "brightness", "at_s": 0.5, "duration_s": 0.4, "change": -0.3}]})
    got = frames(cam, {20, 42, 70})
    face = (slice(150, 330), slice(220, 420))
    assert got[42][face].mean() == pytest.approx(0.7 * got[20][face].mean(), rel=0.03)
    assert np.array_equal(got[70][face], got[20][face])


def test_head_translation_moves_the_whole_face() -> None:
    cam = camera({"distractors": [{"kind": "head_translation", "at_s": 0.5, "duration_s": 2.0, "pixels": 16}]})
    got = frames(cam, {20, 90})  # the middle: full shift of 16 px right, 8 down
    before, middle = got[20][100:400, 150:500], got[90][108:408, 166:516]
    assert np.abs(before - middle).mean() < 2
    assert np.abs(got[20][100:400, 150:500] - got[90][100:400, 150:500]).mean() > 10


def test_expressions_need_a_face() -> None:
    with pytest.raises(CameraConfigError, match="need a face"):
        camera({"movements": []}, face=False)


@pytest.mark.parametrize(
    "expressions,message",
    [
        ({"movement": []}, "unknown key 'movement'"),
        ({"movements": [{"at_s": 1, "kind": "wink"}]}, "kind 'wink'"),
        ({"movements": [{"at_s": 1, "onset_ms": 300, "total_ms": 200}]}, "onset_ms < total_ms"),
        ({"random": {"count": 2.5}}, "wrong type"),
        ({"random": {"count": 5, "every_s": 0.3}}, "every_s must be > 0.6"),
        ({"random": {"count": 2, "kinds": ["frown"]}}, "'kinds' must be a non-empty list"),
        ({"random": {"count": 2, "kinds": []}}, "'kinds' must be a non-empty list"),
        ({"random": {"count": 2, "kinds": "lid_tighten"}}, "'kinds' must be a non-empty list"),
        ({"distractors": [{"kind": "sneeze", "at_s": 1, "duration_s": 1}]}, "sneeze"),
    ],
)
def test_expressions_option_is_strict(tmp_path, expressions, message) -> None:
    rig = write_rig(tmp_path / "rig.yaml", {"cam": sim_camera(face={"image": "astronaut"}, expressions=expressions)})
    with pytest.raises(ConfigError, match=message):
        load_rig(rig)


def test_shipped_spotting_rig_loads_with_the_same_face_on_both_cameras() -> None:
    rig = load_rig("sim-spotting")
    plans = [schedule(s.options["expressions"]) for s in rig.cameras.values()]
    assert plans[0] == plans[1] and sum(m.micro for m in plans[0]) == 20
