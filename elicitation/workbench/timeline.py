"""The marks under the player: clip onset and offset, the participant's flags, face_lost, penalty marks.

All on the one clock (seconds), read from the session's tables:
- clip: events.tsv's ``episode`` row of the episode (clock_time, + duration for the offset);
- flags: review.tsv's standing flags of the episode (flagged, not removed), each shown as the span
  FLAG_SPAN_S either side of the flagged frame's clock_time: the participant pressed F while the
  movement was on screen, so the span around it is what a coder should exclude or code as irrelevant;
- face_lost: events.tsv ``face_lost`` rows (clock_time, duration; "n/a" runs to the segment's end);
- penalty marks: events.tsv ``penalty_mark`` rows (an instant);
- spotting candidates: ``spotting/<camera>.tsv`` rows of the segment's frames, if the file exists
  (elicit spot writes it: elicitation.spotting.CANDIDATE_COLUMNS);
- the participant's own rating of the episode (ratings.tsv: emotion, intensity).
Only marks that fall inside the segment (first to last frame of any camera) are listed.
"""

from __future__ import annotations

import logging
from typing import Any

from elicitation.folder import current_flags, read_review, read_tsv
from elicitation.workbench.sessions import Segment, Session

log = logging.getLogger(__name__)
FLAG_SPAN_S = 0.5


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "", "n/a") else None
    except ValueError:
        return None


def _spotting(session: Session, segment: Segment) -> list[dict[str, Any]]:
    out = []
    for camera, rows in segment.rows.items():
        path = session.path / "spotting" / f"{camera}.tsv"
        if not path.is_file() or not len(rows):
            continue
        first, last = int(session.tables[camera].frame[rows[0]]), int(session.tables[camera].frame[rows[-1]])
        for row in read_tsv(path):
            try:
                onset, apex, offset = int(row["onset_frame"]), int(row["apex_frame"]), int(row["offset_frame"])
            except (KeyError, TypeError, ValueError):
                continue
            if first <= onset <= last:
                out.append(
                    {
                        "camera": camera,
                        "onset": onset,
                        "apex": apex,
                        "offset": min(offset, last),
                        "score": _float(row.get("score")),
                        "kind": row.get("kind") or "",
                        "flag": row.get("flag") or "",
                    }
                )
    return out


def timeline(session: Session, segment: Segment) -> dict[str, Any]:
    start, end = segment.start_end(session.tables)
    inside = lambda t: t is not None and start <= t <= end  # noqa: E731
    episode = segment.key if segment.key.isdigit() else ""
    marks: dict[str, Any] = {"start": start, "end": end, "clip": None, "flags": [], "face_lost": [], "penalties": []}
    for row in read_tsv(session.path / "events.tsv"):
        kind, at = row.get("trial_type"), _float(row.get("clock_time"))
        if at is None:
            continue
        duration = _float(row.get("duration"))
        if kind == "episode" and episode and row.get("episode") == episode:
            marks["clip"] = {"onset": at, "offset": at + (duration or 0.0), "stimulus": row.get("stimulus") or ""}
        elif kind == "penalty_mark" and inside(at):
            marks["penalties"].append(at)
        elif kind == "face_lost":
            until = end if duration is None else at + duration
            if until >= start and at <= end:
                marks["face_lost"].append({"start": max(at, start), "end": min(until, end)})
    if episode:
        for flag in current_flags(read_review(session.path / "review.tsv"), episode):
            at = _float(flag.get("clock_time"))
            if at is not None:
                marks["flags"].append(
                    {
                        "start": at - FLAG_SPAN_S,
                        "end": at + FLAG_SPAN_S,
                        "at": at,
                        "category": flag.get("category") or "",
                        "camera": flag.get("camera") or "",
                    }
                )
    marks["spotting"] = _spotting(session, segment)
    marks["rating"] = next(
        (
            {"emotion": r.get("emotion") or "", "intensity": r.get("intensity") or ""}
            for r in read_tsv(session.path / "ratings.tsv")
            if episode and r.get("episode") == episode
        ),
        None,
    )
    return marks
