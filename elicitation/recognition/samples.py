"""The samples a recognition baseline runs on: a built database or a released CASME-layout tree.

Two inputs, both read-only (nothing is ever written into DB):

- a folder ``elicit dataset build`` wrote (``manifest.json`` and ``coding.csv``): each row's pictures are
  ``<Class>/sub<NN>/<Filename>/img<frame>.jpg`` (or ``.png``). One movement filmed on two cameras is two rows
  (the same Subject and Filename in two classes: one ``Movement``): it is one sample here, taken from
  ``--class`` when given, else from its ``Counted`` row (the camera the statistics count it on; without that
  column, the first class in alphabetical order), so that no movement is both trained on and tested;
- a released CASME-layout tree, ``sub<NN>/<Filename>/img<frame>.jpg`` beside its coding sheet (CASME II's
  columns, read by ``import-labels``'s reader with every flawed row reported).

A sample's pictures are the ``img<N>`` files of its folder with OnsetFrame <= N <= OffsetFrame. A sample whose
folder or pictures are missing, whose emotion is not one of the classes, or that repeats a movement is left
out with its reason (``Skipped``); the rest are ``RecognitionSample``s.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from elicitation.dataset import read_labels
from elicitation.folder import BadInput

PICTURE = re.compile(r"img(\d+)\.(jpg|jpeg|png|bmp)$", re.IGNORECASE)
PAPER_CLASSES = ("disgust", "repression", "surprise", "tense")  # Table V's four


class BaselineInputError(BadInput):
    """Raised when DB is neither a built database nor a CASME-layout tree with a readable sheet."""


@dataclass(frozen=True)
class RecognitionSample:
    subject: str
    name: str  # the Filename column (EP01_2 ...)
    label: str
    onset: int
    offset: int
    pictures: tuple[tuple[int, Path], ...]  # (frame number, file), in frame order


@dataclass(frozen=True)
class Skipped:
    subject: str
    name: str
    reason: str


def load_samples(
    db: Path, classes: tuple[str, ...], only_class: str | None = None, sheet: Path | None = None, fps: float = 200.0
) -> tuple[list[RecognitionSample], list[Skipped], dict[str, object]]:
    """The usable samples, those left out with their reasons, and a description of the input."""
    db = Path(db)
    if not db.is_dir():
        raise BaselineInputError(f"{db} is not a folder")
    if (db / "manifest.json").is_file() and (db / "coding.csv").is_file():
        rows = _built_rows(db / "coding.csv", only_class)
        source: dict[str, object] = {"kind": "built", "coding": "coding.csv", "class": only_class}
    else:
        found = sheet or _only_sheet(db)
        labels, issues = read_labels(found, "casme2", fps)
        rows = [
            (
                str(s.subject),
                s.episode,
                s.emotion,
                s.onset_frame,
                s.offset_frame,
                db / _subject_folder(db, str(s.subject)) / s.episode,
            )
            for s in labels
        ]
        source = {"kind": "casme-layout", "sheet": found.name, "sheet_issues": [str(i) for i in issues]}
    samples, skipped, seen = [], [], set()
    for subject, name, emotion, onset, offset, folder in rows:
        label = emotion.strip().lower()
        if (subject, name) in seen:
            skipped.append(Skipped(subject, name, "the same movement on another camera (one sample per movement)"))
            continue
        seen.add((subject, name))
        if label not in classes:
            skipped.append(Skipped(subject, name, f"emotion {label!r} is not one of the classes"))
            continue
        pictures = _pictures(folder, onset, offset)
        if not pictures:
            skipped.append(Skipped(subject, name, f"no picture img<N> with {onset} <= N <= {offset} in {folder.name}"))
            continue
        samples.append(RecognitionSample(subject, name, label, onset, offset, tuple(pictures)))
    return samples, skipped, source


def _built_rows(coding: Path, only_class: str | None) -> list[tuple[str, str, str, int, int, Path]]:
    with open(coding, newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    needed = {"Subject", "Filename", "OnsetFrame", "OffsetFrame", "Estimated Emotion", "Class"}
    if table and not needed <= set(table[0]):
        raise BaselineInputError(f"{coding}: missing columns {', '.join(sorted(needed - set(table[0])))}")
    # the row a movement is counted on (Counted 1, dataset build's counting camera) wins it; without that
    # column, the first class in alphabetical order
    table.sort(key=lambda r: (r.get("Counted", "1") != "1", r["Class"]))
    rows = []
    for r in table:
        if only_class is not None and r["Class"] != only_class:
            continue
        subject = f"{int(r['Subject']):02d}"
        folder = coding.parent / r["Class"] / f"sub{subject}" / r["Filename"]
        rows.append(
            (subject, r["Filename"], r["Estimated Emotion"], int(r["OnsetFrame"]), int(r["OffsetFrame"]), folder)
        )
    return rows


def _only_sheet(db: Path) -> Path:
    sheets = sorted(p for p in db.iterdir() if p.suffix.lower() in (".xlsx", ".csv") and p.is_file())
    if len(sheets) != 1:
        raise BaselineInputError(
            f"{db}: not a built database (no manifest.json and coding.csv), and "
            f"{len(sheets)} sheets (.xlsx/.csv) beside the folders: name one with --sheet"
        )
    return sheets[0]


def _subject_folder(db: Path, subject: str) -> str:
    """CASME II writes Subject 1 or 01 and names the folder sub01."""
    digits = subject.strip()
    return f"sub{int(digits):02d}" if digits.isdigit() and not (db / f"sub{digits}").is_dir() else f"sub{digits}"


def _pictures(folder: Path, onset: int, offset: int) -> list[tuple[int, Path]]:
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = PICTURE.match(path.name)
        if match and onset <= int(match.group(1)) <= offset:
            found.append((int(match.group(1)), path))
    return sorted(found)
