"""What the dashboard shows of a running session, handed from the frame loop to the web thread.

The session's frame loop writes (``publish``, ``add_event``), the web server's thread reads
(``snapshot``); a lock guards a few small dicts, so neither side waits more than a dict copy.
Nothing here touches PsychoPy, the disk or the cameras.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import Any

from hardware import clock

MAX_EVENTS = 200  # the page lists the latest rows; events.tsv has them all
PUBLISH_EVERY_S = 0.25


class LiveState:
    """The session as the dashboard sees it: step, episode, clip, overlay, cameras, events, warnings."""

    def __init__(self, title: str = "") -> None:
        self._lock = threading.Lock()
        self._fields: dict[str, Any] = {
            "title": title, "where": "", "episode": None, "clip": None, "overlay": None, "cameras": {},
            "penalties": 0, "face": None, "status": "starting", "overlay_since": None, "warnings": [],
        }  # fmt: skip
        self._events: deque[dict[str, str]] = deque(maxlen=MAX_EVENTS)
        self._framing: dict[str, dict[str, Any]] = {}
        # the session's live framing (elicitation.session.framing.LiveFraming.snapshot: thread-safe), if any
        self.framing_source: Callable[[], dict[str, Any]] | None = None
        self._event_count = 0
        self._face_lost = 0
        self._last_publish = 0.0

    # -- the frame loop's side -------------------------------------------------------------
    def due(self, now: float) -> bool:
        """Whether a periodic publish is due (at most every PUBLISH_EVERY_S); marks it done."""
        if now - self._last_publish < PUBLISH_EVERY_S:
            return False
        self._last_publish = now
        return True

    def publish(self, **fields: Any) -> None:
        """Set fields: where, episode, clip ({onset, duration} clock times), overlay, penalties,
        face, status, warnings (texts), cameras ({name: health dataclass or dict})."""
        if "cameras" in fields:
            fields["cameras"] = {n: asdict(h) if is_dataclass(h) else dict(h) for n, h in fields["cameras"].items()}
        with self._lock:
            self._fields.update(fields)

    def add_event(self, row: dict[str, str]) -> None:
        """An events.tsv row as written (EventLog's on_row)."""
        with self._lock:
            self._events.append(dict(row))
            self._event_count += 1
            if row.get("trial_type") == "face_lost":
                self._face_lost += 1

    def set_framing(self, camera: str, framing: dict[str, Any]) -> None:
        """A camera's latest framing checks (hardware.vision Framing.as_dict()), e.g. from the framing watch."""
        with self._lock:
            self._framing[camera] = dict(framing)

    def framing(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            own = dict(self._framing)
        source = self.framing_source
        return {**(source()["cameras"] if source is not None else {}), **own}

    def snapshot_field(self, name: str) -> Any:
        with self._lock:
            return self._fields.get(name)

    # -- the web thread's side -------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready copy; the clip's time left is computed now, on the one clock."""
        now = clock.now()
        with self._lock:
            data = dict(self._fields)
            data["events"] = list(self._events)
            data["event_count"] = self._event_count
            data["face_lost_count"] = self._face_lost
        clip = data.get("clip")
        if clip:  # a pause holds the clip: its time stands still while an overlay is up
            at = data["overlay_since"] if data.get("overlay") and data.get("overlay_since") else now
            played = max(0.0, at - clip["onset"] - clip.get("paused_s", 0.0))
            data["clip"] = {**clip, "elapsed_s": played, "left_s": max(0.0, clip["duration"] - played)}
        source = self.framing_source
        if source is not None:
            live = source()
            found = live.get("face_found")
            data["face"] = {
                "camera": live.get("watched"), "found": found, "lost": found is False,
                "lost_for_s": live.get("lost_for_s"), "counts": live.get("face_lost_counts", {}),
            }  # fmt: skip
            data["face_lost_count"] = max(data["face_lost_count"], int(live.get("face_lost_total") or 0))
        data["clock"] = now
        return data
