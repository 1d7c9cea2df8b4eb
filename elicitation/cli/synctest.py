"""`elicit cameras sync-test`: the technician's screen-to-camera latency test."""

from __future__ import annotations

from pathlib import Path

import typer

from elicitation.cli.cameras import RIG_HELP, prepare_out_dir
from elicitation.cli.console import out
from elicitation.cli.exits import exits
from elicitation.errors import CheckFailed
from hardware.rig import load_rig


@exits
def sync_test(
    rig: str = typer.Argument(..., help=RIG_HELP),
    flashes: int = typer.Option(10, "--flashes", min=2, help="How many white flashes to show."),
    out_dir: Path = typer.Option(..., "--out", help="New folder for the recording, flashes.tsv, sync.json/.png."),
    seed: int = typer.Option(0, "--seed", help="Seed of the random gaps between flashes."),
    windowed: bool = typer.Option(False, "--windowed", help="A window instead of the full screen."),
    max_sd_ms: float = typer.Option(None, "--max-sd-ms", help="Latency sd limit (default: half a frame period)."),
    max_range_ms: float = typer.Option(None, "--max-range-ms", help="Latency max-min limit (default: 1.5 periods)."),
) -> None:
    """Flash the screen while recording; per camera the latency from flip to first frame showing it.

    A camera that dropped frames while the flashes were shown fails with that reason (no latency verdict).
    """
    from elicitation.sync import analyse, print_report, run_sync_test

    loaded = load_rig(rig)
    prepare_out_dir(out_dir)
    times = run_sync_test(loaded, flashes, out_dir, seed, windowed, out)
    report = analyse(loaded, out_dir, times, {"max_sd_ms": max_sd_ms, "max_range_ms": max_range_ms})
    print_report(report, out)
    out.print(f"report: {out_dir / 'sync.json'}  plot: {out_dir / 'sync.png'}")
    if not report["passed"]:
        failed = [name for name, cam in report["cameras"].items() if not cam["passed"]]
        raise CheckFailed(f"sync test: {', '.join(failed)} did not pass (reasons in the table and sync.json)")
