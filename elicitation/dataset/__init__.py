"""The dataset layer: which movements are micro-expressions (selection), their statistics (Tables I-IV,
stats.json, figures, stats.html) and published label sheets imported into our coding table."""

from __future__ import annotations

from elicitation.dataset.fits import MODELS, fit_all, fit_model
from elicitation.dataset.inputs import import_labels, load_input
from elicitation.dataset.labels import FORMATS, Issue, LabelError, read_labels
from elicitation.dataset.page import write_outputs
from elicitation.dataset.samples import Sample, SamplesError, read_samples, write_samples
from elicitation.dataset.selection import (
    ADD_FRAME_PERIOD,
    DURATION_CONVENTION,
    FAST_ONSET,
    TOTAL,
    Excluded,
    Limits,
    Selected,
    Selection,
    onset_ms,
    select,
    total_ms,
)
from elicitation.dataset.session_samples import find_sessions, session_samples
from elicitation.dataset.sheets import SheetError, read_sheet
from elicitation.dataset.stats import compute_stats

__all__ = [
    "ADD_FRAME_PERIOD",
    "DURATION_CONVENTION",
    "FAST_ONSET",
    "FORMATS",
    "MODELS",
    "TOTAL",
    "Excluded",
    "Issue",
    "LabelError",
    "Limits",
    "Sample",
    "SamplesError",
    "Selected",
    "Selection",
    "SheetError",
    "compute_stats",
    "find_sessions",
    "fit_all",
    "fit_model",
    "import_labels",
    "load_input",
    "onset_ms",
    "read_labels",
    "read_samples",
    "read_sheet",
    "select",
    "session_samples",
    "total_ms",
    "write_outputs",
    "write_samples",
]
