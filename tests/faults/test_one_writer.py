"""One writer per session folder: two runs started together, and a --resume of a running session.

Exactly one run gets the folder; the other is refused with exit 2 naming the running one's pid and
host, and writes nothing into it (one header and consecutive frames in every frames.tsv, one run
in session.json).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

import pytest

from elicitation.folder.claim import LOCK_NAME, claim_new_folder, holder, lock_file
from tests.conftest import run_elicit
from tests.faults.session_faults import (
    assert_consistent,
    episode_playing,
    outputs,
    session_args,
    small_rig,
    start,
    state,
    wait_for,
)
from tests.xdisplay import display_env


@pytest.mark.slow
def test_two_runs_started_together_give_one_session_and_one_refusal(tmp_path):
    data, rig = tmp_path / "data", small_rig(tmp_path / "rig.yaml")
    args = session_args(data, rig, "P6")
    folder = data / "sub-P6" / "ses-1"
    procs = [start(args, tmp_path), start(args, tmp_path)]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and all(p.poll() is None for p, _, _ in procs):
            time.sleep(0.1)
        time.sleep(1.0)  # had both been let in, neither would end this soon
        refused = [(p, o, e) for p, o, e in procs if p.poll() is not None]
        assert len(refused) == 1, [outputs(o, e)[-2000:] for _, o, e in procs]
        (loser, out, err), = refused
        (winner, _, _), = [x for x in procs if x[0] is not loser]
        text = outputs(out, err)
        assert loser.returncode == 2, text[-3000:]
        assert f"pid {winner.pid} on host {socket.gethostname()}" in text and "Traceback" not in text, text
        wait_for(winner, lambda: episode_playing(folder, "01"), what="episode 1")
        resumed = run_elicit(*args, "--resume", env=display_env(), timeout=120)
        assert resumed.returncode == 2, resumed.stdout[-2000:] + resumed.stderr[-2000:]
        assert "--resume refused, the session is running" in resumed.stderr
        assert f"pid {winner.pid} on host {socket.gethostname()}" in resumed.stderr
        os.killpg(winner.pid, signal.SIGINT)
        assert winner.wait(timeout=90) == 130
    finally:
        for p, _, _ in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
    s = state(folder)
    assert len(s["runs"]) == 1 and s["runs"][0]["pid"][0] == winner.pid
    assert_consistent(folder)  # one header, frame numbers consecutive: a single writer
    assert not (folder / LOCK_NAME).exists() and [p.name for p in data.iterdir()] == ["sub-P6"]


def test_a_claim_refused_in_another_process_names_the_holder_and_a_failed_claim_leaves_nothing(tmp_path):
    folder = tmp_path / "data" / "sub-X" / "ses-1"
    lock = claim_new_folder(folder, "elicit run")
    assert lock is not None and holder(folder / LOCK_NAME)["pid"] == os.getpid()
    code = ("import sys; from pathlib import Path; from elicitation.folder.claim import claim_new_folder\n"
            "from elicitation.folder.state import BadInput\n"
            "try: claim_new_folder(Path(sys.argv[1]), 'x')\n"
            "except BadInput as e: print(e); sys.exit(2)\n")  # fmt: skip
    other = subprocess.run(["python3", "-c", code, str(folder)], capture_output=True, text=True, timeout=60,
                           env={**os.environ})  # fmt: skip
    assert other.returncode == 2 and f"pid {os.getpid()} on host" in other.stdout, other.stdout + other.stderr
    lock.release(remove_new=True)
    assert not (tmp_path / "data").exists()  # the claim made data/sub-X/ses-1: all three gone
    assert holder(folder / LOCK_NAME) is None


def test_a_lock_file_left_by_a_dead_holder_blocks_nobody(tmp_path):
    (tmp_path / LOCK_NAME).write_text('{"pid": 1, "host": "gone"}')
    lock = lock_file(tmp_path / LOCK_NAME, "resume", "refused")
    assert holder(tmp_path / LOCK_NAME)["what"] == "resume"
    lock.release()
    assert not (tmp_path / LOCK_NAME).exists()
    (tmp_path / "ses-1").mkdir()
    (tmp_path / "ses-1" / "session.json").write_text("{}")
    assert claim_new_folder(tmp_path / "ses-1", "run") is None  # data and no holder: exists, not running
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ses-1"]  # no staging folder left
