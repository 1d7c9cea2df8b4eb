"""ELAN: a session's codes to .eaf files (pympi-ling) and an .eaf back as a coder's codes.

One .eaf per episode and camera (``<camera>_<episode>.eaf`` beside ``<camera>_<episode>.mp4``, the
ELAN-playable proxy of that camera's file, linked with TIME_ORIGIN 0: the proxy starts at the file's
frame 0). One tier per coder and kind (``C1 micro``, ``C2 irrelevant``, ``final macro`` for final.tsv).
An annotation covers exactly the frames onset..offset of the file: frame ``k`` shows from
``k * 1000 / fps`` ms, so the annotation starts at ceil(onset * T) and ends at ceil((offset + 1) * T) - 1
(T = 1000 / fps ms, both inside the right frames; reading back, frame = floor(ms / T)). The value holds
the rest: ``au=4+L10; emotion=disgust; apex=12; apex2=; category=; note=...`` (apex frames are file
frames, as ELAN counts them). Header properties name the session's episode, camera, file, fps and the
clock time of the file's frame 0, so an import finds its frames.tsv rows again.
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pympi

from elicitation.coding import KINDS, CodingError, CodingLog, Event, on_camera, replay, replay_final, validate
from elicitation.workbench.proxy import make_proxy, nominal_fps
from elicitation.workbench.sessions import Segment, Session
from elicitation.workbench.state import coders_of

VALUE_KEYS = ("au", "emotion", "apex", "apex2", "category", "note")


def _ms_start(frame: int, fps: Fraction) -> int:
    return math.ceil(frame * 1000 / fps)


def _ms_end(frame: int, fps: Fraction) -> int:
    return math.ceil((frame + 1) * 1000 / fps) - 1


def _frame_at(ms: int, fps: Fraction) -> int:
    return math.floor(ms * fps / 1000)


def _file_frame(session: Session, camera: str, frame: int) -> int:
    table = session.tables[camera]
    return int(table.file_frame[int(np.searchsorted(table.frame, frame))])


def _value(event: Event, session: Session, camera: str) -> str:
    points = on_camera(event, camera)
    apex2 = "" if "apex2" not in points else str(_file_frame(session, camera, points["apex2"]))
    parts = {"au": event.action_units, "emotion": event.emotion,
             "apex": str(_file_frame(session, camera, points["apex"])), "apex2": apex2,
             "category": event.category, "note": " ".join(event.note.replace(";", ",").split())}  # fmt: skip
    return "; ".join(f"{k}={v}" for k, v in parts.items())


def _codes(session: Session) -> dict[str, list[Event]]:
    codes = {c: list(replay(session.path / "coding" / f"{c}.tsv").events.values()) for c in coders_of(session)}
    final, _torn = replay_final(session.path / "coding" / "final.tsv")
    if final:
        codes["final"] = [event for _decided, event in final.values()]
    return codes


def export_segment(session: Session, segment: Segment, camera: str, out: Path) -> Path:
    source = session.video(segment.files[camera])
    fps = nominal_fps(source)
    proxy = make_proxy(source, out / f"{Path(segment.files[camera]).stem}.mp4", fps)
    eaf = pympi.Elan.Eaf(author="elicit code elan-export")
    eaf.remove_tier("default")
    eaf.add_linked_file(proxy.resolve().as_uri(), relpath=f"./{proxy.name}", mimetype="video/mp4", time_origin=0)
    rows = segment.rows[camera]
    zero = float(session.tables[camera].host_time[rows[0]]) if len(rows) else float("nan")
    for key, value in (("elicit.session", session.name), ("elicit.episode", segment.key), ("elicit.camera", camera),
                       ("elicit.file", segment.files[camera]), ("elicit.fps", str(fps)),
                       ("elicit.clock_of_file_frame_0", f"{zero:.6f}")):  # fmt: skip
        eaf.add_property(key, value)
    for coder, events in _codes(session).items():
        for kind in KINDS:
            eaf.add_tier(f"{coder} {kind}")
        for event in events:
            if event.episode != segment.key or (camera != event.camera and camera not in event.frames):
                continue
            points = on_camera(event, camera)
            start = _ms_start(_file_frame(session, camera, points["onset"]), fps)
            end = _ms_end(_file_frame(session, camera, points["offset"]), fps)
            eaf.add_annotation(f"{coder} {event.kind}", start, end, _value(event, session, camera))
    path = out / f"{Path(segment.files[camera]).stem}.eaf"
    eaf.to_file(str(path))
    return path


def export_session(session: Session, out: Path | None = None, cameras: list[str] | None = None) -> list[Path]:
    out = Path(out) if out is not None else session.path / "coding" / "elan"
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for segment in session.segments:
        for camera in cameras or list(segment.files):
            if camera in segment.files:
                paths.append(export_segment(session, segment, camera, out))
    return paths


def _parse_value(text: str, where: str) -> dict[str, str]:
    out = dict.fromkeys(VALUE_KEYS, "")
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in VALUE_KEYS:
            raise CodingError(f"{where}: {part!r} is not one of {', '.join(k + '=' for k in VALUE_KEYS)}")
        out[key.strip()] = value.strip()
    return out


def import_eaf(session: Session, eaf_path: Path, coder: str, from_tiers: str | None = None) -> list[Event]:
    """Add the annotations of tiers ``<from_tiers> <kind>`` (default: the coder's own) to the coder's log."""
    eaf = pympi.Elan.Eaf(str(eaf_path))
    props = dict(eaf.get_properties())
    camera, file, fps_text, key = (props.get(f"elicit.{k}") for k in ("camera", "file", "fps", "episode"))
    if not (camera and file and fps_text and key):
        raise CodingError(f"{eaf_path}: not written by elicit code elan-export (no elicit.* properties)")
    fps, segment = Fraction(fps_text), session.segment(key)
    if segment.files.get(camera) != file:
        raise CodingError(f"{eaf_path}: names {camera} file {file}, but episode {key} has {segment.files.get(camera)}")
    table, rows = session.tables[camera], segment.rows[camera]
    by_file_frame = {int(table.file_frame[r]): int(table.frame[r]) for r in rows}
    source = from_tiers or coder
    log = CodingLog(session.path, coder, session.tables, session.categories)
    pending: list[Event] = []
    try:
        for kind in KINDS:
            tier = f"{source} {kind}"
            if tier not in eaf.get_tier_names():
                continue
            for start, end, text in eaf.get_annotation_data_for_tier(tier):
                where = f"{eaf_path.name}: tier {tier!r} at {start} ms"
                v = _parse_value(text, where)
                wanted = {"onset": _frame_at(start, fps), "offset": _frame_at(end, fps),
                          "apex": int(v["apex"]) if v["apex"] else _frame_at(start, fps),
                          "apex2": int(v["apex2"]) if v["apex2"] else None}  # fmt: skip
                frames = {}
                for point, ff in wanted.items():
                    if ff is not None and ff not in by_file_frame:
                        raise CodingError(f"{where}: {point} file frame {ff} is not in {file}")
                    frames[point] = None if ff is None else by_file_frame[ff]
                event = Event("", key, kind, camera, frames["onset"], frames["apex"], frames["offset"],  # type: ignore[arg-type]
                              frames["apex2"], v["au"], v["emotion"], v["category"], v["note"])  # fmt: skip
                validate(replace(event, event_id="checked"), session.categories)  # raises with the reason
                pending.append(event)
        return [log.add(event) for event in pending]  # all checked first: a bad annotation adds nothing
    finally:
        log.close()
