"""`elicit spot`: one task per (session, episode file, camera) over a folder of sessions, then each camera's
spotting/<camera>.tsv and .json assembled from the tasks' parts.

A session is a folder with ``video/<camera>_frames.tsv``. Its episode files come from session.json
(``episodes.<label>.video``: camera -> file); a folder without one (a synthetic set) lists its
``video/<camera>_ep<label>.mkv`` files. The camera's fps is the video file's (as the recorder wrote it),
so the parameters in frames follow the camera.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.batch import BatchReport, Task, run_tasks
from elicitation.folder import BadInput
from elicitation.spotting.flow import Detect, FaceFlow
from elicitation.spotting.marks import face_lost_spans, mark, review_flags
from elicitation.spotting.output import assemble, part_path, write_part
from elicitation.spotting.params import Parameters
from elicitation.spotting.signals import candidates
from hardware.video import iter_frames, probe_media, read_frames_tsv

_EPISODE_FILE = re.compile(r"(?P<camera>[a-z][a-z0-9_]*)_ep(?P<label>\d+)\.mkv")


def software_version() -> str:
    try:
        return f"casme-elicitation {metadata.version('casme-elicitation')}"
    except metadata.PackageNotFoundError:
        return "casme-elicitation (not installed)"


def find_sessions(root: Path) -> list[Path]:
    """Session folders at or under root: those with video/<camera>_frames.tsv."""
    root = Path(root)
    if not root.is_dir():
        raise BadInput(f"{root}: not a folder")
    found = {p.parent.parent for p in root.rglob("video/*_frames.tsv")}
    return sorted(found)


def episode_files(session: Path) -> list[tuple[str, str, str]]:
    """(episode, camera, file) of every episode video of a session, in episode order."""
    session = Path(session)
    state = session / "session.json"
    out: list[tuple[str, str, str]] = []
    if state.is_file():
        data = json.loads(state.read_text(encoding="utf-8"))
        for label, entry in sorted((data.get("episodes") or {}).items()):
            for camera, file in sorted((entry.get("video") or {}).items()):
                if (session / "video" / file).is_file():
                    out.append((label, camera, file))
    else:
        for path in sorted((session / "video").glob("*_ep*.mkv")):
            m = _EPISODE_FILE.fullmatch(path.name)
            if m:
                out.append((m["label"], m["camera"], path.name))
    return out


def session_tasks(root: Path, cameras: list[str] | None = None) -> list[Task]:
    tasks = []
    root = Path(root)
    for session in find_sessions(root):
        for episode, camera, file in episode_files(session):
            if cameras and camera not in cameras:
                continue
            name = session.relative_to(root).as_posix() if session != root else "."
            tasks.append(Task(f"{name}/{file}", {"session": str(session), "episode": episode, "camera": camera,
                                                  "file": file}, str(part_path(session, file))))  # fmt: skip
    return tasks


def spot_file(session: Path, episode: str, camera: str, file: str, detect: Detect | None = None,
              **overrides: Any) -> dict[str, Any]:  # fmt: skip
    """The part (candidates and facts) of one episode file of one camera."""
    session = Path(session)
    video = session / "video" / file
    table = read_frames_tsv(session / "video" / f"{camera}_frames.tsv")
    rows = table.rows_in_file(file)
    if not len(rows):
        raise BadInput(f"{video}: no rows in {camera}_frames.tsv")
    fps = probe_media(video).fps or 1 / float(np.median(np.diff(table.host_time[rows])))
    params = Parameters.from_fps(fps, **overrides)
    engine = FaceFlow(params, detect)
    for n, gray in enumerate(iter_frames(video, "gray")):
        if n >= len(rows):
            break
        engine.push(gray)
    series = engine.result()
    count = len(series.v)
    flags, lost = review_flags(session, episode), face_lost_spans(session)
    found = series.face_found
    out = []
    for n, c in enumerate(candidates(series.v, params)):
        idx = {p: int(rows[min(getattr(c, p), count - 1)]) for p in ("onset", "apex", "offset")}
        times = {p: float(table.host_time[i]) for p, i in idx.items()}
        near = found[max(0, c.onset - params.k) : c.offset + params.k + 1]
        out.append({
            "candidate": f"{camera}-{Path(file).stem}-{n + 1}", "episode": episode, "file": file, "kind": c.kind,
            **{f"{p}_frame": int(table.frame[i]) for p, i in idx.items()},
            **{f"{p}_file_frame": int(table.file_frame[i]) for p, i in idx.items()},
            **{f"{p}_time": t for p, t in times.items()}, "score": c.score,
            "flag": mark(times["onset"], times["offset"], flags, lost, not bool(near.all())),
        })  # fmt: skip
    return {"file": file, "episode": episode, "camera": camera, "software": software_version(),
            "parameters": params.as_dict(), "frames": count, "first_frame": int(table.frame[rows[0]]),
            "detections": series.detections, "face_frames": int(found.sum()), "candidates": out}  # fmt: skip


def spot_task(task: Task) -> None:
    """The batch task: spot one file and write its part atomically (module level: Dask pickles it).
    OpenCV is held to one thread in the process that runs it."""
    import cv2

    cv2.setNumThreads(1)  # one task, one core: the workers are the parallelism
    i = task.inputs
    write_part(Path(task.output), spot_file(Path(i["session"]), i["episode"], i["camera"], i["file"]))


def spot_archive(root: Path, *, workers: int = 2, scheduler: str | None = None, force: bool = False,
                 cameras: list[str] | None = None, on_done: Callable[[Task, str], None] | None = None,
                 on_start: Callable[[int], None] | None = None) -> tuple[BatchReport, list[Path]]:  # fmt: skip
    """Run every task (see elicitation.batch.run_tasks), then assemble each session's camera files."""
    tasks = session_tasks(root, cameras)
    if not tasks:
        raise BadInput(f"{root}: no session with episode videos (video/<camera>_frames.tsv) found")
    if on_start:
        on_start(len(tasks))
    report = run_tasks(tasks, spot_task, workers=workers, scheduler=scheduler, force=force, on_done=on_done)
    written = []
    groups: dict[tuple[str, str], list[str]] = {}
    for t in tasks:
        groups.setdefault((t.inputs["session"], t.inputs["camera"]), []).append(t.inputs["file"])
    for (session, camera), files in sorted(groups.items()):
        written += list(assemble(Path(session), camera, files))
    return report, written
