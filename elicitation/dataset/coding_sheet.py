"""The exported coding sheet, as CSV and as XLSX: the CASME II columns first, then ours.

CASME II's columns (Subject, Filename, OnsetFrame, ApexFrame, OffsetFrame, Action Units, Estimated
Emotion), so tools written for it read ours, then: Fps (the camera's nominal rate), the total and
onset durations in ms (from the one clock, by selection.DURATION_CONVENTION, which the manifest
states), Camera, Class, Selection arm (total or fast-onset), Session and Clip, and the number of
pictures exported, the movement (``sub<NN>/EP<episode>_<k>``: one movement, one row per camera) and
Counted (1 on the one row each movement is counted by in the statistics, elicitation.coding.counting;
0 on the other cameras' rows). Subject is the number (sub<NN>), never the participant ID. The samples the rule
left out are written to excluded.csv with the reason.
"""

from __future__ import annotations

import csv
import io
from typing import Any

CASME2_COLUMNS = ("Subject", "Filename", "OnsetFrame", "ApexFrame", "OffsetFrame", "Action Units", "Estimated Emotion")
COLUMNS = (*CASME2_COLUMNS, "Fps", "Total duration ms", "Onset duration ms", "Camera", "Class", "Selection arm",
           "Session", "Clip", "Pictures", "Movement", "Counted")  # fmt: skip
EXCLUDED_COLUMNS = ("Subject", "Session", "Episode", "Camera", "Class", "OnsetFrame", "ApexFrame", "OffsetFrame",
                    "Reason")  # fmt: skip
PSEUDONYM_COLUMNS = ("Subject", "Participant")


def csv_bytes(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row[c] for c in columns])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[dict[str, Any]], columns: tuple[str, ...], title: str = "coding") -> bytes:
    """One worksheet; numbers stay numbers, a missing value is an empty cell."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pseudonym_rows(subjects: dict[str, str]) -> list[dict[str, Any]]:
    return [{"Subject": f"sub{number}", "Participant": participant} for participant, number in subjects.items()]
