"""Everything the session report shows, read from a session folder (nothing is written here).

Sources: session.json (the record), events.tsv, ratings.tsv, review.tsv (if the self-review ran),
video/<camera>_frames.tsv. A session that stopped early is reported as far as it got; a missing or
damaged file is named in ``problems`` (and the rest reported), as is any video whose decodable frames
differ from its frames.tsv rows (checked, never repaired, here). Frame rates are measured per run: the
gap between a run and its resume is not a camera's interval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.folder import BadInput, SessionState, clean_video_files, read_tsv
from hardware.analysis import count_dropped
from hardware.thresholds import THRESHOLD_FIELDS, Thresholds
from hardware.video import FrameTable, VideoFileError, check_table, read_frames_tsv


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
    runs: int = 1
    failed: str = ""  # "failed at 20.3 s: <error>" for a camera that failed during the session
    shortfalls: list[str] = field(default_factory=list)  # thresholds it missed (see shortfalls())


@dataclass
class SessionReport:
    folder: Path
    data: dict[str, Any]
    events: list[dict[str, str]]
    ratings: list[dict[str, str]]
    review: list[dict[str, str]]
    cameras: list[CameraStats]
    t0: float  # clock time of the recording start (events' onset 0)
    problems: list[str] = field(default_factory=list)  # missing or damaged files, videos vs rows

    @property
    def complete(self) -> bool:
        return self.data.get("status") == "completed"


def run_starts(table: FrameTable, camera: str, first_suffixes: list[str]) -> list[int]:
    """Row index where each run begins: the first row of the run's first file (<camera>_<suffix>.mkv)."""
    starts = {0}
    firsts = {f"{camera}_{s}.mkv" if s else f"{camera}.mkv" for s in first_suffixes}
    for i, (name, index) in enumerate(zip(table.file, table.file_frame, strict=True)):
        if index == 0 and name in firsts:
            starts.add(i)
    return sorted(starts)


def camera_stats(name: str, fps: float, path: Path, first_suffixes: list[str] | None = None) -> CameraStats:
    table = read_frames_tsv(path)
    stats = CameraStats(name, fps, table, frames=len(table), files=len(set(table.file)))
    if len(table) > 1:
        stats.dropped = count_dropped(table, fps)
        bounds = [*run_starts(table, name, first_suffixes or []), len(table)]
        stats.runs = len(bounds) - 1
        spans = [(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b - a > 1]
        stats.intervals_ms = np.concatenate([np.diff(table.host_time[a:b]) * 1000 for a, b in spans])
        seconds = sum(table.host_time[b - 1] - table.host_time[a] for a, b in spans)
        if seconds > 0:  # intervals within runs only: not the time between a run and its resume
            stats.measured_fps = float(sum(b - a - 1 for a, b in spans) / seconds)
    return stats


def shortfalls(stats: CameraStats, limits: Thresholds) -> list[str]:
    """The rig's thresholds (hardware/thresholds.py) a camera's recording missed: more dropped frames than
    max_dropped, or a measured rate below nominal x (1 - max_rate_error_pct / 100)."""
    out = []
    if stats.dropped > limits.max_dropped:
        out.append(f"{stats.dropped} frames dropped (at most {limits.max_dropped})")
    if stats.measured_fps is not None and stats.nominal_fps > 0:
        floor = stats.nominal_fps * (1 - limits.max_rate_error_pct / 100)
        if stats.measured_fps < floor:
            out.append(f"{stats.measured_fps:.2f} fps, below {floor:.2f} "
                       f"({stats.nominal_fps:g} fps - {limits.max_rate_error_pct:g} %)")  # fmt: skip
    return out


def _limits(data: dict[str, Any], camera: str) -> Thresholds:
    """The thresholds session.json recorded for the camera (rig `validation:`), else the defaults."""
    given = (data.get("rig", {}).get("thresholds") or {}).get(camera)
    if not isinstance(given, dict):
        return Thresholds()
    return Thresholds().updated({k: v for k, v in given.items() if k in THRESHOLD_FIELDS})


def _failures(data: dict[str, Any], t0: float) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in data.get("camera_failures", []):
        when = f.get("last_frame_clock") or f.get("noticed_clock")
        at = f"at {float(when) - t0:.1f} s" if when else "during the session"
        out.setdefault(f["camera"], f"failed {at} (run {f.get('run')}): {f.get('error', '')}")
    for run in data.get("runs", []):
        for name, summary in (run.get("cameras") or {}).items():
            if (summary or {}).get("error") and name not in out:
                out[name] = f"failed in run {run.get('run')}: {summary['error']}"
    return out


def load_session(folder: Path) -> SessionReport:
    folder = Path(folder)
    if not (folder / "session.json").is_file():
        raise BadInput(f"{folder} is not a session folder (no session.json); give DATA/sub-<ID>/ses-<N>")
    state = SessionState.load(folder)  # refuses anything that is not a session of this program
    data = state.data
    video = folder / "video"
    rig = data.get("rig", {}).get("cameras", {})
    t0 = float(data.get("t0_clock") or (data["runs"][0]["t0_clock"] if data.get("runs") else 0.0))
    suffixes = [r.get("first_suffix", "") for r in data.get("runs", [])]
    problems = []
    if not (folder / "events.tsv").is_file():
        problems.append("events.tsv is missing: no events or onsets to show, the timeline is empty")
    failures = _failures(data, t0)
    sources = [(name, float(s.get("fps", 0) or 0), video / f"{name}_frames.tsv") for name, s in rig.items()]
    for entry in data.get("imports", []):
        sources.append((entry["camera"], float(entry["alignment"].get("fps", 0)), video / entry["frames_tsv"]))
    cameras = []
    for name, fps, path in sources:
        if not path.is_file():
            continue
        try:
            stats = camera_stats(name, fps, path, suffixes)
        except (ValueError, OSError, VideoFileError) as exc:
            problems.append(f"video/{path.name} is damaged ({exc}); camera {name} is left out of the tables")
            continue
        stats.failed = failures.get(name, "")
        stats.shortfalls = shortfalls(stats, _limits(data, name))
        cameras.append(stats)
        if name in rig:
            check = check_table(path, clean_video_files(data, name), repair=False)
            problems += [f"video/{p}" for p in check.problems()]  # a row that breaks a rule makes it damaged
    return SessionReport(
        folder, data, read_tsv(folder / "events.tsv"), read_tsv(folder / "ratings.tsv"),
        read_tsv(folder / "review.tsv"), cameras, t0, problems,
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
