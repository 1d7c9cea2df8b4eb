"""The workbench's server-side state: the sessions, one coder's append-only log per session, pictures.

Every action a coder confirms goes through elicitation.coding.CodingLog (checked, then appended with
fsync before the answer goes back), so a reload or a killed server loses nothing the page showed as
saved; on start the logs are replayed. Another coder's events of an episode are given only when both
coders marked that episode done (elicitation.coding.other_coder_events).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.coding import (
    CodingError,
    CodingLog,
    Event,
    canonical_string,
    check_arbiter,
    check_coder,
    lock_coder_log,
    other_coder_events,
    parse_action_units,
    replay,
    suggest,
)
from elicitation.workbench.face_zoom import Detect, Face, FaceZoom
from elicitation.workbench.keys import load_keys
from elicitation.workbench.pictures import Pictures, Row
from elicitation.workbench.sessions import Session, find_sessions, open_session
from elicitation.workbench.undo import Step, UndoSteps
from hardware.vision import Box

FIELDS = ("kind", "action_units", "emotion", "category", "note")


def coders_of(session: Session) -> list[str]:
    """Coders with a log in the session's coding/ folder."""
    return sorted(p.stem for p in (session.path / "coding").glob("*.tsv") if p.stem not in ("final",))


def event_json(event: Event) -> dict[str, Any]:
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


class Workbench:
    def __init__(
        self,
        data: Path,
        coder: str,
        keys_file: Path | None = None,
        arbiter: str | None = None,
        allow_coder_arbiter: bool = False,
        detect: Detect | None = None,
    ) -> None:
        self.coder = check_coder(coder)
        # who saves arbitration decisions (None: the arbitration page only shows); checked against each pair
        self.arbiter = None if arbiter is None else check_arbiter(arbiter, ("", ""))
        self.allow_coder_arbiter = allow_coder_arbiter
        self.data = Path(data)
        self.keys = load_keys(keys_file)
        self.sessions = [open_session(p, self.data) for p in find_sessions(self.data)]
        self._locks: dict[int, Any] = {}  # one writer per coder log: taken for every session at start
        try:
            for n, s in enumerate(self.sessions):
                self._locks[n] = lock_coder_log(s.path, self.coder)
        except BaseException:
            self._release_locks()
            raise
        self._logs: dict[int, CodingLog] = {}
        self._pictures: dict[int, Pictures] = {}
        self.faces = FaceZoom(detect)  # face boxes for the zoom, found once per episode and camera
        self.undo = UndoSteps()
        self.lock = threading.RLock()

    def session(self, n: int) -> Session:
        if not 0 <= n < len(self.sessions):
            raise CodingError(f"no session {n} (there are {len(self.sessions)})")
        return self.sessions[n]

    def log(self, n: int) -> CodingLog:
        with self.lock:
            if n not in self._logs:
                s = self.session(n)
                self._logs[n] = CodingLog(s.path, self.coder, s.tables, s.categories, lock=self._locks[n])
            return self._logs[n]

    def pictures(self, n: int) -> Pictures:
        with self.lock:
            if n not in self._pictures:
                self._pictures[n] = Pictures(self.session(n))
            return self._pictures[n]

    def zoomed(self, n: int, camera: str, frame: int, zoom: int) -> tuple[np.ndarray, Row, Face, Box]:
        """(crop, row, face, crop box) of a frame at `zoom` (elicitation.workbench.face_zoom)."""
        return self.faces.zoomed(n, self.session(n), self.pictures(n), camera, frame, zoom)

    def face(self, n: int, key: str, camera: str) -> dict[str, Any]:
        return self.faces.face(n, self.session(n), self.pictures(n), key, camera).as_json()

    def others(self, n: int, key: str) -> dict[str, Any]:
        """Other coders' events of the episode where both are done; the others as hidden, with why."""
        s, shown, hidden = self.session(n), {}, {}
        for other in coders_of(s):
            if other == self.coder:
                continue
            try:
                shown[other] = [event_json(e) for e in other_coder_events(s.path, self.coder, other, key)]
            except CodingError as exc:
                hidden[other] = str(exc)
        return {"shown": shown, "hidden": hidden}

    def episode(self, n: int, key: str) -> dict[str, Any]:
        log = self.log(n)
        return {
            "coder": self.coder,
            "events": [event_json(e) for e in log.events(key)],
            "done": key in log.state.done,
            "others": self.others(n, key),
        }

    def act(self, n: int, key: str, body: dict[str, Any]) -> dict[str, Any]:
        """add / change / delete / done / undo from the page; CodingError with the reason if refused."""
        s, log, action = self.session(n), self.log(n), body.get("action")
        segment = s.segment(key)
        with self.lock:
            if action == "done":
                log.done(key)
                return {"done": True}
            if action == "delete":
                if body.get("event_id") not in {e.event_id for e in log.events(key)}:
                    raise CodingError(f"no event {body.get('event_id')!r} of yours in episode {key}")
                before = log.state.events[str(body["event_id"])]
                log.delete(before.event_id)
                self.undo.record(n, key, Step("delete", before.event_id, before))
                return {"deleted": body["event_id"]}
            if action == "undo":
                return {"undone": self.undo.undo(n, key, log)}
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
            self.undo.record(n, key, Step(action, saved.event_id, before))
            return {"event": event_json(saved)}

    def replayed(self, n: int, coder: str) -> Any:
        return replay(self.session(n).path / "coding" / f"{check_coder(coder)}.tsv")

    def close(self) -> None:
        with self.lock:
            for log in self._logs.values():
                log.close()
            for pictures in self._pictures.values():
                pictures.close()
            self._release_locks()

    def _release_locks(self) -> None:
        for lock in self._locks.values():
            lock.release()
        self._locks = {}
