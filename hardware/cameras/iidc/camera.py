"""IIDC (IEEE 1394 / FireWire) cameras through libdc1394 v2, e.g. the paper's Point Grey GRAS-03K2C.

Spinnaker/PySpin drives only USB3 Vision and GigE Vision cameras, so a FireWire IIDC camera runs here.
Life cycle, in libdc1394's order: dc1394_new → enumerate → camera_new; configure (modes.py);
capture_setup (DMA ring) → transmission ON; read: dequeue → copy → enqueue; stop: transmission OFF →
capture_stop; close: camera_free → dc1394_free.

``read`` polls the library (DC1394_CAPTURE_POLICY_POLL) and sleeps on the capture file descriptor in
between, so a timeout is ours to keep (POLICY_WAIT blocks forever). Per frame it does no logging and no
disk access. Frame ids, time stamps and drops: see frameinfo.py.

Rig keys (OPTIONS): ``guid`` (hex, from `elicit cameras list`), ``unit``, ``operation_mode``
(1394b | legacy), ``iso_speed`` (Mb/s), ``dma_buffers``, ``format7_mode``, ``format7_left``,
``format7_top``, ``packet_size``, ``shutter_ms``, ``embedded_info`` (Point Grey frame counter + cycle time).
"""

from __future__ import annotations

import ctypes
import select
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from hardware import clock
from hardware.cameras.base import (
    CameraConfigError,
    CameraDisconnected,
    CameraError,
    CameraSettings,
    Frame,
    FrameTimeout,
    StreamFormat,
    refuse_if_different,
)
from hardware.cameras.iidc import _libdc1394 as dc
from hardware.cameras.iidc import modes as iidc_modes
from hardware.cameras.iidc.bus import camera_ids, probe
from hardware.cameras.iidc.frameinfo import FrameStamper, copy_pixels
from hardware.strict_yaml import Field, non_negative, positive


def _hex_guid(value: Any) -> str | None:
    text = str(value).lower().removeprefix("0x")
    ok = 0 < len(text) <= 16 and all(c in "0123456789abcdef" for c in text)
    return None if ok else f"must be the camera's GUID in hex (e.g. 00b09d0100a1b2c3), got {value!r}"


OPTIONS = {
    "guid": Field(str, default=None, check=_hex_guid, doc="camera GUID in hex, as `elicit cameras list` shows"),
    "unit": Field(int, default=None, check=non_negative, doc="unit number (multi-unit cameras only)"),
    "operation_mode": Field(str, default="1394b", choices=("1394b", "legacy")),
    "iso_speed": Field(int, default=800, choices=tuple(dc.ISO_SPEEDS)),
    "dma_buffers": Field(int, default=16, check=positive, doc="frames the DMA ring holds"),
    "format7_mode": Field(int, default=None, choices=tuple(range(8))),
    "format7_left": Field(int, default=None, check=non_negative),
    "format7_top": Field(int, default=None, check=non_negative),
    "packet_size": Field(int, default=None, check=positive, doc="Format7 bytes per packet (default: for fps)"),
    "shutter_ms": Field(float, default=None, check=positive),
    "embedded_info": Field(bool, default=True, doc="Point Grey: embed frame counter and cycle time"),
}

# frame ids are the camera's counter (Point Grey embedded info) or rebuilt from the bus time stamps:
# either way a gap is a lost frame, so validation counts id gaps
FRAME_IDS = True

Loader = Callable[[], Any]
__all__ = ["FRAME_IDS", "OPTIONS", "IIDCCamera", "Loader", "camera_ids", "create", "probe"]
_WAIT_SLICE_S = 0.005  # longest sleep between polls if the capture fd never signals


def create(settings: CameraSettings, loader: Loader = dc.load_library) -> IIDCCamera:
    return IIDCCamera(settings.name, settings.options, loader)


class IIDCCamera:
    """Implements hardware.cameras.base.Camera for one IIDC camera."""

    def __init__(self, name: str, options: dict[str, Any], loader: Loader = dc.load_library) -> None:
        self.name = name
        self.options = dict(options)
        self._loader = loader
        self._lib: Any = None
        self._ctx: Any = None
        self._cam: Any = None
        self._fmt: StreamFormat | None = None
        self._stamper: FrameStamper | None = None
        self._capturing = self._transmitting = False
        self._fd = -1
        self.model = ""
        self.corrupt_frames = 0

    # -- life cycle -------------------------------------------------------------------------------
    def open(self) -> None:
        self._lib = lib = self._loader()
        self._ctx = lib.dc1394_new()
        if not self._ctx:
            raise CameraError(f"camera '{self.name}': libdc1394 could not open the FireWire subsystem")
        guid, unit = self._choose(camera_ids(lib, self._ctx))
        if self.options.get("unit") is None:
            cam = lib.dc1394_camera_new(self._ctx, guid)
        else:
            cam = lib.dc1394_camera_new_unit(self._ctx, guid, unit)
        if not cam:
            raise CameraError(
                f"camera '{self.name}': cannot open IIDC camera {guid:016x}: is /dev/fw* in group video, "
                "and is the user in that group? (sudo usermod -aG video $USER, then log in again)"
            )
        self._cam = cam
        c = cam.contents
        self.model = " ".join(x.decode(errors="replace") for x in (c.vendor, c.model) if x)

    def _choose(self, ids: list[tuple[int, int]]) -> tuple[int, int]:
        found = ", ".join(f"{g:016x}/{u}" for g, u in ids) or "none"
        guid, unit = self.options.get("guid"), self.options.get("unit")
        if guid is not None:
            want = int(str(guid).lower().removeprefix("0x"), 16)
            match = [(g, u) for g, u in ids if g == want and (unit is None or u == unit)]
            if not match:
                raise CameraError(f"camera '{self.name}': IIDC camera {want:016x} is not on the bus (found: {found})")
            return match[0]
        if not ids:
            raise CameraError(
                f"camera '{self.name}': no IIDC camera on the FireWire bus: check the camera's cable and card, "
                "then `elicit cameras list`"
            )
        if len(ids) > 1 and unit is None:
            raise CameraConfigError(f"camera '{self.name}': several IIDC cameras ({found}): set guid: in the rig")
        return next(((g, u) for g, u in ids if unit is None or u == unit), ids[0])

    def configure(self, settings: CameraSettings) -> StreamFormat:
        if self._cam is None:
            raise CameraError(f"camera '{self.name}': configure() before open()")
        self.options = dict(settings.options)
        applied = iidc_modes.apply(self._lib, self._cam, settings)
        refuse_if_different(settings, applied.fmt)
        self._fmt = applied.fmt
        self._stamper = FrameStamper(applied.fmt.fps, applied.info_fields)
        return applied.fmt

    def start(self) -> None:
        lib, cam = self._lib, self._cam
        if self._fmt is None:
            raise CameraError(f"camera '{self.name}': start() before configure()")
        buffers = int(self.options.get("dma_buffers") or 16)
        err = lib.dc1394_capture_setup(cam, buffers, dc.DC1394_CAPTURE_FLAGS_DEFAULT)
        if err in (dc.DC1394_NO_BANDWIDTH, dc.DC1394_NO_ISO_CHANNEL):
            raise CameraConfigError(
                f"camera '{self.name}': {dc.error_text(lib, err)}: another camera shares this FireWire bus; "
                "give each camera its own card/port or lower the packet size"
            )
        dc.check(lib, err, f"camera '{self.name}': capture setup")
        self._capturing = True
        self._fd = lib.dc1394_capture_get_fileno(cam)
        dc.check(lib, lib.dc1394_video_set_transmission(cam, dc.DC1394_ON), f"camera '{self.name}': start")
        self._transmitting = True
        state = ctypes.c_int()
        dc.check(lib, lib.dc1394_video_get_transmission(cam, ctypes.byref(state)), f"camera '{self.name}'")
        if state.value != dc.DC1394_ON:
            raise CameraError(f"camera '{self.name}': isochronous transmission did not start")
        assert self._stamper is not None
        self._stamper.reset()
        self.corrupt_frames = 0

    def read(self, timeout: float = 1.0) -> Frame:
        lib, cam, fmt, stamper = self._lib, self._cam, self._fmt, self._stamper
        if not self._transmitting or fmt is None or stamper is None:
            raise CameraError(f"camera '{self.name}': read() before start()")
        deadline = clock.now() + timeout
        while True:
            ptr = self._dequeue(deadline)
            arrival = clock.now()
            pixels: np.ndarray | None = None
            timestamp = behind = 0
            try:
                if lib.dc1394_capture_is_frame_corrupt(cam, ptr) != dc.DC1394_TRUE:
                    f = ptr.contents
                    pixels = copy_pixels(f, fmt, self.name)
                    timestamp, behind = f.timestamp, f.frames_behind
            finally:
                err = lib.dc1394_capture_enqueue(cam, ptr)  # always hand the buffer back to the DMA
            dc.check(lib, err, f"camera '{self.name}': returning a frame buffer", CameraDisconnected)
            if pixels is None:  # incomplete frame: not delivered, so its id is a gap (a drop)
                self.corrupt_frames += 1
                continue
            return stamper.stamp(pixels, timestamp, behind, arrival)

    def _dequeue(self, deadline: float) -> Any:
        lib, cam = self._lib, self._cam
        ptr = dc.FRAME()
        while True:
            err = lib.dc1394_capture_dequeue(cam, dc.DC1394_CAPTURE_POLICY_POLL, ctypes.byref(ptr))
            dc.check(lib, err, f"camera '{self.name}': no more frames", CameraDisconnected)
            if ptr:
                return ptr
            remaining = deadline - clock.now()
            if remaining <= 0:
                raise FrameTimeout(f"camera '{self.name}': no frame within the timeout")
            wait = min(remaining, _WAIT_SLICE_S)
            if self._fd >= 0:
                select.select([self._fd], [], [], wait)
            else:
                time.sleep(wait)

    def stop(self) -> None:
        """Transmission OFF, then release the DMA ring; every step runs even if one fails."""
        lib, cam, errors = self._lib, self._cam, []
        if self._transmitting:
            self._transmitting = False
            errors.append(lib.dc1394_video_set_transmission(cam, dc.DC1394_OFF))
        if self._capturing:
            self._capturing = False
            errors.append(lib.dc1394_capture_stop(cam))
        for err in errors:
            dc.check(lib, err, f"camera '{self.name}': stopping")

    def close(self) -> None:
        try:
            self.stop()
        finally:
            if self._cam:
                self._lib.dc1394_camera_free(self._cam)
            if self._ctx:
                self._lib.dc1394_free(self._ctx)
            self._cam = self._ctx = None

    # -- diagnostics ----------------------------------------------------------------------------------
    @property
    def dropped(self) -> int:
        return self._stamper.dropped if self._stamper else 0

    @property
    def max_frames_behind(self) -> int:
        return self._stamper.max_frames_behind if self._stamper else 0

