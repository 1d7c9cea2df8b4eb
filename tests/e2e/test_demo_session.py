"""Sessions end to end, as an experimenter runs them: the demo, a kill and --resume, bad input and a
missing clip refused before anything is recorded. PsychoPy runs in the CLI's own process on an X
display (tests/xdisplay.py); the cameras are the simulated rig, whose frames carry their ids as
barcodes, so every episode's first frame can be checked against frames.tsv."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from elicitation.folder import read_tsv
from hardware.video import count_frames
from tests.conftest import REPO, run_elicit
from tests.faults.session_faults import small_rig
from tests.session_checks import check_episode_onsets, load
from tests.short_protocol import short_protocol
from tests.xdisplay import display_env

EPISODES = ["01", "02", "03"]


def test_participant_path_is_refused_with_exit_2_and_nothing_created(tmp_path):
    data = tmp_path / "data"
    result = run_elicit("run", "protocols/demo.yaml", "--participant", "../x", "--rig", "sim", "--out", str(data))
    assert result.returncode == 2, result.stderr
    assert "participant ID '../x' refused" in result.stderr and "Traceback" not in result.stderr
    assert not data.exists() and list(tmp_path.iterdir()) == []


def test_missing_clip_fails_in_preflight_before_any_video_file_exists(tmp_path):
    clips = tmp_path / "clips"
    clips.mkdir()
    manifest = (REPO / "stimuli" / "demo.yaml").read_text().replace("directory: demo", f"directory: {clips}")
    (tmp_path / "manifest.yaml").write_text(manifest)
    protocol = (REPO / "protocols" / "demo.yaml").read_text()
    protocol = protocol.replace("stimuli: ../stimuli/demo.yaml", f"stimuli: {tmp_path / 'manifest.yaml'}")
    (tmp_path / "protocol.yaml").write_text(protocol)
    before = set(Path("/tmp").glob("elicit-preflight-*"))
    data = tmp_path / "data"
    result = run_elicit("run", str(tmp_path / "protocol.yaml"), "--participant", "P1", "--rig", "sim",
                        "--out", str(data), "--windowed")  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "preflight failed" in result.stderr and "demo1.mp4: missing" in " ".join(result.stderr.split())
    assert not data.exists()  # no session folder, so no video file in it
    assert list(tmp_path.rglob("*.mkv")) == []
    assert set(Path("/tmp").glob("elicit-preflight-*")) == before  # the camera check never ran


def test_an_existing_session_folder_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "data" / "sub-P1" / "ses-1"
    folder.mkdir(parents=True)
    (folder / "session.json").write_text("{}")
    result = run_elicit("run", "protocols/demo.yaml", "--participant", "P1", "--rig", "sim",
                        "--out", str(tmp_path / "data"), "--windowed")  # fmt: skip
    assert result.returncode == 1 and "already exists" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["session.json"] and (folder / "session.json").read_text() == "{}"


def _ratings_by_episode(folder: Path) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for row in read_tsv(folder / "ratings.tsv"):
        out.setdefault(row["episode"], []).append(row)
    return out


def _assert_complete(folder: Path, episodes: list[str] = EPISODES, min_frames: int = 200) -> dict:
    """`min_frames`: of each episode's video on each camera (a 6 s demo clip at 60 fps: 200; 3 s: 150)."""
    state, events = load(folder)
    assert state["status"] == "completed"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct((folder / "video").stat().st_mode & 0o777) == "0o700"
    ratings = _ratings_by_episode(folder)
    assert sorted(ratings) == episodes
    for label in episodes:
        entry = state["episodes"][label]
        last = label == episodes[-1]
        assert entry["status"] == "done" and entry["steps_done"] == ["rating", "review", "rest"][: 3 - last]
        for cam, name in entry["video"].items():
            assert count_frames(folder / "video" / name) > min_frames, (label, cam)
        for row in ratings[label]:
            assert row["emotion"] in {"amusement", "disgust", "fear", "sadness", "anger", "surprise", "tense", "none"}
            assert row["intensity"] == "n/a" if row["emotion"] == "none" else 0 <= int(row["intensity"]) <= 6
            assert 0 < float(row["rt_done"]) < 30
    kinds = [e["trial_type"] for e in events]
    assert kinds.count("episode") == len(episodes) and kinds.count("sync_flash") >= 4
    assert {"checkin", "instructions", "penalty", "neutral_face", "rating", "review", "rest", "end"} <= set(kinds)
    # the penalty tally of the end screen and session.json agree with the marks in events.tsv
    assert state["penalties"]["count"] == kinds.count("penalty_mark") == len(state["penalties"]["marks"])
    return state


@pytest.mark.slow
def test_demo_session_records_every_episode_onset_in_its_own_file(demo_session):
    result, folder, shots = demo_session
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"data: {folder}" in result.stdout.replace("\n", "")
    state = _assert_complete(folder)
    assert check_episode_onsets(folder) == 3 * 2  # 3 episodes x 2 cameras
    assert state["screen"]["vsync"] is False and any("refresh rate" in w["message"] for w in state["warnings"])
    names = {p.stem.split("_", 1)[1] for p in shots.glob("*.png")}
    assert {"checkin", "instructions", "penalty", "episode", "rating", "review", "rest", "pause", "end"} <= names


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_sigkill_in_second_episode_then_resume_completes_the_session(tmp_path):
    data = tmp_path / "data"
    rig = small_rig(tmp_path / "rig.yaml")  # the fault tests' small rig: the resume, not the rig, is tested here
    args = ["run", str(short_protocol()), "--participant", "K1", "--rig", str(rig), "--out", str(data),
            "--autopilot", "--windowed"]  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "elicitation", *args], cwd=REPO, env=display_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    folder = data / "sub-K1" / "ses-1"
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            try:
                state = json.loads((folder / "session.json").read_text())
                if state["episodes"]["02"]["status"] == "playing":
                    break
            except (FileNotFoundError, KeyError, json.JSONDecodeError):
                pass
            assert proc.poll() is None, "the session ended before episode 2"
            time.sleep(0.1)
        time.sleep(1.5)  # inside the 3 s clip
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    killed, _ = load(folder)
    assert killed["status"] == "running" and killed["episodes"]["02"]["attempts"][0]["status"] == "playing"
    kept = {p: _sha(p) for p in (folder / "video").glob("*_ep01.mkv")}
    prefixes = {name: (folder / name).read_text() for name in ("events.tsv", "ratings.tsv")}

    result = run_elicit(*args, "--resume", env=display_env())
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    state = _assert_complete(folder, ["01", "02"], 150)
    # nothing of episode 1 was touched; the tables were only appended to
    assert kept and all(_sha(p) == digest for p, digest in kept.items())
    for name, text in prefixes.items():
        assert (folder / name).read_text().startswith(text)
    assert len(_ratings_by_episode(folder)["01"]) == prefixes["ratings.tsv"].count("\n01\t")
    # the interrupted attempt's partial files are kept and marked incomplete; the replay has its own
    first, second = state["episodes"]["02"]["attempts"]
    assert (first["status"], second["status"]) == ("incomplete", "complete")
    for cam, name in first["files"].items():
        assert 0 < count_frames(folder / "video" / name) < count_frames(folder / "video" / second["files"][cam])
    assert [r["run"] for r in state["runs"]] == [1, 2] and state["runs"][0]["status"] == "interrupted"
    assert any("interrupted: episode 02 attempt 1" in w["message"] for w in state["warnings"])
    # every onset, the interrupted one included, starts its own file at the right frame
    assert check_episode_onsets(folder, ("episode", "episode_incomplete")) == 3 * 2


@pytest.mark.slow
def test_experimenter_abort_needs_confirmation_and_keeps_the_partial_episode(tmp_path):
    """Real key presses (XTEST) during episode 1: ESC opens the question, Y confirms; the session
    stops with exit code 1, and the playing clip becomes an incomplete attempt with its files."""
    pytest.importorskip("Xlib", reason="python-xlib injects key presses through XTEST")
    from Xlib import XK, X
    from Xlib import display as xdisplay
    from Xlib.ext import xtest

    env = display_env()
    data = tmp_path / "data"
    args = ["run", "protocols/demo.yaml", "--participant", "A1", "--rig", "sim", "--out", str(data),
            "--autopilot", "--windowed"]  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "elicitation", *args], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    folder = data / "sub-A1" / "ses-1"
    x = xdisplay.Display(env["DISPLAY"])

    def press(name: str) -> None:
        code = x.keysym_to_keycode(XK.string_to_keysym(name))
        xtest.fake_input(x, X.KeyPress, code)
        x.sync()
        time.sleep(0.05)
        xtest.fake_input(x, X.KeyRelease, code)
        x.sync()

    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if json.loads((folder / "session.json").read_text())["episodes"]["01"]["status"] == "playing":
                    break
            except (FileNotFoundError, KeyError, json.JSONDecodeError):
                pass
            time.sleep(0.1)
        time.sleep(1.0)
        press("Escape")
        time.sleep(1.5)  # the question waits for the experimenter (the autopilot only answers its own)
        press("y")
        assert proc.wait(timeout=60) == 1
    finally:
        if proc.poll() is None:
            proc.kill()
    state, events = load(folder)
    assert state["status"] == "aborted" and state["episodes"]["01"]["status"] == "pending"
    (attempt,) = state["episodes"]["01"]["attempts"]
    assert attempt["status"] == "incomplete"
    assert all(count_frames(folder / "video" / name) > 30 for name in attempt["files"].values())
    kinds = [e["trial_type"] for e in events]
    assert "abort" in kinds and "abort_cancelled" not in kinds and "episode" not in kinds
    assert check_episode_onsets(folder, ("episode_incomplete",)) == 2
