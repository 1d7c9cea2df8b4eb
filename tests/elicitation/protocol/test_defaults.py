"""Protocol defaults are declared once (the field tables): a protocol that leaves a section out gets exactly
what the settings objects default to; the autopilot presses the keys the protocol's settings name."""

from __future__ import annotations

import pytest

from elicitation.protocol import RatingKeys, RatingSettings, ReviewKeys, ReviewSettings, load_protocol
from elicitation.protocol.schema import Display, Keys, SyncFlash
from elicitation.session.autopilot import Autopilot
from tests.conftest import REPO

MINIMAL = f"""
name: minimal
stimuli: {REPO / "stimuli" / "demo.yaml"}
episodes: [demo1]
penalty: {{amount: 1, currency: EUR}}
screens:
  pause: {{text: Paused}}
  abort_confirm: {{text: Stop now}}
before: []
after_each: [rating]
after: []
"""


@pytest.fixture(scope="module")
def minimal(tmp_path_factory):
    path = tmp_path_factory.mktemp("p") / "minimal.yaml"
    path.write_text(MINIMAL)
    return load_protocol(path)


def test_left_out_sections_get_the_settings_defaults(minimal):
    assert minimal.rating == RatingSettings()
    assert minimal.review == ReviewSettings()
    assert minimal.display == Display() and minimal.keys == Keys() and minimal.sync_flash == SyncFlash()
    assert minimal.rating.prompt.startswith("Which emotions did you feel")  # not an empty prompt
    assert minimal.screens["pause"].advance == "participant"


def test_mutable_defaults_are_not_shared():
    a, b = ReviewSettings(), ReviewSettings()
    assert a.categories == b.categories and a.categories is not b.categories


def test_the_autopilot_presses_the_rating_and_review_keys_of_the_settings(minimal):
    rating = RatingSettings(keys=RatingKeys(down="j", choose="k", done="l"))
    review = ReviewSettings(keys=ReviewKeys(flag="g", done="q", confirm="v"))
    pilot = Autopilot(3, minimal.keys, rating, review)
    for seed in range(20):  # some answers walk down the list, some choose "none"
        pilot.rng.seed(seed)
        pilot.on_screen("rating", 10.0, main_emotions=[{"emotion": "fear", "mean_score": 4.0}])
        names = [k.name for k in pilot.due(100.0)]
        assert names[-1] == "l" and not {"down", "space", "return"} & set(names), names
        assert set(names) - {"j", "k", "l"} <= set("0123456"), names
    pilot.on_screen("review", 200.0, categories=3)
    names = [k.name for k in pilot.due(300.0)]
    assert names[0] == "g" and names[-1] == "q" and names[1] in "123"
    pilot.on_screen("review", 400.0, later=True, flags=2, categories=3)
    assert [k.name for k in pilot.due(500.0)] == ["v", "q"]


def test_framing_section_defaults_come_from_the_thresholds_and_can_be_set(minimal, tmp_path):
    from elicitation.protocol import FramingSettings
    from hardware.vision import FramingThresholds

    assert minimal.framing == FramingSettings() and minimal.framing.thresholds == FramingThresholds()
    assert minimal.framing.required is False and minimal.framing.face_lost_min_s == 0.3
    path = tmp_path / "framing.yaml"
    path.write_text(MINIMAL + "framing: {required: true, face_lost_min_s: 0.5, min_face_share: 0.2}\n")
    framing = load_protocol(path).framing
    assert framing.required and framing.face_lost_min_s == 0.5
    assert framing.thresholds == FramingThresholds(min_face_share=0.2)


def test_framing_section_is_strict(tmp_path):
    from hardware.strict_yaml import ConfigError

    path = tmp_path / "framing.yaml"
    path.write_text(MINIMAL + "framing: {min_face_shar: 0.2, checkin: nowhere}\n")
    with pytest.raises(ConfigError) as err:
        load_protocol(path)
    assert "did you mean 'min_face_share'" in str(err.value) and "no screen 'nowhere'" in str(err.value)
