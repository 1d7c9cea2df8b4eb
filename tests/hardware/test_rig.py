"""Rig files: shipped rigs load; every mistake is refused with file, line and key."""

from __future__ import annotations

import pytest

from hardware.rig import load_rig
from hardware.strict_yaml import ConfigError
from tests.conftest import SIM_RIG

GOOD = """\
name: t
cameras:
  gras:
    backend: sim
    width: 640
    height: 480
    pixel_format: mono8
    fps: 60
"""


def test_shipped_sim_rig_has_the_papers_two_cameras():
    rig = load_rig(SIM_RIG)
    gras, uvc = rig.cameras["gras"], rig.cameras["uvc"]
    assert (gras.width, gras.height, gras.pixel_format, gras.fps) == (640, 480, "mono8", 60)
    assert (uvc.width, uvc.height, uvc.pixel_format, uvc.fps) == (1280, 720, "mjpeg", 60)  # the BenQ's UVC stream
    assert load_rig("sim").cameras.keys() == rig.cameras.keys()  # a bare name finds the shipped rig


def _error(tmp_path, text: str) -> str:
    path = tmp_path / "rig.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_rig(path)
    return str(info.value)


def test_unknown_key_names_key_line_and_suggestion(tmp_path):
    message = _error(tmp_path, GOOD.replace("    fps: 60", "    fsp: 60"))
    assert "rig.yaml:8:" in message
    assert "unknown key 'fsp'" in message and "did you mean 'fps'" in message


def test_missing_required_field(tmp_path):
    message = _error(tmp_path, GOOD.replace("    height: 480\n", ""))
    assert "missing required key 'height'" in message and "cameras.gras" in message


def test_wrong_type_and_bad_choice(tmp_path):
    message = _error(tmp_path, GOOD.replace("fps: 60", "fps: fast").replace("mono8", "mono7"))
    assert "rig.yaml:8:5: 'cameras.gras.fps' must be float" in message
    assert "rig.yaml:7:5: 'cameras.gras.pixel_format' is 'mono7'" in message


def test_boolean_is_not_a_number(tmp_path):
    assert "must be int" in _error(tmp_path, GOOD.replace("width: 640", "width: yes"))


def test_sim_fault_keys_are_checked(tmp_path):
    message = _error(tmp_path, GOOD + "    jitter_ms: -3\n    drop_frame: [1]\n")
    assert "'cameras.gras.jitter_ms' must be >= 0" in message
    assert "rig.yaml:10:" in message and "unknown key 'drop_frame'" in message


def test_unsafe_camera_name_and_unknown_backend(tmp_path):
    message = _error(tmp_path, GOOD.replace("  gras:", "  ../x:"))
    assert "camera name '../x'" in message
    message = _error(tmp_path, GOOD.replace("backend: sim", "backend: spinnaker"))
    assert "'cameras.gras.backend' is 'spinnaker'; allowed:" in message


def test_thresholds_override_per_rig_and_per_camera(tmp_path):
    text = "validation:\n  max_dropped: 2\n" + GOOD + "    validation:\n      max_interval_sd_ms: 5\n"
    (tmp_path / "rig.yaml").write_text(text)
    rig = load_rig(tmp_path / "rig.yaml")
    assert rig.thresholds["gras"].max_dropped == 2
    assert rig.thresholds["gras"].max_interval_sd_ms == 5.0
    assert "'validation.max_dropped' must be >= 0" in _error(tmp_path, "validation:\n  max_dropped: -1\n" + GOOD)


def test_not_yaml_and_missing_file(tmp_path):
    assert "not valid YAML" in _error(tmp_path, "name: [unclosed\n")
    with pytest.raises(ConfigError, match="no such file"):
        load_rig(tmp_path / "absent.yaml")


def test_dataset_class_defaults_to_the_camera_name_and_is_checked(tmp_path):
    path = tmp_path / "rig.yaml"
    path.write_text(GOOD + "  benq:\n    backend: sim\n    width: 640\n    height: 480\n    pixel_format: bgr24\n"
                    "    fps: 60\n    class: A\n")  # fmt: skip
    rig = load_rig(path)
    assert (rig.cameras["gras"].dataset_class, rig.cameras["benq"].dataset_class) == ("gras", "A")
    assert (load_rig(SIM_RIG).cameras["uvc"].dataset_class, load_rig(SIM_RIG).cameras["gras"].dataset_class) == (
        "A", "B")  # fmt: skip
    message = _error(tmp_path, GOOD + "    class: ../up\n")
    assert "rig.yaml:9" in message and "cameras.gras.class" in message
    assert "rig.yaml:9" in _error(tmp_path, GOOD + "    class: 3\n")  # a number is not a class name


def test_reference_camera_is_at_most_one(tmp_path):
    benq = "  benq:\n    backend: sim\n    width: 640\n    height: 480\n    pixel_format: bgr24\n    fps: 60\n"
    path = tmp_path / "rig.yaml"
    path.write_text(GOOD + benq + "    reference: true\n")
    rig = load_rig(path)
    assert (rig.cameras["gras"].reference, rig.cameras["benq"].reference) == (False, True)
    assert "at most one camera" in _error(tmp_path, GOOD + "    reference: true\n" + benq + "    reference: true\n")
