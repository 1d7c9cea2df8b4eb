"""`elicit dataset ...`: statistics of coded micro-expressions and import of published label sheets.

elicitation.dataset (scipy, matplotlib, openpyxl) is imported inside the commands: importing it at
the top cost every `elicit` command about 0.5 s idle and 5 s on a loaded machine.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="Dataset statistics (Tables I-IV) and published label sheets.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)  # one line per message (file, row, column: grep-able)
FORMATS = ("casme2", "samm", "casme3")  # elicitation.dataset.FORMATS (a test keeps the two equal)


@app.callback()
def dataset() -> None:
    """Dataset statistics (Tables I-IV) and published label sheets."""


@app.command("stats")
def stats(
    source: Path = typer.Argument(..., help="A samples.tsv, an imported labels folder, or a folder of sessions."),
    out_dir: Path = typer.Option(..., "--out", help="Folder for stats.json, the figures and stats.html."),
    total_ms: float = typer.Option(500.0, "--total-ms", help="Upper limit of the total duration (ms)."),
    onset_ms: float = typer.Option(250.0, "--onset-ms", help="Upper limit of the onset duration, fast-onset (ms)."),
) -> None:
    """Select the micro-expressions, fit the duration models and write Tables I-IV with Figures 2 and 3."""
    from elicitation.dataset import Limits, compute_stats, load_input, write_outputs

    if total_ms <= 0 or onset_ms <= 0:
        _fail("--total-ms and --onset-ms must be positive")
    try:
        samples, issues = load_input(source)
    except _bad_input() as exc:
        _fail(str(exc))
    result = compute_stats(samples, Limits(total_ms, onset_ms), issues)
    written = write_outputs(out_dir, result)
    counts, fits = result["counts"], result["fits"]
    out.print(
        f"{counts['selected']} of {counts['samples']} samples selected ({counts['excluded']} excluded); best fit: "
        f"total {fits['total'].get('best', '-')}, onset {fits['onset'].get('best', '-')} -> "
        + ", ".join(str(p) for p in written),
        highlight=False,
    )
    if issues:
        err.print(f"[yellow]note:[/] {len(issues)} input row(s) reported by the import (listed in stats.json)")


@app.command("import-labels")
def import_labels_command(
    sheet: Path = typer.Argument(..., help="The published label sheet (.xlsx or .csv)."),
    fmt: str = typer.Option(..., "--format", help=f"Sheet layout: {', '.join(FORMATS)}."),
    fps: float = typer.Option(..., "--fps", help="The database's frame rate: frames / fps = seconds."),
    out_dir: Path = typer.Option(..., "--out", help="Folder for samples.tsv and import.json."),
) -> None:
    """Read a CASME II, SAMM or CAS(ME)^3 sheet into our coding table; every flawed row is reported."""
    from elicitation.dataset import import_labels

    try:
        record = import_labels(sheet, fmt, fps, out_dir)
    except _bad_input() as exc:
        _fail(str(exc))
    for issue in record["issues"]:
        err.print(
            f"{issue['file']}: row {issue['row']}, column {issue['column']}: {issue['problem']} "
            f"({issue['value']!r}; {issue['action']})",
            highlight=False,
            markup=False,
        )
    out.print(
        f"{record['samples']} samples -> {out_dir / 'samples.tsv'}; {len(record['excluded_rows'])} row(s) excluded, "
        f"{len(record['issues'])} reported (import.json)",
        highlight=False,
    )


def _bad_input() -> tuple[type[Exception], ...]:
    from elicitation.dataset import LabelError, SamplesError, SheetError

    return (LabelError, SamplesError, SheetError)


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)
