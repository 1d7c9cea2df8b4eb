"""`elicit sync align` and `elicit import`: put videos that cameras recorded on their own (camcorder
cards) on the one clock, alone or into a session."""

from __future__ import annotations

from pathlib import Path

import typer

from elicitation.cli.console import err, out
from elicitation.cli.exits import exits
from elicitation.folder import BadInput
from hardware.analysis import align_video, write_frames, write_report

app = typer.Typer(help="Align camcorder videos to the session's clock by the sync flashes.", no_args_is_help=True)


@app.callback()
def sync() -> None:
    """Align camcorder videos to the session's clock by the sync flashes."""


@app.command("align")
@exits
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
        raise BadInput(f"{report} exists; reports are never overwritten")
    alignment = align_video(video, flashes, fps)
    write_frames(alignment, video, frames_out)
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


@exits
def import_command(
    video: Path = typer.Argument(..., help="The camcorder's video file (any format ffmpeg reads)."),
    session: Path = typer.Option(..., "--session", help="The session folder (DATA/sub-<ID>/ses-<N>)."),
    camera: str = typer.Option(..., "--camera", help="Name for the imported camera, e.g. benq_card."),
    fps: float = typer.Option(None, "--fps", help="Nominal frame rate, if the file's own is wrong."),
) -> None:
    """Copy a camcorder video into a session and put every frame on the session's clock by its sync flashes."""
    from elicitation.sync import import_video

    alignment, copy, table = import_video(video, session, camera, fps)
    r = alignment.report()
    out.print(
        f"imported {r['frames']} frames as camera {camera}: {r['flashes_found']} of {r['flashes_listed']} sync "
        f"flashes matched, offset {r['offset_s']:.6f} s, drift {r['drift_ppm']:+.1f} ppm, largest flash residual "
        f"{r['residual_ms']:.2f} ms\n  {copy}\n  {table}",
        highlight=False,
    )


__all__ = ["app", "import_command"]
