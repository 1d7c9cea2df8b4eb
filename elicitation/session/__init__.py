"""One session of the experiment: set-up, preflight, the procedure and its steps, the runner, autopilot."""

from __future__ import annotations

from elicitation.session.autopilot import Autopilot
from elicitation.session.context import SessionAborted
from elicitation.session.preflight import PreflightFailed
from elicitation.session.runner import SessionOptions, SessionResult, run_session

__all__ = [
    "Autopilot",
    "PreflightFailed",
    "SessionAborted",
    "SessionOptions",
    "SessionResult",
    "run_session",
]
