"""Run (or resume) one session: inputs checked, preflight, window, recorder, procedure, summary.

Nothing is created before the inputs are valid and the preflight has passed; then the session
folder appears (0700) with session.json, and the cameras record into its video/ folder from the
check-in screen to the end screen without a break. Whatever happens afterwards (the end, an
abort, Ctrl-C, a crash) the recorder is stopped so every file is finished, and session.json says
how the session ended. A SIGKILL cannot be caught: the camera processes notice their parent is
gone and finish their files, and --resume picks up from session.json.
"""

from __future__ import annotations

import logging
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from elicitation.errors import ExitCode
from elicitation.folder import BadInput, RatingsLog, SessionState, utc_now
from elicitation.review import run_review
from elicitation.screen import Pages
from elicitation.session import record, setup
from elicitation.session.context import SessionAborted, SessionContext, note_signal
from elicitation.session.dashboard import SessionDashboard
from elicitation.session.disk import DiskMonitor
from elicitation.session.framing import FramingFailed, FramingMonitor
from elicitation.session.lsl import SessionLsl
from elicitation.session.procedure import init_episodes, run_procedure
from elicitation.session.steps import ReviewStep
from elicitation.session.teardown import Teardown, stop_children
from hardware import clock
from hardware.recording import Recorder
from hardware.video import DiskFull, is_disk_full

log = logging.getLogger(__name__)


@dataclass
class SessionOptions:
    protocol: Path
    participant: str
    session: int
    rig: str
    data: Path
    autopilot: bool = False
    seed: int = 0
    resume: bool = False
    windowed: bool = False
    screenshots: Path | None = None
    allow_no_audio: bool = False
    dashboard: bool = True  # the live dashboard in the browser (--no-dashboard: off)
    dashboard_host: str = "127.0.0.1"  # --dashboard-host: beyond loopback only when asked (a warning)
    open_dashboard: bool = True  # open it in a browser when there is a desktop (--no-open: never)


@dataclass
class SessionResult:
    folder: Path
    status: str
    exit_code: int
    summary: dict[str, Any] = field(default_factory=dict)


HANGUP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # Ctrl-C, a kill, a closed terminal


def _terminate(signum: int, frame: Any) -> None:
    """SIGINT, SIGTERM and SIGHUP end the session: files finished, state saved, exit 130. The signal is
    also kept (context.note_signal): should library code swallow the KeyboardInterrupt (a bare except
    in a drawing call), the next frame raises it again."""
    note_signal(signum)
    if signum == signal.SIGHUP:  # the terminal is gone: what the session still prints goes nowhere
        devnull = os.open(os.devnull, os.O_WRONLY)
        for fd in (1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
    raise KeyboardInterrupt


def run_session(opts: SessionOptions, console: Console, review_step: ReviewStep = run_review) -> SessionResult:
    """Raises BadInput / ConfigError (exit 2) and PreflightFailed (exit 1) before anything is created,
    CamerasNotStarted (exit 3) once the folder exists. The result's exit code is an ExitCode."""
    plan = setup.prepare(opts, console)  # inputs + claim of the folder + preflight without a window
    try:
        return _run(plan, opts, console, review_step)
    finally:
        if plan.claim is not None:  # the folder is free for a --resume; removed if nothing was written
            plan.claim.release(remove_new=True)


def _run(plan: setup.Plan, opts: SessionOptions, console: Console, review_step: ReviewStep) -> SessionResult:
    board = _start_dashboard(plan, opts, console)  # before anything is created: a bad address is bad input
    if not plan.audio_output:
        # no sound output: SDL's null driver, or ffpyplayer fills the experimenter's console with
        # ALSA errors at every clip (the preflight has already warned, or refused)
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    try:
        display = setup.open_display(plan, opts, console)  # window + refresh check
    except BaseException:
        if board is not None:
            board.stop()
        raise
    result = SessionResult(plan.folder, "failed", ExitCode.FAILED)
    state: SessionState | None = None
    recorder: Recorder | None = None
    logs: list[Any] = []
    lsl: SessionLsl | None = None
    ctx: SessionContext | None = None
    note_signal(None)
    previous = {sig: signal.signal(sig, _terminate) for sig in HANGUP_SIGNALS}
    try:
        state = setup.open_state(plan, opts, display)
        setup.attach_log(plan.folder)
        runs = state.data["runs"]
        first_suffix = "setup" if not runs else f"resume{len(runs)}"
        lsl = SessionLsl(plan.rig.lsl, plan.folder, state, console)
        lsl.start(list(plan.rig.cameras))  # the inlets record from before the cameras start
        recorder = Recorder(plan.rig, plan.folder / "video", first_suffix=first_suffix, append=bool(runs), lsl=True)
        keys = setup.key_input(plan, opts)
        recorder.start()  # CamerasNotStarted: finish_run below notes each camera's error; the CLI exits 3
        t0 = record.begin_run(state, recorder, first_suffix, plan.checks, plan.clips)
        events = lsl.event_log(plan.folder / "events.tsv", t0, recorder.marker_outlet)
        ratings = RatingsLog(plan.folder / "ratings.tsv")
        logs = [events, ratings]
        events.add("recording_start", recorder.started_at or clock.now())
        ctx = SessionContext(
            protocol=plan.protocol, display=display, keys=keys, recorder=recorder, state=state, events=events,
            ratings=ratings, pages=Pages(display.win, plan.protocol.display), console=console,
            autopilot=keys.autopilot, lsl=lsl,
        )  # fmt: skip
        ctx.extras["audio_output"] = plan.audio_output
        durations = {c.clip: c.duration_s or 0.0 for c in plan.clips}
        ctx.disk = DiskMonitor(recorder.out_dir, plan.protocol, state, recorder, console, plan.bytes_per_s, durations)
        ctx.framing = FramingMonitor(ctx)
        ctx.framing.start()
        if board is not None:
            board.attach(ctx, recorder)
        if plan.resumed:
            record.log_interrupted(state, events)
        else:
            init_episodes(ctx)
        try:
            run_procedure(ctx, review_step, plan.resumed)
            result.status, result.exit_code = "completed", ExitCode.OK
        except SessionAborted:
            result.status, result.exit_code = "aborted", ExitCode.CHECK_FAILED
            console.print("\n[red]session aborted[/]: everything recorded so far is kept; --resume continues it")
        except FramingFailed as exc:
            result.status, result.exit_code = "framing_failed", ExitCode.CHECK_FAILED
            console.print(f"\n[red]session held[/]: {exc}", highlight=False)
        except KeyboardInterrupt:
            result.status, result.exit_code = "interrupted", ExitCode.INTERRUPTED
            events.add("abort", clock.now())
            console.print("\n[red]interrupted[/]: finishing the files ...")
        except (DiskFull, OSError) as exc:  # a camera's writer, or one of our own writes, hit ENOSPC
            if not is_disk_full(exc):
                raise
            full = exc if isinstance(exc, DiskFull) else DiskFull(plan.folder, str(exc))
            result.status, result.exit_code = record.DISK_FULL, 3
            console.print(f"\n[bold red]{full}[/]: the session stopped; everything recorded so far is kept. "
                          "Free some space, then --resume continues it.", highlight=False)  # fmt: skip
            log.error("%s", full)
            record.stop_for_disk_full(state, recorder, full)
        if result.status != "completed":
            record.close_interrupted(state, events)
        ctx.framing.close(ctx)
        ctx.framing = None
        ctx.disk = None  # the session has ended: the last status line must not stop it again
        ctx.status(clock.now(), force=True)
        console.print()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        teardown = Teardown()  # every step runs whatever the one before it did
        if ctx is not None and ctx.framing is not None:  # an unforeseen error skipped the handled close
            teardown.run("episode", record.close_interrupted, ctx.state, ctx.events)
            teardown.run("framing watch", ctx.framing.close, ctx)
        if board is not None:
            teardown.run("dashboard", board.stop, result.status)
        if recorder is not None and state is not None:
            rec, st = recorder, state

            def stop_recorder() -> None:
                summaries = rec.stop() if rec.started_at else rec.summaries
                result.exit_code = record.finish_run(st, rec, summaries, result.status, result.exit_code)

            teardown.run("recorder", stop_recorder)
        if lsl is not None:
            teardown.run("lsl", lsl.stop)  # after the cameras: the other devices' streams cover the recording
        for table in logs:
            teardown.run("table", table.close)
        teardown.run("window", display.close)
        if state is not None:
            teardown.run("session.json", _save_end, state, result, plan.folder, console)
        log.info("session %s", result.status)
        teardown.run("child processes", stop_children)
        setup.detach_log()
        teardown.raise_first()
    return result


def _save_end(state: SessionState, result: SessionResult, folder: Path, console: Console) -> None:
    state.data["ended_utc"] = utc_now()
    result.summary = state.data["summary"] = record.summary(state)
    state.save()
    state.release_reserve()
    console.print(record.summary_text(result.summary, folder))


def _start_dashboard(plan: Any, opts: SessionOptions, console: Console) -> SessionDashboard | None:
    if not opts.dashboard:
        return None
    board = SessionDashboard(plan.protocol, list(plan.rig.cameras), host=opts.dashboard_host)
    try:
        return board.start(console, open_page=opts.open_dashboard)
    except OSError as exc:
        raise BadInput(f"--dashboard-host {opts.dashboard_host}: the dashboard cannot listen there ({exc})") from exc
