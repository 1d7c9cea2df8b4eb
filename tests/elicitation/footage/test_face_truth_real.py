"""The framing watch's face detection on the real-face clips against the hand labels (tests/data/real_faces),
when the clips are in the cache `bash .ci/install` fills. The floors are loose: they catch a detector that
stopped finding real faces, not a change of a few frames (bench/real_faces.py gives the figures)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from elicitation.footage import face_scores
from elicitation.footage.face_truth import read_labels, watch_clip
from hardware.cameras.sim.face_video import real_face_cache

LABELS = Path(__file__).parents[2] / "data" / "real_faces" / "face_present.tsv"
FACE_CLIP, NO_FACE_CLIP = "WolfgangLanger_Pexels.mp4", "no_face.mp4"
RECALL_FLOOR = 0.8  # per frame and at the labelled frames, on 'present' seconds
FALSE_ALARM_CEILING = 0.1  # per frame, on 'absent' seconds


def _cached(name: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not (real_face_cache() / name).is_file(),
                              reason=f"{name} is unpacked into the real-face cache by bash .ci/install")  # fmt: skip


@_cached(FACE_CLIP)
def test_faces_on_present_seconds_are_found_on_the_face() -> None:
    labels = [lab for lab in read_labels(LABELS) if lab.clip == FACE_CLIP]
    fps, frames = watch_clip(real_face_cache() / FACE_CLIP)
    assert [lab.second for lab in labels] == list(range(math.ceil(len(frames) / fps)))  # every second labelled
    present = face_scores.detection_scores(labels, {FACE_CLIP: (fps, frames)})["present"]
    assert present["seconds"] >= 5
    assert present["box_rate"] >= RECALL_FLOOR
    assert present["labelled_recall"] >= RECALL_FLOOR
    assert present["labelled_off_face"] == 0


@_cached(NO_FACE_CLIP)
def test_few_boxes_on_a_clip_without_a_face() -> None:
    labels = [lab for lab in read_labels(LABELS) if lab.clip == NO_FACE_CLIP]
    fps, frames = watch_clip(real_face_cache() / NO_FACE_CLIP)
    absent = face_scores.detection_scores(labels, {NO_FACE_CLIP: (fps, frames)})["absent"]
    assert absent["frames"] == len(frames)
    assert absent["box_rate"] <= FALSE_ALARM_CEILING
