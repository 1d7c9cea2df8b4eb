"""A strict stand-in for ``cv2.VideoCapture(device, cv2.CAP_V4L2)`` and the UVC camera behind it.

What it stands in for: OpenCV's V4L2 capture backend (opencv modules/videoio/src/cap_v4l.cpp) driving a
UVC webcam or HDMI grabber; no such device exists on CI. Behaviour transcribed from that source:
- ``set(CAP_PROP_FOURCC)`` returns False and keeps the old format when the device lacks the format
  (try_palette_v4l2 fails, the old palette is restored);
- width and height take effect once both are set (icvSetFrameSize); the driver then picks the nearest
  size it has, so ``set`` returns True and only the read-back shows the difference;
- ``set(CAP_PROP_FPS)`` returns True and the driver picks the nearest frame interval of the mode
  (VIDIOC_S_PARM / G_PARM), which ``get(CAP_PROP_FPS)`` reads back;
- ``CAP_PROP_CONVERT_RGB`` = 0: ``retrieve`` returns the buffer's bytes as a 1 x N uint8 array (one JPEG
  for MJPG); ``set(CAP_PROP_FORMAT, -1)`` is not handled by V4L2 and returns False;
- ``CAP_PROP_POS_MSEC``: 0 before the first grab, then the buffer's CLOCK_MONOTONIC start-of-frame
  timestamp as 1000 * tv_sec + tv_usec / 1000 (microsecond resolution);
- the first grab after stream-on skips one frame (V4L_ABORT_BADJPEG); 4 buffers by default, and a reader
  more than that many frames behind loses frames (simplified: the oldest ones);
- converted frames are decoded as OpenCV does it (cv2.imdecode for MJPG, cvtColor for YUYV).
The device serves barcoded frames (hardware/cameras/barcode.py) encoded with cv2.imencode. It can refuse
modes, report one rate and deliver another, stamp on another clock or not at all, and lose frames.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from hardware.cameras.sim import barcode

WEBCAM_MODES = {  # (fourcc, width, height) -> frame rates the device offers
    ("MJPG", 1280, 720): (60.0, 30.0),
    ("MJPG", 640, 480): (60.0, 30.0),
    ("YUYV", 1280, 720): (10.0,),  # USB 2.0 bandwidth: raw 720p only at low rates
    ("YUYV", 640, 480): (30.0,),
}


@dataclass
class DeviceSpec:
    modes: dict = field(default_factory=lambda: dict(WEBCAM_MODES))
    deliver_fps: float | None = None  # a device that reports one rate and delivers another
    timestamps: str = "monotonic"  # monotonic | offset (another clock) | none
    clock_offset_s: float = 5000.0  # for timestamps="offset": device time = monotonic + this
    latency_s: float = 0.004  # start of frame -> buffer ready
    lost: frozenset = frozenset()  # device frame numbers that never reach the host
    pool: int = 0  # > 0: pre-encode this many frames and cycle them (benchmarks; barcodes repeat)
    quality: int = 90
    keep_delivered: bool = False  # record every delivered buffer (tests compare what was stored)
    unplugged_after: int | None = None  # device frame number after which VIDIOC_DQBUF fails (ENODEV)


class FakeVideoCapture:
    def __init__(self, device: int | str, api: int = cv2.CAP_ANY, spec: DeviceSpec | None = None) -> None:
        self.spec = spec or DeviceSpec()
        self.device, self.api = device, api
        self.opened = True
        self.fourcc, (self.width, self.height) = "YUYV", (640, 480)  # V4L2 defaults at open
        self.fps = 30.0
        self.convert_rgb = True
        self.buffers = 4
        self._pending_w = self._pending_h = 0
        self.delivered: dict[int, bytes] = {}
        self.calls: list[tuple[str, int, float]] = []  # set() calls, in order
        self._stop_stream()

    # -- cv2.VideoCapture API ---------------------------------------------------------------------
    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return self.opened

    def getBackendName(self) -> str:  # noqa: N802
        return "V4L2"

    def release(self) -> None:
        self.opened = False
        self._stop_stream()

    def set(self, prop: int, value: float) -> bool:
        self.calls.append(("set", prop, value))
        if prop == cv2.CAP_PROP_FOURCC:
            code = int(value)
            text = "".join(chr((code >> (8 * i)) & 0xFF) for i in range(4))
            if not any(m[0] == text for m in self.spec.modes):
                return False
            self.fourcc = text
            return self._apply_size(self.width, self.height)
        if prop == cv2.CAP_PROP_FRAME_WIDTH:
            self._pending_w = round(value)
            return self._size_if_complete()
        if prop == cv2.CAP_PROP_FRAME_HEIGHT:
            self._pending_h = round(value)
            return self._size_if_complete()
        if prop == cv2.CAP_PROP_FPS:
            rates = self.spec.modes[(self.fourcc, self.width, self.height)]
            self.fps = min(rates, key=lambda r: abs(r - round(value)))
            return True
        if prop == cv2.CAP_PROP_CONVERT_RGB:
            self.convert_rgb = bool(value)
            return True
        if prop == cv2.CAP_PROP_BUFFERSIZE and 1 <= value <= 10:
            self.buffers = int(value)
            self._stop_stream()
            return True
        return False  # CAP_PROP_FORMAT and the rest: not handled by the V4L2 backend

    def get(self, prop: int) -> float:
        values = {
            cv2.CAP_PROP_FRAME_WIDTH: self.width,
            cv2.CAP_PROP_FRAME_HEIGHT: self.height,
            cv2.CAP_PROP_FOURCC: sum(ord(c) << (8 * i) for i, c in enumerate(self.fourcc)),
            cv2.CAP_PROP_FPS: self.fps,
            cv2.CAP_PROP_CONVERT_RGB: float(self.convert_rgb),
            cv2.CAP_PROP_FORMAT: cv2.CV_8UC3 if self.convert_rgb else cv2.CV_8UC1,
            cv2.CAP_PROP_BUFFERSIZE: self.buffers,
            cv2.CAP_PROP_POS_MSEC: self._pos_msec(),
        }
        return float(values.get(prop, -1.0))

    def grab(self) -> bool:
        if not self.opened:
            return False
        period = 1.0 / (self.spec.deliver_fps or self.fps)
        now = time.monotonic()
        if self._t0 is None:  # stream-on; OpenCV drops the first frame
            self._t0, self._next = now, 1
        made = math.floor((now - self._t0 - self.spec.latency_s) / period) + 1
        n = max(self._next, made - self.buffers)
        while n in self.spec.lost:
            n += 1
        if self.spec.unplugged_after is not None and n > self.spec.unplugged_after:
            return False
        ready = self._t0 + n * period + self.spec.latency_s
        if ready > now:
            time.sleep(ready - now)
        self._current, self._next = n, n + 1
        self._stamp = self._t0 + n * period
        return True

    def retrieve(self) -> tuple[bool, np.ndarray | None]:
        if self._current is None:
            return False, None
        payload = self._payload(self._current)
        if self.spec.keep_delivered:
            self.delivered[self._current] = payload
        raw = np.frombuffer(payload, np.uint8)
        if not self.convert_rgb:
            return True, raw.reshape(1, -1).copy()
        if self.fourcc == "MJPG":
            return True, cv2.imdecode(raw, cv2.IMREAD_COLOR)
        return True, cv2.cvtColor(raw.reshape(self.height, self.width, 2), cv2.COLOR_YUV2BGR_YUYV)

    def read(self) -> tuple[bool, np.ndarray | None]:
        return self.retrieve() if self.grab() else (False, None)

    # -- the device ----------------------------------------------------------------------------------
    def _stop_stream(self) -> None:
        self._t0: float | None = None
        self._next, self._current, self._stamp = 0, None, 0.0
        self._pool: list[bytes] = []

    def _apply_size(self, width: int, height: int) -> bool:
        sizes = [(w, h) for (f, w, h) in self.spec.modes if f == self.fourcc]
        self.width, self.height = min(sizes, key=lambda s: abs(s[0] - width) + abs(s[1] - height))
        rates = self.spec.modes[(self.fourcc, self.width, self.height)]
        self.fps = min(rates, key=lambda r: abs(r - self.fps))
        self._stop_stream()
        return True

    def _size_if_complete(self) -> bool:
        if not (self._pending_w and self._pending_h):
            return True
        width, height = self._pending_w, self._pending_h
        self._pending_w = self._pending_h = 0
        return self._apply_size(width, height)

    def _pos_msec(self) -> float:
        if self._current is None or self.spec.timestamps == "none":
            return 0.0
        stamp = self._stamp + (self.spec.clock_offset_s if self.spec.timestamps == "offset" else 0.0)
        return round(stamp * 1e6) / 1000.0  # tv_sec / tv_usec

    def _payload(self, n: int) -> bytes:
        if self.spec.pool:
            if not self._pool:
                self._pool = [self._encode(i) for i in range(self.spec.pool)]
            return self._pool[n % self.spec.pool]
        return self._encode(n)

    def _encode(self, n: int) -> bytes:
        gray = image(self.width, self.height, n)
        if self.fourcc == "MJPG":
            bgr = np.dstack([gray, np.roll(gray, 7, axis=1), np.roll(gray, 13, axis=1)])
            barcode.write(bgr, n)
            ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, self.spec.quality])
            assert ok
            return jpeg.tobytes()
        barcode.write(gray, n)
        yuyv = np.full((self.height, self.width, 2), 128, np.uint8)  # Y, then U/V alternating (grey)
        yuyv[:, :, 0] = gray
        return yuyv.tobytes()


_BACKGROUNDS: dict[tuple[int, int], np.ndarray] = {}


def image(width: int, height: int, n: int) -> np.ndarray:
    """Camera-like content (shading, texture, motion) for frame ``n``."""
    key = (width, height)
    if key not in _BACKGROUNDS:
        rng = np.random.default_rng(width * height)
        y = np.linspace(0, 3 * np.pi, height)[:, None]
        x = np.linspace(0, 6 * np.pi, width + 256)[None, :]
        shade = 110 + 60 * np.sin(x) * np.cos(y) + rng.integers(0, 12, (height, width + 256))
        _BACKGROUNDS[key] = shade.clip(0, 255).astype(np.uint8)
    offset = (n * 3) % 256
    return np.ascontiguousarray(_BACKGROUNDS[key][:, offset : offset + width])


def webcam(device: int | str, api: int) -> FakeVideoCapture:
    """ELICIT_UVC_CAPTURE=tests.fakes.videocapture:webcam (the recorder test)."""
    return FakeVideoCapture(device, api)


def webcam_pooled(device: int | str, api: int) -> FakeVideoCapture:
    """ELICIT_UVC_CAPTURE=tests.fakes.videocapture:webcam_pooled (bench: frames made once, not per frame)."""
    return FakeVideoCapture(device, api, DeviceSpec(pool=120))
