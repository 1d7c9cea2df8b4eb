"""Protocol and manifest files: the shipped ones follow the paper; mistakes are refused with file,
line and key before any window opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from elicitation.protocol import load_protocol
from hardware.strict_yaml import ConfigError
from stimuli.manifest import load_manifest
from tests.conftest import REPO, run_elicit

DEMO = (REPO / "protocols" / "demo.yaml").read_text()


def test_casme_protocol_follows_table_vi_and_section_iii_b():
    p = load_protocol(REPO / "protocols" / "casme.yaml")
    assert [e.clip.id for e in p.episodes] == [f"ep{n:02d}" for n in range(1, 18)]
    mains = {e.number: [m["emotion"] for m in e.clip.main_emotions] for e in p.episodes}
    assert mains[1] == mains[4] == ["amusement"] and mains[5] == mains[8] == ["disgust"]
    assert mains[9] == mains[10] == ["fear"] and mains[11] == [] and mains[12] == ["disgust", "fear"]
    assert mains[13] == mains[14] == ["sadness"] and mains[15] == ["anger", "sadness"] and mains[17] == ["anger"]
    assert all(e.clip.duration_range == (50.0, 270.0) for e in p.episodes)
    assert (p.penalty_amount, p.penalty_currency) == (5.0, "RMB")
    assert "5 RMB" in p.text("penalty") and "social" in p.text("instructions")
    assert p.before[-1] == "sync_flash" and p.after[0] == "sync_flash"
    assert p.after_each == ["rating", "review", "rest"]
    assert p.rating.emotions == ("amusement", "disgust", "fear", "sadness", "anger", "surprise", "tense", "none")
    # the main emotions are metadata: no participant-facing text names them
    texts = " ".join(s.text + s.title + s.hint for s in p.screens.values()).lower()
    assert "amusement" not in texts and "anger" not in texts


def test_demo_protocol_has_the_same_steps_and_three_short_episodes():
    casme, demo = load_protocol(REPO / "protocols" / "casme.yaml"), load_protocol(REPO / "protocols" / "demo.yaml")
    assert [demo.before, demo.before_each, demo.after_each, demo.after] == [
        casme.before, casme.before_each, casme.after_each, casme.after]  # fmt: skip
    assert len(demo.episodes) == 3 and all(5 <= e.clip.duration_range[0] <= 10 for e in demo.episodes)


def _error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "protocol.yaml"
    path.write_text(text.replace("../stimuli/demo.yaml", str(REPO / "stimuli" / "demo.yaml")))
    with pytest.raises(ConfigError) as info:
        load_protocol(path)
    return str(info.value)


def _place_of(text: str, needle: str, at: str | None = None) -> str:
    """`line:column` (1-based) of the line holding `needle`: its first key, or where `at` starts."""
    number, line = next((i, line) for i, line in enumerate(text.splitlines(), start=1) if needle in line)
    column = line.index(at) if at else len(line) - len(line.lstrip())
    return f"{number}:{column + 1}"


def test_misspelt_key_names_file_line_and_key(tmp_path):
    bad = DEMO.replace("  currency: RMB", "  curency: RMB")
    message = _error(tmp_path, bad)
    assert f"protocol.yaml:{_place_of(bad, 'curency')}: penalty: unknown key 'curency'" in message
    assert "did you mean 'currency'" in message and "missing required key 'currency'" in message


def test_wrong_type_missing_field_unknown_step_and_placeholder(tmp_path):
    bad = DEMO.replace("  flashes: 2", "  flashes: two")
    assert f":{_place_of(bad, 'flashes: two')}: 'sync_flash.flashes' must be int" in _error(tmp_path, bad)
    bad = DEMO.replace("after: [sync_flash, end]", "after: [sync_flash, ending]")
    assert f":{_place_of(bad, 'ending', at='[')}: after: unknown step 'ending'" in _error(tmp_path, bad)
    bad = DEMO.replace("Deducted: {deducted} {currency}", "Deducted: {deduction}")
    assert "unknown placeholder {deduction}" in _error(tmp_path, bad)
    bad = DEMO.replace("episodes: [demo1, demo2, demo3]", "episodes: [demo1, demo4]")
    assert "clip 'demo4' is not in demo.yaml" in _error(tmp_path, bad)
    start = DEMO.index("  pause:\n    title: Paused")
    assert "missing the 'pause' screen" in _error(tmp_path, DEMO[:start])


def test_manifest_errors_name_line_and_key(tmp_path):
    text = (REPO / "stimuli" / "demo.yaml").read_text().replace("duration_s: [5, 10]", "duration_s: [10, 5]", 1)
    text = text.replace("    fps: 30\n", "    fsp: 30\n", 1)
    path = tmp_path / "m.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_manifest(path)
    message = str(info.value)
    assert f"m.yaml:{_place_of(text, '[10, 5]')}: 'clips.demo1.duration_s' must be [min, max]" in message
    assert f"m.yaml:{_place_of(text, 'fsp')}: clips.demo1: unknown key 'fsp'" in message


def test_cli_refuses_a_bad_protocol_with_exit_2_before_anything_exists(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(DEMO.replace("../stimuli/demo.yaml", str(REPO / "stimuli" / "demo.yaml")).replace(
        "  penalty: m ", "  penalti: m "))  # fmt: skip
    result = run_elicit("run", str(path), "--participant", "P1", "--rig", "sim", "--out", str(tmp_path / "d"))
    assert result.returncode == 2 and "unknown key 'penalti'" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "d").exists()
