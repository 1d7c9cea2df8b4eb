"""The writer of a camera process that only shows its camera (``elicit cameras preview``): nothing
is written anywhere; frames are taken off the queue and let go, so the read loop runs exactly as
when recording (drops are counted the same way) and the previews are published as usual.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

from hardware.cameras import StreamFormat


class DiscardingWriter:
    """RecordingWriter's interface (run, schedule, summary) without files."""

    def __init__(self, camera: str, fmt: StreamFormat) -> None:
        self.camera = camera
        self.format = fmt
        self.frames_seen = 0

    def schedule(self, rotation: Any) -> None:
        """No files, nothing to rotate."""

    def run(self, frames: queue.Queue, events: Any, health: Any, stop: threading.Event) -> None:
        from hardware.recording.camera_process import QUEUE  # shared-array index

        while frames.get() is not None:
            self.frames_seen += 1
            health[QUEUE] = frames.qsize()

    def summary(self, error: str = "", **extra: Any) -> dict[str, Any]:
        f = self.format
        return {
            "format": {"width": f.width, "height": f.height, "pixel_format": f.pixel_format, "fps": f.fps},
            "frames_written": 0, "files": [], "frames_tsv": None, "warnings": [], "error": error, **extra,
        }  # fmt: skip
