"""Recording other devices' streams during a session, from the session's side.

    rec = StreamRecorder(requests, session_dir / "lsl", stall_s=2.0)
    rec.start()                 # spawns hardware/lsl/inlet_process.py; returns once it has looked
    for kind, name, info in rec.poll():   # never waits: "opened", "stopped", "resumed", "warning"
        ...
    rec.stop()                  # the files are finished; rec.streams holds each stream's metadata

``streams[name]`` gathers what session.json keeps: the stream's metadata (type, channels and
their labels, nominal rate, source id, host, the full XML description), the time corrections
applied, samples written, first and last sample times, and every stop and resumption.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
from pathlib import Path
from typing import Any

from hardware.lsl import inlet_process
from hardware.lsl.config import StreamRequest

log = logging.getLogger(__name__)
START_TIMEOUT_S = 30.0


class StreamRecorder:
    def __init__(self, requests: tuple[StreamRequest, ...] | list[StreamRequest], folder: Path,
                 stall_s: float = 2.0) -> None:  # fmt: skip
        self.requests = list(requests)
        self.folder = Path(folder)
        self.stall_s = stall_s
        self.streams: dict[str, dict[str, Any]] = {r.name: {"request": vars(r).copy(), "events": []}
                                                   for r in self.requests}  # fmt: skip
        self._ctx = mp.get_context("spawn")
        self._events: Any = None
        self._control: Any = None
        self._process: Any = None

    def start(self, timeout: float = START_TIMEOUT_S) -> list[str]:
        """Start recording; returns the names of the streams found at once."""
        self._events = self._ctx.Queue()
        parent, child = self._ctx.Pipe()
        self._process = self._ctx.Process(
            target=inlet_process.run, name="lsl-inlets",
            args=(self.requests, str(self.folder), self.stall_s, self._events, child),
        )  # fmt: skip
        self._process.start()
        child.close()
        self._control = parent
        try:
            kind, _, payload = self._events.get(timeout=timeout)
            while kind != "ready":
                self._take(kind, _, payload)
                kind, _, payload = self._events.get(timeout=timeout)
        except queue.Empty:
            log.warning("LSL inlets did not report within %g s", timeout)
            return []
        return list(payload)

    def poll(self) -> list[tuple[str, str, Any]]:
        """The reports that have arrived, without waiting."""
        out = []
        while self._events is not None:
            try:
                item = self._events.get_nowait()
            except queue.Empty:
                break
            out.append(item)
            self._take(*item)
        return out

    def _take(self, kind: str, name: str, payload: Any) -> None:
        entry = self.streams.get(name)
        if entry is None:
            return
        if kind == "opened":
            entry.update(payload)
        elif kind == "summary":
            entry.update(payload)
        elif kind in ("stopped", "resumed", "warning"):
            entry["events"].append({"kind": kind, **(payload if isinstance(payload, dict) else {"text": payload})})

    def stop(self, timeout: float = 10.0) -> dict[str, dict[str, Any]]:
        if self._process is None:
            return self.streams
        try:
            self._control.send(("stop",))
        except OSError:
            log.debug("LSL inlet process: stop not delivered", exc_info=True)
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.kill()
            log.warning("LSL inlet process did not stop in %g s; killed (rows written so far are kept)", timeout)
        self.poll()
        self._control.close()
        self._process = None
        return self.streams
