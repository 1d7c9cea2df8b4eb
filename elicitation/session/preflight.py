"""Preflight: everything that can be checked before the participant sits down.

Order matters: the cheap checks that write nothing come first (session folder, stimuli, sound),
so a missing clip is reported before any camera records a frame. Then each camera records for
2 s into a private temporary folder (deleted afterwards) to prove it opens and reaches its
nominal rate, and that recording's bytes per second size the disk check. The refresh rate needs
the window and is checked by ``check_refresh`` once it is open.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from elicitation.errors import CheckFailed
from elicitation.folder import BadInput
from elicitation.protocol import Episode, Protocol
from hardware.analysis import count_dropped
from hardware.cameras import CameraError, backend_module
from hardware.recording import Recorder
from hardware.rig import Rig
from hardware.thresholds import Thresholds
from hardware.video import read_frames_tsv
from stimuli.verify import ClipCheck, verify_clips

CAMERA_CHECK_S = 2.0
DISK_MARGIN = 1.5  # the measured data rate may rise when a face (not an empty chair) is in view
FIXED_OVERHEAD_S = 60.0  # the steps outside the episodes (end screen, flashes): the monitor's figure too
MIB = float(1 << 20)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    warning: bool = False  # ok, but worth a line in session.json


class PreflightFailed(CheckFailed):
    """Raised when a preflight check did not pass; ``checks`` holds every check with its verdict."""

    def __init__(self, checks: list[Check]) -> None:
        super().__init__("; ".join(f"{c.name}: {c.detail}" for c in checks if not c.ok))
        self.checks = checks


def refuse_files_on_the_way(folder: Path) -> None:
    """Raises BadInput if the session folder, --out or a folder on the way is a regular file."""
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            raise BadInput(f"{part} is a file, not a folder: give --out a data folder (it is created if missing)")


def check_folder(folder: Path, resume: bool) -> Check:
    """The session folder must be new (or resumable); raises BadInput if --out or a folder on the way is a file."""
    refuse_files_on_the_way(folder)
    exists = (folder / "session.json").exists() or (folder.exists() and any(folder.iterdir()))
    if resume and not folder.exists():
        raise BadInput(f"--resume: there is no session {folder} (unknown participant ID or session number)")
    if resume:
        ok = (folder / "session.json").is_file()
        return Check("session folder", ok, f"resuming {folder}" if ok else f"{folder} has no session to resume")
    if exists:
        return Check("session folder", False, f"{folder} already exists: use another --session, or --resume")
    return Check("session folder", True, f"{folder} (new)")


def check_stimuli(episodes: list[Episode]) -> tuple[list[Check], list[ClipCheck]]:
    results = verify_clips([e.clip for e in episodes])
    checks = [
        Check(f"clip {r.clip}", r.ok, "; ".join(r.problems) if r.problems else f"{r.duration_s:.1f} s, decodes")
        for r in results
    ]
    return checks, results


def audio_outputs() -> list[str] | None:
    """Names of sound output devices (psychtoolbox's PortAudio, asked in a child process so its
    ALSA noise stays out of the console); None if that cannot be determined."""
    code = (
        "import os; os.environ['PSYCH_GETSECS_CLOCK']='1'\n"
        "import psychtoolbox.audio as a\n"
        "try:\n    devs = a.get_devices()\nexcept Exception:\n    devs = []\n"
        "for d in devs:\n    if d.get('NrOutputChannels', 0) > 0:\n        print('OUTPUT:', d['DeviceName'])"
    )
    try:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    # psychtoolbox prints its own banner on stdout: keep only our lines
    return [line[len("OUTPUT: ") :] for line in result.stdout.splitlines() if line.startswith("OUTPUT: ")]


def check_audio(protocol: Protocol, clips: list[ClipCheck], allow_no_audio: bool) -> tuple[Check, bool]:
    """Returns the check and whether sound can be played."""
    with_sound = [c.clip for c in clips if c.has_audio]
    outputs = audio_outputs()
    if outputs:
        return Check("sound output", True, f"{outputs[0]}"), True
    if not with_sound:
        return Check("sound output", True, "none found; the clips are silent"), False
    detail = f"no sound output device, and {len(with_sound)} clip(s) have sound"
    if protocol.audio_required and not allow_no_audio:
        return Check("sound output", False, detail + " (connect one, or --allow-no-audio to run silent)"), False
    return Check("sound output", True, detail + ": clips play silently", warning=True), False


def check_cameras(rig: Rig, seconds: float = CAMERA_CHECK_S) -> tuple[list[Check], float]:
    """Record every camera for `seconds`; returns a check per camera and the data rate (bytes/s)."""
    tmp = Path(tempfile.mkdtemp(prefix="elicit-preflight-"))  # mode 0700
    checks: list[Check] = []
    recorder = Recorder(rig, tmp)
    try:
        try:
            recorder.start()
        except CameraError as exc:
            return [Check("cameras", False, f"did not start: {exc}")], 0.0
        started = time.monotonic()
        time.sleep(seconds)
        summaries = recorder.stop()
        elapsed = time.monotonic() - started
        size = sum(f.stat().st_size for f in tmp.glob("*.mkv"))
        for name, settings in rig.cameras.items():
            error = (summaries.get(name) or {}).get("error") or recorder.errors.get(name, "")
            tsv = tmp / f"{name}_frames.tsv"
            table = read_frames_tsv(tsv) if tsv.exists() else None
            if error or table is None or len(table) < 2:
                checks.append(Check(f"camera {name}", False, error or "delivered no frames"))
                continue
            span = float(table.host_time[-1] - table.host_time[0])
            rate = (len(table) - 1) / span if span > 0 else 0.0
            allowed = rig.thresholds.get(name, Thresholds()).max_rate_error_pct
            frame_ids = getattr(backend_module(settings.backend), "FRAME_IDS", True)
            dropped = count_dropped(table, settings.fps, frame_ids)
            ok = rate >= settings.fps * (1 - max(allowed, 1.0) / 100)
            detail = f"{rate:.2f} fps of {settings.fps:g} nominal, {dropped} dropped in {span:.1f} s"
            checks.append(Check(f"camera {name}", ok, detail, warning=ok and dropped > 0))
        return checks, size / max(elapsed, 1e-3)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # a test recording of a face is not kept


def recording_seconds(protocol: Protocol, episodes: list[Episode], durations: dict[str, float],
                      fixed_s: float = FIXED_OVERHEAD_S) -> float:  # fmt: skip
    """Seconds the cameras will record for these episodes (clip + per-episode overhead) plus fixed_s."""
    return fixed_s + sum(
        durations.get(e.clip.id, e.clip.duration_range[1]) + protocol.overhead_s_per_episode for e in episodes
    )


def disk_need(seconds: float, bytes_per_s: float) -> float:
    return seconds * bytes_per_s * DISK_MARGIN


def check_disk(data: Path, protocol: Protocol, episodes: list[Episode], clips: list[ClipCheck],
               bytes_per_s: float) -> Check:  # fmt: skip
    """One estimate, the running session's monitor's (elicitation.session.disk): the seconds left to
    record (episodes + their overhead + FIXED_OVERHEAD_S) at the measured rate, x DISK_MARGIN."""
    durations = {c.clip: c.duration_s or 0.0 for c in clips}
    seconds = recording_seconds(protocol, episodes, durations)
    need = disk_need(seconds, bytes_per_s)
    probe = Path(data)
    while not probe.exists():
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    detail = (
        f"{free / MIB:.0f} MiB free, about {need / MIB:.0f} MiB needed "
        f"({seconds / 60:.1f} min at {bytes_per_s / 1e6:.1f} MB/s, x{DISK_MARGIN:g})"
    )
    return Check("disk space", free >= need, detail)


def check_refresh(measured: float | None, expected: float, tolerance: float, vsync: bool) -> Check:
    if measured is None or not vsync:
        shown = "unstable" if measured is None else f"{measured:.0f} Hz"
        return Check("refresh rate", True, f"cannot be measured ({shown}: no vsync, e.g. Xvfb); "
                     f"flips paced at {expected:g} Hz", warning=True)  # fmt: skip
    ok = abs(measured - expected) <= tolerance
    return Check("refresh rate", ok, f"{measured:.2f} Hz, expected {expected:g} ± {tolerance:g}")


def check_review_camera(protocol: Protocol, rig: Rig) -> Check:
    camera = protocol.review.camera
    if not camera or camera in rig.cameras:
        return Check("review camera", True, camera or "none named")
    return Check("review camera", True, f"'{camera}' is not in rig '{rig.name}'; the review step will use "
                 f"'{next(iter(rig.cameras))}'", warning=True)  # fmt: skip
