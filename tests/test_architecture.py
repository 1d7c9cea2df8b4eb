"""The house plan's dependency rules (pyproject.toml [tool.importlinter]) hold, and they can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

LINT = shutil.which("lint-imports")
pytestmark = pytest.mark.skipif(LINT is None, reason="import-linter is part of the test extra")


def lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([LINT, "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def copy_of_the_tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    for name in ("elicitation", "hardware", "stimuli"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "demo"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_tree_keeps_every_contract():
    result = lint(REPO)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("hardware/clock.py", "import elicitation.folder", "hardware never imports elicitation"),
        ("hardware/cameras/sim/camera.py", "import hardware.recording", "camera backends import only"),
        ("hardware/cameras/pyspin/camera.py", "import hardware.cameras.genicam", "independent of each other"),
        ("hardware/analysis/validation.py", "import hardware.recording", "analysis never imports recording"),
        ("elicitation/folder/state.py", "import elicitation.session", "elicitation layers"),
        ("elicitation/report/page.py", "import psychopy", "never imports PsychoPy"),
        ("elicitation/web/app.py", "import elicitation.workbench", "elicitation layers"),
        ("elicitation/dashboard/app.py", "import elicitation.session", "elicitation layers"),
        ("hardware/vision/framing.py", "import hardware.recording", "hardware layers"),
    ],
)
def test_a_forbidden_import_is_caught(tmp_path, module, line, contract):
    root = copy_of_the_tree(tmp_path)
    with open(root / module, "a") as f:
        f.write(f"\n{line}  # noqa\n")
    result = lint(root)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout[-3000:]
