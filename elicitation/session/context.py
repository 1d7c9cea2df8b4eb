"""What every step of a running session shares, and the one frame loop they all go through.

``frame()`` draws, flips (the flip time is the only stimulus time we use), reads keys and handles
the experimenter's keys wherever the session is: pause (the clip pauses too), abort with
confirmation, and "expression seen" marks during a clip, whether pressed on the keyboard or on
the live dashboard's buttons (the same keys; events.tsv's source column says which). It also keeps
the console status line (every camera's fps and drops) and the dashboard's state up to date.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console

from elicitation.dashboard import LiveState
from elicitation.errors import ElicitationError
from elicitation.folder import EventLog, RatingsLog, SessionState
from elicitation.protocol import Protocol
from elicitation.screen import Display, Key, KeyInput, Pages
from elicitation.session.autopilot import Autopilot
from hardware import clock
from hardware.recording import Recorder, any_failed, health_line

log = logging.getLogger(__name__)
_PENDING: set[int] = set()  # signals that end the session, kept until the next frame (note_signal)


def note_signal(signum: int | None) -> None:
    """Keep a signal that ends the session (None: forget them, at a session's start)."""
    if signum is None:
        _PENDING.clear()
    else:
        _PENDING.add(signum)
STATUS_EVERY_S = 1.0


class SessionAborted(ElicitationError):
    """Raised when the experimenter confirmed an abort; everything recorded so far is kept."""


@dataclass
class SessionContext:
    protocol: Protocol
    display: Display
    keys: KeyInput
    recorder: Recorder
    state: SessionState
    events: EventLog
    ratings: RatingsLog
    pages: Pages
    console: Console
    autopilot: Autopilot | None = None
    where: str = ""  # shown in the status line, e.g. "episode 02/17"
    episode: str | None = None  # label of the episode whose clip is playing, for penalty marks
    extras: dict[str, Any] = field(default_factory=dict)  # hooks (review step) may keep state here
    disk: Any = None  # elicitation.session.disk.DiskMonitor: raises DiskFull when space runs out
    board: LiveState | None = None  # the live dashboard's view of the session (None: no dashboard)
    framing: Any = None  # elicitation.session.framing.FramingMonitor: check-in checks, face_lost rows, .live
    lsl: Any = None  # elicitation.session.lsl.SessionLsl: takes in the LSL inlets' reports
    _last_status: float = 0.0
    _overlays: int = 0
    _confirming: bool = False
    _reported_failures: set[str] = field(default_factory=set)

    # -- the frame loop --------------------------------------------------------------------
    def frame(self, draw: Callable[[], None], shot: str | None = None, media: Any = None) -> tuple[float, list[Key]]:
        """Draw, flip, poll keys. Returns the flip time and the keys left for the current step."""
        if _PENDING:  # a signal's KeyboardInterrupt that library code swallowed: raised here again
            raise KeyboardInterrupt
        draw()
        t = self.display.flip(shot)
        left = []
        for key in self.keys.poll():
            if key.name == self.protocol.keys.abort and not self._confirming:
                self.confirm_abort(media, key)
            elif key.name == self.protocol.keys.pause and not self._overlays:
                self.pause(media, key)
            elif key.name == self.protocol.keys.penalty:
                self.penalty(key)
            else:
                left.append(key)
        self.status(t)
        if self.board is not None and self.board.due(t):
            self.publish()
        return t, left

    def publish(self, **fields: Any) -> None:
        """Hand the dashboard the session's state (cheap: shared counters and a few fields)."""
        if self.board is None:
            return
        warnings = [w["message"] for w in self.state.data["warnings"][-20:]]
        warnings += [f"{name}: {text}" for name, texts in self.recorder.warnings.items() for text in texts[-5:]]
        self.board.publish(where=self.where, episode=self.episode, penalties=self.state.penalty_count(),
                           cameras=self.recorder.health(), warnings=warnings, **fields)  # fmt: skip

    def announce(self, kind: str, onset: float, **info: Any) -> None:
        """A screen has appeared: tell the autopilot (if any) so it can answer it."""
        if self.autopilot is not None:
            self.autopilot.on_screen(kind, onset, **info)

    # -- experimenter keys -----------------------------------------------------------------
    def penalty(self, key: Key) -> None:
        if self.episode is None:
            log.info("penalty key outside a clip ignored")
            return
        marks = self.state.data["penalties"]["marks"]
        marks.append({"clock_time": key.t, "episode": self.episode, "source": key.source})
        self.state.save(sync=False)  # a clip is playing: no disk flush in the frame loop
        self.events.add("penalty_mark", key.t, episode=self.episode, source=key.source)
        self.recorder.mark(f"penalty episode {self.episode}", at=key.t)
        self.console.print(f"[yellow]expression noted[/] (episode {self.episode}, total {len(marks)})")

    def _overlay(self, name: str, keys_out: set[str], media: Any) -> tuple[float, float, Key]:
        """Show an overlay screen until one of keys_out; returns (onset, end, the key that closed it)."""
        screen = self.protocol.screens[name]
        page = self.pages.page(name, screen.title, self.protocol.text(name))
        if media is not None and self._overlays == 0:
            media.pause()
        self._overlays += 1
        onset, answered = None, False
        try:
            while True:
                t, keys = self.frame(page.draw, name, media=None)
                if onset is None:
                    onset = t
                    self.announce(name, onset)
                    self.publish(overlay=name, **({"overlay_since": onset} if self._overlays == 1 else {}))
                for key in keys:
                    if key.name in keys_out:
                        answered = True
                        return onset, key.t, key
        finally:
            self._overlays -= 1
            self._overlay_closed(onset)
            if self._overlays == 0:
                if self.autopilot is not None:
                    self.autopilot.overlay_closed(clock.now())
                if media is not None and answered:  # not when an abort unwinds through here
                    media.play()

    def _overlay_closed(self, onset: float | None) -> None:
        if self.board is None:
            return
        still = "pause" if self._overlays else None  # only an abort question opens over another overlay
        clip = self.board.snapshot_field("clip")
        if clip and onset is not None and not self._overlays:  # the clip stood still: its time left too
            clip = {**clip, "paused_s": clip.get("paused_s", 0.0) + clock.now() - onset}
        self.board.publish(overlay=still, clip=clip)

    def pause(self, media: Any = None, key: Key | None = None) -> None:
        self.console.print("[cyan]paused[/]: press the pause key again to go on")
        onset, end, closing = self._overlay("pause", {self.protocol.keys.pause}, media)
        source = _sources(key, closing)
        log.info("pause (%s), %.1f s", source, end - onset)
        self.events.add("pause", onset, duration=end - onset, episode=self.episode, source=source)
        self.recorder.mark("pause", at=onset)
        self.recorder.mark("resume", at=end)

    def confirm_abort(self, media: Any = None, key: Key | None = None) -> None:
        self.console.print("[red]abort?[/] confirm or cancel on the experiment keyboard")
        keys = self.protocol.keys
        self._confirming = True
        try:
            onset, end, answer = self._overlay("abort_confirm", {keys.confirm, keys.cancel}, media)
        finally:
            self._confirming = False
        source = _sources(key, answer)
        if answer.name == keys.confirm:
            log.info("abort confirmed (%s)", source)
            self.events.add("abort", end, episode=self.episode, source=source)
            raise SessionAborted("aborted by the experimenter")
        log.info("abort cancelled (%s)", source)
        self.events.add("abort_cancelled", onset, duration=end - onset, episode=self.episode, source=source)

    # -- console ---------------------------------------------------------------------------
    def status(self, now: float, force: bool = False) -> None:
        interactive = sys.stdout.isatty()
        every = STATUS_EVERY_S if interactive else 5 * STATUS_EVERY_S
        if self.disk is not None:
            self.disk.check(now)
        if self.framing is not None:
            self.framing.poll(self)
        if self.lsl is not None:
            self.lsl.check(now, self.where)
        if not force and now - self._last_status < every:
            return
        self._last_status = now
        health = self.recorder.health()
        for name, h in health.items():
            if h.state == "failed" and name not in self._reported_failures:
                self._reported_failures.add(name)
                log.error("camera %s failed at %s (last frame at clock %s): %s", name, self.where, h.last_time, h.error)
                self.state.data.setdefault("camera_failures", []).append({
                    "camera": name, "run": len(self.state.data["runs"]), "last_frame_clock": h.last_time,
                    "noticed_clock": now, "where": self.where, "error": h.error,
                })  # fmt: skip
                self.state.warn(f"camera {name} failed during the session at {self.where}: {h.error}")
                self.console.print(f"[bold red]camera {name} FAILED[/]: {h.error}")
        line = f"{self.where:<16} {health_line(health)}  penalties {self.state.penalty_count()}"
        if interactive:
            self.console.print(line, end="\r", highlight=False, soft_wrap=True)
        else:
            self.console.print(line, highlight=False, soft_wrap=True)

    def cameras_failed(self) -> bool:
        return any_failed(self.recorder.health())


def _sources(opening: Key | None, closing: Key) -> str:
    """Who acted: "keyboard", "dashboard", ... or "keyboard/dashboard" when opened on one, answered on the other."""
    first = opening.source if opening is not None else closing.source
    return first if first == closing.source else f"{first}/{closing.source}"
