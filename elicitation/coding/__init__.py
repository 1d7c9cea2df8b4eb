"""The coders' data layer: AU strings, Table IV labels, events on every camera, the append-only coding
logs, agreement between two coders, and arbitration into final.tsv (no UI here)."""

from __future__ import annotations

from elicitation.coding.action_units import (
    ActionUnit,
    ActionUnitError,
    au_set,
    canonical,
    canonical_string,
    parse_action_units,
)
from elicitation.coding.agreement import FRAME_TOLERANCE, IOU_THRESHOLD, Pair, agreement, iou, match, write_agreement
from elicitation.coding.arbitration import (
    DECISIONS,
    FinalLog,
    Proposal,
    check_arbiter,
    coders_note,
    final_decisions,
    final_path,
    final_rows,
    proposals,
    replay_final,
)
from elicitation.coding.coder_log import (
    CodingLog,
    Replay,
    coding_path,
    lock_coder_log,
    other_coder_events,
    replay,
)
from elicitation.coding.counting import RULE as COUNTING_RULE
from elicitation.coding.counting import counted_camera
from elicitation.coding.emotions import CRITERIA, EMOTIONS, EmotionError, check_emotion, meets, suggest
from elicitation.coding.events import (
    KINDS,
    LIMITS,
    POINTS,
    CodingError,
    Event,
    FrameRef,
    check_coder,
    on_camera,
    resolve,
    validate,
)
from elicitation.coding.log_file import TornLine

__all__ = [
    "COUNTING_RULE",
    "CRITERIA",
    "DECISIONS",
    "EMOTIONS",
    "FRAME_TOLERANCE",
    "LIMITS",
    "IOU_THRESHOLD",
    "KINDS",
    "POINTS",
    "ActionUnit",
    "ActionUnitError",
    "CodingError",
    "CodingLog",
    "lock_coder_log",
    "EmotionError",
    "Event",
    "FinalLog",
    "FrameRef",
    "Pair",
    "Proposal",
    "Replay",
    "TornLine",
    "agreement",
    "au_set",
    "canonical",
    "canonical_string",
    "check_arbiter",
    "check_coder",
    "check_emotion",
    "coders_note",
    "coding_path",
    "counted_camera",
    "final_decisions",
    "final_path",
    "final_rows",
    "iou",
    "match",
    "meets",
    "on_camera",
    "other_coder_events",
    "parse_action_units",
    "proposals",
    "replay",
    "replay_final",
    "resolve",
    "suggest",
    "validate",
    "write_agreement",
]
