"""Setting a session up and closing it: inputs, preflight, session.json runs, log file, summary."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from elicitation.folder import BadInput, SessionState, create_private_dir, open_private, session_path
from elicitation.folder.claim import LOCK_NAME, FolderLock, claim_new_folder, describe, holder, lock_file
from elicitation.protocol import Episode, Protocol, load_protocol
from elicitation.screen import Display, KeyInput
from elicitation.session import preflight as pf
from elicitation.session.autopilot import Autopilot
from elicitation.session.lsl import check_lsl
from elicitation.session.repair import repair_for_resume
from hardware import clock
from hardware.provenance import software_versions
from hardware.rig import Rig, load_rig

log = logging.getLogger(__name__)


@dataclass
class Plan:
    protocol: Protocol
    rig: Rig
    folder: Path
    resumed: bool
    state: SessionState | None
    episodes_left: list[Episode]
    checks: list[pf.Check] = field(default_factory=list)
    audio_output: bool = False
    clips: list[Any] = field(default_factory=list)  # stimuli.verify.ClipCheck of the clips still to show
    bytes_per_s: float = 0.0  # the cameras' data rate the preflight measured
    claim: FolderLock | None = None  # the session folder's lock, held until the run ends


def prepare(opts: Any, console: Console) -> Plan:
    """Validate the inputs, claim the session folder (one writer: a second run is BadInput naming the
    running one) and run the window-less preflight. A failure gives the claim back and removes the
    folder it created, so nothing is left."""
    folder = session_path(opts.data, opts.participant, opts.session)  # BadInput first: nothing read yet
    protocol = load_protocol(opts.protocol)
    rig = load_rig(opts.rig)
    check = pf.check_folder(folder, opts.resume)
    claim = _claim(folder, opts.resume, check.ok)
    if claim is None and check.ok:
        check = pf.Check("session folder", False, f"{folder} already exists: use another --session, or --resume")
    try:
        plan = _preflight(opts, console, folder, protocol, rig, check)
    except BaseException:
        if claim is not None:
            claim.release(remove_new=True)
        raise
    plan.claim = claim
    return plan


def _claim(folder: Path, resume: bool, free: bool) -> FolderLock | None:
    """Before any camera is opened: a folder that cannot be written (a read-only file system, no
    permission) is bad input here, not a traceback after the camera preflight."""
    try:
        return _take(folder, resume, free)
    except OSError as exc:
        raise BadInput(f"--out: the session folder {folder} cannot be created or written there "
                       f"({exc.strerror or exc})") from None


def _take(folder: Path, resume: bool, free: bool) -> FolderLock | None:
    if resume and free:
        return lock_file(folder / LOCK_NAME, "elicit run --resume",
                         f"{folder}: --resume refused, the session is running")  # fmt: skip
    if free:
        try:
            return claim_new_folder(folder, "elicit run")
        except FileExistsError:  # another run created it after our check: name that run once its lock is written
            pass
    info = holder(folder / LOCK_NAME)  # an existing folder: refused as running rather than as existing
    for _ in range(20):
        if info is not None or free is False:
            break
        time.sleep(0.1)
        info = holder(folder / LOCK_NAME)
    if info is not None:
        raise BadInput(f"{folder} is being recorded by {describe(info)}: a second run is refused")
    return None


def _preflight(opts: Any, console: Console, folder: Path, protocol: Protocol, rig: Rig, check: pf.Check) -> Plan:
    checks = [check]
    state, left = None, list(protocol.episodes)
    if opts.resume and checks[0].ok:
        state = SessionState.load(folder)
        if state.data["status"] == "completed":
            raise BadInput(f"{folder}: the session is already completed")
        if state.data["protocol"]["sha256"] != protocol.sha256:
            raise BadInput(f"{opts.protocol} differs from the protocol this session started with "
                           f"(sha256 {state.data['protocol']['sha256'][:12]}...)")  # fmt: skip
        checks.append(_wait_for_old_recorders(state))
        if checks[-1].ok:  # the old recorders have finished their files: check them before appending
            checks.append(repair_for_resume(state))
        left = [e for e in protocol.episodes if state.episode(e.label)["status"] != "done"]
    _report_or_raise(console, checks)
    clip_checks, clips = pf.check_stimuli(left)
    audio, audio_output = pf.check_audio(protocol, clips, opts.allow_no_audio)
    checks += [*clip_checks, audio, pf.check_review_camera(protocol, rig)]
    checks += check_lsl(rig)  # a required LSL stream missing stops us here too
    _report_or_raise(console, checks)  # a bad clip stops us before any camera records a frame
    camera_checks, rate = pf.check_cameras(rig)
    checks += camera_checks
    if all(c.ok for c in camera_checks):
        checks.append(pf.check_disk(opts.data, protocol, left, clips, rate))
    _report_or_raise(console, checks)
    return Plan(protocol, rig, folder, opts.resume, state, left, checks, audio_output, clips, rate)


def _report_or_raise(console: Console, checks: list[pf.Check]) -> None:
    if all(c.ok for c in checks):
        return
    print_checks(console, checks)
    raise pf.PreflightFailed(checks)


def print_checks(console: Console, checks: list[pf.Check]) -> None:
    table = Table(title="Preflight")
    for column in ("check", "result", "detail"):
        table.add_column(column, overflow="fold")
    for c in checks:
        verdict = "[red]FAIL[/]" if not c.ok else ("[yellow]WARN[/]" if c.warning else "[green]OK[/]")
        table.add_row(c.name, verdict, c.detail)
    console.print(table)


def _wait_for_old_recorders(state: SessionState, limit_s: float = 60.0) -> pf.Check:
    """After a kill, the old camera processes finish their files on their own; wait for that."""
    import psutil

    run = state.current_run() if state.data["runs"] else {}
    pid, created = run.get("pid", [0, 0.0])
    try:
        if pid and abs(psutil.Process(pid).create_time() - created) < 0.01:
            return pf.Check("session process", False, f"the session is still running (process {pid})")
    except psutil.NoSuchProcess:
        pass
    pids = run.get("camera_pids", {})
    deadline = time.monotonic() + limit_s
    for name, (pid, created) in pids.items():
        while time.monotonic() < deadline:
            try:
                alive = abs(psutil.Process(pid).create_time() - created) < 0.01
            except psutil.NoSuchProcess:
                alive = False
            if not alive:
                break
            time.sleep(0.2)
        else:
            return pf.Check("old recorders", False, f"camera {name}'s recorder (pid {pid}) is still finishing")
    return pf.Check("old recorders", True, "finished")


def open_display(plan: Plan, opts: Any, console: Console) -> Display:
    display = Display(plan.protocol.display, opts.windowed, opts.screenshots)
    try:
        clock.check_psychopy_clock()
        measured = display.measure_refresh()
    except clock.ClockMismatch as exc:
        display.close()
        raise pf.PreflightFailed([pf.Check("clock", False, str(exc))]) from None
    d = plan.protocol.display
    plan.checks.append(pf.check_refresh(measured, d.expected_refresh_hz, d.refresh_tolerance_hz, display.vsync))
    print_checks(console, plan.checks)
    if not plan.checks[-1].ok:
        display.close()
        raise pf.PreflightFailed(plan.checks)
    return display


def open_state(plan: Plan, opts: Any, display: Display) -> SessionState:
    if plan.state is None:
        create_private_dir(plan.folder / "video")
        p, rig = plan.protocol, plan.rig
        state = SessionState.new(
            plan.folder,
            participant=opts.participant,
            session=opts.session,
            protocol={"name": p.name, "path": str(p.path), "sha256": p.sha256, "manifest": str(p.manifest.path)},
            rig={"name": rig.name, "path": str(rig.path), "cameras": {n: vars(s) for n, s in rig.cameras.items()},
                 "thresholds": {n: vars(t) for n, t in rig.thresholds.items()}},  # the report's verdict
            versions=software_versions(),
            screen=display.info(),
            autopilot={"seed": opts.seed} if opts.autopilot else None,
            penalties={"amount": p.penalty_amount, "currency": p.penalty_currency, "marks": []},
        )
    else:
        state = plan.state
        if state.data["rig"]["name"] != plan.rig.name:
            state.warn(f"resumed on rig '{plan.rig.name}', the session started on '{state.data['rig']['name']}'",
                       save=False)  # fmt: skip
        for attempt in state.mark_interrupted():
            state.warn(f"interrupted: {attempt}; its partial files are kept and marked incomplete", save=False)
        state.data["status"] = "running"
        state.data.setdefault("screens_on_resume", []).append(display.info())
    for c in plan.checks:
        if c.warning:
            state.warn(f"preflight {c.name}: {c.detail}", save=False)
    state.save()
    if plan.claim is not None:
        plan.claim.keep_folders()  # the folder holds a session now
    state.make_reserve()  # given back on a full disk, so the final session.json still fits
    return state


def key_input(plan: Plan, opts: Any) -> KeyInput:
    p = plan.protocol
    runs = len(plan.state.data["runs"]) if plan.state else 0
    return KeyInput(Autopilot(opts.seed + runs, p.keys, p.rating, p.review) if opts.autopilot else None)


def attach_log(folder: Path) -> None:
    """session.log: what happened and when, never who (no participant ID or names)."""
    from psychopy import logging as plog

    for name in ("session.log", "psychopy.log"):  # created 0600 before the loggers append to them
        open_private(folder / name).close()
    handler = _QuietFileHandler(folder / "session.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger("elicitation")
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    plog.LogFile(str(folder / "psychopy.log"), level=plog.WARNING, filemode="a")


class _QuietFileHandler(logging.FileHandler):
    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        pass  # a full disk: the line is lost, session.json says why; no traceback on the console


def detach_log() -> None:
    root = logging.getLogger("elicitation")
    for handler in list(root.handlers):
        handler.close()
        root.removeHandler(handler)
