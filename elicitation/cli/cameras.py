"""`elicit cameras ...`: what a technician uses to see, record and validate the cameras."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

import typer
from rich.table import Table

from elicitation.cli.console import err, out
from elicitation.cli.exits import exits
from elicitation.errors import CheckFailed
from elicitation.folder import BadInput
from hardware import clock
from hardware.cameras import CameraError, backend_module, probe_backends
from hardware.provenance import software_versions
from hardware.recording import CamerasNotStarted, Recorder, health_line
from hardware.rig import Rig, load_rig

app = typer.Typer(help="Camera set-up, test recordings and frame-rate validation.", no_args_is_help=True)

RIG_HELP = "Rig file (YAML), or the name of a shipped rig such as 'sim'."


def prepare_out_dir(path: Path) -> None:
    """Create DIR (mode 0700: it holds faces); refuse a file or a non-empty folder, never overwrite."""
    if path.exists() and not path.is_dir():
        raise BadInput(f"--out {path} is a file, not a folder; choose a new folder")
    if path.exists() and any(path.iterdir()):
        raise BadInput(f"{path} exists and is not empty; choose a new folder (recordings are never overwritten)")
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise BadInput(f"--out {path}: {parent} is a file, not a folder")
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)


@app.command("list")
@exits
def list_cameras(rig: str = typer.Option(None, "--rig", help=RIG_HELP)) -> None:
    """Backends available on this machine and the devices they see."""
    table = Table(title="Camera backends")
    for column in ("backend", "status", "devices / reason"):
        table.add_column(column)
    for status in probe_backends():
        state = "[green]available[/]" if status.available else "[red]missing[/]"
        lines = [status.reason] if status.reason else []
        if status.available:
            lines += [f"• {device}" for device in status.devices] or ["no devices found"]
        detail = "\n".join(lines)
        table.add_row(status.name, state, detail)
    out.print(table)
    if rig:
        loaded = load_rig(rig)
        rig_table = Table(title=f"Rig '{loaded.name}' ({loaded.path})")
        for column in ("camera", "backend", "size", "format", "fps"):
            rig_table.add_column(column)
        for s in loaded.cameras.values():
            rig_table.add_row(s.name, s.backend, f"{s.width}x{s.height}", s.pixel_format, f"{s.fps:g}")
        out.print(rig_table)


def record_rig(rig: Rig, seconds: float, out_dir: Path) -> dict:
    """Record every camera for `seconds` with a live status line; write and return recording.json."""
    recorder = Recorder(rig, out_dir)
    started_utc = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    info: dict = {
        "rig": {"name": rig.name, "path": str(rig.path), "cameras": {n: vars(s) for n, s in rig.cameras.items()}},
        "versions": software_versions(),
        "started_utc": started_utc,
        "seconds_requested": seconds,
    }
    try:
        recorder.start()
    except CamerasNotStarted:  # recording.json says so too; the CLI prints the error (exit 3)
        info.update(cameras=recorder.summaries, errors=recorder.errors, interrupted=False)
        _write_json(out_dir / "recording.json", info)
        raise
    t0 = clock.now()
    info["started_clock"] = recorder.started_at
    interrupted = False
    try:
        last_print = 0.0
        while (elapsed := clock.now() - t0) < seconds:
            health = recorder.health()
            line = health_line(health, elapsed)
            if sys.stdout.isatty():
                out.print(line, end="\r", highlight=False, soft_wrap=True)
            elif elapsed - last_print >= 2.0:
                out.print(line, highlight=False, soft_wrap=True)
                last_print = elapsed
            if all(h.state == "failed" for h in health.values()):
                break
            time.sleep(0.25)
    except KeyboardInterrupt:
        interrupted = True
        err.print("\ninterrupted: finishing the files ...")
    summaries = recorder.stop()
    info["seconds_recorded"] = round(clock.now() - t0, 3)
    info.update(cameras=summaries, errors=recorder.errors, interrupted=interrupted)
    _write_json(out_dir / "recording.json", info)
    out.print()
    for name, summary in summaries.items():
        if summary.get("error"):
            err.print(f"[red]{name}[/]: {summary['error']}", highlight=False)
        else:
            written, dropped = summary.get("frames_written"), summary.get("dropped")
            out.print(f"{name}: {written} frames written, {dropped} dropped", highlight=False)
    return info


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


@app.command()
@exits
def record(
    rig: str = typer.Argument(..., help=RIG_HELP),
    seconds: float = typer.Option(10.0, "--seconds", min=0.5, help="How long to record."),
    out_dir: Path = typer.Option(..., "--out", help="New folder for the videos, frames.tsv files and recording.json."),
) -> None:
    """Record every camera of a rig (one process per camera), with a live status line."""
    loaded = load_rig(rig)
    prepare_out_dir(out_dir)
    info = record_rig(loaded, seconds, out_dir)
    out.print(f"data: {out_dir}")
    if info["interrupted"]:  # first: Ctrl-C at a terminal reaches the camera processes too
        raise KeyboardInterrupt(f"recording stopped early; the files in {out_dir} are finished (recording.json)")
    if info["errors"]:
        raise CameraError(f"{len(info['errors'])} camera(s) failed while recording; what they recorded is in {out_dir}")


@app.command()
@exits
def validate(
    rig: str = typer.Argument(..., help=RIG_HELP),
    seconds: float = typer.Option(10.0, "--seconds", min=1.0, help="How long to record."),
    out_dir: Path = typer.Option(..., "--out", help="New folder for the recording and validation.json/.png."),
) -> None:
    """Record, then check every camera's rate, jitter, drops and drift; exit 0 if all pass, 1 if not."""
    from hardware.analysis import plot_validation, validate_recording

    loaded = load_rig(rig)
    prepare_out_dir(out_dir)
    info = record_rig(loaded, seconds, out_dir)
    if info["interrupted"]:
        raise KeyboardInterrupt(f"validation stopped early; the recording in {out_dir} is kept, not judged")
    frame_ids = {n: getattr(backend_module(s.backend), "FRAME_IDS", True) for n, s in loaded.cameras.items()}
    results = validate_recording(
        out_dir,
        {n: s.fps for n, s in loaded.cameras.items()},
        seconds,
        loaded.thresholds,
        {n: s.get("error", "") for n, s in info["cameras"].items()},
        frame_ids,
    )
    passed = all(r.passed for r in results.values())
    report = {
        "rig": loaded.name,
        "seconds": seconds,
        "passed": passed,
        "thresholds": {n: vars(t) for n, t in loaded.thresholds.items()},
        "cameras": {n: r.as_dict() for n, r in results.items()},
    }
    _write_json(out_dir / "validation.json", report)
    plot_validation(out_dir, results, out_dir / "validation.png")
    table = Table(title=f"Validation of rig '{loaded.name}' ({seconds:g} s)")
    for column in ("camera", "verdict", "fps", "frames", "dropped", "interval sd / p99 (ms)", "drift (ppm)", "reasons"):
        table.add_column(column)
    for name, r in results.items():
        drift = "n/a" if r.drift_ppm is None else f"{r.drift_ppm:+.1f}"
        stats = r.interval_ms
        spread = f"{stats['sd']:.2f} / {stats['p99']:.1f}" if stats else "-"
        verdict = "[green]PASS[/]" if r.passed else "[red]FAIL[/]"
        table.add_row(
            name, verdict, f"{r.measured_fps:.2f}", str(r.frames), str(r.dropped), spread, drift, "\n".join(r.reasons)
        )
    out.print(table)
    out.print(f"report: {out_dir / 'validation.json'}  plot: {out_dir / 'validation.png'}")
    if not passed:
        failed = [n for n, r in results.items() if not r.passed]
        raise CheckFailed(f"validation: {', '.join(failed)} did not pass (reasons in the table and validation.json)")


__all__ = ["app", "record_rig"]
