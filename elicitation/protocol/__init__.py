"""Protocol YAML -> typed settings: the field tables, the dataclasses, and the loader."""

from __future__ import annotations

from elicitation.protocol.loader import Episode, Protocol, load_protocol
from elicitation.protocol.schema import Display, Keys, RatingSettings

__all__ = [
    "Display",
    "Episode",
    "Keys",
    "Protocol",
    "RatingSettings",
    "load_protocol",
]
