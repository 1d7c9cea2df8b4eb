"""`elicit code ...`: the coders' workbench and what comes after coding.

    elicit code DATA --coder C1 [--keys keys.yaml] [--port 0]   the workbench in the browser
        [--arbiter A1 [--allow-coder-arbiter]]                   ... and save arbitration decisions as A1
    elicit code agreement DATA --coders C1 C2 [--camera gras]   agreement.json per session
    elicit code elan-export SESSION [--out DIR]                 .eaf + ELAN-playable proxies
    elicit code elan-import FILE.eaf SESSION --coder C3 [--tiers C1]

DATA is a session folder or a folder of them. `elicit code DATA` is `elicit code open DATA`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import click
import typer
from typer.core import TyperGroup

from elicitation.cli.console import out
from elicitation.cli.exits import exits


class CodeGroup(TyperGroup):
    """`elicit code DATA ...` runs `open`: a first argument that is no sub-command is the data folder."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["open", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=CodeGroup, help="The coders' workbench, agreement, arbitration and ELAN.", no_args_is_help=True)


@app.command("open")
@exits
def open_workbench(
    data: Path = typer.Argument(..., help="A session folder or a folder of them."),
    coder: str = typer.Option(..., "--coder", help="Your coder ID (letters and digits, at most 16)."),
    keys: Path = typer.Option(None, "--keys", help="YAML mapping actions to keys (see the key list on the page)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Listen here (beyond loopback only with care)."),
    port: int = typer.Option(0, "--port", help="0: a free port."),
    arbiter: str = typer.Option(
        None, "--arbiter", help="Arbitrate as this ID (letters and digits): final.tsv names who decided."
    ),
    allow_coder_arbiter: bool = typer.Option(
        False, "--allow-coder-arbiter", help="Let the arbiter be one of the two coders of a pair."
    ),
) -> None:
    """Open the workbench: prints the link (with its token) and serves until Ctrl-C."""
    from elicitation.web import WebServer, new_token
    from elicitation.workbench import Workbench, build_app

    wb = Workbench(data, coder, keys, arbiter, allow_coder_arbiter)
    server = WebServer(build_app(wb, new_token()), host=host, port=port).start()
    role = f", arbiter {wb.arbiter}" if wb.arbiter else ""
    out.print(f"workbench for coder {wb.coder}{role}: {len(wb.sessions)} session(s)", highlight=False)
    out.print(server.url, highlight=False, soft_wrap=True)
    out.file.flush()
    try:
        threading.Event().wait()
    finally:
        server.stop()
        wb.close()


@app.command("agreement")
@exits
def agreement(
    data: Path = typer.Argument(..., help="A session folder or a folder of them."),
    coders: tuple[str, str] = typer.Option(..., "--coders", help="The two coders, e.g. --coders C1 C2."),
    camera: str = typer.Option(None, "--camera", help="Reference camera (default: the one most events are on)."),
) -> None:
    """Agreement of two coders over the episodes both marked done: SESSION/coding/agreement.json."""
    from elicitation.workbench import find_sessions, open_session, pair, summary, write_report

    for path in find_sessions(data):
        session = open_session(path, Path(data))
        written, report = write_report(session, pair(session, coders[0], coders[1], camera))
        out.print(summary(report), highlight=False, soft_wrap=True)
        out.print(f"  {written}", highlight=False, soft_wrap=True)


@app.command("elan-export")
@exits
def elan_export(
    session: Path = typer.Argument(..., help="The session folder."),
    out_dir: Path = typer.Option(None, "--out", help="Folder for the .eaf files and proxies (SESSION/coding/elan)."),
    camera: list[str] = typer.Option(None, "--camera", help="Only these cameras (repeat)."),
) -> None:
    """Every coder's codes (and final.tsv's) to one .eaf per episode and camera, each linking its proxy."""
    from elicitation.workbench import export_session, open_session

    for path in export_session(open_session(session), out_dir, camera or None):
        out.print(str(path), highlight=False, soft_wrap=True)


@app.command("elan-import")
@exits
def elan_import(
    eaf: Path = typer.Argument(..., help="An .eaf written by elan-export (and edited in ELAN)."),
    session: Path = typer.Argument(..., help="The session folder it belongs to."),
    coder: str = typer.Option(..., "--coder", help="Whose log the codes are added to."),
    tiers: str = typer.Option(None, "--tiers", help="Import the tiers '<this> <kind>' (default: the coder's)."),
) -> None:
    """Add an .eaf's annotations to a coder's log (each checked; a bad one adds nothing)."""
    from elicitation.folder import BadInput
    from elicitation.workbench import import_eaf, open_session

    if not eaf.is_file():
        raise BadInput(f"{eaf}: no such file")
    added = import_eaf(open_session(session), eaf, coder, tiers)
    out.print(f"{len(added)} event(s) added to {coder}'s codes", highlight=False)
