"""Key presses with their time on the one clock, from the keyboard, from the live dashboard's
buttons (``RemoteKeys``) and, with --autopilot, from the autopilot. All go through the same code, so
a button acts exactly as its key and an unattended session exercises every screen's key handling
exactly as a participant's keyboard would. Each ``Key`` says where it came from (``source``).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol

from hardware import clock


@dataclass(frozen=True)
class Key:
    name: str
    t: float  # clock time of the press
    source: str = "keyboard"


class KeySource(Protocol):
    def due(self, now: float) -> list[Key]: ...


class RemoteKeys:
    """Presses from another thread (the dashboard's buttons), stamped on the clock when pressed and
    handed to the frame loop at its next poll. ``press`` never waits for the frame loop."""

    def __init__(self, source: str = "dashboard") -> None:
        self.source = source
        self._lock = threading.Lock()
        self._pending: list[Key] = []

    def press(self, name: str) -> Key:
        key = Key(name, clock.now(), self.source)
        with self._lock:
            self._pending.append(key)
        return key

    def due(self, now: float) -> list[Key]:
        with self._lock:
            ready, self._pending = self._pending, []
        return ready


class KeyInput:
    """PsychoPy's Keyboard (psychtoolbox backend: key-down times from the OS event queue)."""

    def __init__(self, autopilot: KeySource | None = None) -> None:
        from psychopy import logging as plog
        from psychopy.hardware import keyboard

        self.kb = keyboard.Keyboard()
        self._ptb = keyboard.KeyboardDevice._backend == "ptb"
        # KeyPress.tDown is relative to PsychoPy's default clock; adding its reset time gives the
        # absolute GetSecs time, which is our clock (hardware.clock pins PSYCH_GETSECS_CLOCK=1).
        self._base = plog.defaultClock.getLastResetTime()
        self.autopilot = autopilot
        self.remote: KeySource | None = None  # the dashboard's buttons (elicitation.session starts it)
        self._reported: deque[Any] = deque(maxlen=256)  # presses already handed out (by identity)
        self.kb.clearEvents()

    @property
    def backend(self) -> str:
        return "ptb" if self._ptb else "other"

    def poll(self) -> list[Key]:
        now = clock.now()
        # getKeys(waitRelease=False) skips a key pressed AND released since the last poll (it already has a
        # duration), so a quick tap during a slow frame would be lost: take released presses too. A press
        # reported while held comes back once more at its release (same object): report it once.
        presses = self.kb.getKeys(waitRelease=False, clear=True) + self.kb.getKeys(waitRelease=True, clear=True)
        fresh: list[Any] = []
        for press in presses:
            if not any(press is seen for seen in (*self._reported, *fresh)):
                fresh.append(press)
        self._reported.extend(fresh)
        keys = [self._convert(k, now) for k in fresh]
        if self.autopilot is not None:
            keys += self.autopilot.due(now)
        if self.remote is not None:
            keys += self.remote.due(now)
        return sorted(keys, key=lambda k: k.t)

    def _convert(self, press: Any, now: float) -> Key:
        t = press.tDown + self._base if self._ptb else now  # other backends: the poll time
        return Key(str(press.name), float(t))

    def clear(self) -> None:
        self.kb.clearEvents()
