"""``participants.tsv`` + ``participants.json`` at the data folder's root: who took part, and what they consented to.

BIDS's participants file: one row per participant, keyed by pseudonym (``participant_id`` = ``sub-P07``,
the session folders' name; never a real name, never in a video's file name), with ``age`` (whole years),
``sex`` (female, male, other) and ``consent``: the uses the participant agreed to, a comma list of
CONSENT_SCOPES (research: research use only; publication: pictures in publications; release: release in a
database). ``n/a`` where the experimenter did not record a value: missing demographics are reported, never
invented. ``participants.json`` is the BIDS sidecar describing the columns. Both 0600, the folder 0700.

A row is never lost: a participant's row is changed only with ``replace``, and the row it replaces is
appended to ``participants-history.tsv`` first (consent can be narrowed or withdrawn later).
The participants file that applies to a folder is the nearest one at or above it.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

from elicitation.folder.state import BadInput, check_participant, create_private_dir, open_private, utc_now
from elicitation.folder.tables import read_tsv

FILE = "participants.tsv"
SIDECAR = "participants.json"
HISTORY = "participants-history.tsv"
COLUMNS = ("participant_id", "age", "sex", "consent", "recorded_utc")
SEXES = ("female", "male", "other")
CONSENT_SCOPES = {
    "research": "research use only (analysis by the lab)",
    "publication": "pictures of the face in publications",
    "release": "release in a database to other researchers",
}
MISSING = "n/a"
SIDECAR_TEXT = {
    "participant_id": {"Description": "the pseudonym (sub-<ID>), the session folders' name"},
    "age": {"Description": "age at the first session", "Units": "years"},
    "sex": {"Description": "sex as the participant stated it", "Levels": {s: s for s in SEXES}},
    "consent": {"Description": "uses the participant consented to, comma-separated", "Levels": CONSENT_SCOPES},
    "recorded_utc": {"Description": "when the experimenter recorded this row (UTC)"},
}


@dataclass(frozen=True)
class Participant:
    participant: str  # the pseudonym, without "sub-"
    age: int | None
    sex: str | None
    consent: tuple[str, ...]
    recorded_utc: str = ""

    def covers(self, scope: str) -> bool:
        return scope in self.consent

    def cells(self) -> list[str]:
        return [f"sub-{self.participant}", MISSING if self.age is None else str(self.age), self.sex or MISSING,
                ",".join(self.consent) or MISSING, self.recorded_utc or MISSING]  # fmt: skip


def make_participant(participant: str, age: int | None, sex: str | None, consent: str) -> Participant:
    """A checked row; BadInput naming the field otherwise."""
    check_participant(participant)
    if age is not None and not 10 <= age <= 120:
        raise BadInput(f"age {age}: whole years from 10 to 120, or leave it out (recorded as n/a)")
    if sex is not None and sex not in SEXES:
        raise BadInput(f"sex {sex!r}: one of {', '.join(SEXES)}, or leave it out (recorded as n/a)")
    scopes = tuple(s.strip() for s in consent.split(",") if s.strip())
    unknown = [s for s in scopes if s not in CONSENT_SCOPES]
    if unknown or not scopes:
        raise BadInput(f"consent {consent!r}: a comma list of {', '.join(CONSENT_SCOPES)}")
    return Participant(participant, age, sex, tuple(s for s in CONSENT_SCOPES if s in scopes), utc_now())


def _parse(row: dict[str, str], where: str) -> Participant:
    pid = row.get("participant_id") or ""
    if not pid.startswith("sub-"):
        raise BadInput(f"{where}: participant_id {pid!r} is not sub-<ID>")
    age_text, sex = row.get("age") or MISSING, row.get("sex") or MISSING
    try:
        age = None if age_text == MISSING else int(age_text)
    except ValueError:
        raise BadInput(f"{where}: age {age_text!r} is not whole years") from None
    consent = tuple(s for s in (row.get("consent") or "").split(",") if s in CONSENT_SCOPES)
    return Participant(pid[4:], age, None if sex == MISSING else sex, consent, row.get("recorded_utc") or "")


def read_participants(path: Path) -> dict[str, Participant]:
    """pseudonym -> row of a participants.tsv ({} for a missing file)."""
    rows = read_tsv(path)
    found = {}
    for number, row in enumerate(rows, start=2):
        p = _parse(row, f"{path}:{number}")
        found[p.participant] = p
    return found


def find_participants_file(folder: Path) -> Path | None:
    """The nearest participants.tsv at or above folder."""
    for candidate in [Path(folder).resolve(), *Path(folder).resolve().parents]:
        if (candidate / FILE).is_file():
            return candidate / FILE
    return None


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open_private(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def add_participant(data: Path, row: Participant, replace: bool = False) -> Path:
    """Record a participant in DATA/participants.tsv (and the sidecar); an existing row only with replace."""
    data = Path(data)
    create_private_dir(data)
    path = data / FILE
    rows = read_participants(path)
    if row.participant in rows and not replace:
        raise BadInput(f"{path}: {row.participant} is already recorded; --replace changes the row (the old row "
                       f"goes to {HISTORY})")  # fmt: skip
    if row.participant in rows:
        history = data / HISTORY
        new = not history.is_file() or history.stat().st_size == 0
        with open_private(history, "a") as fh:
            fh.write(("\t".join(COLUMNS) + "\n" if new else "") + "\t".join(rows[row.participant].cells()) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
    rows[row.participant] = row
    lines = ["\t".join(COLUMNS)] + ["\t".join(rows[k].cells()) for k in sorted(rows)]
    _write(path, "\n".join(lines) + "\n")
    _write(data / SIDECAR, json.dumps(SIDECAR_TEXT, indent=2) + "\n")
    return path


def check_in(data: Path, participant: str, age: int | None, sex: str | None, consent: str | None) -> str:
    """At check-in (``elicit run --age --sex --consent``): record the participant unless already recorded.
    Returns what was done; BadInput for bad values or for values that differ from the recorded row."""
    path = Path(data) / FILE
    known = read_participants(path).get(participant)
    if consent is None:
        if age is not None or sex is not None:
            raise BadInput("--age and --sex need --consent: the participant's consent scope is recorded with them")
        return ("recorded in participants.tsv" if known is not None else
                f"no row in {path}: record age, sex and consent with `elicit participants add`")  # fmt: skip
    row = make_participant(participant, age, sex, consent)
    if known is not None:
        if (known.age, known.sex, known.consent) != (row.age, row.sex, row.consent):
            raise BadInput(f"{path}: {participant} is recorded with other values; change them with "
                           "`elicit participants add --replace`")  # fmt: skip
        return "recorded in participants.tsv (unchanged)"
    add_participant(data, row)
    return f"recorded in {path}"


def section_line(participants: list[str], known: dict[str, Participant]) -> dict[str, object]:
    """The paper's Section II line for these participants: N, female/male, mean age and SD (n - 1);
    participants without a row or a value are counted as not recorded."""
    rows = [known[p] for p in participants if p in known]
    ages = [r.age for r in rows if r.age is not None]
    mean = sum(ages) / len(ages) if ages else None
    sd = math.sqrt(sum((a - mean) ** 2 for a in ages) / (len(ages) - 1)) if mean is not None and len(ages) > 1 else None
    sexes = {s: sum(r.sex == s for r in rows) for s in SEXES}
    line = {"n": len(participants), "female": sexes["female"], "male": sexes["male"], "other": sexes["other"],
            "sex_not_recorded": len(participants) - sum(sexes.values()), "age_mean": mean, "age_sd": sd,
            "age_n": len(ages), "not_in_participants_file": sorted(p for p in participants if p not in known)}
    other = f", {sexes['other']} other" if sexes["other"] else ""
    unknown = f", {line['sex_not_recorded']} sex not recorded" if line["sex_not_recorded"] else ""
    parts = [f"{len(participants)} participants ({sexes['female']} female, {sexes['male']} male{other}{unknown})"]
    if mean is not None:
        parts.append(f"mean age {mean:.2f}" + (f", SD {sd:.2f}" if sd is not None else "")
                     + (f" (age of {len(ages)} of {len(participants)})" if len(ages) < len(participants) else ""))
    else:
        parts.append("age not recorded")
    line["text"] = "; ".join(parts)
    return line
