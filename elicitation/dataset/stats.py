"""stats.json: Tables I/II (per class), III (duration fits) and IV (emotions and their AU criteria).

Tables I/II per class (camera, or the imported sheet): "500 ms as the upper limit" are the samples
selected by the total-duration arm; "all samples" adds the fast-onset ones. M and SD in ms, SD the
sample standard deviation (n - 1). Onset statistics use the samples that have an apex (onset_n).
Table III fits all selected samples, pooled over classes. Table IV counts the selected samples per
emotion label as coded and how many of them meet the label's Table IV criterion (coding.meets).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from elicitation.coding import CRITERIA, EMOTIONS, ActionUnitError, meets, parse_action_units
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


def emotion_table(selection: Selection) -> list[dict[str, Any]]:
    counts = Counter(s.sample.emotion or "(none)" for s in selection.selected)
    labels = [e for e in EMOTIONS] + sorted(set(counts) - set(EMOTIONS))
    rows = []
    for label in labels:
        chosen = [s.sample for s in selection.selected if (s.sample.emotion or "(none)") == label]
        verdicts = [_meets(s) for s in chosen]
        has_rule = label in CRITERIA or label == "tense"
        rows.append({
            "emotion": label, "criterion": CRITERIA[label][0] if label in CRITERIA else (
                "Other emotion-related facial movements" if label == "tense" else None),
            "n": len(chosen), "meets": sum(v is True for v in verdicts) if has_rule else None,
            "au_unparsed": sum(v == "unparsed" for v in verdicts),
        })  # fmt: skip
    return rows


def compute_stats(samples: list[Sample], limits: Limits | None = None, issues: list[dict] | None = None) -> dict:
    selection = select(samples, limits)
    every = selection.selected
    return {
        "format": FORMAT,
        "duration_convention": DURATION_CONVENTION,
        "limits": {"total_ms": selection.limits.total_ms, "onset_ms": selection.limits.onset_ms},
        "sd": "sample standard deviation (n - 1)",
        "counts": {"samples": len(samples), "selected": len(every), "excluded": len(selection.excluded)},
        "classes": duration_tables(selection),
        "fits": {
            "pooled_over": "all selected samples of all classes",
            "total": fit_all([s.total_ms for s in every]),
            "onset": fit_all([s.onset_ms for s in every if s.onset_ms is not None]),
        },
        "emotions": emotion_table(selection),
        "selected": [
            {
                "sample_id": s.sample.sample_id,
                "class": s.sample.cls,
                "arm": s.arm,
                "total_ms": s.total_ms,
                "onset_ms": s.onset_ms,
                "emotion": s.sample.emotion,
                "action_units": s.sample.action_units,
            }
            for s in every
        ],  # fmt: skip
        "excluded": [
            {"sample_id": x.sample.sample_id, "class": x.sample.cls, "reason": x.reason} for x in selection.excluded
        ],  # fmt: skip
        "input_issues": list(issues or []),
    }
