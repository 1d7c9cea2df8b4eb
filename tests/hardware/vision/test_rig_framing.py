"""A rig camera's own framing thresholds: checked strictly, only the keys set are kept."""

from __future__ import annotations

import pytest

from hardware.rig import load_rig
from hardware.strict_yaml import ConfigError
from tests.conftest import sim_camera, write_rig


def test_rig_camera_framing_thresholds(tmp_path):
    cameras = {"side": sim_camera(framing={"max_offset_share": 0.4}), "front": sim_camera()}
    rig = write_rig(tmp_path / "rig.yaml", cameras)
    loaded = load_rig(rig)
    assert loaded.framing == {"side": {"max_offset_share": 0.4}}
    assert "framing" not in loaded.cameras["side"].options


def test_rig_framing_is_strict(tmp_path):
    rig = write_rig(tmp_path / "rig.yaml", {"cam": sim_camera(framing={"max_ofset_share": 0.4})})
    with pytest.raises(ConfigError, match="did you mean 'max_offset_share'"):
        load_rig(rig)
