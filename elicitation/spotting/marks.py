"""Why a candidate may be doubtful: the participant's review flags (review.tsv) and face_lost spans (events.tsv).

- review.tsv: a flag that stands (elicitation.folder.current_flags) marks a candidate whose interval,
  widened by FLAG_REACH_S on each side (a participant stops the replay a little late or early), holds
  the flagged frame's clock_time;
- events.tsv: a row of trial_type ``face_lost`` covers clock_time .. clock_time + duration (``n/a``: to
  the end); a candidate overlapping it is marked, and so is one with a frame the spotter found no face in.
Marked candidates stay in the files (the coder decides); ``elicit spot evaluate`` leaves them out.
"""

from __future__ import annotations

import math
from pathlib import Path

from elicitation.folder import current_flags, read_review, read_tsv

FLAG_REACH_S = 0.5


def review_flags(session: Path, episode: str) -> list[tuple[float, str]]:
    path = Path(session) / "review.tsv"
    if not path.is_file():
        return []
    out = []
    for flag in current_flags(read_review(path), episode):
        try:
            out.append((float(flag.get("clock_time", "")), flag.get("category", "") or "flag"))
        except ValueError:
            continue
    return out


def face_lost_spans(session: Path) -> list[tuple[float, float]]:
    path = Path(session) / "events.tsv"
    if not path.is_file():
        return []
    spans = []
    for row in read_tsv(path):
        if row.get("trial_type") != "face_lost":
            continue
        try:
            start = float(row.get("clock_time", ""))
        except ValueError:
            continue
        try:
            duration = float(row.get("duration", ""))
        except ValueError:
            duration = math.inf
        spans.append((start, start + duration))
    return spans


def mark(onset_time: float, offset_time: float, flags: list[tuple[float, str]],
         lost: list[tuple[float, float]], no_face: bool) -> str:  # fmt: skip
    """The candidate's flag text ("" when nothing speaks against it)."""
    notes = []
    if no_face:
        notes.append("no face found in part of it")
    for start, end in lost:
        if start <= offset_time and onset_time <= end:
            notes.append(f"face_lost from clock {start:.3f}")
            break
    for t, category in flags:
        if onset_time - FLAG_REACH_S <= t <= offset_time + FLAG_REACH_S:
            notes.append(f"review flag {category} at clock {t:.3f}")
            break
    return "; ".join(notes)
