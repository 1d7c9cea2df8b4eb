"""What the session hands the self-review step about the episode just recorded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from elicitation.protocol import Episode


@dataclass(frozen=True)
class ReviewRequest:
    """Everything a self-review step needs about the episode just recorded."""

    episode: Episode
    camera: str  # the protocol's review camera (the participant's frontal view)
    video_files: dict[str, Path]  # camera -> the episode's video file (complete once offset + holdback)
    frames_tsv: dict[str, Path]  # camera -> the session's frames.tsv (rows of that file: file == name)
    onset_clock: float
    offset_clock: float
    session_dir: Path
    note: str = ""  # said on the participant's screen and in session.json: the review camera was lost
