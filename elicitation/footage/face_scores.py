"""Scores of the face detector, the framing checks and face_lost against hand labels of face presence.

Definitions (every number bench/real_faces.py publishes comes from here):

- ``box_rate``: frames of the label's seconds with a face box / frames of those seconds. On ``present``
  seconds it is the detector's per-frame recall, on ``absent`` seconds its per-frame false-alarm rate, on
  ``partly`` seconds how often a half-hidden face is still found.
- at the labelled frame of each second (elicitation.footage.face_truth.labelled_index), with the hand-marked
  nose tip: ``on_face`` (the box contains it), ``off_face`` (a box elsewhere: a false alarm on a face
  second), ``missed`` (no box). ``labelled_recall`` = on_face / seconds, on present seconds.
- framing: per check, frames of the label's seconds that pass it / frames of those seconds.
- face_lost: the clips played back to back as one episode, the watch's samples taken every SAMPLE_S
  (the previews' rate) from the frame showing then, through the session's FaceLostTracker;
  ``lost_share``: seconds of the label's spans inside a face_lost interval / seconds of those spans.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from elicitation.footage.face_truth import LABELS, FrameSeen, SecondLabel, labelled_index
from elicitation.session.face_lost import FaceLostTracker

SAMPLE_S = 0.1  # the framing watch checks the watched camera's preview 10 times a second
Clips = dict[str, tuple[float, list[FrameSeen]]]  # clip -> fps, frames


def _share(part: int | float, whole: int | float) -> float | None:
    return round(part / whole, 3) if whole else None


def per_second(labels: list[SecondLabel], clips: Clips) -> list[dict[str, Any]]:
    """Each labelled second with frames: its frames, frames with a box, and what its labelled frame shows."""
    out = []
    for lab in labels:
        fps, frames = clips[lab.clip]
        inside = [f for f in frames if f.second == lab.second]
        if not inside:
            continue  # a second past the clip's last frame
        at = frames[labelled_index(lab.second, fps, len(frames))]
        labelled = "missed" if at.box is None else "box" if lab.nose is None else "on" if at.on(lab.nose) else "off"
        out.append({"clip": lab.clip, "second": lab.second, "label": lab.label, "frames": len(inside),
                    "with_box": sum(f.box is not None for f in inside), "labelled_frame": labelled})  # fmt: skip
    return out


def detection_scores(labels: list[SecondLabel], clips: Clips) -> dict[str, dict[str, Any]]:
    """Label -> seconds, frames, box_rate and the labelled frames' on_face / off_face / missed."""
    rows = per_second(labels, clips)
    out: dict[str, dict[str, Any]] = {}
    for label in LABELS:
        mine = [r for r in rows if r["label"] == label]
        frames, boxes = sum(r["frames"] for r in mine), sum(r["with_box"] for r in mine)
        count = {k: sum(r["labelled_frame"] == k for r in mine) for k in ("on", "off", "missed", "box")}
        entry: dict[str, Any] = {"seconds": len(mine), "frames": frames, "frames_with_box": boxes,
                                 "box_rate": _share(boxes, frames)}  # fmt: skip
        if label == "absent":
            entry["labelled_frames_with_box"] = count["box"]
        else:
            entry |= {
                "labelled_on_face": count["on"],
                "labelled_off_face": count["off"],
                "labelled_missed": count["missed"],
                "labelled_recall": _share(count["on"], len(mine)),
            }
        out[label] = entry
    return out


def framing_scores(labels: list[SecondLabel], clips: Clips) -> dict[str, dict[str, float | None]]:
    """Label -> framing check (and ``all``) -> share of that label's frames passing it."""
    label_of = {(lab.clip, lab.second): lab.label for lab in labels}
    passed: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for clip, (_fps, frames) in clips.items():
        for f in frames:
            label = label_of.get((clip, f.second))
            if label is None:
                continue
            totals[label] += 1
            for name, ok in f.checks.items():
                passed[label][name] += ok
            passed[label]["all"] += all(f.checks.values())
    return {label: {name: _share(n, totals[label]) for name, n in passed[label].items()} for label in totals}


def back_to_back(
    order: list[str], labels: list[SecondLabel], clips: Clips, every_s: float = SAMPLE_S
) -> tuple[list[tuple[float, bool]], list[tuple[float, float, str]], float]:
    """The clips in `order` played one after the other: the watch's samples (time, face found), the labelled
    spans (start, end, label) on that time line, and its length in seconds."""
    samples: list[tuple[float, bool]] = []
    spans: list[tuple[float, float, str]] = []
    start = 0.0
    for clip in order:
        fps, frames = clips[clip]
        duration = len(frames) / fps
        for lab in (lab for lab in labels if lab.clip == clip and lab.second < duration):
            spans.append((start + lab.second, start + min(lab.second + 1, duration), lab.label))
        k = math.ceil(start / every_s - 1e-9)
        while k * every_s < start + duration - 1e-9:
            index = min(len(frames) - 1, math.floor((k * every_s - start) * fps + 1e-9))
            samples.append((k * every_s, frames[index].box is not None))
            k += 1
        start += duration
    return samples, spans, start


def face_lost_intervals(samples: list[tuple[float, bool]], end: float, min_s: float) -> list[tuple[float, float]]:
    """The session's face_lost intervals (start, end) for one episode covering [0, end]."""
    tracker = FaceLostTracker(min_s)
    tracker.open_episode("clips", 0.0)
    for t, found in samples:
        tracker.sample(t, found)
    tracker.close_episode(end)
    return [(i.onset, i.onset + i.duration) for i in tracker.take(final=True)]


def lost_by_label(spans: list[tuple[float, float, str]], lost: list[tuple[float, float]]) -> dict[str, dict]:
    """Label -> seconds labelled, seconds of them inside face_lost, and that share."""
    out: dict[str, dict[str, Any]] = {}
    for label in LABELS:
        mine = [(a, b) for a, b, lab in spans if lab == label]
        total = sum(b - a for a, b in mine)
        inside = sum(max(0.0, min(b, d) - max(a, c)) for a, b in mine for c, d in lost)
        out[label] = {"seconds": round(total, 3), "lost_s": round(inside, 3), "lost_share": _share(inside, total)}
    return out
