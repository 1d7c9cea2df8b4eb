"""Shared test helpers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SIM_RIG = REPO / "hardware" / "rigs" / "sim.yaml"
CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium (.ci/install): Playwright never downloads a browser
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def run_elicit(*args: str, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """Run the CLI as a user would (a fresh process), capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "elicitation", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=kwargs.pop("cwd", REPO),
        **kwargs,
    )


def write_rig(path: Path, cameras: dict, **top) -> Path:
    """Write a rig YAML file; cameras maps name -> settings."""
    data = {"name": top.pop("name", "test"), **top, "cameras": cameras}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def sim_camera(width=640, height=480, pixel_format="mono8", fps=60, **faults) -> dict:
    return {"backend": "sim", "width": width, "height": height, "pixel_format": pixel_format, "fps": fps, **faults}


@pytest.fixture
def small_rig(tmp_path: Path) -> Path:
    """Two small simulated cameras: cheap enough for many short recordings."""
    return write_rig(
        tmp_path / "rig.yaml",
        {"cam_a": sim_camera(400, 64), "cam_b": sim_camera(400, 64, "bgr24", seed=3)},
    )


@pytest.fixture(scope="session")
def demo_session(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path, Path]:
    """`elicit demo` run once for every test that inspects its session (about a minute)."""
    from tests.xdisplay import display_env

    for _attempt in range(3):  # a loaded machine can fail the sim cameras' 2 s preflight: that is the app's
        root = tmp_path_factory.mktemp("demo")  # rule working, not what these tests look at, so try again
        shots = root / "shots"
        result = run_elicit("demo", "--out", str(root / "data"), "--screenshots", str(shots), "--rig", "sim",
                            env=display_env())  # the astronaut: tests know where its face is  # fmt: skip
        if "preflight failed: camera" not in result.stderr:
            break
    return result, root / "data" / "sub-demo" / "ses-1", shots


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium driven by Playwright, shared by the browser tests; new_page() per test."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"no {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
