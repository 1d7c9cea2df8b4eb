"""`elicit participants add DATA --id P07 ...` and `elicit participants list DATA`: the participants file at
the data folder's root (elicitation.folder.participants): age, sex and consent scope per pseudonym."""

from __future__ import annotations

from pathlib import Path

import typer

from elicitation.cli.console import out
from elicitation.cli.exits import exits
from elicitation.folder import (
    CONSENT_SCOPES,
    add_participant,
    find_participants_file,
    make_participant,
    read_participants,
)

app = typer.Typer(help="Participants: age, sex and consent scope, in DATA/participants.tsv.", no_args_is_help=True)


@app.callback()
def participants() -> None:
    """Participants: age, sex and consent scope, in DATA/participants.tsv (BIDS), keyed by pseudonym."""


@app.command("add")
@exits
def add(
    data: Path = typer.Argument(..., help="The data folder (its root holds participants.tsv)."),
    participant: str = typer.Option(..., "--id", help="The pseudonym (letters and digits), as in `elicit run`."),
    consent: str = typer.Option(..., "--consent", help=f"Comma list of {', '.join(CONSENT_SCOPES)}."),
    age: int | None = typer.Option(None, "--age", help="Whole years; leave out if not given (n/a)."),
    sex: str | None = typer.Option(None, "--sex", help="female, male or other; leave out if not given (n/a)."),
    replace: bool = typer.Option(False, "--replace", help="Change a recorded row (the old one is kept in "
                                 "participants-history.tsv)."),  # fmt: skip
) -> None:
    """Record a participant's age, sex and consent scope (research, publication, release)."""
    row = make_participant(participant, age, sex, consent)
    path = add_participant(data, row, replace=replace)
    missing = [name for name, value in (("age", age), ("sex", sex)) if value is None]
    out.print(f"{participant}: consent {', '.join(row.consent)} -> {path}"
              + (f" ({', '.join(missing)} not recorded)" if missing else ""), highlight=False)  # fmt: skip


@app.command("list")
@exits
def list_(data: Path = typer.Argument(..., help="The data folder (or a folder below it).")) -> None:
    """The recorded participants (the nearest participants.tsv at or above DATA)."""
    path = find_participants_file(data)
    if path is None:
        out.print(f"no participants.tsv at or above {data}", highlight=False)
        return
    for p in read_participants(path).values():
        out.print(f"{p.participant}: age {p.age if p.age is not None else 'n/a'}, sex {p.sex or 'n/a'}, "
                  f"consent {','.join(p.consent) or 'n/a'}", highlight=False, markup=False)  # fmt: skip
