"""What a session sends: its marker stream and one frame stream per camera.

Marker stream (``<prefix>_markers``, type Markers, one string channel, irregular rate): one
sample per events.tsv row as it is written and one per recorder marker, each a JSON object
stamped with its own clock time (a flip time), not the time it was pushed:

    {"source": "events", "trial_type": "episode", "episode": "01", "stimulus": "demo1.mp4",
     "duration": 6.01, "onset": 40.12}
    {"source": "recorder", "label": "episode 01 onset"}

events.tsv rows are written when an event ends, so their samples arrive after later recorder
markers: the stream is in order of writing, not of timestamps (XDF readers keep both).

Camera stream (``<prefix>_<camera>``, type VideoFrames, three double channels at the camera's
nominal rate): ``camera_frame_id``, ``frame`` (frames.tsv's row index) and ``file_index`` (the
file is the file_index-th distinct ``file`` of video/<camera>_frames.tsv, counting from 0),
stamped with the frame's host_time and pushed by the camera process's writer thread as the
frames.tsv row is written: one sample per row, never from the camera's read loop. Doubles hold
integers exactly up to 2**53 and every XDF reader knows them.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from hardware.lsl.liblsl import pylsl

log = logging.getLogger(__name__)

CAMERA_CHANNELS = ("camera_frame_id", "frame", "file_index")
MANUFACTURER = "casme-elicitation"


def _describe(info: Any, **values: str) -> None:
    desc = info.desc()
    desc.append_child_value("manufacturer", MANUFACTURER)
    desc.append_child_value("clock", "CLOCK_MONOTONIC")
    for key, value in values.items():
        desc.append_child_value(key, value)


class MarkerOutlet:
    def __init__(self, name: str, source_id: str) -> None:
        lsl = pylsl()
        info = lsl.StreamInfo(name, "Markers", 1, lsl.IRREGULAR_RATE, lsl.cf_string, source_id)
        info.set_channel_labels(["marker"])
        _describe(info, format="json")
        self.name, self.source_id = name, source_id
        self._outlet = lsl.StreamOutlet(info)
        self.pushed = 0

    def push(self, payload: dict[str, Any], at: float) -> None:
        """One marker stamped `at` (clock seconds). Never raises: a marker is not worth a session."""
        try:
            self._outlet.push_sample([json.dumps(payload, separators=(",", ":"))], timestamp=at)
            self.pushed += 1
        except Exception:  # noqa: BLE001 - liblsl refusing a sample must not stop the experiment
            log.warning("LSL marker %r not sent", payload, exc_info=True)


@dataclass(frozen=True)
class CameraStreamSpec:
    """What a camera process needs to open its frame stream (picklable for the spawn)."""

    name: str
    source_id: str
    camera: str
    fps: float


class CameraOutlet:
    def __init__(self, spec: CameraStreamSpec) -> None:
        lsl = pylsl()
        info = lsl.StreamInfo(spec.name, "VideoFrames", len(CAMERA_CHANNELS), spec.fps, lsl.cf_double64,
                              spec.source_id)  # fmt: skip
        info.set_channel_labels(list(CAMERA_CHANNELS))
        _describe(info, camera=spec.camera, frames_tsv=f"video/{spec.camera}_frames.tsv",
                  file_index="the file_index-th distinct file of frames_tsv, from 0")  # fmt: skip
        self.spec = spec
        self._outlet = lsl.StreamOutlet(info)
        self.failed = False

    def push(self, camera_frame_id: int, frame: int, file_index: int, host_time: float) -> None:
        if self.failed:
            return
        try:
            self._outlet.push_sample([float(camera_frame_id), float(frame), float(file_index)], timestamp=host_time)
        except Exception:  # noqa: BLE001 - the recording goes on without its LSL copy
            self.failed = True
            log.warning("LSL stream %s stopped", self.spec.name, exc_info=True)

    def linger(self, seconds: float = 0.5) -> None:
        """Before the process ends: the last samples are still in liblsl's send buffer; with a consumer
        connected, give them time to go out (a process that exits at once cuts them off)."""
        try:
            if not self.failed and self._outlet.have_consumers():
                time.sleep(seconds)
        except Exception:  # noqa: BLE001 - ending anyway
            log.debug("LSL stream %s: no linger", self.spec.name, exc_info=True)
