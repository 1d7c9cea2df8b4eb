"""The session's framing: check-in checks of every camera, face-lost rows during episodes, and the live state.

From the recorder's start a FramingWatch process (hardware.recording.watch) checks the previews, the
watched camera (protocol ``framing.camera``, else ``review.camera``, else the first) on every preview.
Its results reach this object from the watch's thread, under one lock; the PsychoPy frame loop only
calls ``poll`` (cheap: no detection, no waiting), which follows the clip (onset and offset flips from
session.json's attempts, the clip playing while ``ctx.episode`` is set) and writes every final face_lost
interval to events.tsv and to its episode in session.json (``face_lost: {count, seconds}``).

At the end of the check-in screen (``framing.checkin``) ``checkin`` records every camera's framing in
session.json (``framing.checkins``) with its focus as the reference of the focus check from then on;
a failed check warns, or with ``framing.required`` raises FramingFailed (exit 1, the check named).

``live.snapshot()`` is what the dashboard shows: each camera's latest framing, face found or not on the
watched camera, the current lost interval, the counts per episode.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from elicitation.errors import CheckFailed
from elicitation.session.face_lost import FaceLostTracker, LostInterval
from hardware import clock
from hardware.recording import FramingWatch

if TYPE_CHECKING:
    from elicitation.session.context import SessionContext

log = logging.getLogger(__name__)
CHECKIN_WAIT_S = 10.0  # for the first result of every camera (the watch process loads its detector)


class FramingFailed(CheckFailed):
    """Raised when a framing check failed at check-in and the protocol says ``framing: {required: true}``."""


class LiveFraming:
    """Thread-safe live state for the dashboard: read it with ``snapshot()``."""

    def __init__(self, watched: str, min_s: float) -> None:
        self.lock = threading.Lock()
        self.watched = watched
        self.tracker = FaceLostTracker(min_s)
        self.cameras: dict[str, dict[str, Any]] = {}  # camera -> latest Framing.as_dict() + host_time, frame_id
        self.counts: dict[str, int] = {}  # episode -> face_lost intervals written
        self.reference_focus: dict[str, float] = {}
        self.episode: str | None = None

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            since = self.tracker.lost_since
            return {
                "watched": self.watched,
                "face_found": self.tracker.found,
                "lost_since_clock": since,
                "lost_for_s": None if since is None else max(0.0, clock.now() - since),
                "episode": self.episode,
                "face_lost_counts": dict(self.counts),
                "face_lost_total": sum(self.counts.values()),
                "reference_focus": dict(self.reference_focus),
                "cameras": {name: dict(value) for name, value in self.cameras.items()},
            }


class FramingMonitor:
    def __init__(self, ctx: SessionContext) -> None:
        protocol, rig = ctx.protocol, ctx.recorder.rig
        settings = protocol.framing
        cameras = list(rig.cameras)
        watched = next(c for c in (settings.camera, protocol.review.camera, cameras[0]) if c in cameras)
        self.settings = settings
        self.thresholds = {c: settings.thresholds.updated(rig.framing.get(c, {})) for c in cameras}
        self.live = LiveFraming(watched, settings.face_lost_min_s)
        self.watch = FramingWatch(ctx.recorder.preview_names, watched, self._on_result, self.thresholds)
        self._episode: tuple[str, int] | None = None  # label, attempt number of the clip being followed
        framing = ctx.state.data.setdefault("framing", {"checkins": [], "reference_focus": {}})
        framing.update(watched=watched, required=settings.required, face_lost_min_s=settings.face_lost_min_s,
                       thresholds={c: asdict(t) for c, t in self.thresholds.items()})  # fmt: skip
        self.live.reference_focus.update(framing["reference_focus"])  # a resumed session keeps its reference

    def start(self) -> None:
        self.watch.start()
        for camera, focus in self.live.reference_focus.items():
            self.watch.set_reference(camera, focus)

    def _on_result(self, camera: str, host_time: float, frame_id: int, framing: dict[str, Any]) -> None:
        with self.live.lock:
            self.live.cameras[camera] = {**framing, "host_time": host_time, "frame_id": frame_id}
            if camera == self.live.watched:
                self.live.tracker.sample(host_time, framing["face"] is not None)

    # -- the frame loop ------------------------------------------------------------------
    def poll(self, ctx: SessionContext) -> None:
        """Follow the clip and write final face_lost intervals. Cheap: called on every flip."""
        if ctx.episode is not None and self._episode is None:
            attempt = ctx.state.episode(ctx.episode)["attempts"][-1]
            self._episode = (ctx.episode, attempt["attempt"])
            with self.live.lock:
                self.live.tracker.open_episode(ctx.episode, attempt["onset_clock"])
                self.live.episode = ctx.episode
        elif ctx.episode is None and self._episode is not None:
            label, number = self._episode
            attempt = next(a for a in ctx.state.episode(label)["attempts"] if a["attempt"] == number)
            offset = attempt.get("offset_clock") or clock.now()  # None: the clip was interrupted
            with self.live.lock:
                self.live.tracker.close_episode(offset)
                self.live.episode = None
            self._episode = None
        self._write(ctx, final=False)

    def _write(self, ctx: SessionContext, final: bool) -> None:
        with self.live.lock:
            intervals = self.live.tracker.take(final)
        for interval in intervals:
            self._row(ctx, interval)

    def _row(self, ctx: SessionContext, interval: LostInterval) -> None:
        ctx.events.add("face_lost", interval.onset, duration=interval.duration, episode=interval.episode)
        entry = ctx.state.episode(interval.episode).setdefault("face_lost", {"count": 0, "seconds": 0.0})
        entry["count"] += 1
        entry["seconds"] = round(entry["seconds"] + interval.duration, 3)
        with self.live.lock:
            self.live.counts[interval.episode] = entry["count"]
        ctx.state.save(sync=False)
        ctx.console.print(f"[yellow]face lost[/] {interval.duration:.1f} s in episode {interval.episode} "
                          f"({self.live.watched})", highlight=False)  # fmt: skip

    # -- check-in ------------------------------------------------------------------------
    def checkin(self, ctx: SessionContext) -> None:
        """Record every camera's framing now; warn about failed checks, or hold the session if required."""
        cameras = list(self.thresholds)
        since = clock.now()
        deadline = since + CHECKIN_WAIT_S
        while clock.now() < deadline:  # results taken after this moment, so they show the seated participant
            with self.live.lock:
                fresh = {c: v for c, v in self.live.cameras.items() if v["host_time"] >= since}
            if len(fresh) == len(cameras):
                break
            time.sleep(0.05)
        record: dict[str, Any] = {"clock": clock.now(), "run": len(ctx.state.data["runs"]), "cameras": {}}
        problems = []
        for camera in cameras:
            framing = fresh.get(camera)
            if framing is None:
                problems.append(f"camera {camera}: no framing result within {CHECKIN_WAIT_S:g} s")
                continue
            record["cameras"][camera] = framing
            for name, check in framing["checks"].items():
                if not check["ok"]:
                    problems.append(f"camera {camera}: framing check '{name}' failed ({check['text']})")
        record["ok"] = not problems
        data = ctx.state.data["framing"]
        data["checkins"].append(record)
        for camera, framing in record["cameras"].items():
            if framing.get("focus") and camera not in data["reference_focus"]:
                data["reference_focus"][camera] = framing["focus"]
                self.watch.set_reference(camera, framing["focus"])
        with self.live.lock:
            self.live.reference_focus.update(data["reference_focus"])
        for problem in problems:
            ctx.state.warn(f"check-in: {problem}", save=False)
            ctx.console.print(f"[yellow]check-in[/]: {problem}", highlight=False)
        ctx.state.save()
        if problems and self.settings.required:
            raise FramingFailed("framing checks failed at check-in (framing.required): " + "; ".join(problems))
        if not problems:
            ctx.console.print(f"check-in: framing checks pass on {', '.join(cameras)}", highlight=False)

    def close(self, ctx: SessionContext) -> None:
        """The session is ending: the last intervals (clipped to the last sample), then the watch stops."""
        try:
            self._write(ctx, final=True)
        finally:
            self.watch.stop()
