"""The per-camera recorder process.

Main thread: the camera's read loop, and nothing else. It never touches disk or logs: each frame
goes into an in-memory queue, the shared health counters are updated, and that is all.
Writer thread: takes frames from the queue, hands them to ffmpeg and appends frames.tsv rows.
Preview thread (when the job names a preview slot): the read loop hands it a frame reference at most
10 times a second; it converts, downscales and publishes into shared memory (hardware/recording/preview.py).
Control thread: receives commands from the parent (new file at a time, stop); if the parent dies,
its pipe closes and we stop cleanly, so every file is finished.

Frames are held back HOLDBACK_S before writing, so that a "new file at time t" command that
arrives a little after t (the experiment knows a flip time only after the flip) still splits the
files at exactly the first frame with host_time >= t.
"""

from __future__ import annotations

import collections
import logging
import os
import queue
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from hardware import clock
from hardware.cameras import CameraError, CameraSettings, FrameTimeout, create_camera
from hardware.lsl import CameraOutlet, CameraStreamSpec
from hardware.recording.preview import PreviewPublisher
from hardware.recording.viewer import DiscardingWriter
from hardware.recording.writer import HOLDBACK_S, RecordingWriter, Rotation
from hardware.scheduling import name_this_thread

log = logging.getLogger(__name__)

# indices into the shared health array
FRAMES, WRITTEN, DROPPED, LOST, QUEUE, FPS, STATE, LAST_TIME = range(8)
HEALTH_SIZE = 8
STARTING, RUNNING, STOPPED, FAILED = 0.0, 1.0, 2.0, 3.0
STATE_NAMES = {STARTING: "starting", RUNNING: "running", STOPPED: "stopped", FAILED: "failed"}

NO_FRAME_LIMIT_S = 5.0  # a camera silent this long is treated as gone


@dataclass(frozen=True)
class AcquisitionJob:
    settings: CameraSettings
    out_dir: str
    first_suffix: str = ""
    append: bool = False
    buffer_seconds: float = 3.0
    backpressure: bool = False  # benchmarks: wait for the writer instead of dropping
    preview: str = ""  # shared-memory name of this camera's preview slot ("" = no previews)
    lsl: CameraStreamSpec | None = None  # an LSL stream with one sample per frame written
    record: bool = True  # False: show only (elicit cameras preview): frames are let go, no files


def run(job: AcquisitionJob, control: Connection, events: Any, health: Any) -> None:
    """Process entry point. Reports ("ready"|"error"|"warning"|"summary"|"disk_full", camera, payload).

    Ctrl-C in a terminal signals the whole process group: this process ignores SIGINT (and SIGTERM
    from a group kill, SIGHUP from a closed terminal) and waits for the parent's "stop", so files are
    finished in order. Every file it creates (videos, frames.tsv) is private to the user (umask 077: 0600).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a closed terminal: the session stops us in order
    os.umask(0o077)
    name = job.settings.name
    name_this_thread(f"cam {name}")  # the read loop: `ps -L` and bench/demo.py tell the cameras apart
    camera = create_camera(job.settings)
    try:
        camera.open()
        fmt = camera.configure(job.settings)
        # benchmarks push frames as fast as the writer takes them and need no marker hold-back
        holdback = 0.0 if job.backpressure else HOLDBACK_S
        outlet = _open_outlet(job, events) if job.record else None
        writer: Any = (
            RecordingWriter(name, fmt, job.out_dir, job.first_suffix, job.append, holdback, outlet)
            if job.record
            else DiscardingWriter(name, fmt)
        )
    except Exception as exc:  # open/configure errors go to the experimenter, not a traceback
        health[STATE] = FAILED
        events.put(
            ("error", name, f"{exc}" if isinstance(exc, CameraError) else f"{exc.__class__.__name__}: {exc}")
        )
        _safe_close(camera)
        return

    frames: queue.Queue = queue.Queue(maxsize=max(2, int(job.buffer_seconds * fmt.fps)))
    stop = threading.Event()
    writer_thread = threading.Thread(
        target=writer.run, args=(frames, events, health, stop), name=f"{name}-writer", daemon=True
    )
    control_thread = threading.Thread(target=_listen, args=(control, writer, stop), daemon=True)
    writer_thread.start()
    control_thread.start()

    error = ""
    try:
        preview = PreviewPublisher(job.preview, fmt.pixel_format) if job.preview else None
    except Exception as exc:  # noqa: BLE001 - no preview then; the recording goes on
        preview = None
        events.put(("warning", name, f"camera '{name}': no preview ({exc})"))
    recent: collections.deque[float] = collections.deque()
    last_id: int | None = None
    dropped = lost = count = 0
    try:
        camera.start()
        events.put(("ready", name, fmt))
        health[STATE] = RUNNING
        silent_since = clock.now()
        while not stop.is_set():
            try:
                frame = camera.read(timeout=0.5)
            except FrameTimeout:
                if clock.now() - silent_since > NO_FRAME_LIMIT_S:
                    raise CameraError(
                        f"camera '{name}' delivered no frame for {NO_FRAME_LIMIT_S:g} s"
                    ) from None
                continue
            silent_since = frame.host_time
            if last_id is not None and frame.frame_id > last_id + 1:
                dropped += frame.frame_id - last_id - 1
            last_id = frame.frame_id
            try:
                if job.backpressure:
                    frames.put(frame)
                else:
                    frames.put_nowait(frame)
            except queue.Full:
                lost += 1  # the writer fell behind: counted, and visible as an id gap in frames.tsv
            count += 1
            if preview is not None and preview.due(frame.host_time):
                preview.offer(frame)  # a reference for the preview thread: no copy, no wait
            recent.append(frame.host_time)
            while recent and recent[0] < frame.host_time - 1.0:
                recent.popleft()
            health[FRAMES], health[DROPPED], health[LOST] = count, dropped + lost, lost
            health[QUEUE], health[FPS], health[LAST_TIME] = frames.qsize(), len(recent), frame.host_time
    except CameraError as exc:
        error = str(exc)
    except Exception as exc:  # keep the files whatever happened
        error = f"{exc.__class__.__name__}: {exc}"
    finally:
        _safe_close(camera)
        if preview is not None:
            preview.close()
        if error:
            health[STATE] = FAILED
            events.put(("error", name, error))
        frames.put(None)  # the writer drains everything before it stops
        writer_thread.join()
        if outlet is not None:
            outlet.linger()
    summary = writer.summary(
        frames_acquired=count, dropped=dropped + lost, lost_in_recorder=lost, error=error
    )
    if summary["error"] and not error:
        health[STATE] = FAILED
    elif not error:
        health[STATE] = STOPPED
    events.put(("summary", name, summary))


def _open_outlet(job: AcquisitionJob, events: Any) -> CameraOutlet | None:
    """The camera's LSL stream; a failure to open it is a warning, the recording goes on without it."""
    if job.lsl is None:
        return None
    try:
        return CameraOutlet(job.lsl)
    except Exception as exc:  # noqa: BLE001 - liblsl's own errors
        events.put(("warning", job.settings.name, f"LSL stream {job.lsl.name} not opened: {exc}"))
        return None


def _listen(control: Connection, writer: RecordingWriter, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            if not control.poll(0.2):
                continue
            message = control.recv()
        except (EOFError, OSError):  # the parent is gone: finish the files
            stop.set()
            return
        if message[0] == "stop":
            stop.set()
        elif message[0] == "rotate":
            writer.schedule(Rotation(suffix=message[1], at=message[2]))


def _safe_close(camera: Any) -> None:
    for step in (camera.stop, camera.close):
        try:
            step()
        except Exception:  # noqa: BLE001 - teardown must continue
            log.debug("camera %s: %s() failed in teardown", getattr(camera, "name", "?"), step.__name__, exc_info=True)
