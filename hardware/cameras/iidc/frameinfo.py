"""Per-frame facts for IIDC cameras: time stamps on the one clock, frame ids, drops, and the preview.

Which clock the library's timestamp is on (libdc1394 2.2.x, Linux "juju" firewire-cdev stack):
``dc1394video_frame_t.timestamp`` is "the unix time [microseconds]" (video.h:126). The juju capture code
computes it as ``local_time`` from the FW_CDEV_IOC_GET_CYCLE_TIMER ioctl minus the frame's latency on
the bus (dc1394/juju/capture.c, dc1394_juju_capture_dequeue), and the kernel fills ``local_time``
from CLOCK_REALTIME (/usr/include/linux/firewire-cdev.h:890-893; libdc1394.so.25 uses that ioctl, not
GET_CYCLE_TIMER2). So it is wall-clock time of the start of the frame's transfer: we subtract the
current CLOCK_REALTIME - CLOCK_MONOTONIC offset to put it on hardware.clock.

Drops. ``frame.id`` is the frame's slot in the DMA ring (video.h:130), not a counter, and juju always
reports ``frames_behind = 0``. ``frames_behind`` (video.h:128) counts frames still waiting in the ring:
they are delivered by the next reads, so a backlog is not a loss. A frame is lost when the ring is full
(nothing queued for the DMA); that shows as a gap in the camera's frame counter, or else in the time
stamps. Point Grey cameras embed their frame counter and 1394 cycle time in the first pixels of each
image when the FRAME_INFO register 12F8h asks for it (Point Grey register reference / FLIR KB
"Embedding frame-specific data into the first N pixels of an image"); we use them when present.
"""

from __future__ import annotations

import ctypes
import time
from typing import Any

import numpy as np

from hardware.cameras.base import CameraError, Frame, StreamFormat
from hardware.cameras.pixel_formats import debayer, is_bayer

PGR_VENDOR_ID = 0x00B09D  # Point Grey's IEEE OUI (also the GUID prefix; udev: ATTR{units}=="*0x00b09d:…")
FRAME_INFO_REGISTER = 0x12F8  # Point Grey FRAME_INFO, offset from the IIDC command registers base
BAYER_TILE_REGISTER = 0x1040  # Point Grey BAYER_TILE_MAPPING: four ASCII letters, e.g. "RGGB"
FRAME_INFO_PRESENT = 0x80000000
FRAME_INFO_FIELDS = 0x3FF  # timestamp, gain, shutter, brightness, exposure, WB, counter, strobe, GPIO, ROI
FRAME_INFO_TIMESTAMP = 0x001  # 1394 cycle time, first in the image when enabled
FRAME_INFO_COUNTER = 0x040  # 32-bit frame counter (data[24] when all fields are on: the 7th quadlet)
BAYER_TILES = {"RGGB": "bayer_rggb8", "GBRG": "bayer_gbrg8", "GRBG": "bayer_grbg8", "BGGR": "bayer_bggr8"}

CYCLES_PER_SECOND = 8000  # one isochronous cycle every 125 µs
CYCLE_SECONDS_WRAP = 128  # the cycle time's seconds field has 7 bits


def bayer_from_register(value: int) -> str | None:
    """Decode BAYER_TILE_MAPPING (e.g. 0x52474742 = 'RGGB'); None for mono ('YYYY') or unknown."""
    return BAYER_TILES.get(value.to_bytes(4, "big").decode("ascii", errors="replace"))


def quadlet_offset(enabled: int, field: int) -> int | None:
    """Byte offset of one embedded field: enabled fields fill the image in bit order, 4 bytes each."""
    if not enabled & field:
        return None
    return 4 * bin(enabled & (field - 1) & FRAME_INFO_FIELDS).count("1")


def cycle_time_seconds(quadlet: int) -> float:
    """1394 cycle time -> seconds: 7 bits seconds, 13 bits cycles (of 125 µs), 12 bits offset (of 1/3072)."""
    quadlet &= 0xFFFFFFF0  # some cameras put a 4-bit frame count in the lowest offset bits
    seconds = (quadlet >> 25) & 0x7F
    cycles = (quadlet >> 12) & 0x1FFF
    offset = quadlet & 0xFFF
    return seconds + (cycles + offset / 3072) / CYCLES_PER_SECOND


class Unwrap:
    """Turns a counter that wraps at ``modulus`` into one that keeps growing."""

    def __init__(self, modulus: float) -> None:
        self.modulus = modulus
        self.turns = 0
        self.last: float | None = None

    def __call__(self, value: float) -> float:
        if self.last is not None and value < self.last - self.modulus / 2:
            self.turns += 1
        self.last = value
        return value + self.turns * self.modulus


def realtime_us_to_clock(timestamp_us: int, arrival: float) -> float:
    """Library timestamp (CLOCK_REALTIME µs) -> hardware.clock seconds; never later than the arrival."""
    if timestamp_us == 0:  # the platform gave no timestamp
        return arrival
    offset = time.time() - time.monotonic()  # re-read per frame, so an NTP step only touches one frame
    return min(timestamp_us * 1e-6 - offset, arrival)


class FrameStamper:
    """Gives each delivered frame its id, host time and camera time, and counts the frames lost."""

    def __init__(self, fps: float, info_fields: int) -> None:
        self.period = 1.0 / fps
        self.ts_offset = quadlet_offset(info_fields, FRAME_INFO_TIMESTAMP)
        self.counter_offset = quadlet_offset(info_fields, FRAME_INFO_COUNTER)
        self.reset()

    def reset(self) -> None:
        self.dropped = 0
        self.max_frames_behind = 0
        self._last_id: int | None = None
        self._last_time = 0.0
        self._counter = Unwrap(2**32)
        self._cycle = Unwrap(CYCLE_SECONDS_WRAP)

    @staticmethod
    def _quadlet(flat: np.ndarray, offset: int) -> int:
        return int.from_bytes(flat[offset : offset + 4].tobytes(), "big")

    def stamp(self, pixels: np.ndarray, timestamp_us: int, frames_behind: int, arrival: float) -> Frame:
        host_time = realtime_us_to_clock(timestamp_us, arrival)
        flat = pixels.reshape(-1)
        camera_time = None
        if self.ts_offset is not None:
            camera_time = self._cycle(cycle_time_seconds(self._quadlet(flat, self.ts_offset)))
        if self.counter_offset is not None:
            frame_id = int(self._counter(self._quadlet(flat, self.counter_offset)))
        elif self._last_id is None:
            frame_id = 0
        else:  # no counter: an interval of 1.5 periods or more means lost frames
            frame_id = self._last_id + max(1, round((host_time - self._last_time) / self.period))
        if self._last_id is not None and frame_id > self._last_id + 1:
            self.dropped += frame_id - self._last_id - 1
        self._last_id, self._last_time = frame_id, host_time
        self.max_frames_behind = max(self.max_frames_behind, frames_behind)
        return Frame(pixels=pixels, frame_id=frame_id, host_time=host_time, camera_time=camera_time)


def copy_pixels(f: Any, fmt: StreamFormat, name: str) -> np.ndarray:
    """Copy one frame out of the DMA buffer (which goes back to the ring right after)."""
    width, height = f.size[0], f.size[1]
    stride = f.stride or width
    room = max(f.image_bytes, f.total_bytes)
    if (width, height) != (fmt.width, fmt.height) or not f.image or stride < width or stride * height > room:
        raise CameraError(f"camera '{name}': delivered a {width}x{height} frame, expected {fmt.width}x{fmt.height}")
    rows = np.empty((height, stride), np.uint8)
    ctypes.memmove(rows.ctypes.data, f.image, stride * height)
    return rows if stride == width else np.ascontiguousarray(rows[:, :width])


def preview_bgr(pixels: np.ndarray, pixel_format: str) -> np.ndarray:
    """A BGR image for showing a frame: raw Bayer is debayered with OpenCV (recordings stay raw)."""
    import cv2

    if is_bayer(pixel_format):
        return debayer(pixels, pixel_format, "BGR")
    if pixels.ndim == 2:
        return cv2.cvtColor(pixels, cv2.COLOR_GRAY2BGR)
    return pixels
