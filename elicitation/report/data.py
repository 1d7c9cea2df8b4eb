"""Everything the session report shows, read from a session folder (nothing is written here).

Sources: session.json (the record), events.tsv, ratings.tsv, review.tsv (if the self-review ran),
video/<camera>_frames.tsv. A session that stopped early is reported as far as it got.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.folder import BadInput, SessionState, read_tsv
from hardware.analysis import count_dropped
from hardware.video import FrameTable, read_frames_tsv


@dataclass
class CameraStats:
    name: str
    nominal_fps: float
    table: FrameTable
    frames: int = 0
    dropped: int = 0
    measured_fps: float | None = None
    intervals_ms: np.ndarray = field(default_factory=lambda: np.empty(0))
    files: int = 0


@dataclass
class SessionReport:
    folder: Path
    data: dict[str, Any]
    events: list[dict[str, str]]
    ratings: list[dict[str, str]]
    review: list[dict[str, str]]
    cameras: list[CameraStats]
    t0: float  # clock time of the recording start (events' onset 0)

    @property
    def complete(self) -> bool:
        return self.data.get("status") == "completed"


def camera_stats(name: str, fps: float, path: Path) -> CameraStats:
    table = read_frames_tsv(path)
    stats = CameraStats(name, fps, table, frames=len(table), files=len(set(table.file)))
    if len(table) > 1:
        stats.dropped = count_dropped(table, fps)
        intervals = np.diff(table.host_time)
        stats.intervals_ms = intervals * 1000
        stats.measured_fps = float((len(table) - 1) / (table.host_time[-1] - table.host_time[0]))
    return stats


def load_session(folder: Path) -> SessionReport:
    folder = Path(folder)
    if not (folder / "session.json").is_file():
        raise BadInput(f"{folder} is not a session folder (no session.json); give DATA/sub-<ID>/ses-<N>")
    state = SessionState.load(folder)  # refuses anything that is not a session of this program
    data = state.data
    video = folder / "video"
    rig = data.get("rig", {}).get("cameras", {})
    cameras = [
        camera_stats(name, float(s.get("fps", 0) or 0), video / f"{name}_frames.tsv")
        for name, s in rig.items()
        if (video / f"{name}_frames.tsv").is_file()
    ]
    for entry in data.get("imports", []):
        path = video / entry["frames_tsv"]
        if path.is_file():
            cameras.append(camera_stats(entry["camera"], float(entry["alignment"].get("fps", 0)), path))
    t0 = float(data.get("t0_clock") or (data["runs"][0]["t0_clock"] if data.get("runs") else 0.0))
    return SessionReport(
        folder, data, read_tsv(folder / "events.tsv"), read_tsv(folder / "ratings.tsv"),
        read_tsv(folder / "review.tsv"), cameras, t0,
    )  # fmt: skip


def rating_rows(report: SessionReport) -> list[dict[str, Any]]:
    """Per episode: the expected main emotion(s) (Table VI) and what the participant rated."""
    rated: dict[str, list[str]] = {}
    for row in report.ratings:
        if row.get("emotion") and row["emotion"] != "none":
            rated.setdefault(row["episode"], []).append(f"{row['emotion']} {row.get('intensity', '')}".strip())
        else:
            rated.setdefault(row["episode"], []).append("none")
    rows = []
    for label, ep in report.data.get("episodes", {}).items():
        expected = [m["emotion"] for m in ep.get("main_emotions", [])]
        answers = rated.get(label, [])
        chosen = {a.split()[0] for a in answers}
        rows.append({
            "episode": label, "clip": ep.get("clip", ""), "status": ep.get("status", ""),
            "expected": expected, "rated": answers, "agrees": bool(set(expected) & chosen),
        })  # fmt: skip
    return rows
