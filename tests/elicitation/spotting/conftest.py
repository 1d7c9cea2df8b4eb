"""Synthetic sessions for the spotting tests, recorded with the sim cameras and the real encoder."""

from __future__ import annotations

from pathlib import Path

import pytest

from elicitation.spotting.synthetic import simulate
from hardware.rig import load_rig
from tests.conftest import sim_camera, write_rig

FACE = {"image": "astronaut", "movement_px": 3}


def spotting_rig(path: Path, expressions: dict) -> Path:
    return write_rig(path, {
        "gras": sim_camera(640, 480, "mono8", face=FACE, expressions=expressions),
        "uvc": sim_camera(1280, 720, "bgr24", seed=1, face=FACE, expressions=expressions),
    })  # fmt: skip


@pytest.fixture(scope="session")
def small_set(tmp_path_factory) -> Path:
    """One session, one 3 s episode on both cameras, two movements: a copy per test that changes it."""
    root = tmp_path_factory.mktemp("small_set")
    rig = spotting_rig(root / "rig.yaml", {"movements": [
        {"at_s": 0.8, "kind": "brow_raise", "onset_ms": 100, "total_ms": 300, "pixels": 3},
        {"at_s": 2.0, "kind": "lip_pull", "onset_ms": 120, "total_ms": 400, "pixels": 3},
    ]})  # fmt: skip
    simulate(root / "data", load_rig(rig), [("01", 0.0, 3.0)])
    return root / "data"
