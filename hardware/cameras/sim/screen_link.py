"""What the screen shows, shared with simulated cameras so they can "see" it (the sync test's flashes).

The process that flips the screen appends (flip time on the one clock, brightness 0..1) at every change
to a small memory-mapped log file (in /dev/shm where there is one: memory, not disk); simulated cameras
in their own processes map it from the path in the environment variable ELICIT_SCREEN_LINK (spawned
camera processes inherit it) and look up the state at any past time. One writer; the count is written
after the entry, so a reader never sees half of one. (A file rather than multiprocessing.shared_memory:
Python 3.11's resource tracker would unlink a segment when a camera process that attached it exits.)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from hardware.cameras.base import CameraError

ENV = "ELICIT_SCREEN_LINK"
CAPACITY = 4096  # state changes; a sync test has 2 per flash


class ScreenLink:
    def __init__(self, path: Path, owner: bool) -> None:
        self.path, self._owner = Path(path), owner
        self._map = np.memmap(self.path, np.float64, "r+" if owner else "r", shape=(1 + 2 * CAPACITY,))
        self._count = self._map[:1]
        self._log = self._map[1:].reshape(CAPACITY, 2)

    @classmethod
    def create(cls) -> ScreenLink:
        folder = "/dev/shm" if os.path.isdir("/dev/shm") else None
        fd, name = tempfile.mkstemp(prefix="elicit-screen-", dir=folder)
        os.ftruncate(fd, 8 * (1 + 2 * CAPACITY))
        os.close(fd)
        return cls(Path(name), owner=True)

    @classmethod
    def from_environment(cls) -> ScreenLink | None:
        path = os.environ.get(ENV)
        if not path or not os.path.isfile(path):
            return None
        return cls(Path(path), owner=False)

    def append(self, clock_time: float, brightness: float) -> None:
        n = int(self._count[0])
        if n >= CAPACITY:
            raise CameraError(f"screen link full ({CAPACITY} screen changes): simulated cameras see no more flips")
        self._log[n] = (clock_time, brightness)
        self._count[0] = n + 1

    def state_at(self, clock_time: float) -> float:
        """Brightness the screen showed at that time (0 before the first change)."""
        n = int(self._count[0])
        times = self._log[:n, 0]
        i = int(np.searchsorted(times, clock_time, side="right")) - 1
        return float(self._log[i, 1]) if i >= 0 else 0.0

    def close(self) -> None:
        del self._count, self._log, self._map
        if self._owner:
            self.path.unlink(missing_ok=True)
