"""The writer side of one camera's recording: video files, their rotation at markers, frames.tsv.

Runs on the writer thread of the camera's process (hardware/recording/camera_process.py); the read loop only
puts frames into the queue this drains.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hardware import clock
from hardware.cameras.base import Frame, StreamFormat
from hardware.lsl import CameraOutlet
from hardware.scheduling import name_this_thread
from hardware.video import (
    DiskFull,
    FramesTsvWriter,
    VideoFileError,
    VideoWriter,
    WriterError,
    count_frames,
    drop_rows_beyond,
    is_disk_full,
    read_frames_tsv,
)
from hardware.video.consistency import rows_per_file

HOLDBACK_S = 0.25  # a new-file command may arrive this late and still split at the exact frame


@dataclass(frozen=True)
class Rotation:
    suffix: str
    at: float  # clock time: frames with host_time >= at go to the new file


def video_name(camera: str, suffix: str) -> str:
    return f"{camera}_{suffix}.mkv" if suffix else f"{camera}.mkv"


class RecordingWriter:
    def __init__(
        self, camera: str, fmt: StreamFormat, out_dir: str, first_suffix: str, append: bool, holdback_s: float,
        outlet: CameraOutlet | None = None,
    ) -> None:
        self.camera = camera
        self.holdback_s = holdback_s
        self.format = fmt
        self.out_dir = Path(out_dir)
        self.tsv = FramesTsvWriter(self.out_dir / f"{camera}_frames.tsv", append=append)
        self.files: list[dict[str, Any]] = []
        self.warnings: list[str] = []
        self.error = ""
        self.frames_written = 0
        self._pending: list[Rotation] = []
        self._lock = threading.Lock()
        self._video = self._open(first_suffix)
        self._last_time = float("-inf")
        self._closers: list[threading.Thread] = []
        self._failed_files: set[str] = set()  # files whose encoder failed: checked against their rows
        self.outlet = outlet  # LSL: one sample per row written (hardware/lsl/outlets.py)
        self._file_index = _distinct_files(self.tsv.path) - 1 if outlet is not None and append else -1

    def _open(self, suffix: str) -> VideoWriter:
        video = VideoWriter(self.out_dir / video_name(self.camera, suffix), self.format)
        self.files.append(
            {"file": video.path.name, "frames": 0, "first_host_time": None, "last_host_time": None}
        )
        return video

    def schedule(self, rotation: Rotation) -> None:
        """Called from the control thread."""
        with self._lock:
            self._pending.append(rotation)
            self._pending.sort(key=lambda r: r.at)

    def _due_rotation(self, host_time: float) -> Rotation | None:
        with self._lock:
            if self._pending and self._pending[0].at <= host_time:
                due = [r for r in self._pending if r.at <= host_time]
                self._pending = self._pending[len(due) :]
                if len(due) > 1:
                    skipped = ", ".join(r.suffix for r in due[:-1])
                    self.warnings.append(f"files {skipped} would hold no frame; not created")
                return due[-1]
        return None

    def _rotate(self, rotation: Rotation) -> None:
        if rotation.at < self._last_time:
            late_ms = (self._last_time - rotation.at) * 1000
            self.warnings.append(
                f"new file '{rotation.suffix}' requested {late_ms:.0f} ms after "
                "frames past its time were written"
            )
        old, self._video = self._video, self._open(rotation.suffix)
        # finishing the old file must not stall this thread: ffmpeg flushes in the background
        closer = threading.Thread(target=self._close_quietly, args=(old,), daemon=True)
        closer.start()
        self._closers.append(closer)

    def _close_quietly(self, video: VideoWriter) -> None:
        try:
            video.close()
        except WriterError as exc:
            self.error = self.error or str(exc)
            self._failed_files.add(video.path.name)

    def run(self, frames: queue.Queue, events: Any, health: Any, stop: threading.Event) -> None:
        """Writer thread body: drain the queue until the None sentinel."""
        from hardware.recording.camera_process import QUEUE, WRITTEN  # shared-array indices

        name_this_thread(f"write {self.camera}")
        while True:
            frame: Frame | None = frames.get()
            if frame is None:
                break
            if self.error:
                continue  # a failed writer drains the queue so the read loop never blocks
            wait = frame.host_time + self.holdback_s - clock.now()
            if wait > 0 and not stop.is_set():
                time.sleep(wait)
            try:
                rotation = self._due_rotation(frame.host_time)
                if rotation is not None:
                    self._rotate(rotation)
                self._write(frame)
            except (WriterError, OSError) as exc:
                if is_disk_full(exc):
                    exc = exc if isinstance(exc, DiskFull) else DiskFull(self.out_dir)
                    events.put(("disk_full", self.camera, str(exc)))
                self.error = str(exc)
                self._failed_files.add(self.files[-1]["file"])
                events.put(("error", self.camera, f"writing failed: {exc}"))
                stop.set()
                continue
            health[WRITTEN] = self.frames_written
            health[QUEUE] = frames.qsize()
        self._finish()

    def _write(self, frame: Frame) -> None:
        self._video.write(frame)
        entry = self.files[-1]
        if entry["first_host_time"] is None:
            entry["first_host_time"] = frame.host_time
        entry["last_host_time"] = frame.host_time
        file_frame = entry["frames"]
        entry["frames"] += 1
        # the row is written only once ffmpeg has the frame, so frames.tsv never lists a frame the
        # video cannot have
        self.tsv.write(frame.frame_id, frame.host_time, frame.camera_time, entry["file"], file_frame)
        if self.outlet is not None:
            self._file_index += file_frame == 0  # the n-th distinct file of frames.tsv
            self.outlet.push(frame.frame_id, self.tsv.next_frame - 1, self._file_index, frame.host_time)
        self.tsv.flush_if_due(frame.host_time)
        self.frames_written += 1
        self._last_time = frame.host_time

    def _finish(self) -> None:
        try:
            self._video.close()
        except WriterError as exc:
            self.error = self.error or str(exc)
            self._failed_files.add(self._video.path.name)
        for closer in self._closers:
            closer.join()
        try:
            self.tsv.close()  # on a full disk the last rows fail; the file is cut back to whole rows
        except OSError as exc:
            self.error = self.error or str(DiskFull(self.out_dir) if is_disk_full(exc) else exc)
            self._failed_files.add(self.files[-1]["file"])
        if self._failed_files:
            self._recount()
        for entry in self.files:
            if entry["file"] in self._failed_files:
                self._reconcile(entry)

    def _recount(self) -> None:
        """After a failure the counts are the rows frames.tsv really holds: a flush that failed on a full
        disk (and again at the close) lost its rows, and the frame whose flush failed was never counted."""
        try:
            rows = rows_per_file(self.tsv.path)
        except (OSError, ValueError):
            return
        for entry in self.files:
            entry["frames"] = min(entry["frames"], rows.get(entry["file"], 0))
        self.frames_written = sum(entry["frames"] for entry in self.files)

    def _reconcile(self, entry: dict[str, Any]) -> None:
        """After an encoder failure, make frames.tsv list only the frames the file really holds."""
        try:
            held = count_frames(self.out_dir / entry["file"])
        except VideoFileError:
            held = 0
        if held < entry["frames"]:
            removed = drop_rows_beyond(self.tsv.path, entry["file"], held)
            self.warnings.append(
                f"{entry['file']} holds {held} of the {entry['frames']} frames sent to it; "
                f"{removed} rows for frames lost in the failed encoder were removed from {self.tsv.path.name}"
            )
            self.frames_written -= entry["frames"] - held
            entry["frames"] = held
            entry["rows_dropped"] = removed

    def summary(self, error: str = "", **extra: Any) -> dict[str, Any]:
        errors = dict.fromkeys(e for e in (error, self.error) if e)  # ordered, no repeats
        return {
            "format": {
                "width": self.format.width,
                "height": self.format.height,
                "pixel_format": self.format.pixel_format,
                "fps": self.format.fps,
            },
            "frames_written": self.frames_written,
            "files": self.files,
            "frames_tsv": self.tsv.path.name,
            "warnings": self.warnings,
            "error": "; ".join(errors),
            **extra,
        }


def _distinct_files(path: Path) -> int:
    """How many distinct files an existing frames.tsv lists (a resumed run's LSL file_index goes on from it)."""
    return len(set(read_frames_tsv(path).file)) if path.exists() else 0
