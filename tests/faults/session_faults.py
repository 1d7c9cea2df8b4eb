"""Shared by the fault tests: a small rig, a session run as a separate process group, and the checks
every fault must pass afterwards (videos against their rows, whole rows, no temp files, 0600)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from hardware.video import COLUMNS, count_frames
from tests.conftest import REPO, sim_camera, write_rig
from tests.short_protocol import short_protocol
from tests.xdisplay import display_env

MAX_UNTIMED_FRAMES = 60  # a kill may leave up to a second of frames in a video before their rows flushed


def small_rig(path: Path, **uvc_faults) -> Path:
    """The demo's two cameras (gras mono, uvc colour) at a small size: cheap on a shared machine, whose
    load may slow the preflight's 2-s camera check (a lenient rate threshold: these tests are about faults)."""
    cameras = {"gras": sim_camera(384, 96), "uvc": sim_camera(384, 96, "bgr24", seed=1, **uvc_faults)}
    return write_rig(path, cameras, validation={"max_rate_error_pct": 60.0})


def session_args(data: Path, rig: Path, participant: str) -> list[str]:
    return ["run", str(short_protocol()), "--participant", participant, "--rig", str(rig), "--out", str(data),
            "--autopilot", "--windowed"]  # fmt: skip


def start(args: list[str], log_dir: Path) -> tuple[subprocess.Popen, Path, Path]:
    """The CLI in its own process group (as a terminal runs it), output to files."""
    out, err = log_dir / f"stdout{time.monotonic_ns()}.txt", log_dir / f"stderr{time.monotonic_ns()}.txt"
    proc = subprocess.Popen([sys.executable, "-m", "elicitation", *args], cwd=REPO, env=display_env(),
                            stdout=out.open("w"), stderr=err.open("w"), start_new_session=True)  # fmt: skip
    return proc, out, err


def state(folder: Path) -> dict:
    return json.loads((folder / "session.json").read_text())


def wait_for(proc: subprocess.Popen, condition, timeout: float = 240, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (FileNotFoundError, KeyError, json.JSONDecodeError):
            pass
        assert proc.poll() is None, f"the session ended before {what}"
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def episode_playing(folder: Path, label: str) -> bool:
    return state(folder)["episodes"][label]["status"] == "playing"


def rows_per_file(tsv: Path) -> Counter:
    """Rows per video file, asserting every row is whole (six cells, a newline) and the header intact."""
    data = tsv.read_text(encoding="utf-8")
    assert data.endswith("\n"), f"{tsv.name} ends in a torn row: {data[-60:]!r}"
    lines = data.splitlines()
    assert tuple(lines[0].split("\t")) == COLUMNS, f"{tsv.name}: damaged header"
    counts: Counter = Counter()
    previous = -1
    for line in lines[1:]:
        cells = line.split("\t")
        assert len(cells) == len(COLUMNS), f"{tsv.name}: a row that is not whole: {line!r}"
        assert int(cells[0]) == previous + 1, f"{tsv.name}: frame numbers not consecutive at {line!r}"
        previous = int(cells[0])
        counts[cells[4]] += 1
    return counts


def frames_and_rows(folder: Path) -> dict[str, tuple[int, int]]:
    """file -> (decodable frames, frames.tsv rows) for every video the tables name."""
    video = folder / "video"
    out = {}
    for tsv in sorted(video.glob("*_frames.tsv")):
        for name, rows in rows_per_file(tsv).items():
            assert (video / name).is_file(), f"{tsv.name} lists rows for {name}, which does not exist"
            out[name] = (count_frames(video / name), rows)
    return out


def assert_consistent(folder: Path) -> dict[str, tuple[int, int]]:
    """No row for a frame a video lacks; at most a second of frames without rows; no temp files;
    every file 0600; session.json names only files that exist."""
    counts = frames_and_rows(folder)
    for name, (frames, rows) in counts.items():
        assert rows <= frames, f"{name}: frames.tsv lists {rows} rows, the video holds {frames} frames"
        assert frames - rows <= MAX_UNTIMED_FRAMES, f"{name}: {frames} frames but only {rows} rows"
    names = [p.name for p in folder.rglob("*")]
    assert not [n for n in names if n.endswith(".tmp")], names
    for p in folder.rglob("*"):
        if p.is_file():
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, f"{p.name} is {oct(p.stat().st_mode & 0o777)}"
    s = state(folder)
    for label, entry in s["episodes"].items():
        for attempt in entry["attempts"]:
            for name in attempt["files"].values():
                assert (folder / "video" / name).is_file(), (label, attempt)
    return counts


def kill_tree(pid: int) -> None:
    """SIGKILL the session and every process under it (camera processes, ffmpeg) at once."""
    import psutil

    root = psutil.Process(pid)
    procs = [root, *root.children(recursive=True)]
    for p in procs:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=10)


def outputs(out: Path, err: Path) -> str:
    return out.read_text(errors="replace") + err.read_text(errors="replace")


def free_space(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize
