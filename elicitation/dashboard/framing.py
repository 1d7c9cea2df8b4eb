"""The framing checks of every camera, run on its preview frames in a thread of their own.

``FramingMonitor`` runs hardware.vision's ``check_framing`` on each camera's latest preview frame
(at most every ``every_s``) and keeps the last result (``Framing.as_dict()``) for the page: the face
box, light, clipped and crushed shares, focus against a reference, and each check's verdict. The
reference focus is taken on request (the page's button): the check-in value to compare against.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from elicitation.dashboard.pictures import Pictures
from hardware.scheduling import lower_priority, name_this_thread

log = logging.getLogger(__name__)

EVERY_S = 0.5


class FramingMonitor:
    """A daemon thread: the framing of each camera's latest preview, every ``every_s``."""

    def __init__(self, pictures: Pictures, thresholds: Any = None, every_s: float = EVERY_S,
                 check: Callable[..., Any] | None = None) -> None:  # fmt: skip
        if check is None or thresholds is None:
            from hardware.vision import FramingThresholds, check_framing

            check = check or check_framing
            thresholds = thresholds if thresholds is not None else FramingThresholds()
        self.pictures = pictures  # thresholds: one set for every camera, or camera name -> its set
        self.thresholds = thresholds
        self.every_s = every_s
        self._check = check
        self._lock = threading.Lock()
        self._results: dict[str, dict[str, Any]] = {}
        self._reference: dict[str, float] = {}
        self._seen: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="framing-checks", daemon=True)

    def start(self) -> FramingMonitor:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def results(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {name: {**r, "reference_focus": self._reference.get(name)} for name, r in self._results.items()}

    def take_reference(self, name: str) -> float | None:
        """Take camera ``name``'s current focus as the reference (None: no face, no focus yet)."""
        with self._lock:
            focus = self._results.get(name, {}).get("focus")
            if focus is not None:
                self._reference[name] = focus
            return focus

    def run_once(self) -> None:
        """Check every camera whose preview has a new frame since the last check."""
        for name in self.pictures.names:
            frame = self.pictures.frame(name)
            if frame is None or self._seen.get(name) == frame.seq:
                continue
            self._seen[name] = frame.seq
            with self._lock:
                reference = self._reference.get(name)
            thresholds = self.thresholds.get(name) if isinstance(self.thresholds, dict) else self.thresholds
            if thresholds is None:
                from hardware.vision import FramingThresholds

                thresholds = FramingThresholds()
            result = self._check(frame.image, thresholds, reference_focus=reference).as_dict()
            result["seq"] = int(frame.seq)
            with self._lock:
                self._results[name] = result

    def _run(self) -> None:
        name_this_thread("framing-checks")
        lower_priority()  # the live view's checks can wait; the cameras cannot
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # a check that fails must not end the live view
                log.exception("framing check failed")
            self._stop.wait(self.every_s)
