"""`elicit dataset ...`: the database export, statistics of coded micro-expressions, published label sheets.

elicitation.dataset (scipy, matplotlib, openpyxl) is imported inside the commands: importing it at
the top cost every `elicit` command about 0.5 s idle and 5 s on a loaded machine.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from elicitation.cli.exits import exits

app = typer.Typer(help="Dataset export, statistics (Tables I-IV) and published label sheets.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)  # one line per message (file, row, column: grep-able)
FORMATS = ("casme2", "samm", "casme3")  # elicitation.dataset.FORMATS (a test keeps the two equal)


@app.callback()
def dataset() -> None:
    """Dataset export, statistics (Tables I-IV) and published label sheets."""


@app.command("build")
@exits
def build_command(
    data: Path = typer.Argument(..., help="A session folder, or a folder of sessions (each with coding/final.tsv)."),
    out_dir: Path = typer.Option(..., "--out", help="New (or empty) folder for the database."),
    step: int = typer.Option(1, "--step", help="One picture every N frames (the paper's CASME took 2)."),
    lossless: bool = typer.Option(False, "--lossless", help="PNG pictures instead of JPEG."),
    allow_far: bool = typer.Option(False, "--allow-far-frames",
                                   help="Export samples whose frames on another camera are more than half a frame "
                                        "period from the coded instant (listed in manifest.json)."),
    pseudonyms: Path = typer.Option(
        None,
        "--pseudonyms",
        help="Where the sub<NN> -> participant map goes (default: OUT-pseudonyms.csv beside OUT; never inside OUT).",
    ),  # fmt: skip
    total_ms: float = typer.Option(500.0, "--total-ms", help="Upper limit of the total duration (ms)."),
    onset_ms: float = typer.Option(250.0, "--onset-ms", help="Upper limit of the onset duration, fast-onset (ms)."),
) -> None:
    """Export the selected micro-expressions: <class>/sub<NN>/EP<episode>_<k>/img<frame>.jpg, the coding sheet
    (CSV, XLSX), excluded.csv and manifest.json with the sha256 of every file.

    Exit codes: 0 written, 2 bad input (nothing written), 3 a video failed to decode (no manifest.json), 130 Ctrl-C.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from elicitation.dataset import BuildInputError, Limits, build

    if total_ms <= 0 or onset_ms <= 0:
        _fail("--total-ms and --onset-ms must be positive")
    if step < 1:
        _fail(f"--step must be 1 or more, got {step}")
    bar = Progress(TextColumn("frames"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err,
                   transient=True)  # fmt: skip
    task = bar.add_task("frames", total=None)
    try:
        with bar:
            built = build(data, out_dir, limits=Limits(total_ms, onset_ms), step=step, lossless=lossless,
                          pseudonyms=pseudonyms, on_plan=lambda plan: bar.update(task, total=plan.pictures),
                          on_picture=lambda n: bar.advance(task, n), allow_far=allow_far)  # fmt: skip
    except BuildInputError as exc:
        for problem in exc.problems:
            err.print(problem, highlight=False, markup=False)
        _fail(f"{len(exc.problems)} problem(s) in the codes: nothing was written")
    except _bad_input() as exc:
        _fail(str(exc))
    out.print(
        f"{built.samples} samples, {built.pictures} pictures, {built.excluded} excluded -> {built.out} "
        f"({built.files} files, manifest.json); pseudonym map (keep it apart) -> {built.pseudonyms}",
        highlight=False,
    )


@app.command("stats")
def stats(
    source: Path = typer.Argument(..., help="A samples.tsv, imported labels, a built dataset or sessions."),
    out_dir: Path = typer.Option(..., "--out", help="Folder for stats.json, the figures and stats.html."),
    total_ms: float = typer.Option(500.0, "--total-ms", help="Upper limit of the total duration (ms)."),
    onset_ms: float = typer.Option(250.0, "--onset-ms", help="Upper limit of the onset duration, fast-onset (ms)."),
) -> None:
    """Select the micro-expressions, fit the duration models and write Tables I-IV with Figures 2 and 3."""
    from elicitation.dataset import Limits, compute_stats, load_input, write_outputs
    from elicitation.dataset.inputs import participants_line

    if total_ms <= 0 or onset_ms <= 0:
        _fail("--total-ms and --onset-ms must be positive")
    try:
        samples, issues = load_input(source)
    except _bad_input() as exc:
        _fail(str(exc))
    try:
        line = participants_line(source, samples)
    except _bad_input() as exc:
        _fail(str(exc))
    result = compute_stats(samples, Limits(total_ms, onset_ms), issues, line)
    written = write_outputs(out_dir, result)
    counts, fits = result["counts"], result["fits"]
    out.print(
        f"{counts['selected']} of {counts['movements']} movements selected, each counted once "
        f"({counts['selected_samples']} of {counts['samples']} samples over all cameras, {counts['excluded']} "
        f"excluded); Table III n: total {fits['total']['n']}, onset {fits['onset']['n']}; best fit: "
        f"total {fits['total'].get('best', '-')}, onset {fits['onset'].get('best', '-')} -> "
        + ", ".join(str(p) for p in written),
        highlight=False,
    )
    out.print(f"Participants: {line['text']}", highlight=False, markup=False)
    if line["not_in_participants_file"]:
        err.print(f"note: {len(line['not_in_participants_file'])} participant(s) not in a participants.tsv: "
                  "demographics not recorded", highlight=False, markup=False)  # fmt: skip
    if issues:
        err.print(f"[yellow]note:[/] {len(issues)} input row(s) reported by the import (listed in stats.json)")


@app.command("norms")
def norms_command(
    data: Path = typer.Argument(..., help="A session folder or a folder of sessions (their ratings.tsv)."),
    out_dir: Path = typer.Option(..., "--out", help="Folder for table_vi.tsv, norms.json and norms.html."),
) -> None:
    """Table VI measured: per episode the emotion(s) chosen by at least a third of the participants, the rate
    of selection and the mean score of those who chose it; episodes that differ from the protocol's."""
    from elicitation.dataset.norms import compute_norms
    from elicitation.dataset.norms_page import write_norms

    try:
        norms = compute_norms(data)
    except _bad_input() as exc:
        _fail(str(exc))
    written = write_norms(out_dir, norms)
    for row in norms["episodes"]:
        main = ", ".join(f"{m['emotion']} {m['selection_rate']:.2f}" for m in row["main"]) or "/"
        out.print(f"{row['episode']}: {main} (n = {row['participants']})"
                  + (f"; declared {', '.join(row['declared']) or '/'}" if row["differs"] else ""),
                  highlight=False, markup=False)  # fmt: skip
    for name in norms["missing_ratings"]:
        err.print(f"note: {name}: no ratings.tsv (left out)", highlight=False, markup=False)
    for name, episodes in norms["partial_ratings"].items():
        err.print(f"note: {name}: no rating of episode(s) {', '.join(episodes)}", highlight=False, markup=False)
    for line in norms["bad_rows"] + norms["repeat_participants"]:
        err.print(f"note: {line}", highlight=False, markup=False)
    out.print(f"{len(norms['differs_from_declared'])} episode(s) differ from the protocol's main_emotions -> "
              + ", ".join(str(p) for p in written), highlight=False)  # fmt: skip


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
        f"{record['samples']} samples ({', '.join(f'{n} {k}' for k, n in record['kinds'].items()) or 'none'}) -> "
        f"{out_dir / 'samples.tsv'}; {len(record['excluded_rows'])} row(s) excluded, "
        f"{len(record['issues'])} reported (import.json)",
        highlight=False,
    )


def _bad_input() -> tuple[type[Exception], ...]:
    from elicitation.folder import BadInput
    from hardware.video import VideoFileError

    return (BadInput, VideoFileError)


def _fail(message: str) -> None:
    from rich.markup import escape

    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(2)
