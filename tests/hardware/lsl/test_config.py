"""The rig's ``lsl:`` block: off by default, strict, names and source ids that do not change."""

from __future__ import annotations

import pytest

from hardware.rig import load_rig
from hardware.strict_yaml import ConfigError
from tests.conftest import sim_camera, write_rig


def test_no_lsl_block_means_nothing_is_sent_or_recorded(tmp_path):
    rig = load_rig(write_rig(tmp_path / "rig.yaml", {"cam": sim_camera()}))
    assert not rig.lsl.enabled and not rig.lsl.markers and not rig.lsl.cameras and rig.lsl.record == ()


def test_a_full_block_is_read_with_stable_names_and_source_ids(tmp_path):
    lsl = {"markers": True, "cameras": True, "name_prefix": "lab3",
           "record": [{"name": "BioSemi", "type": "EEG"}, {"name": "Tobii", "required": False}]}  # fmt: skip
    config = load_rig(write_rig(tmp_path / "rig.yaml", {"cam": sim_camera()}, lsl=lsl)).lsl
    again = load_rig(tmp_path / "rig.yaml").lsl  # a resume loads the rig again
    assert config.marker_stream == "lab3_markers" and config.camera_stream("cam") == "lab3_cam"
    assert config.source_id(config.marker_stream) == again.source_id(again.marker_stream) != ""
    assert [(r.name, r.type, r.required) for r in config.record] == [("BioSemi", "EEG", True), ("Tobii", "", False)]


@pytest.mark.parametrize(("lsl", "message"), [
    ({"marker": True}, "lsl: unknown key 'marker' (did you mean 'markers'?)"),
    ({"markers": "yes"}, "'lsl.markers' must be bool"),
    ({"record": [{"type": "EEG"}]}, "lsl.record[0]: missing required key 'name'"),
    ({"record": [{"name": "../eeg"}]}, "it names the file lsl/<name>.tsv"),
    ({"record": [{"name": "eeg"}, {"name": "eeg"}]}, "is listed twice"),
    ({"name_prefix": "my lab"}, "'lsl.name_prefix' must be a letter"),
])  # fmt: skip
def test_a_wrong_block_is_refused_with_file_line_and_key(tmp_path, lsl, message):
    path = write_rig(tmp_path / "rig.yaml", {"cam": sim_camera()}, lsl=lsl)
    with pytest.raises(ConfigError) as info:
        load_rig(path)
    assert message in str(info.value) and str(path) in str(info.value)
