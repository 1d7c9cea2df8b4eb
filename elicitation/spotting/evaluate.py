"""`elicit spot evaluate DATA`: the spotting files against coding/final.tsv with the MEGC metric.

A video is (session, episode file, camera). Its coded intervals are the final events of that episode
(kind micro or macro; irrelevant movements are not expressions) as resolved on that camera; its spotted
intervals are the unflagged candidates of spotting/<camera>.tsv for that file (flagged ones are left out
and counted). Frames are frames.tsv indices on both sides. A spotting file with a header and no rows is a
camera with no candidates: its coded intervals are all false negatives. Only a camera without a
spotting/<camera>.tsv at all (never spotted) is skipped, and it is listed in the output
(``skipped_no_spotting_file``).

Each movement is counted once: the pooled scores are over each session's counted camera (the rig's
``reference: true`` camera, else the camera most final events were coded on; elicitation.coding.counting),
named per session in ``counted_camera``; ``per_camera`` gives every camera's own scores as a breakdown, and
``--camera`` pools one camera instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from elicitation.coding import COUNTING_RULE, CodingError, counted_camera, final_path, on_camera, replay_final
from elicitation.folder import BadInput
from elicitation.spotting.metric import Evaluation, Interval, evaluate_all, log_lines
from elicitation.spotting.output import read_candidates, spotting_dir
from elicitation.spotting.run import episode_files, find_sessions

Videos = dict[str, tuple[list[Interval], list[Interval]]]


def _meta(session: Path) -> dict[str, Any]:
    path = session / "session.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def session_videos(session: Path, name: str) -> tuple[dict[str, Videos], int, list[str], tuple[str | None, str]]:
    """camera -> (name/camera/file -> (spotted, coded)) for every episode file with a spotting file; how many
    candidates were flagged; the cameras skipped for having no spotting file; the session's counted camera."""
    events, _torn = replay_final(final_path(session))
    counted = counted_camera([e for _d, e in events.values()], _meta(session).get("rig", {}).get("cameras"))
    videos: dict[str, Videos] = {}
    flagged = 0
    skipped: list[str] = []
    for episode, camera, file in episode_files(session):
        if not (spotting_dir(session) / f"{camera}.tsv").is_file():
            if f"{name}/{camera}" not in skipped:
                skipped.append(f"{name}/{camera}")
            continue
        spotted = []
        for row in read_candidates(session, camera):
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
        videos.setdefault(camera, {})[f"{name}/{camera}/{file}"] = (spotted, coded)
    return videos, flagged, skipped, counted


def evaluate_root(root: Path, camera: str | None = None) -> tuple[dict[str, Evaluation], dict[str, Any]]:
    """micro, macro, overall and type_blind over every session under root with final.tsv and spotting files.

    Pooled over each session's counted camera (elicitation.coding.counting: each movement once), or over
    ``camera`` alone when given; facts["per_camera"] holds every camera's own scores as a breakdown."""
    root = Path(root)
    pooled: Videos = {}
    by_camera: dict[str, Videos] = {}
    facts: dict[str, Any] = {"sessions": 0, "flagged_left_out": 0, "skipped_no_spotting_file": [],
                             "counted_camera": {}, "counting": COUNTING_RULE if camera is None else
                             f"camera {camera} only (--camera)"}  # fmt: skip
    for session in find_sessions(root):
        if not final_path(session).is_file():
            continue
        name = session.relative_to(root).as_posix() if session != root else session.name
        found, flagged, skipped, (counted, why) = session_videos(session, name)
        facts["skipped_no_spotting_file"] += skipped
        facts["flagged_left_out"] += flagged
        chosen = camera if camera is not None else counted
        facts["counted_camera"][name] = {"camera": chosen, "why": "--camera" if camera is not None else why}
        for cam, videos in found.items():
            by_camera.setdefault(cam, {}).update(videos)
        if chosen in found:
            facts["sessions"] += 1
            pooled.update(found[chosen])
    if not pooled:
        raise BadInput(f"{root}: no session with both coding/final.tsv and spotting/<camera>.tsv"
                       + (f" for camera {camera}" if camera else "") + " (run elicit spot)")  # fmt: skip
    facts["videos"] = len(pooled)
    facts["per_camera"] = {cam: {kind: e.pooled.as_dict() for kind, e in evaluate_all(v).items()}
                           | {"videos": len(v)} for cam, v in sorted(by_camera.items())}  # fmt: skip
    return evaluate_all(pooled), facts


def report_lines(results: dict[str, Evaluation]) -> list[str]:
    """Each video's log for micro and macro; overall and type_blind only as pooled lines (their per-video
    counts are the micro and macro ones)."""
    lines = []
    for kind in ("micro", "macro"):
        lines += log_lines(results[kind], kind)
    for kind in ("overall", "type_blind"):
        lines += [f"== {kind} ({DEFINITIONS[kind]})", log_lines(results[kind])[-1]]
    return lines


DEFINITIONS = {
    "micro": "micro spotted against micro coded",
    "macro": "macro spotted against macro coded",
    "overall": "MEGC overall: micro counts + macro counts; a spot of the wrong kind is a FP, its coded interval a FN",
    "type_blind": "all spotted against all coded, kinds ignored (not MEGC's overall)",
}


def summary(results: dict[str, Evaluation], facts: dict[str, Any]) -> dict[str, Any]:
    return {**facts, **{kind: results[kind].pooled.as_dict() for kind in results},
            "definitions": {k: DEFINITIONS[k] for k in results},
            "metric": "MEGC: IoU >= 0.5 TP, one-to-one, TP/FP/FN pooled over videos"}  # fmt: skip
