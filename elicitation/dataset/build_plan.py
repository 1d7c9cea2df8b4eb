"""What ``dataset build`` will write, worked out and checked before anything is written.

From every session under DATA (coding/final.tsv) the samples are selected by the rule
(selection.py); each selected sample becomes a :class:`Job`: the pictures of its frames on its
camera, in ``<class>/sub<NN>/EP<episode>_<k>``. Subjects are numbered 01, 02 ... in the order of
their participant IDs (the pseudonym map is kept apart); k numbers a subject's movements of one
episode in the order of (session, onset), the same k on every camera, so EP01_02 in class A and in
class B are one movement. Pictures: every ``step``-th frame from the onset, plus the onset, apex(es)
and offset themselves, so every frame the sheet names is exported.

Checked for every sample (the excluded ones too), every problem reported on its own line: onset <= apex <= offset,
and every frame from onset to offset present in the camera's frames.tsv with the file and index the
final code names, and that video file present. Only participants whose consent covers release are
exported (consent.py); the others' samples are listed in excluded.csv with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.dataset.consent import release_consent
from elicitation.dataset.selection import Limits, Selected, select
from elicitation.dataset.session_samples import SessionSample, find_sessions, session_items, session_meta
from elicitation.folder import BadInput
from hardware.cameras import is_bayer
from hardware.video import FrameTable, VideoFileError, read_frames_tsv

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")  # episode labels and classes name folders


class BuildInputError(BadInput):
    """Raised when the sessions cannot be exported as they are; ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s), nothing written:\n" + "\n".join(problems))


@dataclass(frozen=True)
class Picture:
    frame: int  # the camera's frame index (frames.tsv), the number in img<frame>
    file: str
    file_frame: int


@dataclass(frozen=True)
class Job:
    """One sample's pictures: what export_job needs, and nothing of the session beyond it."""

    folder: str  # <class>/sub<NN>/EP<episode>_<k>, relative to the output
    video_dir: Path
    decode_as: str  # gray, bgr24 or a bayer pixel format (decoded gray, then debayered)
    pictures: tuple[Picture, ...]


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # the coding sheet, one per job
    excluded: list[dict[str, Any]] = field(default_factory=list)
    subjects: dict[str, str] = field(default_factory=dict)  # participant ID -> "01"
    problems: list[str] = field(default_factory=list)
    consent: dict[str, Any] = field(default_factory=dict)  # the manifest's record (consent.release_consent)
    far: list[str] = field(default_factory=list)  # samples exported though a point is far from the coded instant

    @property
    def pictures(self) -> int:
        return sum(len(job.pictures) for job in self.jobs)


def decode_mode(pixel_format: str) -> str:
    return "gray" if pixel_format == "mono8" else pixel_format if is_bayer(pixel_format) else "bgr24"


def _frames(item: SessionSample, step: int) -> list[int]:
    s = item.sample
    named = [f for f in (s.onset_frame, s.apex_frame, s.apex2_frame, s.offset_frame) if f is not None]
    return sorted(set(range(s.onset_frame, s.offset_frame + 1, step)) | set(named))


def _check(item: SessionSample, table: FrameTable | None, video: Path, where: str) -> list[str]:
    s = item.sample
    points = [("onset", s.onset_frame), ("apex", s.apex_frame), ("apex2", s.apex2_frame), ("offset", s.offset_frame)]
    given = [(n, f) for n, f in points if f is not None]
    bad = [f"{where}: {b} frame {fb} before {a} frame {fa} (onset <= apex <= offset)"
           for (a, fa), (b, fb) in zip(given, given[1:], strict=False) if fb < fa]  # fmt: skip
    for label, value in (("episode", s.episode), ("class", s.cls)):
        if not _SAFE.fullmatch(value):
            bad.append(f"{where}: {label} {value!r} cannot name a folder (letters, digits, _ and - only)")
    if bad or table is None:
        return bad or [f"{where}: no frames.tsv for camera {item.camera}"]
    last = int(table.frame[-1]) if len(table) else -1
    for name, frame in given:
        row = int(np.searchsorted(table.frame, frame))
        ref = item.refs.get(name)
        if not 0 <= frame <= last or row >= len(table) or table.frame[row] != frame:
            bad.append(f"{where}: {name} frame {frame} is outside the camera's frames 0..{last}")
        elif ref is not None and (table.file[row], int(table.file_frame[row])) != (ref.file, ref.file_frame):
            bad.append(f"{where}: {name} frame {frame} is {table.file[row]}#{table.file_frame[row]} in frames.tsv, "
                       f"the code says {ref.file}#{ref.file_frame}")  # fmt: skip
    if bad:
        return bad
    lo, hi = np.searchsorted(table.frame, [s.onset_frame, s.offset_frame])
    if hi - lo != s.offset_frame - s.onset_frame:
        bad.append(f"{where}: frames {s.onset_frame}..{s.offset_frame} are not all in frames.tsv")
    bad += [f"{where}: video file {name} is missing" for name in sorted(set(table.file[lo : hi + 1]))
            if not (video / name).is_file()]  # fmt: skip
    return bad


def _tables(session: Path, cameras: set[str]) -> dict[str, FrameTable | None]:
    out: dict[str, FrameTable | None] = {}
    for camera in cameras:
        path = session / "video" / f"{camera}_frames.tsv"
        try:
            out[camera] = read_frames_tsv(path) if path.is_file() else None
        except VideoFileError:
            out[camera] = None
    return out


def _order(meta: dict[str, Any]) -> tuple[str, int, str]:
    number = str(meta.get("session", ""))
    return str(meta.get("participant", "")), int(number) if number.isdigit() else 0, number


# Two free-running cameras' nearest frames are at most half a period apart; host timestamps jitter by
# about a millisecond on top of that, so "far" starts past half a period plus this tolerance.
FAR_TOLERANCE_S = 0.001
FAR_RULE = "a point on another camera is far when its nearest frame is more than half that camera's frame " \
    "period + 1 ms (timestamp jitter) from the coded frame's clock time"  # fmt: skip


def _far(item: SessionSample, where: str) -> str | None:
    """A sample on another camera whose nearest frames are more than half a frame period (+1 ms) from the coded ones."""
    period = item.sample.frame_period_s
    limit = period / 2 + FAR_TOLERANCE_S
    far = {p: g for p, g in item.gaps_s.items() if period and abs(g) > limit}
    if not far:
        return None
    gaps = ", ".join(f"{p} {g * 1000:+.1f} ms" for p, g in far.items())
    return f"{where}: the nearest frames are more than half a frame period + 1 ms ({limit * 1000:.1f} ms) from " \
        f"the coded ones: {gaps}"  # fmt: skip


def make_plan(data: Path, limits: Limits | None = None, step: int = 1, allow_far: bool = False) -> Plan:
    """The export plan of every session under data; BuildInputError listing every problem."""
    if step < 1:
        raise BadInput(f"--step must be 1 or more, got {step}")
    sessions = find_sessions(Path(data))
    if not sessions:
        raise BadInput(f"{data}: no session folder with coding/final.tsv under it")
    plan, found = Plan(), []
    for session in sessions:
        meta = session_meta(session)
        if not meta.get("rig", {}).get("cameras"):
            plan.problems.append(f"{session}: no session.json with the rig's cameras")
            continue
        try:
            items = session_items(session)
        except (BadInput, ValueError, KeyError) as exc:
            plan.problems.append(f"{session}: coding/final.tsv cannot be read ({exc})")
            continue
        found.append((session, meta, items, select([i.sample for i in items], limits)))
    allowed, refused, plan.consent = release_consent(data, {i.sample.subject for *_, items, _ in found for i in items})
    plan.subjects = {p: f"{n:02d}" for n, p in enumerate(sorted(allowed), start=1)}
    numbers: dict[tuple[str, str, str, str], int] = {}  # (subject, episode, session, key) -> k
    for session, meta, items, selection in sorted(found, key=lambda f: _order(f[1])):
        if items and items[0].sample.subject in refused:
            plan.excluded += [{"Subject": None, "Session": i.sample.session, "Episode": i.sample.episode,
                               "Camera": i.camera, "Class": i.sample.cls, "OnsetFrame": i.sample.onset_frame,
                               "ApexFrame": i.sample.apex_frame, "OffsetFrame": i.sample.offset_frame,
                               "Reason": refused[i.sample.subject]} for i in items]  # fmt: skip
            continue
        by_id = {i.sample.sample_id: i for i in items}
        tables = _tables(session, {i.camera for i in items})
        cameras = meta["rig"]["cameras"]
        for x in selection.excluded:
            s = x.sample
            plan.excluded.append({"Subject": int(plan.subjects[s.subject]), "Session": s.session,
                                  "Episode": s.episode, "Camera": by_id[s.sample_id].camera, "Class": s.cls,
                                  "OnsetFrame": s.onset_frame, "ApexFrame": s.apex_frame,
                                  "OffsetFrame": s.offset_frame, "Reason": x.reason})  # fmt: skip
        bad = set()
        for item in items:  # every sample is checked, the excluded ones too
            where = f"{session}: event {item.key} on {item.camera}"
            problems = _check(item, tables.get(item.camera), session / "video", where)
            if item.camera not in cameras:
                problems.append(f"{where}: camera {item.camera} is not in the session's rig")
            far = _far(item, where)
            if far and allow_far:
                plan.far.append(far)
            elif far:
                problems.append(f"{far} (--allow-far-frames exports it, listed in manifest.json)")
            plan.problems += problems
            bad |= {item.sample.sample_id} if problems else set()
        for verdict in sorted(selection.selected, key=lambda c: (c.sample.episode, c.sample.onset_s)):
            item = by_id[verdict.sample.sample_id]
            s = item.sample
            if s.sample_id in bad:
                continue
            k = numbers.setdefault((s.subject, s.episode, s.session, item.key),
                                   1 + sum(1 for n in numbers if n[:2] == (s.subject, s.episode)))  # fmt: skip
            table = tables[item.camera]
            assert table is not None  # _check reported a missing one
            _add(plan, item, verdict, k, table, session, meta, cameras[item.camera], step)
    return plan


def _add(plan: Plan, item: SessionSample, verdict: Selected, k: int, table: FrameTable, session: Path,
         meta: dict[str, Any], camera: dict[str, Any], step: int) -> None:  # fmt: skip
    s = item.sample
    subject, name = plan.subjects[s.subject], f"EP{s.episode}_{k:02d}"
    pictures = []
    for frame in _frames(item, step):
        row = int(np.searchsorted(table.frame, frame))
        pictures.append(Picture(frame, table.file[row], int(table.file_frame[row])))
    plan.jobs.append(Job(f"{s.cls}/sub{subject}/{name}", session / "video",
                         decode_mode(str(camera.get("pixel_format", "bgr24"))), tuple(pictures)))  # fmt: skip
    plan.rows.append({
        "Subject": int(subject), "Filename": name, "OnsetFrame": s.onset_frame, "ApexFrame": s.apex_frame,
        "OffsetFrame": s.offset_frame, "Action Units": s.action_units, "Estimated Emotion": s.emotion,
        "Fps": float(camera.get("fps") or 0) or None, "Total duration ms": round(verdict.total_ms, 3),
        "Onset duration ms": None if verdict.onset_ms is None else round(verdict.onset_ms, 3),
        "Camera": item.camera, "Class": s.cls, "Selection arm": verdict.arm, "Session": s.session,
        "Clip": str(meta.get("episodes", {}).get(s.episode, {}).get("clip", "")), "Pictures": len(pictures),
        "Movement": f"sub{subject}/{name}", "Counted": int(s.counted),
    })  # fmt: skip
