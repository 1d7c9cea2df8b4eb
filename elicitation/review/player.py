"""Playback of one episode's recording for the participant's self-review, decoded ahead off the render path.

Only the participant's own recording of the session is ever shown: a ReviewClip is built from the
session's video folder and frames.tsv (the file must be one the recorder wrote for that camera), and
each frame keeps its host_time and file_frame so a flag names exactly the frame on screen.

A background thread decodes with the bundled ffmpeg into a bounded queue (a few seconds ahead), so the
first frame is on screen as soon as ffmpeg delivers it and playback keeps the recording's own timing
(frame k is shown host_time[k] - host_time[0] after play started). The episode's file may still be
being finished by the recorder when the review starts: decoding that ends short of the frames listed
in frames.tsv waits and resumes where it stopped (for at most FINISH_WAIT_S).
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from elicitation.errors import ElicitationError
from hardware.cameras import debayer, is_bayer
from hardware.scheduling import REVIEW_DECODE_NICE, lower_priority, name_this_thread
from hardware.video import iter_frames, read_frames_tsv

AHEAD_FRAMES = 180  # decoded frames held ready (3 s at 60 fps)
HISTORY_FRAMES = 120  # shown frames kept for stepping back
FINISH_WAIT_S = 5.0


class ReviewError(ElicitationError):
    """Raised when a recording cannot be reviewed (not the session's own, missing, empty)."""


@dataclass(frozen=True)
class ReviewClip:
    camera: str
    video: Path
    host_time: np.ndarray  # per file frame, the one clock
    pixel_format: str

    @classmethod
    def from_session(cls, session: Path, camera: str, file_name: str, pixel_format: str) -> ReviewClip:
        video_dir = Path(session) / "video"
        if Path(file_name).name != file_name or not file_name.startswith(f"{camera}_"):
            raise ReviewError(f"{file_name!r} is not a recording of camera {camera} in this session")
        video, table_path = video_dir / file_name, video_dir / f"{camera}_frames.tsv"
        if not video.is_file() or not table_path.is_file():
            raise ReviewError(f"{video} or {table_path} is missing: nothing to review")
        table = read_frames_tsv(table_path)
        rows = table.rows_in_file(file_name)
        if not len(rows):
            raise ReviewError(f"{table_path} lists no frame of {file_name}: it is not this session's recording")
        order = np.argsort(table.file_frame[rows])
        return cls(camera, video, np.asarray(table.host_time[rows][order]), pixel_format)

    def __len__(self) -> int:
        return len(self.host_time)


class FrameFeed:
    """Decodes frames first..end of a clip into a queue of (index, RGB array) from a background thread."""

    def __init__(self, clip: ReviewClip, first: int = 0) -> None:
        self.clip, self.first = clip, first
        self.frames: queue.Queue[tuple[int, np.ndarray] | None] = queue.Queue(maxsize=AHEAD_FRAMES)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _rgb(self, frame: np.ndarray) -> np.ndarray:
        fmt = self.clip.pixel_format
        if is_bayer(fmt):
            return debayer(frame, fmt, "RGB")
        if frame.ndim == 2:
            return np.repeat(frame[:, :, None], 3, axis=2)
        return frame[:, :, ::-1]  # BGR -> RGB

    def _run(self) -> None:
        name_this_thread("review-decode")
        lower_priority(REVIEW_DECODE_NICE)  # its ffmpeg decoder inherits this: below the cameras' encoders
        mode = "gray" if self.clip.pixel_format == "mono8" or is_bayer(self.clip.pixel_format) else "bgr24"
        index, deadline = 0, time.monotonic() + FINISH_WAIT_S
        while not self._stop.is_set() and index < len(self.clip):
            decoded = 0
            for k, frame in enumerate(iter_frames(self.clip.video, mode)):
                if k < index or k < self.first:
                    continue
                if not self._put((k, self._rgb(frame))):
                    return
                index, decoded = k + 1, decoded + 1
            if index >= len(self.clip) or time.monotonic() > deadline:
                break
            time.sleep(0.3)  # the recorder is still finishing the file: read on where we stopped
            index = max(index, self.first)
        self._put(None)  # the end

    def _put(self, item: tuple[int, np.ndarray] | None) -> bool:
        while not self._stop.is_set():
            try:
                self.frames.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._drain()  # the frames decoded ahead are let go now, not when the last reference goes

    def _drain(self) -> None:
        while True:
            try:
                self.frames.get_nowait()
            except queue.Empty:
                return


class Player:
    """What frame to show now: plays at the recording's timing, pauses, steps, replays."""

    def __init__(self, clip: ReviewClip) -> None:
        self.clip = clip
        self.feed = FrameFeed(clip)
        self.index = -1
        self.image: np.ndarray | None = None
        self.playing = True
        self.ended = False
        self._clock0: float | None = None  # clock time at which frame `_frame0` was due
        self._frame0 = 0
        self._history: deque[tuple[int, np.ndarray]] = deque(maxlen=HISTORY_FRAMES)
        self._pending: tuple[int, np.ndarray] | None = None

    def _next(self, block: bool) -> tuple[int, np.ndarray] | None:
        if self._pending is not None:
            item, self._pending = self._pending, None
            return item
        try:
            item = self.feed.frames.get(timeout=2.0) if block else self.feed.frames.get_nowait()
        except queue.Empty:
            return None
        if item is None:
            self.ended = True
        return item

    def _show(self, item: tuple[int, np.ndarray]) -> None:
        self.index, self.image = item
        self._history.append(item)

    def update(self, now: float) -> None:
        """Advance to the newest frame that is due at clock time `now` (the first frame: wait for it)."""
        if self.image is None:
            item = self._next(block=True)
            if item is not None:
                self._show(item)
                self._clock0, self._frame0 = now, item[0]
            return
        if not self.playing or self.ended or self._clock0 is None:
            return
        due = self.clip.host_time[self._frame0] + (now - self._clock0)
        while True:
            item = self._next(block=False)
            if item is None:
                return
            if self.clip.host_time[item[0]] > due:
                self._pending = item
                return
            self._show(item)

    def toggle(self, now: float) -> None:
        self.playing = not self.playing
        if self.playing:
            self._clock0, self._frame0 = now, max(self.index, 0)

    def step(self, delta: int) -> None:
        """While paused: one frame back (from the recent history) or forward."""
        if self.playing:
            return
        if delta < 0:
            earlier = [item for item in self._history if item[0] < self.index]
            if earlier:
                self.index, self.image = earlier[-1]
            return
        later = [item for item in self._history if item[0] > self.index]
        if later:
            self.index, self.image = later[0]
            return
        item = self._next(block=True)
        if item is not None:
            self._show(item)

    def replay(self, now: float) -> None:
        self.feed.close()
        self.feed = FrameFeed(self.clip)
        self.index, self.image, self._pending, self.ended = -1, None, None, False
        self._history.clear()
        self.playing = True
        self.update(now)

    def close(self) -> None:
        self.feed.close()
        self._history.clear()
        self.image, self._pending = None, None
