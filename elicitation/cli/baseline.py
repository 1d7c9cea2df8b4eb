"""`elicit dataset baseline DB --out DIR`: the recognition baseline (Table V and LOSO) over a database.

Registered on the `dataset` command group by elicitation/cli/__init__.py; elicitation.recognition (numpy,
scikit-learn, dask) is imported inside the command, as the other dataset commands do.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from elicitation.cli.dataset import _bad_input, _fail, err, out


def _numbers(text: str, what: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        _fail(f"{what} {text!r}: expected whole numbers separated by commas, e.g. 3,6,9")
    if not values or min(values) < 1:
        _fail(f"{what} {text!r}: expected positive whole numbers")
    return values


def baseline_command(
    db: Path = typer.Argument(
        ..., help="A folder `dataset build` wrote, or a CASME-layout tree (subNN/EPxx_yy/imgN.jpg) with its sheet."
    ),
    out_dir: Path = typer.Option(
        ..., "--out", help="New (or empty) folder for baseline.json, table_v.tsv, loso.tsv, baseline.html."
    ),
    classes: str = typer.Option(
        "disgust,repression,surprise,tense", "--classes", help="Emotion classes (the paper's four)."
    ),
    dims: str = typer.Option(
        "10,20,30,40,50,60", "--dims", help="MPCA dimensionalities P (P x P x P): Table V's rows."
    ),
    galleries: str = typer.Option("3,6,9,12,15", "--galleries", help="Gallery sizes m of G_m: Table V's columns."),
    splits: int = typer.Option(20, "--splits", help="Random splits per gallery size."),
    seed: int = typer.Option(1, "--seed", help="Seed of the random splits."),
    loso_dim: int = typer.Option(30, "--loso-dim", help="MPCA dimensionality for the LOSO protocol."),
    only_class: str = typer.Option(
        None, "--class", help="A built database's class (camera) to take each movement from."
    ),
    sheet: Path = typer.Option(
        None, "--sheet", help="The coding sheet of a CASME-layout tree (default: the one beside it)."
    ),
    workers: int = typer.Option(2, "--workers", help="Dask LocalCluster workers; 0 runs the tasks one by one here."),
    scheduler: str = typer.Option(None, "--scheduler", help="A running Dask scheduler (tcp://host:8786) instead."),
) -> None:
    """Evaluate a database with the paper's MPCA baseline (Table V) and with LOSO (MPCA, LBP-TOP + SVM)."""
    from elicitation.recognition import Options, run_baseline

    if splits < 1 or workers < 0 or loso_dim < 1:
        _fail("--splits and --loso-dim must be at least 1, --workers at least 0")
    names = tuple(c.strip().lower() for c in classes.split(",") if c.strip())
    if len(set(names)) < 2:
        _fail(f"--classes {classes!r}: at least two different classes")
    options = Options(
        classes=names,
        dims=_numbers(dims, "--dims"),
        galleries=_numbers(galleries, "--galleries"),
        splits=splits,
        seed=seed,
        loso_dim=loso_dim,
        only_class=only_class,
        sheet=str(sheet) if sheet else None,
    )
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )
    bars: dict[str, int] = {}

    def start(stage: str, total: int) -> None:
        bars["now"] = progress.add_task(stage, total=total)

    def done(task, state: str) -> None:  # type: ignore[no-untyped-def]
        progress.advance(bars["now"])

    try:
        with progress:
            summary = run_baseline(
                db, out_dir, options, workers=workers, scheduler=scheduler, on_start=start, on_done=done
            )
    except _bad_input() as exc:
        _fail(str(exc))
    for key in ("left_out_galleries",):
        for g, reason in summary[key].items():
            err.print(f"[yellow]note:[/] {g} left out: {reason}", highlight=False)
    if summary["left_out_samples"]:
        err.print(f"[yellow]note:[/] {len(summary['left_out_samples'])} sample(s) left out (baseline.json lists why)")
    loso = summary["loso"]
    out.print(
        f"{len(summary['samples'])} samples, {summary['subjects']} subjects -> {out_dir}/baseline.json, "
        f"table_v.tsv, loso.tsv, baseline.html; LOSO UF1 MPCA {loso['mpca_nn']['UF1']}, "
        f"LBP-TOP+SVM {loso['lbptop_svm']['UF1']}",
        highlight=False,
    )
    if summary["failed_tasks"]:
        for failure in summary["failed_tasks"]:
            err.print(f"[bold red]task failed:[/] {failure}", highlight=False, markup=False)
        raise typer.Exit(1)
