"""What ``dataset stats`` reads and ``dataset import-labels`` writes.

An imported sheet becomes a folder with ``samples.tsv`` (our coding table) and ``import.json`` (the
file, format, fps and every row reported). ``stats`` takes such a folder, a samples.tsv itself, a
folder ``dataset build`` wrote (its coding.csv: durations as the sheet states them), or a folder of our
sessions (each with coding/final.tsv); it carries the import's reported rows into its
output so an excluded row stays listed next to the statistics.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from elicitation.dataset.labels import issue_dicts, read_labels
from elicitation.dataset.samples import Sample, SamplesError, read_samples, write_samples
from elicitation.dataset.session_samples import find_sessions, session_samples
from elicitation.folder import create_private_dir, find_participants_file, read_participants, section_line

IMPORT_FORMAT = "casme-elicitation label import v1"


def import_labels(path: Path, fmt: str, fps: float, out: Path) -> dict[str, Any]:
    """Read the sheet, write out/samples.tsv and out/import.json; returns import.json's content."""
    samples, issues = read_labels(path, fmt, fps)
    out = Path(out)
    create_private_dir(out)
    write_samples(out / "samples.tsv", samples)
    record = {"format": IMPORT_FORMAT, "file": str(path), "label_format": fmt, "fps": fps,
              "samples": len(samples), "kinds": dict(sorted(Counter(x.kind for x in samples).items())),
              "kind_rule": "the sheet's type column where it has one (labels.TYPE_COLUMNS), else micro",
              "excluded_rows": sorted({i.row for i in issues if i.action == "excluded"}),
              "issues": issue_dicts(issues)}  # fmt: skip
    tmp = out / ".import.json.tmp"
    tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(out / "import.json")
    return record


def load_input(path: Path) -> tuple[list[Sample], list[dict[str, Any]]]:
    """Samples and the reported input rows from a samples.tsv, an import folder or a folder of sessions."""
    path = Path(path)
    if path.is_file():
        return read_samples(path), _issues(path.parent)
    if (path / "samples.tsv").is_file():
        return read_samples(path / "samples.tsv"), _issues(path)
    if (path / "manifest.json").is_file() and (path / "coding.csv").is_file():
        return read_built(path / "coding.csv"), []
    if not path.is_dir():
        raise SamplesError(f"{path}: no such file or folder")
    sessions = find_sessions(path)
    if not sessions:
        raise SamplesError(f"{path}: neither a samples.tsv nor session folders with coding/final.tsv")
    return [s for session in sessions for s in session_samples(session)], []


def _issues(folder: Path) -> list[dict[str, Any]]:
    record = folder / "import.json"
    if not record.is_file():
        return []
    return list(json.loads(record.read_text(encoding="utf-8")).get("issues", []))


def _number(row: dict[str, str], column: str, where: str, optional: bool = False) -> float | None:
    text = (row.get(column) or "").strip()
    if optional and not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise SamplesError(f"{where}: column {column}: {text!r} is not a number") from None


def _counted(row: dict[str, str], where: str) -> bool:
    text = (row.get("Counted") or "1").strip()  # a sheet without the column: every row its own movement
    if text not in ("0", "1"):
        raise SamplesError(f"{where}: column Counted: {text!r} is not 0 or 1")
    return text == "1"


def read_built(path: Path) -> list[Sample]:
    """Samples from a built dataset's coding.csv. Times start at 0 at the onset and carry the sheet's
    durations as they are (no frame period: the sheet's durations already follow its convention).
    Movement and Counted say which rows are one movement and which row it is counted by."""
    samples = []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("Subject", "Filename", "Camera", "Class") if c not in (reader.fieldnames or [])]
        if missing:
            raise SamplesError(f"{path}: line 1: missing column {', '.join(missing)}")
        for number, row in enumerate(reader, start=2):
            where = f"{path}:{number}"
            total = _number(row, "Total duration ms", where) or 0.0
            onset = _number(row, "Onset duration ms", where, optional=True)
            frames = [_number(row, c, where, c == "ApexFrame") for c in ("OnsetFrame", "ApexFrame", "OffsetFrame")]
            samples.append(Sample(
                sample_id=f"sub{row['Subject']}/{row['Filename']}/{row['Camera']}", subject=row["Subject"],
                session=row.get("Session", ""), episode=row["Filename"], cls=row["Class"], kind="micro",
                onset_frame=int(frames[0] or 0), apex_frame=None if frames[1] is None else int(frames[1]),
                apex2_frame=None, offset_frame=int(frames[2] or 0), onset_s=0.0,
                apex_s=None if onset is None else onset / 1000, apex2_s=None, offset_s=total / 1000,
                frame_period_s=None, action_units=row.get("Action Units", ""),
                emotion=row.get("Estimated Emotion", ""), source=str(path), movement=row.get("Movement") or "",
                counted=_counted(row, where),
            ))  # fmt: skip
    return samples


def participants_line(source: Path, samples: list[Sample]) -> dict[str, Any]:
    """The paper's Section II line (N, female/male, mean age, SD) for the participants with a sample in the
    input, from the nearest participants.tsv at or above it; missing values are reported as not recorded."""
    source = Path(source)
    path = find_participants_file(source if source.is_dir() else source.parent)
    known = read_participants(path) if path is not None else {}
    line = section_line(sorted({s.subject for s in samples}), known)
    return {**line, "participants_file": str(path) if path is not None else None,
            "over": "the participants with at least one sample in the input (selected or not)"}  # fmt: skip
