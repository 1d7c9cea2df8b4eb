"""The on-disk session format: session.json state, the append-only TSV tables, paths and permissions."""

from __future__ import annotations

from elicitation.folder.participants import (
    CONSENT_SCOPES,
    Participant,
    add_participant,
    check_in,
    find_participants_file,
    make_participant,
    read_participants,
    section_line,
)
from elicitation.folder.review_log import ReviewLog, current_flags, read_review
from elicitation.folder.state import (
    BadInput,
    SessionState,
    check_participant,
    clean_video_files,
    create_private_dir,
    open_private,
    session_path,
    utc_now,
)
from elicitation.folder.tables import AppendOnlyTsv, EventLog, RatingsLog, read_tsv

__all__ = [
    "CONSENT_SCOPES",
    "Participant",
    "add_participant",
    "check_in",
    "check_participant",
    "find_participants_file",
    "make_participant",
    "read_participants",
    "section_line",
    "AppendOnlyTsv",
    "BadInput",
    "EventLog",
    "RatingsLog",
    "ReviewLog",
    "SessionState",
    "clean_video_files",
    "create_private_dir",
    "current_flags",
    "open_private",
    "read_review",
    "read_tsv",
    "session_path",
    "utc_now",
]
