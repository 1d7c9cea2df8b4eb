"""The one camera a session's movements are counted on, so that each movement is one sample.

Our rig films the same movement on two cameras at once; the paper's Class A and Class B were separate
recordings (100 + 95 = 195 movements). Counting a movement once per camera would double every n (Table
III's fits, Table IV's frequencies, the pooled spotting scores). So each session's movements are
counted on one camera:

- the rig's camera marked ``reference: true`` (session.json ``rig.cameras.<camera>.reference``), if one is;
- otherwise the camera most of the session's final events were coded on (ties: the first by name).

Per-camera figures (Tables I/II per class, spotting scores per camera) stay available as a breakdown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from elicitation.coding.events import Event

RIG_REFERENCE = "the rig's reference: true camera"
MOST_CODED = "the camera most of the session's final events were coded on (ties: first by name)"
RULE = (
    "each movement is counted once, on one camera per session: the rig's reference: true camera, else the "
    "camera most of the session's final events were coded on (ties: first by name)"
)


def counted_camera(events: Iterable[Event], rig_cameras: Mapping[str, Any] | None) -> tuple[str | None, str]:
    """(camera, why) for one session; (None, why) when there is no event and no reference camera."""
    marked = sorted(name for name, settings in (rig_cameras or {}).items()
                    if isinstance(settings, Mapping) and settings.get("reference") is True)  # fmt: skip
    if len(marked) == 1:
        return marked[0], RIG_REFERENCE
    counts = Counter(event.camera for event in events)
    if not counts:
        return None, "no final event"
    return min(counts, key=lambda camera: (-counts[camera], camera)), MOST_CODED
