"""Emotion labels and the AU criteria of the CASME paper's Table IV, implemented as the table words them.

Table IV ("criteria for labeling the emotions"):

    amusement   Either AU6 or AU12 must be present
    sadness     AU1 must be present
    disgust     At least one of AU9, AU10, AU4 must be present
    surprise    AU1+2, AU25 or AU2 must be present
    contempt    Either unilateral AU10 or unilateral AU12 be present
    fear        Either AU1+2+4 or AU20 must be present
    repression  AU14, AU15 or AU17 is presented alone or in combination
    tense       Other emotion-related facial movements

Readings where the table is ambiguous (each is one line of code below):
- surprise: "AU1+2" (both) or AU25 or AU2. As written AU1+2 adds nothing (AU2 alone suffices), so the
  criterion is AU2 or AU25; AU1 alone is not surprise (it is sadness).
- contempt: "unilateral" is a side prefix, L, R or U; a bilateral 10 or 12 is not contempt.
- repression: "alone or in combination" is read as *with each other*: the AUs are a non-empty subset of
  {14, 15, 17}. 4+14 is therefore disgust, not repression (the looser reading would make any set with a
  14, 15 or 17 repression).
- tense: no AU list; suggested only when at least one AU is coded and no other criterion is met, and
  "meets" is then true by definition.
- others: not in Table IV (CASME II's label for the rest); no criterion.
The paper says labels are "just partly based on the AUs" (self-report and the clip count too), so these
are suggestions for the coder, never a rule that overrides a label.
"""

from __future__ import annotations

from collections.abc import Callable

from elicitation.coding.action_units import ActionUnit
from elicitation.folder import BadInput

EMOTIONS = ("amusement", "sadness", "disgust", "surprise", "contempt", "fear", "repression", "tense", "others")

Criterion = Callable[[set[int], set[int]], bool]  # (AU numbers, unilateral AU numbers) -> met


def _any(*numbers: int) -> Criterion:
    return lambda aus, _uni: any(n in aus for n in numbers)


CRITERIA: dict[str, tuple[str, Criterion]] = {
    "amusement": ("Either AU6 or AU12 must be present", _any(6, 12)),
    "sadness": ("AU1 must be present", _any(1)),
    "disgust": ("At least one of AU9, AU10, AU4 must be present", _any(9, 10, 4)),
    "surprise": ("AU1+2, AU25 or AU2 must be present", lambda a, _u: {1, 2} <= a or 25 in a or 2 in a),
    "contempt": ("Either unilateral AU10 or unilateral AU12 be present", lambda _a, u: 10 in u or 12 in u),
    "fear": ("Either AU1+2+4 or AU20 must be present", lambda a, _u: {1, 2, 4} <= a or 20 in a),
    "repression": (
        "AU14, AU15 or AU17 is presented alone or in combination",
        lambda a, _u: bool(a) and a <= {14, 15, 17},
    ),
}
TENSE_CRITERION = "Other emotion-related facial movements"


class EmotionError(BadInput):
    """Raised when an emotion label is not one of EMOTIONS."""


def check_emotion(label: str) -> str:
    value = (label or "").strip().lower()
    if value not in EMOTIONS:
        raise EmotionError(f"emotion {label!r} is not one of {', '.join(EMOTIONS)}")
    return value


def _sets(units: list[ActionUnit]) -> tuple[set[int], set[int]]:
    return {u.number for u in units}, {u.number for u in units if u.unilateral}


def suggest(units: list[ActionUnit]) -> list[str]:
    """Every label whose Table IV criterion the AUs meet, in the table's order; ["tense"] if AUs are
    coded and none is met; [] for no AUs."""
    aus, uni = _sets(units)
    met = [emotion for emotion, (_text, rule) in CRITERIA.items() if rule(aus, uni)]
    return met or (["tense"] if aus else [])


def meets(emotion: str, units: list[ActionUnit]) -> bool | None:
    """Whether the AUs meet the label's criterion; None for a label without one (others, or not ours)."""
    if emotion == "tense":
        return "tense" in suggest(units)
    if emotion not in CRITERIA:
        return None
    return CRITERIA[emotion][1](*_sets(units))
