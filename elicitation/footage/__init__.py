"""Footage from outside the recorder: a video file or a folder of numbered pictures imported as a session
the workbench, the spotter and the dataset export read like a recorded one, and the long-video label sheets
(CAS(ME)^2, SAMM) read into the imported sessions' coding/final.tsv."""

from __future__ import annotations

from elicitation.footage.importer import Episode, import_footage, parse_episodes
from elicitation.footage.sheets import LAYOUTS, import_sheet
from elicitation.footage.source import FootageError, Picture, SourceInfo, picture_files, read_source

__all__ = [
    "LAYOUTS",
    "Episode",
    "FootageError",
    "Picture",
    "SourceInfo",
    "import_footage",
    "import_sheet",
    "parse_episodes",
    "picture_files",
    "read_source",
]
