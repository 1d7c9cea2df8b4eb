"""Records every camera of a rig, each in its own process (see hardware/recording/camera_process.py).

    with Recorder(rig, out_dir) as rec:          # start() waits for every camera's first frame
        rec.mark("episode 1 onset", at=t)        # markers.tsv, on the one clock
        rec.new_files("ep01", at=t)              # every camera continues in <camera>_ep01.mkv
        rec.health()                             # live counters per camera
        PreviewReader(rec.preview_names["cam"])  # its latest small picture (previews=True, the default)
    summaries = rec.summaries                    # after stop()

A camera that fails is reported in health() and in its summary; the others keep recording.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hardware import clock
from hardware.cameras import CameraError
from hardware.errors import HardwareError
from hardware.lsl import MarkerOutlet
from hardware.recording import camera_process as acquisition
from hardware.recording.camera_process import AcquisitionJob
from hardware.recording.health import CameraHealth, read_health
from hardware.recording.preview import PreviewSlots
from hardware.rig import Rig

log = logging.getLogger(__name__)


class CamerasNotStarted(CameraError):
    """Raised when one or more cameras did not start recording; every camera was stopped again."""


class RecorderError(HardwareError):
    """Raised when the recorder is used out of order (e.g. a marker while not recording)."""

START_TIMEOUT_S = 20.0


@dataclass
class _Worker:
    name: str
    process: Any
    control: Any
    health: Any


class Recorder:
    def __init__(
        self,
        rig: Rig,
        out_dir: str | Path,
        first_suffix: str = "",
        append: bool = False,
        backpressure: bool = False,
        previews: bool = True,
        lsl: bool = False,  # send the rig's LSL streams (rig.lsl: markers, one per camera) while recording
        record: bool = True,
    ) -> None:
        self.rig = rig
        self.out_dir = Path(out_dir)
        self.first_suffix = first_suffix
        self.append = append
        self.backpressure = backpressure
        self.previews = previews
        self.record = record  # False: the cameras are only shown (previews), nothing is written, no out_dir
        self._slots = PreviewSlots()
        self.errors: dict[str, str] = {}
        self.disk_full = ""  # set when a camera's writer ran out of space: the session must stop
        self.warnings: dict[str, list[str]] = {}
        self.summaries: dict[str, dict[str, Any]] = {}
        self.formats: dict[str, Any] = {}
        self.started_at: float | None = None
        self._workers: dict[str, _Worker] = {}
        self._ctx = mp.get_context("spawn")  # no fork: the parent may hold an OpenGL context
        self._events: Any = None
        self._markers: Any = None
        self.lsl = rig.lsl if lsl else None
        self.marker_outlet: MarkerOutlet | None = None

    # -- life cycle -------------------------------------------------------------------------
    def start(self, timeout: float = START_TIMEOUT_S) -> None:
        """Start every camera; return once each delivers, or stop all and raise CamerasNotStarted."""
        if self.record:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        self._events = self._ctx.Queue()
        for name, settings in self.rig.cameras.items():
            parent_end, child_end = self._ctx.Pipe()
            health = self._ctx.Array("d", acquisition.HEALTH_SIZE, lock=False)
            preview = self._slots.create(name, settings) if self.previews else ""
            job = AcquisitionJob(
                settings, str(self.out_dir), self.first_suffix, self.append, 3.0, self.backpressure, preview,
                self.lsl.camera_spec(name, settings.fps) if self.lsl else None, self.record,
            )
            process = self._ctx.Process(
                target=acquisition.run, args=(job, child_end, self._events, health), name=f"camera-{name}"
            )
            process.start()
            child_end.close()
            self._workers[name] = _Worker(name, process, parent_end, health)
        waiting = set(self._workers)
        deadline = clock.now() + timeout
        while waiting:
            self._drain_events(timeout=0.1)
            waiting -= set(self.formats) | set(self.errors)
            for name in list(waiting):
                process = self._workers[name].process
                if not process.is_alive():
                    self._drain_events(timeout=0.2)
                    self.errors.setdefault(
                        name,
                        f"camera '{name}': recorder process exited (code {process.exitcode}) before starting",
                    )
            if self.errors:
                break
            if clock.now() > deadline:
                self.errors.update({n: f"camera '{n}' did not start within {timeout:g} s" for n in waiting})
                break
        if self.errors:
            self.stop()
            raise CamerasNotStarted("cameras did not start: " + "; ".join(self.errors.values()))
        self.marker_outlet = self.lsl.open_marker_outlet() if self.lsl else None
        self.started_at = clock.now()
        if not self.record:
            return
        fd = os.open(self.out_dir / "markers.tsv", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)
        self._markers = os.fdopen(fd, "a", encoding="utf-8")
        if self._markers.tell() == 0:
            self._markers.write("clock_time\tlabel\n")

    def stop(self, timeout: float = 60.0) -> dict[str, dict[str, Any]]:
        """Stop acquisition, finish every file, return the per-camera summaries."""
        for worker in self._workers.values():
            try:
                worker.control.send(("stop",))
            except OSError:  # that camera's process is gone: its summary or error says why
                log.debug("camera %s: stop not delivered", worker.name, exc_info=True)
        deadline = clock.now() + timeout
        for worker in self._workers.values():
            while worker.process.is_alive() and clock.now() < deadline:
                self._drain_events(timeout=0.1)
                worker.process.join(timeout=0.1)
            if worker.process.is_alive():
                worker.process.kill()  # camera processes ignore SIGINT/SIGTERM (they wait for "stop")
                self.errors.setdefault(worker.name, f"camera '{worker.name}': recorder did not stop in time")
        self._drain_events(timeout=0.2)
        for worker in self._workers.values():
            worker.process.join(timeout=5)
            if worker.name not in self.summaries:
                code = worker.process.exitcode
                self.errors.setdefault(worker.name, f"camera '{worker.name}': recorder process died (exit code {code})")
                self.summaries[worker.name] = {"error": self.errors[worker.name], "frames_written": None}
            worker.control.close()
        if self._markers is not None:
            try:
                self._markers.close()
            except OSError:  # a full disk: the last marker rows were not written
                pass
            self._markers = None
        self._workers.clear()
        self._slots.close()  # readers still attached keep their mapping until they close
        return self.summaries

    def __enter__(self) -> Recorder:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._workers:
            self.stop()

    # -- while recording --------------------------------------------------------------------
    def mark(self, label: str, at: float | None = None) -> float:
        """Write a marker (clock time, label) to markers.tsv and return its time."""
        if self._markers is None:
            raise RecorderError("mark() while not recording")
        at = clock.now() if at is None else at
        clean = " ".join(label.split())  # no tabs or newlines in a TSV cell
        self._markers.write(f"{at:.6f}\t{clean}\n")
        self._markers.flush()
        if self.marker_outlet is not None:
            self.marker_outlet.push({"source": "recorder", "label": clean}, at)
        return at

    def new_files(self, suffix: str, at: float | None = None) -> float:
        """From the first frame with host_time >= at, every camera writes <camera>_<suffix>.mkv."""
        at = clock.now() if at is None else at
        for worker in self._workers.values():
            try:
                worker.control.send(("rotate", suffix, at))
            except OSError:  # that camera has failed; its error is in health()
                log.debug("camera %s: rotation not delivered", worker.name, exc_info=True)
        return at

    @property
    def preview_names(self) -> dict[str, str]:
        """Camera name -> its preview slot's shared-memory name: open with hardware.recording.PreviewReader."""
        return self._slots.names

    def camera_pids(self) -> dict[str, int]:
        """Process id of each camera's recorder process (for CPU accounting and fault tests)."""
        return {name: worker.process.pid for name, worker in self._workers.items()}

    def poll(self) -> None:
        """Take in the cameras' reports (errors, warnings, disk_full) without waiting."""
        self._drain_events(timeout=0)

    def health(self) -> dict[str, CameraHealth]:
        self._drain_events(timeout=0)
        out = {}
        for name, worker in self._workers.items():
            h = worker.health
            state = acquisition.STATE_NAMES.get(h[acquisition.STATE], "unknown")
            if not worker.process.is_alive() and name not in self.summaries:
                state = "failed"
                self.errors.setdefault(
                    name, f"camera '{name}': recorder process died (exit code {worker.process.exitcode})"
                )
            out[name] = read_health(name, state, h, self.errors.get(name, ""))
        return out

    def _drain_events(self, timeout: float) -> None:
        if self._events is None:
            return
        while True:
            try:
                kind, name, payload = (
                    self._events.get(timeout=timeout) if timeout else self._events.get_nowait()
                )
            except queue.Empty:
                return
            timeout = 0
            if kind == "ready":
                self.formats[name] = payload
            elif kind == "error":
                self.errors[name] = payload
            elif kind == "disk_full":
                self.disk_full = self.disk_full or payload
            elif kind == "warning":
                self.warnings.setdefault(name, []).append(payload)
            elif kind == "summary":
                self.summaries[name] = payload
