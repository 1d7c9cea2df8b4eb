"""UVC cameras (USB webcams, HDMI-to-USB grabbers such as one fed by a BenQ M31) through OpenCV.

``pixel_format`` chooses what is stored:
- ``mjpeg``: the device's compressed frames as they arrive (Frame.data = JPEG bytes, Frame.pixels = None),
  copied into the MKV without decoding (frames.preview_bgr decodes one on demand).
- ``yuyv``: raw 4:2:2 frames (Frame.pixels = H x W x 2), stored losslessly by the encoder.
- ``bgr24``: OpenCV decodes/converts every frame to BGR, stored losslessly (libx264rgb): the costly path.

Negotiation, in the order V4L2 needs it: FOURCC, size, rate, raw mode (V4L2: ``CAP_PROP_CONVERT_RGB`` = 0
returns the buffer's bytes as a 1 x N uint8 array; others: ``CAP_PROP_FORMAT`` = -1). Everything is read
back, then a warm-up measures the rate really delivered: less than the rig asks is refused unless
``allow_lower_fps: true``. Time stamps, frame ids and drops: see timing.py. Rig keys: see OPTIONS.
Tests inject the capture object: ``create(settings, capture_factory=...)`` or, across the recorder's
process boundary, ELICIT_UVC_CAPTURE=module:callable (called as callable(device, api), like cv2.VideoCapture).
"""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable
from typing import Any

from hardware import clock
from hardware.cameras.base import (
    BackendStatus,
    BackendUnavailable,
    CameraConfigError,
    CameraError,
    CameraSettings,
    Frame,
    FrameTimeout,
    StreamFormat,
)
from hardware.cameras.uvc.devices import APIS, api_name, describe_devices, fourcc_code, fourcc_text, resolve_device
from hardware.cameras.uvc.frames import content_problem
from hardware.cameras.uvc.timing import ClockMapper, FrameCounter, device_seconds, measured_rate
from hardware.strict_yaml import Field, positive

OPTIONS = {
    "device": Field((int, str), default=0, doc="index, /dev/video path or /dev/v4l/by-id path, or product name"),
    "api": Field(str, default="auto", choices=("auto", *APIS)),
    "fourcc": Field(str, default=None, check=lambda v: None if len(v) == 4 else "must have 4 characters"),
    "allow_lower_fps": Field(bool, default=False, doc="record even if the device delivers fewer fps"),
    "warmup_s": Field(float, default=1.0, check=positive, doc="seconds of frames to measure the real rate"),
    "buffers": Field(int, default=None, check=lambda v: None if 1 <= v <= 10 else "must be 1..10"),
}

STREAM_FOURCC = {"mjpeg": "MJPG", "yuyv": "YUYV", "bgr24": "MJPG"}
FPS_TOLERANCE = 0.005  # read-back rate may be this much lower (59.94 for 60)
RATE_TOLERANCE = 0.02  # measured rate may be this much lower (warm-up timing noise)
ENV_FACTORY = "ELICIT_UVC_CAPTURE"

CaptureFactory = Callable[[Any, int], Any]


def _cv2() -> Any:
    try:
        return importlib.import_module("cv2")
    except ImportError:
        raise BackendUnavailable("backend 'uvc' needs OpenCV: pip install opencv-python") from None


def _factory_from_env() -> CaptureFactory | None:
    spec = os.environ.get(ENV_FACTORY)
    if not spec:
        return None
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def create(settings: CameraSettings, capture_factory: CaptureFactory | None = None) -> UVCCamera:
    return UVCCamera(settings.name, settings.options, capture_factory or _factory_from_env())


def probe() -> BackendStatus:
    try:
        cv2 = _cv2()
    except BackendUnavailable as exc:
        return BackendStatus("uvc", False, str(exc))
    api = api_name(None).removeprefix("CAP_")
    devices = describe_devices() if api == "V4L2" else ["OpenCV cannot list cameras here: use device: 0, 1, ..."]
    return BackendStatus("uvc", True, f"OpenCV {cv2.__version__}, {api}", devices)


class UVCCamera:
    """Implements hardware.cameras.base.Camera for one UVC device through cv2.VideoCapture."""

    def __init__(self, name: str, options: dict[str, Any], capture_factory: CaptureFactory | None = None) -> None:
        self.name = name
        self.options = dict(options)
        self._factory = capture_factory
        self._cap: Any = None
        self._started = False  # read() only between start() and stop()
        self._cv2: Any = None
        self._fmt: StreamFormat | None = None
        self._mapper = ClockMapper()
        self._counter = FrameCounter(1.0)
        self.corrupt_frames = 0

    def open(self) -> None:
        self._cv2 = cv2 = _cv2()
        # OpenCV's V4L2 backend waits this many seconds (default 10) for a frame before grab() fails
        os.environ.setdefault("OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT", "1")
        target = resolve_device(self.options.get("device", 0), self.name)
        self._api = api_name(self.options.get("api"))
        factory = self._factory or cv2.VideoCapture
        self._cap = factory(target, getattr(cv2, self._api))
        if not self._cap.isOpened():
            raise CameraError(
                f"camera '{self.name}': cannot open UVC device {target!r} ({self._api.removeprefix('CAP_')}): "
                "is it plugged in and not used by another program, and may this user open it (group video)?"
            )

    def _set(self, prop: str, value: float, what: str) -> None:
        if not self._cap.set(getattr(self._cv2, prop), value):
            raise CameraConfigError(f"camera '{self.name}' does not accept {what}{_MODES_HINT}")

    def configure(self, settings: CameraSettings) -> StreamFormat:
        if self._cap is None:
            raise CameraError(f"camera '{self.name}': configure() before open()")
        cv2, cap, fmt = self._cv2, self._cap, settings.pixel_format
        self.options = dict(settings.options)
        if fmt not in STREAM_FOURCC:
            raise CameraConfigError(f"uvc camera '{self.name}': pixel_format must be mjpeg, yuyv or bgr24, not {fmt}")
        fourcc = STREAM_FOURCC[fmt] if fmt != "bgr24" else (self.options.get("fourcc") or "MJPG")
        self._set("CAP_PROP_FOURCC", fourcc_code(fourcc), f"the stream format {fourcc}")
        self._set("CAP_PROP_FRAME_WIDTH", settings.width, f"width {settings.width}")
        self._set("CAP_PROP_FRAME_HEIGHT", settings.height, f"height {settings.height}")
        self._set("CAP_PROP_FPS", settings.fps, f"{settings.fps:g} fps")
        if self.options.get("buffers"):
            self._set("CAP_PROP_BUFFERSIZE", self.options["buffers"], f"{self.options['buffers']} buffers")
        self._set_raw(fmt != "bgr24")
        got_fourcc = fourcc_text(cap.get(cv2.CAP_PROP_FOURCC))
        size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        reported = float(cap.get(cv2.CAP_PROP_FPS))
        problems = []
        if size != (settings.width, settings.height):
            problems.append(f"{size[0]}x{size[1]} instead of {settings.width}x{settings.height}")
        if "?" not in got_fourcc and got_fourcc != fourcc:
            problems.append(f"stream format {got_fourcc} instead of {fourcc}")
        if problems:
            raise CameraConfigError(
                f"camera '{self.name}' (uvc, {fourcc}) delivers " + ", ".join(problems) + _MODES_HINT
            )
        self._fmt = StreamFormat(settings.width, settings.height, fmt, settings.fps)
        rate = self._warm_up(float(self.options.get("warmup_s") or 1.0))
        reported_low = 0 < reported < settings.fps * (1 - FPS_TOLERANCE)
        measured_low = rate < settings.fps * (1 - RATE_TOLERANCE)
        if (reported_low or measured_low) and not self.options.get("allow_lower_fps"):
            said = f"{reported:.2f} fps by its settings and " if reported_low else ""
            raise CameraConfigError(
                f"camera '{self.name}' delivers {said}{rate:.2f} fps measured, instead of {settings.fps:g} at "
                f"{settings.width}x{settings.height} {fourcc}: auto exposure in dim light, a shared USB bus or an "
                "HDMI source at a lower rate can cause this; add light, fix the source, or set allow_lower_fps: true"
            )
        fps = reported if reported > 0 else settings.fps
        if measured_low:
            fps = min(fps, round(rate, 2))  # allowed: ids and drops follow the rate the device really has
        self._fmt = StreamFormat(settings.width, settings.height, fmt, fps)
        self._counter = FrameCounter(1.0 / self._fmt.fps)
        return self._fmt

    def _set_raw(self, raw: bool) -> None:
        cv2, cap = self._cv2, self._cap
        if not raw:
            self._set("CAP_PROP_CONVERT_RGB", 1, "conversion to BGR")
        elif self._api == "CAP_V4L2":
            self._set("CAP_PROP_CONVERT_RGB", 0, "undecoded frames (CONVERT_RGB 0)")
        elif not (cap.set(cv2.CAP_PROP_FORMAT, -1) or cap.set(cv2.CAP_PROP_CONVERT_RGB, 0)):
            raise CameraConfigError(
                f"camera '{self.name}': this OpenCV backend ({self._api}) cannot deliver undecoded frames; "
                "use pixel_format: bgr24 (decoded and stored losslessly) or another api"
            )

    def _warm_up(self, seconds: float) -> float:
        """Grab for ``seconds``; check the first frame's content; return the measured frames per second."""
        cap, cv2 = self._cap, self._cv2
        times: list[float] = []
        checked = False
        start = clock.now()
        while clock.now() - start < seconds or len(times) < 3:
            if not cap.grab() or clock.now() - start > seconds + 5:
                raise CameraConfigError(f"camera '{self.name}' delivers no frames (warm-up)")
            arrival = clock.now()
            device = device_seconds(cap.get(cv2.CAP_PROP_POS_MSEC))
            self._mapper.to_clock(device, arrival)
            times.append(device if device is not None else arrival)
            if not checked:
                ok, buf = cap.retrieve()
                problem = content_problem(buf if ok else None, self._fmt)
                if problem:
                    raise CameraConfigError(f"camera '{self.name}': {problem}")
                checked = True
        return measured_rate(times)

    def start(self) -> None:
        if self._fmt is None:
            raise CameraError(f"camera '{self.name}': start() before configure()")
        self._counter.reset()
        self.corrupt_frames = 0
        self._started = True

    def read(self, timeout: float = 1.0) -> Frame:
        """Next frame. OpenCV blocks until the device delivers, or OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT passes;
        a failed grab raises FrameTimeout no sooner than ``timeout`` (the recorder gives up after 5 s of those)."""
        cap, cv2, fmt = self._cap, self._cv2, self._fmt
        if fmt is None or cap is None or not self._started:
            raise CameraError(f"camera '{self.name}': read() before start() or after close()")
        called = clock.now()
        while True:
            if not cap.grab():  # OpenCV cannot tell a stalled device from an unplugged one
                time.sleep(max(0.0, called + timeout - clock.now()))  # no busy loop when grab fails at once
                raise FrameTimeout(f"camera '{self.name}': no frame (stalled or unplugged?)")
            arrival = clock.now()
            device = device_seconds(cap.get(cv2.CAP_PROP_POS_MSEC))
            host_time = self._mapper.to_clock(device, arrival)
            frame_id = self._counter.count(device if device is not None else host_time)
            ok, buf = cap.retrieve()
            if not ok or buf is None or buf.size == 0:
                self.corrupt_frames += 1  # not delivered: its id stays a gap, counted as a drop
                continue
            if fmt.pixel_format == "mjpeg":
                return Frame(None, frame_id, host_time, device, data=buf.tobytes())
            if fmt.pixel_format == "yuyv":
                buf = buf.reshape(fmt.height, fmt.width, 2)
            return Frame(buf, frame_id, host_time, device)

    @property
    def dropped(self) -> int:
        return self._counter.dropped

    @property
    def time_source(self) -> str:
        return self._mapper.source

    def stop(self) -> None:
        self._started = False  # OpenCV streams until release(); close() ends it

    def close(self) -> None:
        self._started = False
        if self._cap is not None:
            self._cap.release()
        self._cap = None


_MODES_HINT = " (list the device's modes with: v4l2-ctl --list-formats-ext -d /dev/videoN)"
