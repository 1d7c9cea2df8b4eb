"""Recognition baselines over a database: the paper's Table V (MPCA, G_m splits) and the field's LOSO."""

from __future__ import annotations

from elicitation.recognition.evaluate import gallery_splits, loso_folds, nearest_neighbour
from elicitation.recognition.lbptop import lbp_top
from elicitation.recognition.mpca import MPCA, Prepared
from elicitation.recognition.run import Options, run_baseline
from elicitation.recognition.samples import PAPER_CLASSES, BaselineInputError, RecognitionSample, load_samples
from elicitation.recognition.scores import confusion, scores
from elicitation.recognition.tensors import normalise_time, sample_tensor

__all__ = [
    "MPCA",
    "PAPER_CLASSES",
    "BaselineInputError",
    "Options",
    "Prepared",
    "RecognitionSample",
    "confusion",
    "gallery_splits",
    "lbp_top",
    "load_samples",
    "loso_folds",
    "nearest_neighbour",
    "normalise_time",
    "run_baseline",
    "sample_tensor",
    "scores",
]
