"""A session's runs in session.json: their start (with t0, the origin of events.tsv onsets), the
interrupted attempts a resume found, their end with the cameras' summaries, and the summary the
experimenter sees."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from elicitation.errors import ExitCode
from elicitation.folder import EventLog, SessionState, utc_now
from elicitation.session import preflight as pf
from hardware import clock
from hardware.recording import Recorder
from hardware.video import DiskFull

DISK_FULL = "stopped: disk full"


def begin_run(
    state: SessionState, recorder: Recorder, first_suffix: str, checks: list[pf.Check], clips: list[Any]
) -> float:
    """Record the new run; return t0, the clock time events.tsv onsets count from."""
    import psutil

    started = recorder.started_at or clock.now()
    runs = state.data["runs"]
    t0 = state.data.get("t0_clock", started)
    if runs and started < runs[-1]["started_clock"]:  # the clock restarted: the machine rebooted
        state.warn("the clock restarted since the last run (reboot?): onsets from here count from this run's start")
        t0 = started
    pids = {}
    for name, pid in recorder.camera_pids().items():
        pids[name] = [pid, psutil.Process(pid).create_time()]
    me = psutil.Process()
    runs.append({
        "run": len(runs) + 1, "status": "running", "started_utc": utc_now(), "started_clock": started,
        "pid": [me.pid, me.create_time()],
        "t0_clock": t0, "first_suffix": first_suffix, "camera_pids": pids,
        "preflight": [vars(c) for c in checks],
        "stimuli": {c.clip: {k: v for k, v in c.as_dict().items() if k != "problems"} for c in clips},
    })  # fmt: skip
    state.data.setdefault("t0_clock", t0)
    state.save()
    return t0


def close_interrupted(state: SessionState, events: EventLog) -> None:
    """An abort or Ctrl-C: a clip that was playing becomes an incomplete attempt right away."""
    for attempt in state.mark_interrupted():
        state.warn(f"interrupted: {attempt}; its partial files are kept and marked incomplete", save=False)
    log_interrupted(state, events)


def log_interrupted(state: SessionState, events: EventLog) -> None:
    """events.tsv rows for interrupted attempts (their clip onset, no duration)."""
    for label, entry in state.data["episodes"].items():
        for attempt in entry["attempts"]:
            if attempt["status"] == "incomplete" and not attempt.get("logged"):
                events.add("episode_incomplete", attempt["onset_clock"], episode=label, stimulus=entry["file"])
                attempt["logged"] = True
    state.save()


def stop_for_disk_full(state: SessionState, recorder: Recorder, full: DiskFull) -> None:
    """Stop every camera (each cuts its rows back to the frames its video holds), then give back the
    reserve so the final state fits, and record why the session stopped."""
    recorder.stop()
    state.release_reserve()
    state.data["stopped"] = {"reason": "disk full", "folder": str(full.folder), "free_bytes": full.free_bytes,
                             "utc": utc_now(), "message": str(full)}  # fmt: skip
    state.warn(f"{DISK_FULL}: {full.folder} had {full.free_bytes / 2**20:.1f} MiB free", save=False)


def _kept(video_dir: Path, camera: str, name: str, failed: Collection[str] | None) -> bool:
    """The file exists, or may still come: its camera has not failed and the run goes on."""
    return (video_dir / name).is_file() or (failed is not None and camera not in failed)


def prune_missing_files(state: SessionState, video_dir: Path, failed: Collection[str] | None = None) -> None:
    """Attempts list only the files that exist; the rest move to ``missing_files``.

    `failed`: the cameras known to have failed. While the session runs a camera that has not failed
    may create its file late (its writer lags behind the clip), so only failed cameras' files are
    declared missing; None (the end of a run, every writer finished): any file that is not there. A
    file listed missing that has arrived since is moved back (to the attempt and the episode's video)."""
    for entry in state.data["episodes"].values():
        complete = [a for a in entry["attempts"] if a.get("status") == "complete"]
        for attempt in entry["attempts"]:
            files = dict(attempt.get("files") or {})
            late = {cam: name for cam, name in (attempt.get("missing_files") or {}).items()
                    if (video_dir / name).is_file()}  # fmt: skip
            if late:
                files.update(late)
                attempt["missing_files"] = {c: n for c, n in attempt["missing_files"].items() if c not in late}
                if not attempt["missing_files"]:
                    del attempt["missing_files"]
                if complete and attempt is complete[-1] and isinstance(entry.get("video"), dict):
                    entry["video"] = {**entry["video"], **late}
            missing = {cam: name for cam, name in files.items() if not _kept(video_dir, cam, name, failed)}
            attempt["files"] = {cam: name for cam, name in files.items() if cam not in missing}
            if missing:
                attempt.setdefault("missing_files", {}).update(missing)
        if entry.get("video"):
            entry["video"] = {cam: name for cam, name in entry["video"].items() if _kept(video_dir, cam, name, failed)}


def finish_run(state: SessionState, recorder: Recorder, summaries: dict, status: str, exit_code: int) -> int:
    run = state.current_run() if state.data["runs"] else {}
    run.update(status=status, ended_utc=utc_now(), cameras=summaries)
    prune_missing_files(state, recorder.out_dir)
    for name, error in recorder.errors.items():
        state.warn(f"camera {name}: {error}", save=False)
        if status != "interrupted":  # Ctrl-C at a terminal reaches the camera processes too: still 130
            exit_code = max(exit_code, ExitCode.FAILED)  # a full disk's own code stands
    for name, warnings in recorder.warnings.items():
        for warning in warnings:
            state.warn(f"camera {name}: {warning}", save=False)
    state.data["status"] = status
    penalties = state.data["penalties"]
    penalties["count"] = len(penalties["marks"])
    penalties["deducted"] = penalties["count"] * penalties.get("amount", 0)
    state.save()
    return exit_code


def summary(state: SessionState) -> dict[str, Any]:
    cameras: dict[str, dict[str, Any]] = {}
    for run in state.data["runs"]:
        for name, s in (run.get("cameras") or {}).items():
            c = cameras.setdefault(name, {"frames": 0, "dropped": 0, "errors": []})
            c["frames"] += s.get("frames_written") or 0
            c["dropped"] += s.get("dropped") or 0
            if s.get("error"):
                c["errors"].append(s["error"])
    episodes = state.data["episodes"].values()
    p = state.data["penalties"]
    return {
        "status": state.data["status"],
        "episodes_done": sum(e["status"] == "done" for e in episodes),
        "episodes": len(episodes),
        "penalties": len(p["marks"]),
        "face_lost": {label: (e.get("face_lost") or {}).get("count", 0) for label, e in state.data["episodes"].items()},
        "deducted": f"{len(p['marks']) * p.get('amount', 0):g} {p.get('currency', '')}",
        "cameras": cameras,
        "warnings": len(state.data["warnings"]),
        "runs": len(state.data["runs"]),
    }


def summary_text(s: dict[str, Any], folder: Path) -> str:
    lines = [
        f"session {s['status']}: {s['episodes_done']}/{s['episodes']} episodes done in {s['runs']} run(s), "
        f"{s['penalties']} expression(s) noted ({s['deducted']}), {s['warnings']} warning(s) in session.json",
    ]
    for name, c in s["cameras"].items():
        errors = f", ERRORS: {'; '.join(c['errors'])}" if c["errors"] else ""
        lines.append(f"  {name}: {c['frames']} frames, {c['dropped']} dropped{errors}")
    lines.append(f"data: {folder}")
    return "\n".join(lines)
