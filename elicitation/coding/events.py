"""A coded facial movement: its kind, frames, action units and emotion, and where it lies on every camera.

The coder codes on one camera's frames (``frame``, the index in that camera's frames.tsv). Each of
onset, apex, apex2 and offset is resolved to a :class:`FrameRef` per camera: the coded camera's row of
that index, and on the other cameras the row nearest in host_time (the one clock), so a movement coded
on one camera is found on all of them. Durations come from host_time, never from frame counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from elicitation.coding.action_units import ActionUnitError, canonical_string
from elicitation.coding.emotions import EmotionError, check_emotion
from elicitation.folder import BadInput
from hardware.video import FrameTable

KINDS = ("micro", "macro", "irrelevant")
POINTS = ("onset", "apex", "apex2", "offset")
_CODER = re.compile(r"[A-Za-z0-9]{1,16}")
# the longest text each field may hold (characters, after clean_text); README "Coding" states them
LIMITS = {"event_id": 40, "episode": 64, "kind": 16, "camera": 64, "action_units": 200, "emotion": 32,
          "category": 64, "note": 2000}  # fmt: skip
_NOT_TEXT = re.compile(r"[\ud800-\udfff]")  # lone surrogates (JSON "\ud800"): not encodable as UTF-8
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """`value` as one line of valid UTF-8: lone surrogates become U+FFFD, control characters a space,
    runs of whitespace one space."""
    return " ".join(_CONTROL.sub(" ", _NOT_TEXT.sub("\ufffd", value)).split())


class CodingError(BadInput):
    """Raised when a code is invalid (bad coder ID, frame order, kind, label) or a log breaks its rules."""


def check_coder(coder: str) -> str:
    """Coder IDs follow the participant-ID rule: letters and digits, at most 16 (they name a file)."""
    if not isinstance(coder, str) or _CODER.fullmatch(coder) is None:
        raise CodingError(f"coder ID {coder!r} refused: letters and digits only, at most 16 (for example C1)")
    return coder


@dataclass(frozen=True)
class FrameRef:
    frame: int  # row index in the camera's frames.tsv
    file: str
    file_frame: int
    host_time: float

    def as_dict(self) -> dict[str, object]:
        return {"frame": self.frame, "file": self.file, "file_frame": self.file_frame, "host_time": self.host_time}


@dataclass(frozen=True)
class Event:
    event_id: str
    episode: str
    kind: str
    camera: str  # the camera the frames below are on
    onset: int
    apex: int
    offset: int
    apex2: int | None = None
    action_units: str = ""  # canonical, "" for none (irrelevant movements)
    emotion: str = ""
    category: str = ""  # review category, for kind irrelevant
    note: str = ""
    frames: dict[str, dict[str, FrameRef]] = field(default_factory=dict)  # camera -> point -> ref

    def points(self) -> dict[str, int]:
        values = {"onset": self.onset, "apex": self.apex, "apex2": self.apex2, "offset": self.offset}
        return {k: v for k, v in values.items() if v is not None}

    def time(self, point: str, camera: str | None = None) -> float:
        return self.frames[camera or self.camera][point].host_time


def validate(event: Event, categories: dict[str, str] | None = None) -> Event:
    """The event with every text field clean (clean_text) and within LIMITS, its AU string canonical;
    CodingError naming the field otherwise."""
    texts = {name: clean_text(str(getattr(event, name))) for name in LIMITS}
    for name, text in texts.items():
        if len(text) > LIMITS[name]:
            raise CodingError(f"{name}: {len(text)} characters, at most {LIMITS[name]} are kept")
    event = replace(event, **texts)
    if not event.event_id or any(c in event.event_id for c in "\t\n\r"):
        raise CodingError(f"event id {event.event_id!r}: empty or with a tab/newline")
    if event.kind not in KINDS:
        raise CodingError(f"event {event.event_id}: kind {event.kind!r} is not one of {', '.join(KINDS)}")
    order = [event.onset, event.apex] + ([event.apex2] if event.apex2 is not None else []) + [event.offset]
    if any(b < a for a, b in zip(order, order[1:], strict=False)) or event.onset < 0:
        raise CodingError(
            f"event {event.event_id}: frames must satisfy 0 <= onset <= apex <= apex2 <= offset, got "
            + ", ".join(f"{k} {v}" for k, v in event.points().items())
        )
    try:
        units = canonical_string(event.action_units) if event.action_units else ""
        emotion = check_emotion(event.emotion) if event.emotion else ""
    except (ActionUnitError, EmotionError) as exc:
        raise CodingError(f"event {event.event_id}: {exc}") from None
    if event.kind == "irrelevant":
        if categories is not None and event.category not in categories:
            raise CodingError(
                f"event {event.event_id}: an irrelevant movement needs a review category "
                f"({', '.join(categories)}), got {event.category!r}"
            )
    elif event.category:
        raise CodingError(f"event {event.event_id}: category {event.category!r} is only for kind irrelevant")
    return replace(event, action_units=units, emotion=emotion)


def _ref(table: FrameTable, row: int) -> FrameRef:
    return FrameRef(int(table.frame[row]), table.file[row], int(table.file_frame[row]), float(table.host_time[row]))


def resolve(event: Event, tables: dict[str, FrameTable]) -> Event:
    """The event with ``frames`` filled for every camera from its frames.tsv (see the module docstring)."""
    if event.camera not in tables:
        raise CodingError(f"event {event.event_id}: camera {event.camera!r} has no frames.tsv ({', '.join(tables)})")
    own = tables[event.camera]
    frames: dict[str, dict[str, FrameRef]] = {name: {} for name in tables}
    for point, index in event.points().items():
        rows = np.flatnonzero(own.frame == index)
        if len(rows) == 0:
            raise CodingError(f"event {event.event_id}: {point} frame {index} is not in {event.camera}'s frames.tsv")
        ref = _ref(own, int(rows[0]))
        frames[event.camera][point] = ref
        for name, table in tables.items():
            if name != event.camera and len(table):
                frames[name][point] = _ref(table, int(np.argmin(np.abs(table.host_time - ref.host_time))))
    return replace(event, frames={k: v for k, v in frames.items() if v})


def on_camera(event: Event, camera: str) -> dict[str, int]:
    """The event's points as frame indices of another camera (its resolved refs)."""
    if camera == event.camera:
        return event.points()
    if camera not in event.frames:
        raise CodingError(f"event {event.event_id}: not resolved on camera {camera!r}")
    return {point: ref.frame for point, ref in event.frames[camera].items()}
