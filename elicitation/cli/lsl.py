"""`elicit lsl list`: the Lab Streaming Layer streams visible on the network (to fill a rig's ``lsl.record``).

Exit codes: 0 streams listed (or none found, said so), 2 a bad option.
"""

from __future__ import annotations

import json

import typer
from rich.table import Table

from elicitation.cli.console import out
from elicitation.cli.exits import exits
from elicitation.folder import BadInput

app = typer.Typer(help="Lab Streaming Layer: the streams on the network.", no_args_is_help=True)


@app.command("list")
@exits
def list_command(
    wait: float = typer.Option(1.0, "--wait", help="Seconds to listen for streams (at least 0.5 finds them all)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON list instead of a table."),
) -> None:
    """Show every LSL stream visible within --wait seconds: name, type, channels, rate, source id, host."""
    from hardware.lsl import library_text, list_streams

    if not wait > 0:
        raise BadInput(f"--wait must be more than 0 seconds, got {wait:g}")
    streams = list_streams(wait)
    if as_json:
        out.print_json(json.dumps([s.as_dict() for s in streams]))
        return
    if not streams:
        out.print(f"no LSL streams visible within {wait:g} s ({library_text()})", highlight=False)
        return
    table = Table(title=f"LSL streams ({library_text()})")
    for column in ("name", "type", "channels", "format", "rate", "source id", "host"):
        table.add_column(column, overflow="fold")
    for s in streams:
        table.add_row(s.name, s.type, str(s.channels), s.channel_format, s.rate_text(), s.source_id, s.hostname)
    out.print(table)


__all__ = ["app"]
