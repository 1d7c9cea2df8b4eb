"""How far two coders agree: matched movements, F1, frame, AU and emotion agreement -> agreement.json.

Definitions (each is also written into agreement.json):

- Matching (the MEGC spotting criterion): within an episode, two events match when the IoU of their
  inclusive frame intervals [onset, offset] on the reference camera is >= 0.5, where
  IoU = |A n B| / |A u B| in frames (so [10, 19] and [15, 24] share 5 of 15 frames: 1/3). One-to-one,
  greedy: the pair with the highest IoU is taken first (ties: earlier onsets first), then the next
  among the events still free. Greedy, not Hungarian: it never trades a clearly better pair for two
  mediocre ones, and at IoU >= 0.5 conflicts are rare.
- F1 = 2 M / (N1 + N2), M matched pairs, N1 and N2 each coder's events (precision and recall of one
  coder against the other; symmetric).
- Differences per matched pair: coder 2 minus coder 1, in frames and in ms (from host_time).
- Frame agreement = 2 A / (N1 + N2), A the matched pairs whose onset, apex and offset each differ by
  at most FRAME_TOLERANCE frames. It has the form of the CASME papers' AU agreement; an unmatched
  event counts against it. (The paper's 0.78 is given without a formula; this is our definition.)
- AU agreement R = 2 x sum |AU(C1) n AU(C2)| / sum (|AU(C1)| + |AU(C2)|), pooled over matched pairs
  (sums of counts, not a mean of per-pair ratios); AUs are compared by number and side, not intensity.
- Cohen's kappa of the emotion labels of the labelled matched pairs: pairs where either event is kind
  irrelevant or has no emotion label are left out (two empty labels are no agreement on an emotion) and
  counted (``left_out_unlabelled``); kappa = (po - pe) / (1 - pe) over the n pairs left, None when pe = 1
  (both coders used one single label) or n = 0.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from elicitation.coding.action_units import au_set, parse_action_units
from elicitation.coding.events import Event, on_camera

IOU_THRESHOLD = 0.5
FRAME_TOLERANCE = 2  # frames (33 ms at 60 fps)
MATCHING = "greedy by highest IoU of inclusive frame intervals [onset, offset], one-to-one, per episode"


@dataclass(frozen=True)
class Pair:
    first: Event
    second: Event
    iou: float


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """IoU of two inclusive frame intervals."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]) + 1)
    union = (a[1] - a[0] + 1) + (b[1] - b[0] + 1) - inter
    return inter / union


def _span(event: Event, camera: str) -> tuple[int, int]:
    points = on_camera(event, camera)
    return points["onset"], points["offset"]


def match(first: list[Event], second: list[Event], camera: str) -> tuple[list[Pair], list[Event], list[Event]]:
    """Matched pairs (in order of episode and onset), coder 1's unmatched events, coder 2's unmatched events."""
    candidates = []
    for a in first:
        for b in second:
            if a.episode == b.episode:
                value = iou(_span(a, camera), _span(b, camera))
                if value >= IOU_THRESHOLD:
                    candidates.append((-value, _span(a, camera)[0], _span(b, camera)[0], a.event_id, b.event_id))
    taken_1: dict[str, Event] = {}
    taken_2: dict[str, Event] = {}
    pairs = []
    by_id_1, by_id_2 = {e.event_id: e for e in first}, {e.event_id: e for e in second}
    for negative, _o1, _o2, id1, id2 in sorted(candidates):
        if id1 not in taken_1 and id2 not in taken_2:
            taken_1[id1], taken_2[id2] = by_id_1[id1], by_id_2[id2]
            pairs.append(Pair(by_id_1[id1], by_id_2[id2], -negative))
    pairs.sort(key=lambda p: (p.first.episode, _span(p.first, camera)[0], p.first.event_id))
    return pairs, [e for e in first if e.event_id not in taken_1], [e for e in second if e.event_id not in taken_2]


def differences(pair: Pair, camera: str) -> dict[str, dict[str, float | int]]:
    a, b = on_camera(pair.first, camera), on_camera(pair.second, camera)
    out: dict[str, dict[str, float | int]] = {}
    for point in ("onset", "apex", "offset"):
        ms = (pair.second.time(point, camera) - pair.first.time(point, camera)) * 1000.0
        out[point] = {"frames": b[point] - a[point], "ms": round(ms, 3)}
    return out


def kappa(labels: list[tuple[str, str]]) -> dict[str, Any]:
    n = len(labels)
    if n == 0:
        return {"value": None, "n": 0, "observed": None, "expected": None}
    observed = sum(a == b for a, b in labels) / n
    first, second = Counter(a for a, _ in labels), Counter(b for _, b in labels)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    value = None if expected == 1 else (observed - expected) / (1 - expected)
    return {"value": value, "n": n, "observed": observed, "expected": expected}


def _labelled(event: Event) -> bool:
    return event.kind != "irrelevant" and bool(event.emotion)


def emotion_kappa(pairs: list[Pair]) -> dict[str, Any]:
    """Cohen's kappa over the matched pairs both coders labelled (see the module docstring)."""
    labelled = [(p.first.emotion, p.second.emotion) for p in pairs if _labelled(p.first) and _labelled(p.second)]
    return {**kappa(labelled), "left_out_unlabelled": len(pairs) - len(labelled),
            "definition": "Cohen's kappa over matched pairs where both events have an emotion label and neither "
                          "is kind irrelevant; n = the pairs it was taken over"}  # fmt: skip


def _aus(event: Event) -> set[tuple[int, str]]:
    return au_set(parse_action_units(event.action_units)) if event.action_units else set()


def agreement(first: list[Event], second: list[Event], camera: str, tolerance: int = FRAME_TOLERANCE) -> dict[str, Any]:
    pairs, only_1, only_2 = match(first, second, camera)
    n1, n2, m = len(first), len(second), len(pairs)
    diffs = [differences(p, camera) for p in pairs]
    agreeing = sum(all(abs(d[k]["frames"]) <= tolerance for k in d) for d in diffs)
    common = sum(len(_aus(p.first) & _aus(p.second)) for p in pairs)
    total = sum(len(_aus(p.first)) + len(_aus(p.second)) for p in pairs)
    return {
        "camera": camera,
        "matching": {"rule": MATCHING, "iou_threshold": IOU_THRESHOLD},
        "counts": {"coder_1": n1, "coder_2": n2, "matched": m, "only_1": len(only_1), "only_2": len(only_2)},
        "f1": 2 * m / (n1 + n2) if n1 + n2 else None,
        "frame_agreement": {
            "value": 2 * agreeing / (n1 + n2) if n1 + n2 else None,
            "agreeing_pairs": agreeing,
            "tolerance_frames": tolerance,
            "definition": "2 A / (N1 + N2); A = matched pairs whose onset, apex and offset each differ <= tolerance",
        },
        "au_agreement": {
            "value": 2 * common / total if total else None,
            "common": common,
            "total": total,
            "definition": "2 x sum |AU1 n AU2| / sum (|AU1| + |AU2|) over matched pairs; by number and side",
        },
        "emotion_kappa": emotion_kappa(pairs),
        "pairs": [
            {
                "episode": p.first.episode,
                "event_1": p.first.event_id,
                "event_2": p.second.event_id,
                "iou": round(p.iou, 6),
                **d,
            }
            for p, d in zip(pairs, diffs, strict=True)
        ],  # fmt: skip
        "only_1": [e.event_id for e in only_1],
        "only_2": [e.event_id for e in only_2],
    }


def write_agreement(path: Path, report: dict[str, Any]) -> Path:
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)  # derived data: rewriting is safe
    return path
