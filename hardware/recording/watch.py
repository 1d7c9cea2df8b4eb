"""The framing watch: a process of its own that runs the framing checks on the cameras' previews.

    watch = FramingWatch(recorder.preview_names, watched="gras", thresholds={...}, on_result=callback)
    watch.start()                      # returns at once; results follow within a second or two
    watch.set_reference("gras", 412.0) # the check-in focus, the reference of the focus check
    watch.stop()

The watched camera (the review camera: face-lost detection) is checked on every new preview (at most
PREVIEW_HZ a second); the others every ``every_s``. Each result reaches ``on_result(camera, host_time,
camera_frame_id, framing)`` (framing: hardware.vision.Framing.as_dict()) from a thread of the caller's
process that only waits on the pipe. Detection runs in the watch process, never in the caller's: a
face detector holding the GIL must not delay the experiment's flips.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from hardware import clock
from hardware.recording.preview import PreviewReader
from hardware.scheduling import lower_priority, name_this_thread
from hardware.vision import FramingThresholds, check_framing

log = logging.getLogger(__name__)

OnResult = Callable[[str, float, int, dict[str, Any]], None]
IDLE_S = 0.02


@dataclass(frozen=True)
class WatchJob:
    previews: dict[str, str]  # camera -> preview slot name
    watched: str
    thresholds: dict[str, FramingThresholds] = field(default_factory=dict)
    every_s: float = 0.5


def _exit_on_term(signum: int, frame: Any) -> None:
    raise SystemExit(0)  # the readers close in run's finally; multiprocessing's exit handler can join us


def run(job: WatchJob, conn: Connection) -> None:
    """Process entry point: check previews until told to stop or the parent's end of the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops us
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a closed terminal: likewise
    signal.signal(signal.SIGTERM, _exit_on_term)  # nothing to finish here: a SIGTERM must end us, never hang
    name_this_thread("framing-watch")
    lower_priority()  # face detection can wait; the cameras' read loops and encoders cannot
    readers = {camera: PreviewReader(name) for camera, name in job.previews.items()}
    references: dict[str, float] = {}
    seen: dict[str, int] = {}
    due: dict[str, float] = {}
    try:
        while True:
            try:
                while conn.poll():
                    message = conn.recv()
                    if message[0] == "stop":
                        return
                    if message[0] == "reference":
                        references[message[1]] = message[2]
            except (EOFError, OSError):
                return
            worked = False
            for camera, reader in readers.items():
                frame = reader.latest()
                if frame is None or frame.seq == seen.get(camera):
                    continue
                now = clock.now()
                if camera != job.watched and now < due.get(camera, 0.0):
                    continue
                seen[camera], due[camera] = frame.seq, now + job.every_s
                thresholds = job.thresholds.get(camera, FramingThresholds())
                framing = check_framing(frame.image, thresholds, references.get(camera))
                conn.send(("framing", camera, frame.host_time, frame.camera_frame_id, framing.as_dict()))
                worked = True
            if not worked:
                time.sleep(IDLE_S)
    finally:
        for reader in readers.values():
            reader.close()


class FramingWatch:
    """The caller's handle on the watch process."""

    def __init__(
        self,
        previews: dict[str, str],
        watched: str,
        on_result: OnResult,
        thresholds: dict[str, FramingThresholds] | None = None,
        every_s: float = 0.5,
    ) -> None:
        self.job = WatchJob(dict(previews), watched, dict(thresholds or {}), every_s)
        self._on_result = on_result
        self._ctx = mp.get_context("spawn")
        self._conn: Connection | None = None
        self._process: Any = None
        self._thread: threading.Thread | None = None
        self._send_lock = threading.Lock()

    def start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._process = self._ctx.Process(target=run, args=(self.job, child), name="framing-watch", daemon=True)
        self._process.start()
        child.close()
        self._conn = parent
        self._thread = threading.Thread(target=self._drain, name="framing-watch", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        conn = self._conn
        assert conn is not None
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return
            if message[0] == "framing":
                try:
                    self._on_result(*message[1:])
                except Exception:  # noqa: BLE001 - a bad consumer must not end the watch
                    log.exception("framing result of camera %s not taken", message[1])

    def set_reference(self, camera: str, focus: float) -> None:
        self._send(("reference", camera, float(focus)))

    def _send(self, message: tuple) -> None:
        with self._send_lock:
            if self._conn is not None:
                try:
                    self._conn.send(message)
                except OSError:
                    log.debug("framing watch gone", exc_info=True)

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        if self._process is None:
            return
        self._send(("stop",))
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(1)
        if self._thread is not None:
            self._thread.join(2)  # the process is gone: its end of the pipe closed, recv ends
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = self._thread = None
