"""Key presses with their time on the one clock, from the keyboard and, with --autopilot, from the
autopilot. Both go through the same code, so an unattended session exercises every screen's key
handling exactly as a participant's keyboard would.
"""

from __future__ import annotations

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
        self.kb.clearEvents()

    @property
    def backend(self) -> str:
        return "ptb" if self._ptb else "other"

    def poll(self) -> list[Key]:
        now = clock.now()
        keys = [self._convert(k, now) for k in self.kb.getKeys(waitRelease=False, clear=True)]
        if self.autopilot is not None:
            keys += self.autopilot.due(now)
        return sorted(keys, key=lambda k: k.t)

    def _convert(self, press: Any, now: float) -> Key:
        t = press.tDown + self._base if self._ptb else now  # other backends: the poll time
        return Key(str(press.name), float(t))

    def clear(self) -> None:
        self.kb.clearEvents()
