"""Every YAML refusal names its place one way, file:line:column, whoever loads the file
(rig, protocol, stimulus manifest) and whether YAML or the schema refuses it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from elicitation.protocol import load_protocol
from hardware.rig import load_rig
from hardware.strict_yaml import ConfigError, Line, place
from stimuli.manifest import load_manifest
from tests.conftest import REPO

LOADERS = {"rig": load_rig, "protocol": load_protocol, "manifest": load_manifest}
PLACE = re.compile(r"^(?P<file>[^:]+\.yaml):(?P<line>\d+):(?P<column>\d+): \S")


def _refusal(path: Path, text: str, loader: str) -> str:
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        LOADERS[loader](path)
    return str(info.value)


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_a_tab_is_refused_at_its_line_and_column_without_pyyaml_s_stream_name(tmp_path, loader):
    message = _refusal(tmp_path / "f.yaml", "name: x\nkeys:\n  a: 1\n\tb: 2\n", loader)
    assert message.startswith(f"{tmp_path / 'f.yaml'}:4:1: not valid YAML: found character '\\t'"), message
    assert "<unicode string>" not in message and "line 4" not in message and "tabs" in message


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_a_duplicate_key_names_file_line_and_column_once(tmp_path, loader):
    message = _refusal(tmp_path / "f.yaml", "name: x\nother:\n  a: 1\n  a: 2\n", loader)
    assert message == f"{tmp_path / 'f.yaml'}:4:3: duplicate key 'a'"


def test_schema_errors_carry_the_key_s_column(tmp_path):
    rig = "name: x\ncameras:\n  cam:\n    backend: sim\n    width: 640\n    height: 480\n" \
          "    pixel_format: mono8\n    fps: 60\n      # comment\n    fsp: 1\n"  # fmt: skip
    message = _refusal(tmp_path / "rig.yaml", rig, "rig")
    assert message == f"{tmp_path / 'rig.yaml'}:10:5: cameras.cam: unknown key 'fsp' (did you mean 'fps'?)"


def test_every_line_of_a_long_refusal_has_the_one_format(tmp_path):
    protocol = (REPO / "protocols" / "demo.yaml").read_text()
    protocol = protocol.replace("../stimuli/demo.yaml", str(REPO / "stimuli" / "demo.yaml"))
    protocol = protocol.replace("  currency: RMB", "  curency: RMB").replace("  flashes: 2", "  flashes: two")
    message = _refusal(tmp_path / "p.yaml", protocol, "protocol")
    lines = message.splitlines()
    assert len(lines) >= 3
    assert all(PLACE.match(line) for line in lines), lines


def test_place_of_a_plain_number_points_at_column_1():
    assert place("f.yaml", Line(7, 3)) == "f.yaml:7:3"
    assert place("f.yaml", 7) == "f.yaml:7:1" and place("f.yaml", 0) == "f.yaml:1:1"
