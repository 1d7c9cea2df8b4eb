"""Per-frame time facts for UVC cameras: the driver's buffer timestamp on the one clock, frame ids, drops.

Which clock OpenCV's timestamp is on. ``cv2.CAP_PROP_POS_MSEC`` on the V4L2 backend returns the
``timestamp`` of the last dequeued ``v4l2_buffer`` as ``1000 * tv_sec + tv_usec / 1000`` (0 before the
first grab; opencv modules/videoio/src/cap_v4l.cpp, getProperty / read_frame_v4l2). The uvcvideo driver
stamps its buffers ``V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC | V4L2_BUF_FLAG_TSTAMP_SRC_SOE`` (uvc_queue.c):
CLOCK_MONOTONIC at the start of the frame, which is ``time.monotonic()``, i.e. hardware.clock. Other
backends (MSMF, DSHOW, AVFoundation) report times on other bases, or none. So the mapping decides from
the data: a timestamp that precedes its arrival by less than MAX_LATENCY_S is already on our clock; any
other timestamp gets an offset tracked as the smallest arrival - timestamp (the frame with the least
transfer latency), allowed to creep up by LEAK so a device clock that runs slow is followed too. No
timestamp at all (0 or negative): the host arrival time is used.

Drops. UVC frames carry no counter OpenCV exposes, so frame ids are synthesised from the timestamps:
a gap longer than GAP_FACTOR periods means round(gap / period) - 1 frames never arrived, and the id
skips by as many. With host arrival times (no device timestamp) this is approximate: a late read that
is followed by a burst can look like a drop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_LATENCY_S = 1.0  # a timestamp this close before its arrival is CLOCK_MONOTONIC already
LEAK = 200e-6  # s/s: how fast the offset estimate may rise (follows device clocks up to 200 ppm slow)
GAP_FACTOR = 1.5  # a timestamp gap above this many periods is a drop


@dataclass
class ClockMapper:
    """Device timestamps (seconds) -> hardware.clock seconds."""

    identity: bool | None = None  # None until the first timestamped frame decides
    offset: float | None = None
    _last_device: float | None = field(default=None, repr=False)

    def to_clock(self, device_s: float | None, arrival: float) -> float:
        if device_s is None or not device_s > 0:
            return arrival
        if self.identity is None:
            self.identity = 0.0 <= arrival - device_s < MAX_LATENCY_S
        if self.identity:
            return min(device_s, arrival)
        lag = arrival - device_s
        if self.offset is None or self._last_device is None:
            self.offset = lag
        else:
            self.offset = min(lag, self.offset + LEAK * max(0.0, device_s - self._last_device))
        self._last_device = device_s
        return min(device_s + self.offset, arrival)

    @property
    def source(self) -> str:
        if self.identity is None:
            return "host arrival time (the backend gives no buffer timestamp)"
        return "driver buffer timestamp (CLOCK_MONOTONIC)" if self.identity else "driver timestamp + tracked offset"


@dataclass
class FrameCounter:
    """Synthesised frame ids: consecutive unless a timestamp gap shows frames that never arrived."""

    period_s: float
    next_id: int = 0
    dropped: int = 0
    _last: float | None = None

    def reset(self) -> None:
        self.next_id = self.dropped = 0
        self._last = None

    def count(self, t: float) -> int:
        """The id of a frame with (device or host) time ``t``."""
        if self._last is not None:
            gap = t - self._last
            if gap > GAP_FACTOR * self.period_s:
                missing = max(1, round(gap / self.period_s) - 1)
                self.next_id += missing
                self.dropped += missing
        self._last = t
        frame_id = self.next_id
        self.next_id += 1
        return frame_id


def device_seconds(pos_msec: float) -> float | None:
    """OpenCV's CAP_PROP_POS_MSEC -> seconds, None where the backend reports no timestamp."""
    return pos_msec / 1000.0 if pos_msec > 0 else None


def measured_rate(times: list[float], skip: int = 3) -> float:
    """Frames per second over a warm-up, ignoring the first frames (often irregular after stream-on)."""
    kept = times[skip:] if len(times) > skip + 2 else times
    if len(kept) < 2 or kept[-1] <= kept[0]:
        return 0.0
    return (len(kept) - 1) / (kept[-1] - kept[0])
