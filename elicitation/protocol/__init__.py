"""Protocol YAML -> typed settings: the field tables, the dataclasses, and the loader."""

from __future__ import annotations

from elicitation.protocol.framing import FramingSettings
from elicitation.protocol.loader import Episode, Protocol, load_protocol
from elicitation.protocol.schema import (
    Display,
    Keys,
    RatingKeys,
    RatingSettings,
    ReviewKeys,
    ReviewSettings,
)

__all__ = [
    "Display",
    "Episode",
    "FramingSettings",
    "Keys",
    "Protocol",
    "RatingKeys",
    "RatingSettings",
    "ReviewKeys",
    "ReviewSettings",
    "load_protocol",
]
