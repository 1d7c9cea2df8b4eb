"""`elicit sync ...`: put videos that cameras recorded on their own (camcorder cards) on the one clock."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from hardware.analysis import FlashInputError, FlashSyncError, align_video, write_frames, write_report

app = typer.Typer(help="Align camcorder videos to the session's clock by the sync flashes.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)  # messages stay on one line (file:line, grep-able)


@app.callback()
def sync() -> None:
    """Align camcorder videos to the session's clock by the sync flashes."""


@app.command("align")
def align(
    video: Path = typer.Argument(..., help="The camcorder's video file (any format ffmpeg reads)."),
    flashes: Path = typer.Option(
        ..., "--flashes", help="TSV with a clock_time column: each flash's flip time (a session's events.tsv works)."
    ),
    frames_out: Path = typer.Option(..., "--out", help="frames.tsv to write (recorder format); never overwritten."),
    report: Path = typer.Option(None, "--report", help="Also write offset, drift, residual and flash count (JSON)."),
    fps: float = typer.Option(None, "--fps", help="Nominal frame rate, if the file's own is wrong."),
) -> None:
    """Find the flashes in VIDEO, fit offset and drift, write a frames.tsv that puts every frame on the clock."""
    if report is not None and report.exists():
        _fail(f"{report} exists; reports are never overwritten")
    try:
        alignment = align_video(video, flashes, fps)
        write_frames(alignment, video, frames_out)
    except (FlashInputError, FlashSyncError) as exc:
        _fail(str(exc))
    if report is not None:
        write_report(alignment, report)
    r = alignment.report()
    out.print(
        f"{video.name}: {r['frames']} frames at {r['fps']:.3f} fps aligned by {r['flashes_found']} of "
        f"{r['flashes_listed']} flashes: offset {r['offset_s']:.6f} s, drift {r['drift_ppm']:+.1f} ppm, "
        f"largest flash residual {r['residual_ms']:.2f} ms -> {frames_out}",
        highlight=False,
    )
    if r["flashes_found"] < r["flashes_listed"]:
        err.print(f"[yellow]note:[/] {r['flashes_listed'] - r['flashes_found']} listed flashes are not in the video")


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)
