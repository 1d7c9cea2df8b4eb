"""`elicit report SESSION`: write the session's self-contained report.html."""

from __future__ import annotations

from pathlib import Path

import typer

from elicitation.cli.console import out
from elicitation.cli.exits import exits


@exits
def report(
    session: Path = typer.Argument(..., help="The session folder (DATA/sub-<ID>/ses-<N>)."),
    out_file: Path = typer.Option(None, "--out", help="Where to write the report (default SESSION/report.html)."),
) -> None:
    """Write a self-contained HTML report of a session: summary, timeline, cameras, ratings, flags, warnings."""
    from elicitation.report import write_report

    out.print(f"report: {write_report(session, out_file)}", highlight=False)


__all__ = ["report"]
