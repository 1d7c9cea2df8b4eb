"""``samples.tsv``: the coding table the dataset statistics run on, from our sessions or an imported sheet.

One row per sample (a coded movement as one camera saw it: the camera is its class, as Class A and
Class B are the paper's two cameras). Times are seconds: host_time on the one clock for our sessions,
frame / fps for an imported sheet (``frame_period_s`` says which period the frames have). ``flag`` is
non-empty when the participant flagged the movement as irrelevant and confirmed it (review.tsv).
``movement`` names the movement a sample shows (the cameras of one session film the same movement) and
``counted`` (1/0) marks the one sample each movement is counted by (elicitation.coding.counting); an
imported sheet's rows are each their own movement, counted. A samples.tsv written before these two
columns existed is read with every row its own movement.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, fields
from pathlib import Path

from elicitation.folder import BadInput

COLUMNS = ("sample_id", "subject", "session", "episode", "class", "kind", "onset_frame", "apex_frame",
           "apex2_frame", "offset_frame", "onset_s", "apex_s", "apex2_s", "offset_s", "frame_period_s",
           "action_units", "emotion", "category", "flag", "source", "movement", "counted")  # fmt: skip
OLD_COLUMNS = COLUMNS[:-2]
MISSING = "n/a"


class SamplesError(BadInput):
    """Raised when a samples.tsv cannot be read; the message names file, line and column."""


@dataclass(frozen=True)
class Sample:
    sample_id: str
    subject: str
    session: str
    episode: str
    cls: str
    kind: str
    onset_frame: int
    apex_frame: int | None
    apex2_frame: int | None
    offset_frame: int
    onset_s: float
    apex_s: float | None
    apex2_s: float | None
    offset_s: float
    frame_period_s: float | None
    action_units: str = ""
    emotion: str = ""
    category: str = ""
    flag: str = ""
    source: str = ""
    movement: str = ""  # "" : the sample is its own movement
    counted: bool = True  # the sample its movement is counted by (one per movement)

    @property
    def movement_id(self) -> str:
        return self.movement or self.sample_id


_NAMES = [f.name for f in fields(Sample)]  # same order as COLUMNS ("class" is cls)
_INTS = {"onset_frame", "apex_frame", "apex2_frame", "offset_frame"}
_FLOATS = {"onset_s", "apex_s", "apex2_s", "offset_s", "frame_period_s"}
_OPTIONAL = {"apex_frame", "apex2_frame", "apex_s", "apex2_s", "frame_period_s"}


def _cell(value: object) -> str:
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.6f}"
    return " ".join(str(value).split()) or ""


def write_samples(path: Path, samples: list[Sample]) -> Path:
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for s in samples:
            fh.write("\t".join(_cell(getattr(s, n)) for n in _NAMES) + "\n")
    os.chmod(tmp, 0o600)
    tmp.replace(path)  # derived from the codes or the sheet: rewriting is safe
    return path


def _value(name: str, text: str, where: str) -> object:
    if name in _OPTIONAL and text in (MISSING, ""):
        return None
    try:
        if name in _INTS:
            return int(text)
        if name in _FLOATS:
            value = float(text)
            if not math.isfinite(value):
                raise ValueError(text)
            return value
    except ValueError:
        raise SamplesError(f"{where}: {text!r} is not a number") from None
    if name == "counted":
        if text not in ("0", "1"):
            raise SamplesError(f"{where}: {text!r} is not 0 or 1")
        return text == "1"
    return "" if text == MISSING and name in ("action_units", "emotion", "category", "flag") else text


def read_samples(path: Path) -> list[Sample]:
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(header) not in (COLUMNS, OLD_COLUMNS):
            missing = [c for c in COLUMNS if c not in (header or [])]
            raise SamplesError(f"{path}: line 1 is not a samples.tsv header (missing: {', '.join(missing) or 'order'})")
        columns = tuple(header)
        samples = []
        for number, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) != len(columns):
                raise SamplesError(f"{path}:{number}: {len(row)} columns, expected {len(columns)}")
            values = {n: _value(n, t, f"{path}:{number}: column {c}")
                      for n, c, t in zip(_NAMES, columns, row, strict=False)}  # fmt: skip
            samples.append(Sample(**values))  # type: ignore[arg-type]
    return samples
