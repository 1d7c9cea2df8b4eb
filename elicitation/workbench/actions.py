"""The coding actions the player sends (add, change, delete, done, undo), checked and then applied to the
coder's log (elicitation.coding.CodingLog: appended with fsync before the answer goes back).

Undo (key U or Ctrl+Z) of the coder's last change to an episode goes through the same append-only writer:
the log is never rewritten, an undo appends the opposite action, so the log keeps both the change and its
undoing with their times:
- undo of an ``add``: a ``delete`` row of that event;
- undo of a ``change``: a ``change`` row restoring the event's previous values;
- undo of a ``delete``: an ``add`` row restoring the event with its own id (ids are never reused, so the id
  is free: the agreement and arbitration pages keep naming the event as before).
Undone steps are popped, so pressing undo again undoes the change before. The steps are those this
workbench made since it started, per session and episode (one writer per coder log, so no other process
changed them meanwhile); ``done`` closes an episode and is not undone (the log refuses changes after it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from elicitation.coding import CodingError, CodingLog, Event, canonical_string, parse_action_units, suggest
from elicitation.workbench.sessions import Session

FIELDS = ("kind", "action_units", "emotion", "category", "note")


def event_json(event: Event) -> dict[str, Any]:
    """An event as the page gets it: its frames on every camera, its duration and Table IV's suggestion."""
    frames = {cam: {p: r.as_dict() for p, r in refs.items()} for cam, refs in event.frames.items()}
    own = event.frames.get(event.camera, {})
    duration = (own["offset"].host_time - own["onset"].host_time) * 1000 if "onset" in own and "offset" in own else None
    try:
        suggested = suggest(parse_action_units(event.action_units)) if event.action_units else []
    except CodingError:
        suggested = []
    return {
        "event_id": event.event_id,
        "episode": event.episode,
        "kind": event.kind,
        "camera": event.camera,
        "onset": event.onset,
        "apex": event.apex,
        "apex2": event.apex2,
        "offset": event.offset,
        "action_units": event.action_units,
        "emotion": event.emotion,
        "category": event.category,
        "note": event.note,
        "frames": frames,
        "duration_ms": duration,
        "suggested": suggested,
    }


MAX_STEPS = 200  # per episode; older steps are forgotten


@dataclass(frozen=True)
class Step:
    """One change: `action` (add, change, delete) of the event `event_id`; `before`: its values before."""

    action: str
    event_id: str
    before: Event | None


class UndoSteps:
    def __init__(self) -> None:
        self._steps: dict[tuple[int, str], list[Step]] = {}
        self._lock = threading.Lock()

    def record(self, n: int, episode: str, step: Step) -> None:
        with self._lock:
            steps = self._steps.setdefault((n, episode), [])
            steps.append(step)
            del steps[:-MAX_STEPS]

    def undo(self, n: int, episode: str, log: CodingLog) -> str:
        """Append the opposite of the last step to `log`; what was done, for the page. CodingError if none."""
        if episode in log.state.done:
            raise CodingError(f"episode {episode} is marked done: its codes are fixed, nothing is undone")
        with self._lock:
            steps = self._steps.get((n, episode), [])
            if not steps:
                raise CodingError(f"nothing to undo: no add, change or delete of yours in episode {episode} "
                                  "since the workbench started")  # fmt: skip
            step = steps[-1]
            if step.action == "add":
                log.delete(step.event_id)
                said = f"undone: the add of {step.event_id} (deleted)"
            elif step.action == "change" and step.before is not None:
                log.change(step.before)
                said = f"undone: the change of {step.event_id} (its previous values are back)"
            elif step.action == "delete" and step.before is not None:
                log.add(step.before)
                said = f"undone: the delete of {step.event_id} (restored)"
            else:
                raise CodingError(f"cannot undo {step.action} of {step.event_id}")
            steps.pop()
            return said


def _frame(body: dict[str, Any], point: str, optional: bool = False) -> int | None:
    value = body.get(point)
    if value in (None, ""):
        if optional:
            return None
        raise CodingError(f"no {point} frame: set it on the current frame with its key")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CodingError(f"{point} frame {value!r} is not a frame number") from None


def _identical(event: Event, events: list[Event]) -> str | None:
    """The id of another event with the same camera, frames, kind, AUs, emotion and category, if any."""

    def codes(e: Event) -> tuple[Any, ...]:
        try:
            units = canonical_string(e.action_units) if e.action_units else ""
        except CodingError:
            units = e.action_units
        return (e.camera, e.onset, e.apex, e.apex2, e.offset, e.kind, units, e.emotion.lower(), e.category)

    mine = codes(event)
    return next((e.event_id for e in events if e.event_id != event.event_id and codes(e) == mine), None)


def act(session: Session, log: CodingLog, undo: UndoSteps, n: int, key: str, body: dict[str, Any]) -> dict[str, Any]:
    """One action from the page on session `n`'s log; CodingError with the reason if refused."""
    s, action = session, body.get("action")
    segment = s.segment(key)
    if action == "done":
        log.done(key)
        return {"done": True}
    if action == "delete":
        if body.get("event_id") not in {e.event_id for e in log.events(key)}:
            raise CodingError(f"no event {body.get('event_id')!r} of yours in episode {key}")
        before = log.state.events[str(body["event_id"])]
        log.delete(before.event_id)
        undo.record(n, key, Step("delete", before.event_id, before))
        return {"deleted": body["event_id"]}
    if action == "undo":
        return {"undone": undo.undo(n, key, log)}
    if action not in ("add", "change"):
        raise CodingError(f"action {action!r} is not add, change, delete, done or undo")
    camera = str(body.get("camera") or "")
    if camera not in segment.rows:
        raise CodingError(f"camera {camera!r} has no frames in episode {key}")
    event = Event(
        event_id=str(body.get("event_id") or "") if action == "change" else "",
        episode=key,
        kind=str(body.get("kind") or ""),
        camera=camera,
        onset=_frame(body, "onset"),  # type: ignore[arg-type]
        apex=_frame(body, "apex"),
        offset=_frame(body, "offset"),  # type: ignore[arg-type]
        apex2=_frame(body, "apex2", optional=True),
        **{f: str(body.get(f) or "") for f in FIELDS if f != "kind"},
    )
    if event.kind != "irrelevant" and event.category:  # said, never dropped silently
        raise CodingError(f"a review category ({event.category}) is only for an irrelevant movement, "
                          f"not a {event.kind} one: choose kind irrelevant or no category")  # fmt: skip
    table, rows = s.tables[camera], segment.rows[camera]
    first, last = int(table.frame[rows[0]]), int(table.frame[rows[-1]])
    for point, value in event.points().items():
        if not first <= value <= last:
            raise CodingError(f"{point} frame {value} is outside episode {key} ({camera}: {first}..{last})")
    twin = _identical(event, log.events(key))
    if twin is not None:
        raise CodingError(f"event {twin} of yours has the same frames, camera and codes already")
    before = log.state.events.get(event.event_id) if action == "change" else None
    saved = log.add(event) if action == "add" else log.change(event)
    undo.record(n, key, Step(action, saved.event_id, before))
    return {"event": event_json(saved)}
