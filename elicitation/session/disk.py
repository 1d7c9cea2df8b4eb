"""Free space while recording: warn before it runs out, stop at once when it has.

Twice a second (from the frame loop's status call; one statvfs and a queue poll) the monitor looks
at the free space of the session's video folder and at the cameras' reports:
- free space below what the rest of the protocol needs (its episodes left, at the data rate the
  preflight measured, x DISK_MARGIN): one warning, on the console and in session.json;
- free space below STOP_FREE_BYTES, or a camera's writer hit ENOSPC: DiskFull is raised and the
  session stops (runner), before anything is torn.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from elicitation.folder import SessionState
from elicitation.protocol import Protocol
from elicitation.session import preflight as pf
from hardware.recording import Recorder
from hardware.video import DiskFull, free_bytes

log = logging.getLogger("elicitation.session")
CHECK_EVERY_S = 0.5
STOP_FREE_BYTES = 8 * 2**20  # below this the session stops rather than let the writers hit ENOSPC
END_OVERHEAD_S = pf.FIXED_OVERHEAD_S  # the end steps after the last episode: the preflight's figure too
MIB = float(2**20)


@dataclass
class DiskMonitor:
    folder: Path
    protocol: Protocol
    state: SessionState
    recorder: Recorder
    console: Console
    bytes_per_s: float
    durations: dict[str, float] = field(default_factory=dict)  # clip id -> seconds
    warned: bool = False
    _last: float = float("-inf")

    def need_bytes(self) -> float:
        """Bytes the rest of the protocol will record (episodes not done, then the end)."""
        left = [e for e in self.protocol.episodes if self.state.episode(e.label)["status"] != "done"]
        seconds = pf.recording_seconds(self.protocol, left, self.durations, END_OVERHEAD_S)
        return pf.disk_need(seconds, self.bytes_per_s)  # the preflight's estimate (one, stated in the README)

    def check(self, now: float) -> None:
        if now - self._last < CHECK_EVERY_S:
            return
        self._last = now
        self.recorder.poll()
        if self.recorder.disk_full:
            raise DiskFull(self.folder, "a camera's writer ran out of space")
        free = free_bytes(self.folder)
        if free < STOP_FREE_BYTES:
            raise DiskFull(self.folder)
        need = self.need_bytes()
        if free < need and not self.warned:
            self.warned = True
            message = (f"disk space low: {self.folder} has {free / MIB:.0f} MiB free, the rest of the protocol "
                       f"needs about {need / MIB:.0f} MiB; the session stops if it runs out")  # fmt: skip
            log.warning(message)
            self.state.warn(message, save=False)
            self.state.save(sync=False)  # possibly during a clip: no disk flush in the frame loop
            self.console.print(f"[bold yellow]{message}[/]", highlight=False)
