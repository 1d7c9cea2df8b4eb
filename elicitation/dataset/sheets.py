"""Rows of a label sheet, .xlsx (openpyxl, first worksheet, cached values) or .csv, with their row numbers.

Cells keep their types (an .xlsx number stays a number, text stays text), so the label readers can
report "a frame written as text". Row numbers are the sheet's own (1 = the first row, as a
spreadsheet shows it; for a CSV the line of the record's start).
"""

from __future__ import annotations

import csv
from pathlib import Path

from elicitation.folder import BadInput

Row = tuple[int, list[object]]


class SheetError(BadInput):
    """Raised when a label file cannot be read at all (format, encoding, no rows)."""


def _xlsx(path: Path) -> list[Row]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise SheetError(f"{path}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        sheet = book.worksheets[0]
        return [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _csv(path: Path) -> list[Row]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
            reader = csv.reader(fh, delimiter=delimiter)
            rows = []
            for cells in reader:
                rows.append((reader.line_num - sum(c.count("\n") for c in cells), list(cells)))
            return rows
    except UnicodeDecodeError as exc:
        raise SheetError(f"{path}: not UTF-8 text ({exc})") from None


def read_sheet(path: Path) -> list[Row]:
    path = Path(path)
    if not path.is_file():
        raise SheetError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx(path)
    elif suffix in (".csv", ".tsv", ".txt"):
        rows = _csv(path)
    else:
        raise SheetError(f"{path}: unknown sheet type {suffix!r} (use .xlsx or .csv)")
    if not rows:
        raise SheetError(f"{path}: the sheet is empty")
    return rows
