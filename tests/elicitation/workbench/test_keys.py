"""Configurable keys (elicitation.workbench.keys)."""

from __future__ import annotations

from pathlib import Path

import pytest

from elicitation.folder import BadInput
from elicitation.workbench import ACTIONS, load_keys
from elicitation.workbench.keys import help_rows


def test_defaults_and_an_override(tmp_path: Path) -> None:
    assert load_keys(None)["next10"] == "Shift+ArrowRight" and load_keys(None)["half"] == "h"
    path = tmp_path / "keys.yaml"
    path.write_text("onset: i\nprev10: shift+ArrowLeft\n")
    keys = load_keys(path)
    assert keys["onset"] == "i" and keys["prev10"] == "Shift+ArrowLeft" and keys["apex"] == "a"
    assert ("I", ACTIONS["onset"][1]) in help_rows(keys)  # the list on screen shows the configured key


@pytest.mark.parametrize(
    ("text", "reason"),
    [("onsett: i\n", "unknown action 'onsett'"), ("onset: a\n", "key 'a' is given to both"), ("- o\n", "maps actions")],
)
def test_bad_keys_files_are_refused_with_the_reason(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(text)
    with pytest.raises(BadInput, match=reason):
        load_keys(path)
