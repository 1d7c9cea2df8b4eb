"""Everything drawn on the participant's screen or read from its keyboard (PsychoPy, imported lazily)."""

from __future__ import annotations

from elicitation.screen.allocator import trim_memory
from elicitation.screen.display import Display
from elicitation.screen.flashes import FlashPlan, show_flashes
from elicitation.screen.keys import Key, KeyInput, RemoteKeys
from elicitation.screen.pages import FullScreen, Pages
from elicitation.screen.ratings import RatingState, RatingView

__all__ = [
    "Display",
    "FlashPlan",
    "FullScreen",
    "Key",
    "KeyInput",
    "Pages",
    "RatingState",
    "RatingView",
    "RemoteKeys",
    "show_flashes",
    "trim_memory",
]
