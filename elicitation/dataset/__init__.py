"""The dataset layer: which movements are micro-expressions (selection), their export as a database
(build), their statistics (Tables I-IV, stats.json, figures, stats.html) and published label sheets
imported into our coding table."""

from __future__ import annotations

from elicitation.dataset.build import Built, build, default_pseudonyms
from elicitation.dataset.build_plan import BuildInputError, Job, Picture, Plan, make_plan
from elicitation.dataset.coding_sheet import CASME2_COLUMNS
from elicitation.dataset.coding_sheet import COLUMNS as SHEET_COLUMNS
from elicitation.dataset.fits import MODELS, fit_all, fit_model
from elicitation.dataset.frames_export import ExportError, FileEntry, decode_range, export_job
from elicitation.dataset.inputs import import_labels, load_input
from elicitation.dataset.labels import FORMATS, LONG_FORMATS, Issue, LabelError, read_labels
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
from elicitation.dataset.session_samples import SessionSample, find_sessions, session_items, session_samples
from elicitation.dataset.sheets import SheetError, read_sheet
from elicitation.dataset.stats import compute_stats

__all__ = [
    "ADD_FRAME_PERIOD",
    "CASME2_COLUMNS",
    "DURATION_CONVENTION",
    "FAST_ONSET",
    "FORMATS",
    "LONG_FORMATS",
    "MODELS",
    "SHEET_COLUMNS",
    "TOTAL",
    "BuildInputError",
    "Built",
    "Excluded",
    "ExportError",
    "FileEntry",
    "Issue",
    "Job",
    "LabelError",
    "Limits",
    "Picture",
    "Plan",
    "Sample",
    "SamplesError",
    "Selected",
    "Selection",
    "SessionSample",
    "SheetError",
    "build",
    "compute_stats",
    "decode_range",
    "default_pseudonyms",
    "export_job",
    "find_sessions",
    "fit_all",
    "fit_model",
    "import_labels",
    "load_input",
    "make_plan",
    "onset_ms",
    "read_labels",
    "read_samples",
    "read_sheet",
    "select",
    "session_items",
    "session_samples",
    "total_ms",
    "write_outputs",
    "write_samples",
]
