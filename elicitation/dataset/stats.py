"""stats.json: Tables I/II (per class), III (duration fits) and IV (emotions and their AU criteria).

Tables I/II per class (camera, or the imported sheet): "500 ms as the upper limit" are the samples
selected by the total-duration arm; "all samples" adds the fast-onset ones. M and SD in ms, SD the
sample standard deviation (n - 1). Onset statistics use the samples that have an apex (onset_n).

Each movement is counted once (``Sample.counted``: one camera per session, elicitation.coding.counting)
in Table III, Table IV and ``counts.selected``; Tables I/II stay per class (camera).
Table III as the paper fits it: the total-duration fit is over the counted samples selected by the
total-duration arm (within 500 ms: the paper's Normal LL -862.57 is reproduced by the 148 "500 ms as the
upper limit" samples of its Tables I and II, and its tables give no total duration for the fast-onset
ones); the onset-duration fit is over every counted selected sample with an apex. Pooled over classes.
Table IV counts the counted selected samples per emotion label as coded and how many of them meet the
label's Table IV criterion (coding.meets).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from elicitation.coding import COUNTING_RULE, CRITERIA, EMOTIONS, ActionUnitError, meets, parse_action_units
from elicitation.dataset.fits import fit_all
from elicitation.dataset.samples import Sample
from elicitation.dataset.selection import DURATION_CONVENTION, TOTAL, Limits, Selected, Selection, select

FORMAT = "casme-elicitation dataset stats v1"


def _m_sd(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, None
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _row(chosen: list[Selected]) -> dict[str, Any]:
    total_m, total_sd = _m_sd([s.total_ms for s in chosen])
    onsets = [s.onset_ms for s in chosen if s.onset_ms is not None]
    onset_m, onset_sd = _m_sd(onsets)
    return {"n": len(chosen), "total_mean_ms": total_m, "total_sd_ms": total_sd,
            "onset_n": len(onsets), "onset_mean_ms": onset_m, "onset_sd_ms": onset_sd}  # fmt: skip


def duration_tables(selection: Selection) -> dict[str, dict[str, Any]]:
    classes = sorted({s.sample.cls for s in selection.selected})
    return {
        cls: {
            "upper_limit": _row([s for s in selection.selected if s.sample.cls == cls and s.arm == TOTAL]),
            "all": _row([s for s in selection.selected if s.sample.cls == cls]),
        }
        for cls in classes
    }


def _meets(sample: Sample) -> bool | None | str:
    try:
        units = parse_action_units(sample.action_units) if sample.action_units else []
    except ActionUnitError:
        return "unparsed"
    return meets(sample.emotion, units)


def emotion_table(counted: list[Selected]) -> list[dict[str, Any]]:
    counts = Counter(s.sample.emotion or "(none)" for s in counted)
    labels = [e for e in EMOTIONS] + sorted(set(counts) - set(EMOTIONS))
    rows = []
    for label in labels:
        chosen = [s.sample for s in counted if (s.sample.emotion or "(none)") == label]
        verdicts = [_meets(s) for s in chosen]
        has_rule = label in CRITERIA or label == "tense"
        rows.append({
            "emotion": label, "criterion": CRITERIA[label][0] if label in CRITERIA else (
                "Other emotion-related facial movements" if label == "tense" else None),
            "n": len(chosen), "meets": sum(v is True for v in verdicts) if has_rule else None,
            "au_unparsed": sum(v == "unparsed" for v in verdicts),
        })  # fmt: skip
    return rows


FIT_SETS = {
    "total": "counted samples selected by the total-duration arm (within the total limit), pooled over classes",
    "onset": "every counted selected sample with an apex (both arms), pooled over classes",
}


def fitted(entries: list[dict[str, Any]], which: str) -> list[float]:
    """The durations Table III's `which` fit is over, from stats.json's ``selected`` entries (FIT_SETS)."""
    if which == "total":
        return [x["total_ms"] for x in entries if x["counted"] and x["arm"] == TOTAL]
    return [x["onset_ms"] for x in entries if x["counted"] and x["onset_ms"] is not None]


def _counting(samples: list[Sample]) -> dict[str, Any]:
    classes: dict[str, set[str]] = {}
    for s in samples:
        if s.counted:
            classes.setdefault(f"{s.subject}/{s.session}" if s.session else s.subject, set()).add(s.cls)
    return {"rule": COUNTING_RULE + "; an imported sheet's rows are each one movement",
            "counted_class": {k: sorted(v) for k, v in sorted(classes.items())}}  # fmt: skip


def compute_stats(samples: list[Sample], limits: Limits | None = None, issues: list[dict] | None = None,
                  participants: dict[str, Any] | None = None) -> dict:  # fmt: skip
    selection = select(samples, limits)
    every = selection.selected
    counted = [s for s in every if s.sample.counted]
    selected = [
        {
            "sample_id": s.sample.sample_id,
            "movement": s.sample.movement_id,
            "counted": s.sample.counted,
            "class": s.sample.cls,
            "kind": s.sample.kind,
            "arm": s.arm,
            "total_ms": s.total_ms,
            "onset_ms": s.onset_ms,
            "emotion": s.sample.emotion,
            "action_units": s.sample.action_units,
        }
        for s in every
    ]  # fmt: skip
    return {
        "format": FORMAT,
        "duration_convention": DURATION_CONVENTION,
        "limits": {"total_ms": selection.limits.total_ms, "onset_ms": selection.limits.onset_ms},
        "sd": "sample standard deviation (n - 1)",
        "counting": _counting(samples),
        "participants": participants,
        "counts": {"samples": len(samples), "movements": len({s.movement_id for s in samples}),
                   "selected": len(counted), "selected_samples": len(every), "excluded": len(selection.excluded),
                   "selected_by_kind": dict(sorted(Counter(s.sample.kind for s in counted).items())),
                   "definition": "selected: movements selected on their counted sample; selected_samples: every "
                                 "camera's selected samples (Tables I/II)"},  # fmt: skip
        "classes": duration_tables(selection),
        "fits": {
            "pooled_over": "each movement once (its counted sample), all classes",
            "total": {**fit_all(fitted(selected, "total")), "over": FIT_SETS["total"]},
            "onset": {**fit_all(fitted(selected, "onset")), "over": FIT_SETS["onset"]},
        },
        "emotions": emotion_table(counted),
        "emotions_over": "counted selected samples: each movement once",
        "selected": selected,
        "excluded": [
            {"sample_id": x.sample.sample_id, "movement": x.sample.movement_id, "counted": x.sample.counted,
             "class": x.sample.cls, "reason": x.reason}
            for x in selection.excluded
        ],  # fmt: skip
        "input_issues": list(issues or []),
    }
