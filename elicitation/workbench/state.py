"""The workbench's server-side state: the sessions, one coder's append-only log per session, pictures.

Every action a coder confirms (elicitation.workbench.actions, undo included) goes through
elicitation.coding.CodingLog (checked, then appended with
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
    check_arbiter,
    check_coder,
    lock_coder_log,
    other_coder_events,
    replay,
)
from elicitation.workbench.actions import UndoSteps, act, event_json
from elicitation.workbench.face_zoom import Detect, Face, FaceZoom
from elicitation.workbench.keys import load_keys
from elicitation.workbench.pictures import Pictures, Row
from elicitation.workbench.sessions import Session, find_sessions, open_session
from hardware.vision import Box


def coders_of(session: Session) -> list[str]:
    """Coders with a log in the session's coding/ folder."""
    return sorted(p.stem for p in (session.path / "coding").glob("*.tsv") if p.stem not in ("final",))


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
        """add / change / delete / done / undo from the page (elicitation.workbench.actions)."""
        with self.lock:
            return act(self.session(n), self.log(n), self.undo, n, key, body)

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
