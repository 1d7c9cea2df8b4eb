"""The experiment process's memory over a session: it must not grow from episode to episode.

Runs bench/memory.py's measurement (the CLI session as a user runs it, psutil RSS of the PsychoPy
process sampled between episodes) with three short 720p clips (reviews 2-3 and ready screen 3 against
episode 2's: the old growth was 150-300 MB per review, so a 50 MB limit still catches one such review).
Before the malloc-arena limit (elicitation/screen/allocator.py) the RSS after a self-review rose by 150-300 MB
over episode 2's, because every clip's decoder threads and every review's decoded frames landed in fresh arenas.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.conftest import sim_camera, write_rig
from tests.xdisplay import display_env

REPO = Path(__file__).resolve().parents[2]
GROWTH_LIMIT_MB = 50.0


def _bench():
    spec = importlib.util.spec_from_file_location("bench_memory", REPO / "bench" / "memory.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_rss_between_episodes_stays_flat(tmp_path: Path) -> None:
    # the shipped sim rig's cameras; this test is about memory, so a loaded machine's camera rate
    # must not fail the preflight
    cameras = {"gras": sim_camera(640, 480, "mono8"), "uvc": sim_camera(1280, 720, "bgr24", seed=1)}
    relaxed = {"max_rate_error_pct": 25.0, "max_dropped": 10000, "max_interval_sd_ms": 200.0, "max_p99_periods": 20.0}
    rig = write_rig(tmp_path / "rig.yaml", cameras, validation=relaxed)
    result = _bench().measure(3, 4.0, 1280, 720, str(rig), tmp_path / "run", env=display_env())
    rows = result["per_episode"]
    assert [r["episode"] for r in rows] == [1, 2, 3]
    assert all("rss_after_review_mb" in r for r in rows)  # every review ran and was sampled
    assert result["growth_mb_from_episode2"] < GROWTH_LIMIT_MB, rows
