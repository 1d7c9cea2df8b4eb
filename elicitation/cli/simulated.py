"""`elicit dataset simulate OUT`: a simulated four-class database the recognition baseline can be shown to work on.

Registered on the `dataset` command group by elicitation/cli/__init__.py; elicitation.recognition is imported
inside the command, as the other dataset commands do.
"""

from __future__ import annotations

from pathlib import Path

import typer

from elicitation.cli.dataset import _bad_input, _fail, err, out
from elicitation.cli.exits import exits


@exits
def simulate_command(
    out_dir: Path = typer.Argument(..., help="New (or empty) folder for the built database (dataset build's layout)."),
    subjects: int = typer.Option(4, "--subjects", help="Simulated subjects, each with its own rig (at least 2)."),
    per_class: int = typer.Option(3, "--per-class", help="Movements of each class per subject."),
    seed: int = typer.Option(2, "--seed", help="Seed of every drawn rig, intensity, timing and order (README: 2)."),
    sessions: Path = typer.Option(
        None, "--sessions", help="Where the recorded sessions go (default: OUT-sessions beside OUT)."
    ),
) -> None:
    """Record simulated subjects making disgust, repression, surprise and tense movements (SYNTHETIC: a
    photograph warped at known times), code them from the truth and build the database into OUT.

    Evaluate it with `elicit dataset baseline OUT --out DIR`. Exit codes: 0 written, 2 bad input, 3 a failure
    while recording or building.
    """
    from elicitation.recognition.simulated import simulate_classes

    if per_class < 1 or subjects < 2:
        _fail("--subjects must be at least 2 and --per-class at least 1")
    with err.status("recording and coding the simulated subjects, then building the database"):
        try:
            made = simulate_classes(out_dir, subjects, per_class, seed, sessions=sessions)
        except _bad_input() as exc:
            _fail(str(exc))
    out.print(
        f"{len(made.subjects)} simulated subjects x 4 classes x {per_class} -> {made.sessions} (sessions, "
        f"simulated.json); {made.built.samples} samples, {made.built.pictures} pictures -> {made.built.out}; "
        f"evaluate: elicit dataset baseline {made.built.out} --out DIR",
        highlight=False,
    )
