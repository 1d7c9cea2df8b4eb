"""The spotting files of a session folder.

- ``spotting/parts/<video file stem>.json``: one task's result (one episode file of one camera), written
  atomically; its existence means the task is done.
- ``spotting/<camera>.tsv``: every candidate of the camera, in order of frame, one row each:
  ``candidate`` (id ``<camera>-<file stem>-<n>``), ``episode``, ``file``, ``kind`` (micro, macro),
  ``onset_frame``, ``apex_frame``, ``offset_frame`` (indices in ``video/<camera>_frames.tsv``, the
  ``frame`` column, as coders code), ``onset_file_frame`` .. ``offset_file_frame`` (index in the video file),
  ``onset_time``, ``apex_time``, ``offset_time`` (host_time of those frames: the one clock), ``score``
  (local movement at the peak, pixels of the resized face), ``flag`` (empty, or why the candidate is
  doubtful: face lost, a participant's review flag).
- ``spotting/<camera>.json``: the header: software version, parameters, and per file the frames read,
  the face detections and the candidate count.
Both are assembled from the parts and written atomically; neither holds a time of day, so the same
inputs give the same bytes (a Dask run and a serial run write identical files).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from elicitation.batch import atomic_write

COLUMNS = ("candidate", "episode", "file", "kind", "onset_frame", "apex_frame", "offset_frame",
           "onset_file_frame", "apex_file_frame", "offset_file_frame", "onset_time", "apex_time", "offset_time",
           "score", "flag")  # fmt: skip


def spotting_dir(session: Path) -> Path:
    return Path(session) / "spotting"


def part_path(session: Path, file: str) -> Path:
    return spotting_dir(session) / "parts" / f"{Path(file).stem}.json"


def write_part(path: Path, part: dict[str, Any]) -> None:
    atomic_write(path, json.dumps(part, indent=1, sort_keys=True) + "\n")


def read_part(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6f}"
    return " ".join(str(value).split())


def assemble(session: Path, camera: str, files: list[str]) -> tuple[Path, Path]:
    """Write spotting/<camera>.tsv and .json from the parts of `files` (in frame order)."""
    parts = [read_part(part_path(session, f)) for f in files if part_path(session, f).is_file()]
    parts.sort(key=lambda p: (p["first_frame"], p["file"]))
    rows = [row for p in parts for row in p["candidates"]]
    lines = ["\t".join(COLUMNS)] + ["\t".join(_cell(row[c]) for c in COLUMNS) for row in rows]
    header = {
        "camera": camera,
        "software": parts[0]["software"] if parts else "",
        "parameters": parts[0]["parameters"] if parts else {},
        "columns": list(COLUMNS),
        "files": {p["file"]: {k: p[k] for k in ("episode", "frames", "detections", "face_frames")} | {
            "candidates": len(p["candidates"])} for p in parts},
        "missing": [f for f in files if not part_path(session, f).is_file()],
    }  # fmt: skip
    tsv = spotting_dir(session) / f"{camera}.tsv"
    head = spotting_dir(session) / f"{camera}.json"
    atomic_write(tsv, "\n".join(lines) + "\n")
    atomic_write(head, json.dumps(header, indent=1, sort_keys=True) + "\n")
    return tsv, head


def read_candidates(session: Path, camera: str) -> list[dict[str, str]]:
    """The rows of spotting/<camera>.tsv ([] if there is none)."""
    path = spotting_dir(session) / f"{camera}.tsv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
