"""The experimenter's live dashboard in the browser: each camera's picture and health, the framing
checks (live view of a rig) or the running session (step, episode, clip time left, events, penalty
marks, warnings, face lost) with buttons that press the experimenter's keys. Served by
elicitation.web in a thread of its own, never in the PsychoPy frame loop.
"""

from __future__ import annotations

from elicitation.dashboard.app import ACTIONS, Buttons, dashboard_app
from elicitation.dashboard.framing import FramingMonitor
from elicitation.dashboard.live import LiveState
from elicitation.dashboard.pictures import FrameSource, Picture, Pictures

__all__ = [
    "ACTIONS",
    "Buttons",
    "FrameSource",
    "FramingMonitor",
    "LiveState",
    "Picture",
    "Pictures",
    "dashboard_app",
]
