"""Small label sheets in the published layouts, written by the tests (xlsx via openpyxl, and csv)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

CASME2 = ["Subject", "Filename", "OnsetFrame", "ApexFrame", "OffsetFrame", "Action Units", "Estimated Emotion"]
SAMM = ["Subject", "Filename", "Inducement Code", "Onset Frame", "Apex Frame", "Offset Frame", "Duration", "Micro",
        "Action Units", "Estimated Emotion", "Objective Classes", "Notes"]  # fmt: skip
CASME3 = ["Subject", "Filename", "Onset", "Apex", "Offset", "AU", "Objective class", "emotion"]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def casme2_rows() -> list[list[object]]:
    """Header, then rows 2-8: two clean, then each known flaw once."""
    return [
        CASME2,
        [1, "EP02_01f", 46, 59, 86, "12", "happiness"],  # row 2: clean
        ["02", "EP03_02", 131, 139, 161, "4+L10", "disgust"],  # row 3: clean
        ["02", "EP05_03", 100, "/", 140, "14", "repression"],  # row 4: apex missing -> kept
        ["03", "EP07_01", 80, 90, 0, "4", "disgust"],  # row 5: offset 0 -> excluded
        ["03", "EP08_02", 80, 120, 110, "4", "disgust"],  # row 6: apex after offset -> excluded
        ["04", "EP09_01", "abc", 10, 30, "1+2", "surprise"],  # row 7: unparseable onset -> excluded
        ["04", "EP10_01", 10, 15, 40, "4 or 7", "others"],  # row 8: AUs as written -> kept
    ]
