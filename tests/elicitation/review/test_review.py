"""The participant's self-review: flags from the demo session's autopilot, `elicit review` appending, the player's
timing, and the rule that only the session's own recording is shown."""

from __future__ import annotations

import shutil
import time

import numpy as np
import pytest

from elicitation.folder import read_review
from elicitation.review import Player, ReviewClip, ReviewError
from hardware.recording import Recorder
from hardware.rig import load_rig
from hardware.video import read_frames_tsv
from tests.conftest import run_elicit, sim_camera, write_rig
from tests.session_checks import load
from tests.xdisplay import display_env


def test_demo_flags_one_movement_per_episode_on_a_frame_of_that_episodes_file(demo_session):
    _, folder, shots = demo_session
    state, events = load(folder)
    rows = read_review(folder / "review.tsv")
    assert [r["episode"] for r in rows] == ["01", "02", "03"] and {r["action"] for r in rows} == {"flag"}
    table = read_frames_tsv(folder / "video" / "gras_frames.tsv")
    for row in rows:
        assert row["camera"] == "gras" and row["file"] == state["episodes"][row["episode"]]["video"]["gras"]
        assert row["category"] in {"blowing_nose", "swallowing", "inhaling", "eyesight_change", "other"}
        in_file = table.rows_in_file(row["file"])
        frame = int(row["file_frame"])
        assert 0 <= frame < len(in_file)
        assert float(row["clock_time"]) == pytest.approx(table.host_time[in_file[frame]], abs=1e-6)
    assert [e["episode"] for e in events if e["trial_type"] == "review"] == ["01", "02", "03"]
    assert (shots / "09_review.png").is_file() or any(p.name.endswith("_review.png") for p in shots.iterdir())


def test_later_review_appends_confirmations_and_leaves_earlier_rows_alone(demo_session, tmp_path):
    _, folder, _ = demo_session
    copy = tmp_path / "ses-1"
    shutil.copytree(folder, copy)
    before = (copy / "review.tsv").read_bytes()
    result = run_elicit("review", str(copy), "--episode", "1", "--autopilot", "--windowed", env=display_env())
    assert result.returncode == 0, result.stdout + result.stderr
    after = (copy / "review.tsv").read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    new = read_review(copy / "review.tsv")[3:]
    assert [(r["episode"], r["action"], r["source"]) for r in new] == [("01", "confirm", "later")]
    assert new[0]["file_frame"] == read_review(copy / "review.tsv")[0]["file_frame"]
    bad = run_elicit("review", str(copy), "--episode", "9")
    assert bad.returncode == 2 and "not a finished episode" in bad.stderr


@pytest.fixture
def recorded(tmp_path):
    rig = load_rig(write_rig(tmp_path / "rig.yaml", {"gras": sim_camera(400, 64)}))
    with Recorder(rig, tmp_path / "video", first_suffix="ep01"):
        time.sleep(1.2)
    return tmp_path


def test_player_shows_each_frame_at_its_recorded_time_and_steps(recorded):
    clip = ReviewClip.from_session(recorded, "gras", "gras_ep01.mkv", "mono8")
    player = Player(clip)
    try:
        t0 = 1000.0
        player.update(t0)
        assert player.index == 0 and player.image.shape == (64, 400, 3)
        time.sleep(0.5)  # let the decoder run ahead
        player.update(t0 + 0.5)
        expected = int(np.searchsorted(clip.host_time, clip.host_time[0] + 0.5, side="right")) - 1
        assert player.index == expected  # the newest frame due, no earlier, no later
        player.toggle(t0 + 0.5)  # pause
        player.update(t0 + 5.0)
        assert player.index == expected  # paused: nothing moves
        player.step(-1)
        assert player.index == expected - 1
        player.step(1)
        player.step(1)
        assert player.index == expected + 1
    finally:
        player.close()


def test_only_the_sessions_own_recording_can_be_reviewed(recorded, tmp_path):
    outside = tmp_path / "elsewhere.mkv"
    shutil.copy(recorded / "video" / "gras_ep01.mkv", outside)
    for name in ("../elsewhere.mkv", str(outside), "uvc_ep01.mkv", "gras_ep02.mkv"):
        with pytest.raises(ReviewError):
            ReviewClip.from_session(recorded, "gras", name, "mono8")
    (recorded / "video" / "gras_extra.mkv").write_bytes(outside.read_bytes())  # a file the recorder did not list
    with pytest.raises(ReviewError, match="lists no frame"):
        ReviewClip.from_session(recorded, "gras", "gras_extra.mkv", "mono8")
