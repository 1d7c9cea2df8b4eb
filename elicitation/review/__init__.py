"""The participant's self-review of their own recording: the step, its screen and the decode-ahead player."""

from __future__ import annotations

from elicitation.review.player import Player, ReviewClip, ReviewError
from elicitation.review.request import ReviewRequest
from elicitation.review.step import ReviewView, review_episode, run_review

__all__ = [
    "Player",
    "ReviewClip",
    "ReviewError",
    "ReviewRequest",
    "ReviewView",
    "review_episode",
    "run_review",
]
