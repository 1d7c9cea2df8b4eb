"""Samples from our own sessions: every final event (coding/final.tsv) on every camera it was resolved on.

The cameras film one movement at once, so the samples of one final event share its ``movement``
(``subject/session/event id``) and exactly one is ``counted``: the one on the session's counted camera
(elicitation.coding.counting: the rig's ``reference: true`` camera, else the camera most final events
were coded on), or, for an event not resolved there, the one on the camera it was coded on.

A sample's class is its camera's dataset class in the session's rig snapshot (session.json
``rig.cameras.<camera>.dataset_class``, the rig's ``class:``), else the camera name.

The participant's confirmed flags (review.tsv: a flag that stands, see folder.current_flags, and a
``confirm`` row for the same frame) mark the movements whose interval [onset, offset] contains the
flagged frame's clock time: selection excludes them with that reason. Unconfirmed flags mark nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elicitation.coding import Event, FrameRef, counted_camera, final_path, replay_final
from elicitation.dataset.samples import Sample
from elicitation.folder import current_flags, read_review


def _confirmed_flags(session: Path, episode: str) -> list[dict[str, str]]:
    rows = read_review(Path(session) / "review.tsv")
    confirmed = {(r.get("file", ""), r.get("file_frame", "")) for r in rows
                 if r.get("episode") == episode and r.get("action") == "confirm"}  # fmt: skip
    return [f for f in current_flags(rows, episode) if (f.get("file", ""), f.get("file_frame", "")) in confirmed]


def _flag(flags: list[dict[str, str]], start: float, end: float) -> str:
    for flag in flags:
        try:
            t = float(flag.get("clock_time", ""))
        except ValueError:
            continue
        if start <= t <= end:
            return f"participant flagged {flag.get('category', '?')} at clock {t:.3f} and confirmed it"
    return ""


def _period(event: Event, camera: str) -> float | None:
    """The mean frame period over the movement (None for a one-frame movement)."""
    refs = event.frames[camera]
    span = refs["offset"].frame - refs["onset"].frame
    return (refs["offset"].host_time - refs["onset"].host_time) / span if span > 0 else None


@dataclass(frozen=True)
class SessionSample:
    """A sample with what an export needs besides it: its camera, final event id and frame refs."""

    sample: Sample
    camera: str
    key: str
    refs: dict[str, FrameRef]
    gaps_s: dict[str, float] = field(default_factory=dict)  # point -> this camera's time minus the coded camera's


def session_meta(session: Path) -> dict[str, Any]:
    path = Path(session) / "session.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def camera_class(meta: dict[str, Any], camera: str) -> str:
    settings = meta.get("rig", {}).get("cameras", {}).get(camera, {})
    return str(settings.get("dataset_class") or camera) if isinstance(settings, dict) else camera


def session_samples(session: Path) -> list[Sample]:
    return [item.sample for item in session_items(session)]


def session_items(session: Path) -> list[SessionSample]:
    session = Path(session)
    meta = session_meta(session)
    subject, number = str(meta.get("participant", session.parent.name)), str(meta.get("session", session.name))
    events, _torn = replay_final(final_path(session))
    counted, _why = counted_camera([e for _d, e in events.values()], meta.get("rig", {}).get("cameras"))
    samples = []
    for key, (decided, event) in sorted(events.items(), key=lambda kv: (kv[1][1].episode, kv[1][1].onset)):
        flags = _confirmed_flags(session, event.episode)
        usable = {c: r for c, r in event.frames.items() if "onset" in r and "offset" in r}
        counted_here = counted if counted in usable else event.camera
        for camera, refs in sorted(usable.items()):
            apex, apex2 = refs.get("apex"), refs.get("apex2")
            samples.append(SessionSample(Sample(
                sample_id=f"{subject}/{number}/{key}/{camera}", subject=subject, session=number,
                episode=event.episode, cls=camera_class(meta, camera), kind=event.kind, onset_frame=refs["onset"].frame,
                apex_frame=apex.frame if apex else None, apex2_frame=apex2.frame if apex2 else None,
                offset_frame=refs["offset"].frame, onset_s=refs["onset"].host_time,
                apex_s=apex.host_time if apex else None, apex2_s=apex2.host_time if apex2 else None,
                offset_s=refs["offset"].host_time, frame_period_s=_period(event, camera),
                action_units=event.action_units, emotion=event.emotion, category=event.category,
                flag=_flag(flags, refs["onset"].host_time, refs["offset"].host_time),
                source=f"{final_path(session)} ({decided})", movement=f"{subject}/{number}/{key}",
                counted=camera == counted_here,
            ), camera, key, refs, _gaps(event, refs)))  # fmt: skip
    return samples


def _gaps(event: Event, refs: dict[str, FrameRef]) -> dict[str, float]:
    """How far each point's frame on this camera is from the coded camera's (0 on the coded camera)."""
    coded = event.frames.get(event.camera, {})
    return {p: r.host_time - coded[p].host_time for p, r in refs.items() if p in coded}


def find_sessions(root: Path) -> list[Path]:
    """Session folders under root (root itself included) that have a coding/final.tsv."""
    root = Path(root)
    found = [root] if final_path(root).is_file() else []
    return found + sorted(p.parent.parent for p in root.rglob("coding/final.tsv") if p.parent.parent != root)
