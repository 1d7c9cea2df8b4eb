"""`elicit`: the command line of the lab app. Sub-commands live in small cli_* modules."""

from __future__ import annotations

import typer

from elicitation.cli import cameras as cli_cameras
from elicitation.cli import dataset
from elicitation.cli import review as cli_review
from elicitation.cli import session as cli_session
from elicitation.cli import stimuli as cli_stimuli
from elicitation.cli import sync as cli_sync
from elicitation.cli import synctest as cli_synctest
from elicitation.report import page as report
from elicitation.sync import camcorder_import as session_import

app = typer.Typer(
    help="Elicit and record spontaneous micro-expressions (CASME neutralization protocol).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
cli_cameras.app.command("sync-test")(cli_synctest.sync_test)
app.add_typer(cli_cameras.app, name="cameras")
app.add_typer(cli_stimuli.app, name="stimuli")
app.add_typer(cli_sync.app, name="sync")
app.add_typer(dataset.app, name="dataset")
app.command("run")(cli_session.run)
app.command("demo")(cli_session.demo)
app.command("import")(session_import.import_command)
app.command("report")(report.report_command)
app.command("review")(cli_review.review)


def main() -> None:
    app()
