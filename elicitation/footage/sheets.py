"""Long-video label sheets (CAS(ME)^2, SAMM) -> the imported sessions' ``coding/final.tsv``.

The sheet is read by the dataset's label reader (elicitation.dataset.read_labels, layouts ``casme2-long`` and
``samm-long``: its row-by-row flaws and its type reading). Then each kept row is placed:
- its video: the Filename without its trailing ``_<n>`` (the expression's number: ``anger1_1`` -> ``anger1``,
  ``006_1_2`` -> ``006_1``); its session: the imported session (session.json ``imported``) whose participant
  ID is the row's Subject (numbers compared as numbers: ``006`` = ``6``) and whose ``imported.video`` is that
  video (``elicit import-footage --video``, default the source's name);
- its frames: a sheet's frame number is the source's own counter, frames.tsv ``camera_frame_id`` (a
  picture's number, ``img1.jpg`` is 1; a video frame's index from 0). Onset, apex and offset must all be
  imported frames of one episode file.
A row that cannot be placed is reported and left out; so is a row without an apex (final.tsv events have
one). AUs our parser refuses and emotions outside our labels are kept in the event's note and reported.
Every placed row becomes an ``accepted-unmatched`` event of coders ``sheet``/``sheet``; a session that already
has a coding/final.tsv is refused (exit 2) and nothing is written anywhere.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.coding import CodingError, EmotionError, Event, FinalLog, Proposal, check_emotion, final_path, resolve
from elicitation.coding import validate as validate_event
from elicitation.dataset import Issue, Sample, read_labels, read_sheet
from elicitation.folder import open_private
from elicitation.footage.source import FootageError
from hardware.video import FrameTable, read_frames_tsv

LAYOUTS = {"casme2": ("casme2-long", 30.0), "samm": ("samm-long", 200.0)}  # layout -> (reader format, fps)
# CAS(ME)^2's sheet has no header row: its columns in order (README "Footage from elsewhere")
CASME2_COLUMNS = ("Subject", "Filename", "Onset", "Apex", "Offset", "Action Units", "Estimated Emotion",
                  "Expression type", "Self-reported emotion")  # fmt: skip
CODER = "sheet"


def _key(subject: str) -> str:
    return str(int(subject)) if subject.isdigit() else subject.lower()


def video_of(filename: str) -> str:
    return re.sub(r"_\d+$", "", filename)


def imported_sessions(data: Path) -> dict[tuple[str, str], Path]:
    """(subject key, video) -> session folder, for every imported session under DATA."""
    out: dict[tuple[str, str], Path] = {}
    for path in sorted(Path(data).rglob("session.json")):
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(meta.get("imported"), dict) and meta["imported"].get("video"):
            key = (_key(str(meta.get("participant", ""))), str(meta["imported"]["video"]))
            if key in out:
                raise FootageError(f"{out[key]} and {path.parent} are both subject {key[0]}'s video {key[1]!r}: "
                                   "a sheet row could not tell them apart (import one with another --video)")
            out[key] = path.parent
    return out


def _rows(sheet: Path, fmt: str) -> list[tuple[int, list[object]]]:
    rows = read_sheet(sheet)
    if fmt == "casme2-long" and not any(
        {"subject", "filename"} <= {str(c).strip().lower() for c in cells if c is not None} for _n, cells in rows
    ):
        rows = [(0, list(CASME2_COLUMNS)), *rows]
    return rows


class _Session:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.meta = json.loads((folder / "session.json").read_text(encoding="utf-8"))
        self.camera = next(iter(self.meta["rig"]["cameras"]))
        self.table: FrameTable = read_frames_tsv(folder / "video" / f"{self.camera}_frames.tsv")
        self.episode_of = {file: label for label, e in self.meta.get("episodes", {}).items()
                           for file in (e.get("video") or {}).values()}  # fmt: skip
        self.events: list[Event] = []
        self.issues: list[Issue] = []

    def place(self, sample: Sample, row: int, sheet: str) -> Event | Issue:
        names = {"onset": "Onset", "apex": "Apex", "offset": "Offset"}
        frames: dict[str, int] = {}
        for point, number in (("onset", sample.onset_frame), ("apex", sample.apex_frame),
                              ("offset", sample.offset_frame)):  # fmt: skip
            if number is None:
                return Issue(sheet, row, names[point], "", "no apex: a final.tsv event needs one", "excluded")
            at = np.flatnonzero(self.table.camera_frame_id == number)
            if not len(at):
                problem = f"frame {number} is not among {self.folder.name}'s imported frames"
                return Issue(sheet, row, names[point], str(number), problem, "excluded")
            frames[point] = int(at[0])
        files = {self.table.file[frames[p]] for p in ("onset", "offset")}
        if len(files) != 1 or next(iter(files)) not in self.episode_of:
            return Issue(sheet, row, "Offset", str(sample.offset_frame), "onset and offset lie in different "
                         "episode files", "excluded")  # fmt: skip
        note, emotion = f"{sheet} row {row}", sample.emotion
        try:
            emotion = check_emotion(emotion) if emotion else ""
        except EmotionError:
            self.issues.append(Issue(sheet, row, "Estimated Emotion", emotion, "not one of our emotion labels",
                                     "kept in the note"))  # fmt: skip
            note, emotion = f"{note}; emotion as written: {sample.emotion}", ""
        event = Event(event_id=f"{CODER}{row}", episode=self.episode_of[next(iter(files))], kind=sample.kind,
                      camera=self.camera, **{p: int(self.table.frame[i]) for p, i in frames.items()},
                      emotion=emotion, note=note)  # fmt: skip
        try:
            event = validate_event(replace(event, action_units=sample.action_units))
        except CodingError:
            event = replace(event, note=f"{note}; AUs as written: {sample.action_units}")
        return resolve(event, {self.camera: self.table})


def import_sheet(sheet: Path, layout: str, data: Path) -> tuple[dict[Path, int], list[Issue]]:
    """Events per session written, and every row reported (the reader's and the placing's)."""
    if layout not in LAYOUTS:
        raise FootageError(f"--layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    sheet = Path(sheet)
    fmt, fps = LAYOUTS[layout]
    samples, issues = read_labels(sheet, fmt, fps, rows=_rows(sheet, fmt))
    targets = imported_sessions(data)
    sessions: dict[Path, _Session] = {}
    for sample in samples:
        row = int(sample.source.rsplit(":", 1)[1])
        folder = targets.get((_key(sample.subject), video_of(sample.episode)))
        if folder is None:
            issues.append(Issue(sheet.name, row, "Filename", sample.episode, f"no imported session of subject "
                                f"{sample.subject} with video {video_of(sample.episode)!r}", "excluded"))  # fmt: skip
            continue
        session = sessions.get(folder) or sessions.setdefault(folder, _Session(folder))
        placed = session.place(sample, row, sheet.name)
        if isinstance(placed, Issue):
            issues.append(placed)
        else:
            session.events.append(placed)
        issues += session.issues
        session.issues.clear()
    ready = {f: s for f, s in sessions.items() if s.events}
    if not ready:
        raise FootageError(f"{sheet.name}: no row could be placed in an imported session under {data}")
    clash = [str(final_path(f)) for f in ready if final_path(f).exists()]
    if clash:
        raise FootageError(f"{', '.join(clash)} exists: imported labels never mix with codes (nothing written)")
    for session in ready.values():
        _write(session, sheet.name, layout, [i for i in issues if i.row in _rows_of(session)])
    return {f: len(s.events) for f, s in ready.items()}, sorted(issues, key=lambda i: i.row)


def _rows_of(session: _Session) -> set[int]:
    return {int(e.event_id.removeprefix(CODER)) for e in session.events}


def _write(session: _Session, sheet: str, layout: str, issues: list[Issue]) -> None:
    table = {session.camera: session.table}  # the sheet is both "coders" and the decision: no arbiter to refuse
    final = FinalLog(session.folder, CODER, CODER, table, arbiter=CODER, allow_coder_arbiter=True)
    try:
        for event in session.events:
            final.decide(Proposal(event.event_id, event, None, None, "accepted-unmatched"), "accepted-unmatched")
    finally:
        final.close()
    record: dict[str, Any] = {"sheet": sheet, "layout": layout, "events": len(session.events),
                              "rows": sorted(_rows_of(session)), "issues": [asdict(i) for i in issues]}  # fmt: skip
    with open_private(session.folder / "coding" / "sheet.json", "w") as fh:
        json.dump(record, fh, indent=1)
        fh.write("\n")
