"""Whose movements ``dataset build`` may export: only participants whose recorded consent covers release.

The participants file is the nearest participants.tsv at or above DATA (elicitation.folder.participants).
A participant without a row, or whose consent does not include ``release``, is not exported: every sample
of theirs is listed in excluded.csv with the reason, without a subject number (the release numbers only
the participants it holds), and the manifest says how many were left out and why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from elicitation.folder import find_participants_file, read_participants

RELEASE = "release"


def release_consent(data: Path, participants: set[str]) -> tuple[set[str], dict[str, str], dict[str, Any]]:
    """(participants who may be exported, participant -> why not, the manifest's consent record)."""
    path = find_participants_file(Path(data))
    known = read_participants(path) if path is not None else {}
    refused: dict[str, str] = {}
    for participant in sorted(participants):
        row = known.get(participant)
        if row is None:
            where = path.name if path is not None else "participants.tsv (none found at or above DATA)"
            refused[participant] = f"no consent recorded in {where}: not exported"
        elif not row.covers(RELEASE):
            refused[participant] = f"consent ({', '.join(row.consent) or 'none'}) does not cover release: not exported"
    record = {"rule": "exported only participants whose consent in participants.tsv includes release",
              "participants_file": str(path) if path is not None else None,
              "exported_participants": len(participants) - len(refused),
              "left_out_participants": len(refused),
              "left_out_reasons": sorted(set(refused.values()))}  # fmt: skip
    return participants - set(refused), refused, record
