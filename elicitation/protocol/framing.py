"""The protocol's ``framing:`` section: the framing checks at check-in and face_lost during clips. The
thresholds themselves are hardware/vision/framing.py's (its dataclass holds their defaults and documents each)."""

from __future__ import annotations

from dataclasses import dataclass, field

from elicitation.protocol.schema import _default
from hardware.strict_yaml import Field, positive
from hardware.vision import THRESHOLD_FIELDS, FramingThresholds

FRAMING_FIELDS = {
    "required": Field(bool, default=False, doc="a failed check at check-in holds the session (exit 1)"),
    "checkin": Field(str, default="checkin", doc="the screen after which the checks are taken"),
    "camera": Field(str, default="", doc="camera watched for face_lost (default: review.camera, else the first)"),
    "face_lost_min_s": Field(float, default=0.3, check=positive, doc="shortest face_lost interval written"),
    **THRESHOLD_FIELDS,
}


@dataclass(frozen=True)
class FramingSettings:
    required: bool = _default(FRAMING_FIELDS, "required")
    checkin: str = _default(FRAMING_FIELDS, "checkin")
    camera: str = _default(FRAMING_FIELDS, "camera")
    face_lost_min_s: float = _default(FRAMING_FIELDS, "face_lost_min_s")
    thresholds: FramingThresholds = field(default_factory=FramingThresholds)
