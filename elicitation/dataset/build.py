"""``dataset build``: the selected micro-expressions as a database in the layout the field releases.

``OUT/<class>/sub<NN>/EP<episode>_<k>/img<frame>.jpg`` (PNG with lossless), ``coding.csv`` and
``coding.xlsx`` (coding_sheet.py), ``excluded.csv`` (what the rule left out, and why), and
``manifest.json`` (written last: an OUT without it is incomplete) with the sha256 and size of every
other file, the software versions, the selection limits and the duration convention. The pseudonym
map (sub<NN> -> participant ID) goes to a separate file outside OUT, for the lab to keep.
OUT must not exist or be empty, and the map's file must not exist; everything is planned and
checked (build_plan.py) before the first file is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from elicitation.coding import COUNTING_RULE
from elicitation.dataset.build_plan import FAR_RULE, BuildInputError, Plan, make_plan
from elicitation.dataset.coding_sheet import (
    COLUMNS,
    EXCLUDED_COLUMNS,
    PSEUDONYM_COLUMNS,
    csv_bytes,
    pseudonym_rows,
    xlsx_bytes,
)
from elicitation.dataset.frames_export import JPEG_QUALITY, ExportError, FileEntry, export_job, write_private
from elicitation.dataset.selection import DURATION_CONVENTION, Limits
from elicitation.folder import BadInput, create_private_dir, utc_now

FORMAT = "casme-elicitation dataset v1"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Built:
    out: Path
    pseudonyms: Path
    samples: int
    pictures: int
    excluded: int
    files: int


def default_pseudonyms(out: Path) -> Path:
    out = Path(out).absolute()
    return out.parent / f"{out.name}-pseudonyms.csv"


def check_target(out: Path, pseudonyms: Path) -> None:
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BadInput(f"{out} exists and is not an empty folder: a dataset is never written over another")
    if Path(pseudonyms).exists():
        raise BadInput(f"{pseudonyms} exists: the pseudonym map is never overwritten")
    if Path(pseudonyms).absolute().is_relative_to(out.absolute()):
        raise BadInput(f"{pseudonyms} is inside {out}: the pseudonym map stays out of the released folder")


def _versions() -> dict[str, str]:
    versions = {}
    for name in ("casme-elicitation", "av", "opencv-python", "openpyxl", "numpy"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def manifest(plan: Plan, entries: list[FileEntry], limits: Limits, step: int, lossless: bool) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "created_utc": utc_now(),
        "software": _versions(),
        "duration_convention": DURATION_CONVENTION,
        "selection": {"total_ms": limits.total_ms, "onset_ms": limits.onset_ms,
                      "rule": "total <= total_ms (arm total), else onset <= onset_ms (arm fast-onset)"},
        "pictures": {"step": step, "format": "png" if lossless else "jpeg",
                     "jpeg_quality": None if lossless else JPEG_QUALITY,
                     "frames": "every step-th frame from the onset, plus onset, apex(es) and offset",
                     "numbering": "img<frame>: the camera's frame index in its frames.tsv"},
        "layout": "<class>/sub<NN>/EP<episode>_<k>/img<frame>",
        "counting": COUNTING_RULE + "; coding.csv: one row per camera, Movement names the movement, Counted = 1 on "
                    "the row it is counted by",
        "consent": plan.consent,
        "far_frames_rule": FAR_RULE,
        "far_frames": plan.far,  # with --allow-far-frames: samples whose frames on a camera are off the coded instant
        "counts": {"samples": len(plan.jobs), "pictures": plan.pictures, "excluded": len(plan.excluded),
                   "subjects": len(plan.subjects)},
        "files": [asdict(e) for e in sorted(entries, key=lambda e: e.path)],
    }  # fmt: skip


def build(data: Path, out: Path, *, limits: Limits | None = None, step: int = 1, lossless: bool = False,
          pseudonyms: Path | None = None, on_plan: Callable[[Plan], None] | None = None,
          on_picture: Callable[[int], None] | None = None, allow_far: bool = False) -> Built:  # fmt: skip
    """Plan, check, then write the dataset (see the module docstring); BadInput before anything is written."""
    limits = limits or Limits()
    out = Path(out)
    pseudonyms = Path(pseudonyms) if pseudonyms is not None else default_pseudonyms(out)
    check_target(out, pseudonyms)
    plan = make_plan(Path(data), limits, step, allow_far)
    if plan.problems:
        raise BuildInputError(plan.problems)
    if on_plan is not None:
        on_plan(plan)
    create_private_dir(out)
    entries: list[FileEntry] = []
    try:
        for job in plan.jobs:  # the seam: one export_job per sample, independent of the others
            entries += export_job(job, out, lossless, on_picture)
    except ExportError as exc:
        raise ExportError(f"{exc}; {out} is incomplete (no manifest.json): remove it before building again") from None
    entries += [
        write_private(out, "coding.csv", csv_bytes(plan.rows, COLUMNS)),
        write_private(out, "coding.xlsx", xlsx_bytes(plan.rows, COLUMNS)),
        write_private(out, "excluded.csv", csv_bytes(plan.excluded, EXCLUDED_COLUMNS)),
    ]
    create_private_dir(pseudonyms.parent)
    write_private(pseudonyms.parent, pseudonyms.name, csv_bytes(pseudonym_rows(plan.subjects), PSEUDONYM_COLUMNS))
    record = manifest(plan, entries, limits, step, lossless)
    write_private(out, MANIFEST, (json.dumps(record, indent=2) + "\n").encode("utf-8"))
    return Built(out, pseudonyms, len(plan.jobs), plan.pictures, len(plan.excluded), len(entries) + 1)
