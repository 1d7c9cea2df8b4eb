"""Automatic spotting: candidate intervals of facial movement per session, episode file and camera, for the
coders' pre-screen, and the MEGC spotting metric to evaluate them against coding/final.tsv."""

from __future__ import annotations

from elicitation.spotting.flow import BlockSeries, FaceFlow, block_series
from elicitation.spotting.metric import Evaluation, Interval, Scores, VideoResult, evaluate, evaluate_all, log_lines
from elicitation.spotting.output import COLUMNS as CANDIDATE_COLUMNS
from elicitation.spotting.params import Parameters, Seconds
from elicitation.spotting.signals import Candidate, candidates

__all__ = [
    "CANDIDATE_COLUMNS",
    "BlockSeries",
    "Candidate",
    "Evaluation",
    "FaceFlow",
    "Interval",
    "Parameters",
    "Scores",
    "Seconds",
    "VideoResult",
    "block_series",
    "candidates",
    "evaluate",
    "evaluate_all",
    "log_lines",
]
