"""`elicit`: the command line of the lab app. Sub-commands live in small modules here; every command's
errors leave through elicitation.cli.exits (one message, one exit code)."""

from __future__ import annotations

import signal
from importlib import metadata

import typer

from elicitation.cli import baseline as cli_baseline
from elicitation.cli import cameras as cli_cameras
from elicitation.cli import code as cli_code
from elicitation.cli import dataset
from elicitation.cli import footage as cli_footage
from elicitation.cli import lsl as cli_lsl
from elicitation.cli import participants as cli_participants
from elicitation.cli import preview as cli_preview
from elicitation.cli import report as cli_report
from elicitation.cli import review as cli_review
from elicitation.cli import session as cli_session
from elicitation.cli import simulated as cli_simulated
from elicitation.cli import spot as cli_spot
from elicitation.cli import stimuli as cli_stimuli
from elicitation.cli import sync as cli_sync
from elicitation.cli import synctest as cli_synctest
from elicitation.cli.console import out

DISTRIBUTION = "casme-elicitation"

app = typer.Typer(
    help="Elicit and record spontaneous micro-expressions (CASME neutralization protocol).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def version() -> str:
    """The installed package's version (importlib.metadata)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _print_version(value: bool) -> None:
    if value:
        out.print(f"elicit {version()}", highlight=False)
        raise typer.Exit()


@app.callback()
def elicit(
    show_version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Elicit and record spontaneous micro-expressions (CASME neutralization protocol).

    Exit codes: 0 success, 1 a check failed, 2 bad input, 3 a failure while running, 130 interrupted.
    """


cli_cameras.app.command("sync-test")(cli_synctest.sync_test)
cli_cameras.app.command("preview")(cli_preview.preview)
app.add_typer(cli_cameras.app, name="cameras")
app.add_typer(cli_stimuli.app, name="stimuli")
app.add_typer(cli_sync.app, name="sync")
dataset.app.command("baseline")(cli_baseline.baseline_command)
dataset.app.command("simulate")(cli_simulated.simulate_command)
app.add_typer(dataset.app, name="dataset")
app.add_typer(cli_lsl.app, name="lsl")
app.add_typer(cli_code.app, name="code")
app.add_typer(cli_participants.app, name="participants")
app.command("run")(cli_session.run)
app.command("demo")(cli_session.demo)
app.command("import")(cli_sync.import_command)
app.command("import-footage")(cli_footage.import_footage_command)
app.command("import-footage-labels")(cli_footage.import_labels_command)
app.command("report")(cli_report.report)
app.command("review")(cli_review.review)
app.command("spot")(cli_spot.spot)


def main() -> None:
    # Ctrl-C must interrupt every command: a shell starts background jobs with SIGINT ignored, and Python
    # then installs no KeyboardInterrupt handler, so a SIGINT sent to the command would be lost
    signal.signal(signal.SIGINT, signal.default_int_handler)
    app()


__all__ = ["app", "main", "version"]
