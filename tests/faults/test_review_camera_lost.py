"""Issue 25 item 2: losing the review camera, and an unforeseen error, end neither badly nor never.

The review camera (gras) disconnects mid-session: each later review shows another camera and says so
(screen and session.json), the session completes (exit 3: a camera failed). An error nobody foresaw in
a step: the command exits with its code within seconds, every child process (cameras, framing watch)
gone, session.json no longer `running` or `playing`.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from tests.conftest import REPO, sim_camera, write_rig
from tests.faults.session_faults import assert_consistent, outputs, session_args, start, state, wait_for
from tests.short_protocol import short_protocol
from tests.xdisplay import display_env

EXIT_WITHIN_S = 60.0  # from the error to the exit: the recorder stops and finishes its files


def _rig(path, **gras_faults):
    cameras = {"gras": sim_camera(384, 96, **gras_faults), "uvc": sim_camera(384, 96, "bgr24", seed=1)}
    return write_rig(path, cameras, validation={"max_rate_error_pct": 60.0})


def _children(proc) -> set[int]:
    try:
        return {c.pid for c in psutil.Process(proc.pid).children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


def _watch_children(proc, timeout: float) -> set[int]:
    """Wait (at most `timeout`) for the process to end, collecting the pids of every process under it."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        seen |= _children(proc)
        time.sleep(0.2)
    return seen


def _alive(pids: set[int]) -> list[int]:
    out = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
        except psutil.NoSuchProcess:
            pass
    return out


@pytest.mark.slow
def test_a_lost_review_camera_moves_the_review_to_another_camera_and_the_session_completes(tmp_path):
    data, rig = tmp_path / "data", _rig(tmp_path / "rig.yaml", disconnect_after_s=18)
    folder = data / "sub-R1" / "ses-1"
    proc, out, err = start(session_args(data, rig, "R1"), tmp_path)
    try:
        children = _watch_children(proc, 300)
        code = proc.wait(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = outputs(out, err)
    assert code == 3 and "Traceback" not in text, text[-3000:]
    s = state(folder)
    assert s["status"] == "completed" and s["camera_failures"][0]["camera"] == "gras"
    moved = [w["message"] for w in s["warnings"] if "camera gras was lost: the review shows camera uvc" in w["message"]]
    assert moved, s["warnings"]
    assert all(e["status"] == "done" for e in s["episodes"].values())
    assert_consistent(folder)
    assert not _alive(children)


SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from rich.console import Console
    from elicitation.cli.exits import report
    from elicitation.session import SessionOptions, run_session

    def boom(ctx, request):
        raise RuntimeError("a step nobody foresaw failed")

    if __name__ == "__main__":  # the camera processes are spawned: they import this file again
        opts = SessionOptions(protocol=Path(sys.argv[3]), participant="U1", session=1, rig=sys.argv[1],
                              data=Path(sys.argv[2]), autopilot=True, windowed=True, dashboard=False)
        try:
            run_session(opts, Console(), review_step=boom)
        except BaseException as exc:
            sys.exit(report(exc))
""")


def _clip_one_finished(folder) -> bool:
    return any(a["status"] == "complete" for a in state(folder)["episodes"]["01"]["attempts"])


@pytest.mark.slow
def test_an_unforeseen_error_stops_every_child_and_exits_3_within_seconds(tmp_path):
    data, rig = tmp_path / "data", _rig(tmp_path / "rig.yaml")
    folder = data / "sub-U1" / "ses-1"
    script = tmp_path / "boom.py"
    script.write_text(SCRIPT)
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    args = [sys.executable, str(script), str(rig), str(data), str(short_protocol())]
    proc = subprocess.Popen(args, cwd=REPO, env=display_env(),
                            stdout=out.open("w"), stderr=err.open("w"), start_new_session=True)  # fmt: skip
    try:
        children: set[int] = set()
        try:
            wait_for(proc, lambda: children.update(_children(proc)) or _clip_one_finished(folder), what="clip 1")
        except AssertionError as exc:  # say why it ended (a loaded machine can fail the camera preflight)
            raise AssertionError(f"{exc}: {outputs(out, err)[-3000:]}") from None
        children |= _watch_children(proc, EXIT_WITHIN_S)  # the rating, the failing review, then the exit
        code = proc.wait(timeout=1)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = outputs(out, err)
    assert code == 3 and "RuntimeError: a step nobody foresaw failed" in text, text[-3000:]
    assert len(children) >= 3 and not _alive(children), "child processes outlived the session"
    s = state(folder)
    assert s["status"] != "running" and s["runs"][0]["status"] != "running", s["status"]
    assert all(e["status"] != "playing" for e in s["episodes"].values())
    assert_consistent(folder)
