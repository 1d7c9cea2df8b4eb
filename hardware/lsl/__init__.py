"""Lab Streaming Layer: our markers and camera frame clocks out, other devices' streams in, on the one clock."""

from __future__ import annotations

from hardware.lsl.config import LSL_FIELDS, LslConfig, StreamRequest, parse_lsl
from hardware.lsl.discovery import StreamSummary, find_stream, list_streams
from hardware.lsl.inlets import StreamRecorder
from hardware.lsl.liblsl import clock_offset, library_text, local_clock
from hardware.lsl.outlets import CAMERA_CHANNELS, CameraOutlet, CameraStreamSpec, MarkerOutlet
from hardware.lsl.tsv import StreamTable, read_stream_tsv

__all__ = [
    "CAMERA_CHANNELS",
    "LSL_FIELDS",
    "CameraOutlet",
    "CameraStreamSpec",
    "LslConfig",
    "MarkerOutlet",
    "StreamRecorder",
    "StreamRequest",
    "StreamSummary",
    "StreamTable",
    "clock_offset",
    "find_stream",
    "library_text",
    "list_streams",
    "local_clock",
    "parse_lsl",
    "read_stream_tsv",
]
