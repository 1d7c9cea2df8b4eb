"""The coders' workbench: a local web app over the session folders (player with frame-exact pictures,
timeline, coding form), agreement and arbitration pages, and ELAN export/import."""

from __future__ import annotations

from elicitation.workbench.app import build_app
from elicitation.workbench.elan import export_session, import_eaf
from elicitation.workbench.keys import ACTIONS, load_keys
from elicitation.workbench.pairing import PairOfCoders, pair, summary, write_report
from elicitation.workbench.proxy import make_proxy
from elicitation.workbench.sessions import Segment, Session, find_sessions, open_session
from elicitation.workbench.state import Workbench

__all__ = [
    "ACTIONS",
    "PairOfCoders",
    "Segment",
    "Session",
    "Workbench",
    "build_app",
    "export_session",
    "find_sessions",
    "import_eaf",
    "load_keys",
    "make_proxy",
    "open_session",
    "pair",
    "summary",
    "write_report",
]
