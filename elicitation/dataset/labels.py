"""Published label sheets (CASME II, SAMM, CAS(ME)^3) -> our samples table, every flaw reported by row.

Columns are found by their names (case and spacing ignored) in the header row, the first row that
names the Subject and Filename columns (SAMM puts notes above it). A missing column refuses the sheet.
Each data row is then read as written, never fixed:
- onset or offset missing or not a whole number, offset <= 0, offset before onset, apex outside
  onset..offset: the row is excluded (reported with row number and column, listed in the output);
- apex missing (written "/"): kept without an apex (no onset duration; the fast-onset rule cannot
  apply to it);
- a frame written as text in an .xlsx ("frames as text", CAS(ME)^3): read, and reported;
- an AU string our parser refuses (``4 or 7``): kept with the AUs as written, and reported.
Frames become seconds by the frame rate given (``--fps``): time = frame / fps.

The movement's type (micro or macro) is read where the sheet carries it, from the first of TYPE_COLUMNS
present (SAMM long videos: ``Type`` "Macro" / "Micro - 1/2"; CAS(ME)^2 / CAS(ME)^3 type columns:
"micro-expression" / "macro-expression", "ME" / "MaE"); a cell naming neither is reported and the row
kept as micro. A SAMM ``Micro`` or CAS(ME)^3 ``Objective class`` cell is taken as a type only when it
names one (those columns usually hold something else). A sheet without any of these columns is micro
(CASME II, SAMM's micro sheet: micro-expressions only).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from elicitation.coding import ActionUnitError, canonical_string
from elicitation.dataset.samples import Sample
from elicitation.dataset.sheets import read_sheet
from elicitation.folder import BadInput

FORMATS: dict[str, dict[str, str]] = {
    "casme2": {"subject": "Subject", "filename": "Filename", "onset": "OnsetFrame", "apex": "ApexFrame",
               "offset": "OffsetFrame", "action_units": "Action Units", "emotion": "Estimated Emotion"},
    "samm": {"subject": "Subject", "filename": "Filename", "onset": "Onset Frame", "apex": "Apex Frame",
             "offset": "Offset Frame", "action_units": "Action Units", "emotion": "Estimated Emotion"},
    "casme3": {"subject": "Subject", "filename": "Filename", "onset": "Onset", "apex": "Apex", "offset": "Offset",
               "action_units": "AU", "emotion": "emotion"},
}  # fmt: skip
# Long-video sheets (elicit import-footage-labels): CAS(ME)^2's has no header row (its reader gives it
# these names); SAMM's long-video sheet has no emotion column.
LONG_FORMATS: dict[str, dict[str, str]] = {
    "casme2-long": {"subject": "Subject", "filename": "Filename", "onset": "Onset", "apex": "Apex",
                    "offset": "Offset", "action_units": "Action Units", "emotion": "Estimated Emotion"},
    "samm-long": {"subject": "Subject", "filename": "Filename", "onset": "Onset", "apex": "Apex",
                  "offset": "Offset", "action_units": "Action Units", "emotion": "Estimated Emotion"},
}  # fmt: skip
OPTIONAL = {"samm-long": ("emotion",)}  # columns a sheet of that layout may lack
MISSING_MARKS = ("", "/", "-")
TYPE_COLUMNS = ("Type", "Expression type", "Micro", "Objective class")
_DEDICATED = ("type", "expression type")  # a cell of these must name a type; the others may hold other things


class LabelError(BadInput):
    """Raised when a label sheet is refused as a whole (unknown format, no header, a missing column)."""


@dataclass(frozen=True)
class Issue:
    file: str
    row: int
    column: str
    value: str
    problem: str
    action: str  # excluded, kept, read

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}, column {self.column}: {self.problem} ({self.value!r}; {self.action})"


def _norm(value: object) -> str:
    return " ".join(str(value).split()).lower() if value is not None else ""


def _names(fmt: str) -> dict[str, str]:
    return FORMATS.get(fmt) or LONG_FORMATS[fmt]


def _header(rows: list[tuple[int, list[object]]], names: dict[str, str], path: Path, optional: tuple[str, ...] = ()
            ) -> tuple[int, dict[str, int], str]:  # fmt: skip
    """The header's row number, the column of each name, and the type column's name ("" for none)."""
    for number, cells in rows:
        found = {_norm(c): i for i, c in enumerate(cells) if _norm(c)}
        if _norm(names["subject"]) in found and _norm(names["filename"]) in found:
            missing = [n for k, n in names.items() if _norm(n) not in found and k not in optional]
            if missing:
                raise LabelError(f"{path}: row {number} (the header): missing column {', '.join(missing)}")
            cols = {key: found[_norm(n)] for key, n in names.items() if _norm(n) in found}
            types = [c for c in TYPE_COLUMNS if _norm(c) in found]
            return number, cols | ({"type": found[_norm(types[0])]} if types else {}), types[0] if types else ""
    raise LabelError(f"{path}: no header row naming the columns {names['subject']} and {names['filename']}")


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a subject number stored as a number
    return " ".join(str(value).split()) if value is not None else ""


def _frame(value: object, xlsx: bool) -> tuple[int | None, str, str]:
    """(frame or None, problem, action); problem "" when the cell is a clean number."""
    if isinstance(value, bool):
        return None, "not a frame number", "excluded"
    if isinstance(value, int):
        return value, "", ""
    if isinstance(value, float):
        return (int(value), "", "") if value.is_integer() else (None, "not a whole frame number", "excluded")
    text = "" if value is None else str(value).strip()
    if text in MISSING_MARKS:
        return None, f"missing (written {text!r})" if text else "missing (empty)", "missing"
    if re.fullmatch(r"\d+", text):
        return int(text), "frame written as text" if xlsx else "", "read"
    return None, "not a frame number", "excluded"


def kind_of(value: object) -> str | None:
    """micro, macro or None for a type cell (see the module docstring)."""
    text = _norm(value)
    if text in ("mae", "macro") or text.startswith("macro"):
        return "macro"
    if text in ("me", "micro") or text.startswith("micro"):
        return "micro"
    return None


def _kind(cells: list[object], cols: dict[str, int], type_name: str, number: int, path: Path
          ) -> tuple[str, list[Issue]]:  # fmt: skip
    if not type_name:
        return "micro", []
    value = cells[cols["type"]] if cols["type"] < len(cells) else None
    kind = kind_of(value)
    if kind is not None:
        return kind, []
    if _norm(type_name) not in _DEDICATED:
        return "micro", []
    return "micro", [Issue(path.name, number, type_name, "" if value is None else str(value),
                           "not a type (micro or macro)", "kept as micro")]  # fmt: skip


def _row(cells: list[object], cols: dict[str, int], number: int, path: Path, fmt: str, fps: float, xlsx: bool,
         type_name: str = ""):  # fmt: skip
    names = _names(fmt)
    issues: list[Issue] = []

    def cell(key: str) -> object:
        return cells[cols[key]] if key in cols and cols[key] < len(cells) else None

    def report(key: str, problem: str, action: str) -> None:
        issues.append(
            Issue(path.name, number, names[key], "" if cell(key) is None else str(cell(key)), problem, action)
        )

    frames: dict[str, int | None] = {}
    for key in ("onset", "apex", "offset"):
        frame, problem, action = _frame(cell(key), xlsx)
        if action == "missing":
            action = "kept without apex" if key == "apex" else "excluded"
        if problem:
            report(key, problem, action)
        frames[key] = frame
    onset, apex, offset = frames["onset"], frames["apex"], frames["offset"]
    if offset is not None and offset <= 0:
        report("offset", "offset <= 0", "excluded")
    elif onset is not None and offset is not None and offset < onset:
        report("offset", f"offset {offset} before onset {onset}", "excluded")
    elif None not in (onset, apex, offset) and not onset <= apex <= offset:  # type: ignore[operator]
        report("apex", f"apex {apex} outside onset..offset {onset}..{offset}", "excluded")
    subject, filename = _text(cell("subject")), _text(cell("filename"))
    for key, value in (("subject", subject), ("filename", filename)):
        if not value:
            report(key, "empty", "excluded")
    aus = _text(cell("action_units"))
    try:
        aus = canonical_string(aus) if aus else ""
    except ActionUnitError as exc:
        report("action_units", str(exc), "kept as written")
    kind, found = _kind(cells, cols, type_name, number, path)
    issues += found
    if any(i.action == "excluded" for i in issues):
        return None, issues
    sample = Sample(
        sample_id=f"{subject}/{filename}/row{number}", subject=subject, session="", episode=filename, cls=fmt,
        kind=kind, onset_frame=onset, apex_frame=apex, apex2_frame=None, offset_frame=offset,  # type: ignore[arg-type]
        onset_s=onset / fps, apex_s=None if apex is None else apex / fps, apex2_s=None,  # type: ignore[operator]
        offset_s=offset / fps, frame_period_s=1 / fps, action_units=aus,  # type: ignore[operator]
        emotion=_text(cell("emotion")).lower(), source=f"{path.name}:{number}",
    )  # fmt: skip
    return sample, issues


def read_labels(path: Path, fmt: str, fps: float, rows: list[tuple[int, list[object]]] | None = None
                ) -> tuple[list[Sample], list[Issue]]:  # fmt: skip
    """The sheet's samples and every row reported; LabelError if the sheet is refused. ``rows``: the sheet
    already read (read_sheet), for a reader that adds a header row a layout lacks."""
    if fmt not in FORMATS and fmt not in LONG_FORMATS:
        raise LabelError(f"format {fmt!r} is not one of {', '.join([*FORMATS, *LONG_FORMATS])}")
    if not fps > 0:
        raise LabelError(f"--fps must be a positive frame rate, got {fps}")
    path = Path(path)
    rows = read_sheet(path) if rows is None else rows
    header, cols, type_name = _header(rows, _names(fmt), path, OPTIONAL.get(fmt, ()))
    samples, issues = [], []
    for number, cells in rows:
        if number <= header or all(_norm(c) == "" for c in cells):
            continue
        sample, found = _row(cells, cols, number, path, fmt, fps, path.suffix.lower() == ".xlsx", type_name)
        issues += found
        if sample is not None:
            samples.append(sample)
    return samples, issues


def issue_dicts(issues: list[Issue]) -> list[dict[str, object]]:
    return [asdict(i) for i in issues]
