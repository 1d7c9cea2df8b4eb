"""`elicit spot evaluate DATA`: the spotting files against coding/final.tsv with the MEGC metric.

A video is (session, episode file, camera). Its coded intervals are the final events of that episode
(kind micro or macro; irrelevant movements are not expressions) as resolved on that camera; its spotted
intervals are the unflagged candidates of spotting/<camera>.tsv for that file (flagged ones are left out
and counted). Frames are frames.tsv indices on both sides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from elicitation.coding import CodingError, final_path, on_camera, replay_final
from elicitation.folder import BadInput
from elicitation.spotting.metric import Evaluation, Interval, evaluate_all, log_lines
from elicitation.spotting.output import read_candidates
from elicitation.spotting.run import episode_files, find_sessions

Videos = dict[str, tuple[list[Interval], list[Interval]]]


def session_videos(session: Path, name: str) -> tuple[Videos, int]:
    """name/file -> (spotted, coded) for every episode file with a spotting file; and how many were flagged."""
    events, _torn = replay_final(final_path(session))
    videos: Videos = {}
    flagged = 0
    for episode, camera, file in episode_files(session):
        rows = read_candidates(session, camera)
        if not rows:
            continue
        spotted = []
        for row in rows:
            if row["file"] != file:
                continue
            if row["flag"]:
                flagged += 1
                continue
            spotted.append(Interval(int(row["onset_frame"]), int(row["offset_frame"]), row["kind"], row["candidate"]))
        coded = []
        for key, (_decided, event) in events.items():
            if event.episode != episode or event.kind not in ("micro", "macro"):
                continue
            try:
                points = on_camera(event, camera)
            except CodingError:
                continue
            coded.append(Interval(points["onset"], points["offset"], event.kind, key))
        videos[f"{name}/{camera}/{file}"] = (spotted, coded)
    return videos, flagged


def evaluate_root(root: Path) -> tuple[dict[str, Evaluation], dict[str, Any]]:
    """micro, macro and overall evaluations over every session under root that has final.tsv and spotting."""
    root = Path(root)
    videos: Videos = {}
    facts = {"sessions": 0, "flagged_left_out": 0}
    for session in find_sessions(root):
        if not final_path(session).is_file():
            continue
        name = session.relative_to(root).as_posix() if session != root else session.name
        found, flagged = session_videos(session, name)
        if found:
            facts["sessions"] += 1
        videos.update(found)
        facts["flagged_left_out"] += flagged
    if not videos:
        raise BadInput(f"{root}: no session with both coding/final.tsv and spotting/<camera>.tsv (run elicit spot)")
    facts["videos"] = len(videos)
    return evaluate_all(videos), facts


def report_lines(results: dict[str, Evaluation]) -> list[str]:
    lines = []
    for kind in ("micro", "macro", "overall"):
        lines += log_lines(results[kind], kind)
    return lines


def summary(results: dict[str, Evaluation], facts: dict[str, Any]) -> dict[str, Any]:
    return {**facts, **{kind: results[kind].pooled.as_dict() for kind in results},
            "metric": "MEGC: IoU >= 0.5 TP, one-to-one, TP/FP/FN pooled over videos"}  # fmt: skip
