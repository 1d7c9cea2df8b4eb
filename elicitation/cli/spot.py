"""`elicit spot ARCHIVE`, `elicit spot evaluate DATA`, `elicit spot simulate OUT --rig RIG`.

elicitation.spotting (OpenCV flow, dlib, Dask) is imported inside the command, so other commands start
as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from elicitation.cli.console import err, out
from elicitation.cli.exits import exits
from elicitation.errors import ExitCode
from elicitation.folder import BadInput

MODES = ("evaluate", "simulate", "truth")


def _episodes(values: list[str]) -> list[tuple[str, float, float]]:
    parsed = []
    for value in values:
        try:
            label, start, end = value.split(":")
            parsed.append((f"{int(label):02d}", float(start), float(end)))
        except ValueError:
            raise BadInput(f"--episode {value!r}: expected LABEL:START_S:END_S, e.g. 01:0:8") from None
    return parsed


def _run(archive: Path, workers: int, scheduler: str | None, force: bool, cameras: list[str]) -> None:
    from elicitation.spotting.run import spot_archive

    if workers < 0:
        raise BadInput("--workers must be >= 0 (0 runs the tasks one after another in this process)")
    progress = Progress(TextColumn("spotting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.description}"), console=err, transient=False)  # fmt: skip
    bar = progress.add_task("", total=None)

    def start(total: int) -> None:
        progress.update(bar, total=total)

    def done(task, state: str) -> None:  # type: ignore[no-untyped-def]
        progress.update(bar, advance=1, description=f"{state} {task.key}")

    with progress:
        report, written = spot_archive(archive, workers=workers, scheduler=scheduler, force=force,
                                       cameras=cameras or None, on_done=done, on_start=start)  # fmt: skip
    out.print(f"{len(report.done)} task(s) run ({report.where}), {len(report.skipped)} already done (skipped; "
              f"--force reruns them), {len(report.failed)} failed; wrote {len(written)} file(s)", highlight=False)
    for path in written:
        out.print(f"  {path}", highlight=False)
    for failure in report.failed:
        err.print(f"[bold red]task failed:[/] {escape(failure.describe())}", highlight=False)
    if report.failed:
        raise typer.Exit(ExitCode.FAILED)


def _evaluate(data: Path, json_out: Path | None, cameras: list[str]) -> None:
    from elicitation.batch import atomic_write
    from elicitation.spotting.evaluate import evaluate_root, report_lines, summary

    if len(cameras) > 1:
        raise BadInput("evaluate takes one --camera (the pooled scores are over one camera per session)")
    results, facts = evaluate_root(data, cameras[0] if cameras else None)
    for line in report_lines(results):
        out.print(line, highlight=False, markup=False)
    scores = summary(results, facts)
    for cam, block in facts["per_camera"].items():
        s = block["overall"]
        out.print(f"camera {cam} (breakdown, {block['videos']} videos): overall F1 {s['f1']:.4f} "
                  f"(TP {s['tp']} FP {s['fp']} FN {s['fn']})", highlight=False)  # fmt: skip
    for kind in ("micro", "macro", "overall", "type_blind"):
        s = scores[kind]
        out.print(f"{kind}: F1 {s['f1']:.4f} (precision {s['precision']:.4f}, recall {s['recall']:.4f}; "
                  f"TP {s['tp']} FP {s['fp']} FN {s['fn']})", highlight=False)  # fmt: skip
    out.print(f"{facts['videos']} videos in {facts['sessions']} session(s), {facts['counting']}; "
              f"{facts['flagged_left_out']} flagged candidate(s) left out", highlight=False)  # fmt: skip
    for skipped in facts["skipped_no_spotting_file"]:
        out.print(f"skipped {skipped}: no spotting file (never spotted); its coded intervals are not counted",
                  highlight=False)  # fmt: skip
    if json_out is not None:
        atomic_write(json_out, json.dumps(scores, indent=1, sort_keys=True) + "\n")


def _simulate(target: Path, rig_name: str | None, episodes: list[str]) -> None:
    from elicitation.spotting.synthetic import simulate
    from hardware.rig import load_rig

    if not rig_name:
        raise BadInput("simulate needs --rig (sim cameras with face: and expressions:, e.g. sim-spotting)")
    windows = _episodes(episodes) if episodes else [("01", 0.0, 8.0), ("02", 8.0, 16.0), ("03", 16.0, 24.0),
                                                    ("04", 24.0, 32.0), ("05", 32.0, 40.5)]  # fmt: skip
    session = simulate(target, load_rig(rig_name), windows)
    out.print(f"synthetic session (a photograph warped at known times, not a participant): {session}", highlight=False)


def _truth(session: Path, rig_name: str | None) -> None:
    from elicitation.coding import final_path
    from elicitation.spotting.synthetic import write_truth
    from hardware.rig import load_rig

    if not rig_name:
        raise BadInput("truth needs --rig: the sim rig the session was recorded with")
    if final_path(session).exists():
        raise BadInput(f"{final_path(session)} exists; final codes are never overwritten")
    listed = write_truth(session, load_rig(rig_name))
    out.print(f"truth of the sim expressions -> {final_path(session)} and {listed}", highlight=False)


@exits
def spot(
    target: str = typer.Argument(..., help="ARCHIVE: a folder of sessions to spot; or evaluate, simulate, truth."),
    path: Path | None = typer.Argument(None, help="evaluate: DATA; simulate: OUT; truth: SESSION."),
    workers: int = typer.Option(2, "--workers", help="Dask LocalCluster worker processes; 0: serially here."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="An existing Dask scheduler, tcp://HOST:PORT."),
    force: bool = typer.Option(False, "--force", help="Rerun tasks whose results exist."),
    camera: list[str] = typer.Option([], "--camera", help="Only these cameras (repeat the option); evaluate: "
                                     "pool this one camera instead of each session's counted camera."),
    json_out: Path | None = typer.Option(None, "--json", help="evaluate: also write the scores to this file."),
    rig: str | None = typer.Option(None, "--rig", help="simulate: the rig (file or shipped name)."),
    episode: list[str] = typer.Option([], "--episode", help="simulate: LABEL:START_S:END_S (repeat)."),
) -> None:
    """Spot candidate micro-expressions: one task per session, episode file and camera (Dask), results in
    spotting/<camera>.tsv; `elicit spot evaluate DATA` scores them against coding/final.tsv (MEGC metric);
    `elicit spot simulate OUT --rig RIG` records a synthetic set with a known truth; `elicit spot truth SESSION
    --rig RIG` writes that truth for a session recorded with such a sim rig."""
    if target == "evaluate":
        if path is None:
            raise BadInput("usage: elicit spot evaluate DATA")
        _evaluate(path, json_out, camera)
    elif target == "truth":
        if path is None:
            raise BadInput("usage: elicit spot truth SESSION --rig RIG")
        _truth(path, rig)
    elif target == "simulate":
        if path is None:
            raise BadInput("usage: elicit spot simulate OUT --rig RIG")
        _simulate(path, rig, episode)
    else:
        if path is not None:
            raise BadInput(f"elicit spot ARCHIVE takes one folder; the second argument {str(path)!r} is not "
                           f"understood (modes: {', '.join(MODES)})")  # fmt: skip
        _run(Path(target), workers, scheduler, force, camera)
