"""report.html: one self-contained page per session (never imports PsychoPy)."""

from __future__ import annotations

from elicitation.report.page import write_report

__all__ = [
    "write_report",
]
