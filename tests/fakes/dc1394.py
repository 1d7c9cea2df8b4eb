"""A strict stand-in for libdc1394 v2 (libdc1394.so.25) and a FireWire camera, for the IIDC backend's tests.

What it stands in for: the C library as ctypes sees it, plus one or more IIDC cameras on the bus (no
FireWire hardware exists on CI). Each function is a real C function pointer — a ctypes callback with the
signature transcribed here from /usr/include/dc1394/*.h — published under its C name, so the backend's own
``_libdc1394.bind`` sets argtypes/restype on it and every call goes through ctypes marshalling, byref
out-parameters and pointer returns exactly as with ``ctypes.CDLL("libdc1394.so.25")``.

Strict: a call whose declared argtypes/restype differ from the header's, a frame enqueued twice or not
returned before capture_stop, a camera freed while capturing or transmitting, a context freed with live
cameras or camera lists, are recorded in ``violations`` (an exception inside a ctypes callback would be
lost). Error codes and messages are libdc1394's (log.h:64-105; strings as the real library returns them).

Behaviour follows libdc1394 2.2.x: 1394B must be on before ISO speeds > 400 (control.c), one packet per
125 µs isochronous cycle in Format7, POLL dequeue returns SUCCESS with a NULL frame when none is ready,
the DMA ring fills in order and a frame that finds no queued buffer is lost. ``frames_behind`` follows
its documented meaning (frames still in the ring, video.h:128; the juju stack itself reports 0).
Timestamps are CLOCK_REALTIME microseconds, as juju's are. Point Grey's FRAME_INFO (12F8h) and
BAYER_TILE_MAPPING (1040h) registers are emulated.
"""

from __future__ import annotations

import ctypes
import math
import os
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from hardware.cameras.iidc._libdc1394 import (
    dc1394camera_id_t,
    dc1394camera_list_t,
    dc1394camera_t,
    dc1394color_codings_t,
    dc1394framerates_t,
    dc1394video_frame_t,
    dc1394video_modes_t,
)

# Struct layouts are shared with the backend: tests/hardware/cameras/test_iidc_structs.py checks them.
ERRORS = {  # log.h:64-105, messages as libdc1394 2.2.6's dc1394_error_get_string returns them
    0: "Success", -1: "Generic failure", -2: "This node is not a camera", -3: "Function not supported by this camera",
    -4: "Camera not initialized", -5: "Memory allocation failure", -6: "Tagged register not found",
    -7: "Could not allocate an ISO channel", -8: "Could not allocate bandwidth", -9: "IOCTL failure",
    -10: "Capture is not set", -11: "Capture is running", -12: "RAW1394 failure",
    -13: "Format_7 Error_flag_1 is set", -14: "Format_7 Error_flag_2 is set", -15: "Invalid argument value",
    -16: "Requested value is out of range", -17: "Invalid feature", -18: "Invalid video format",
    -19: "Invalid video mode", -20: "Invalid framerate", -21: "Invalid trigger mode", -22: "Invalid trigger source",
    -23: "Invalid ISO speed", -24: "Invalid IIDC version", -25: "Invalid Format_7 color coding",
    -26: "Invalid Format_7 elementary Bayer tile", -27: "Invalid capture mode", -28: "Invalid error code",
}  # fmt: skip
SUCCESS, FAILURE, NOT_SUPPORTED, NO_BANDWIDTH = 0, -1, -3, -8
CAPTURE_IS_NOT_SET, CAPTURE_IS_RUNNING, F7_FLAG_1, F7_FLAG_2, INVALID_ARGUMENT = -10, -11, -13, -14, -15
INVALID_FEATURE, INVALID_VIDEO_MODE, INVALID_FRAMERATE, INVALID_ISO_SPEED = -17, -19, -20, -23
INVALID_COLOR_CODING, INVALID_OPERATION_MODE, INVALID_FEATURE_MODE = -25, -31, -33

MODE_640x480_MONO8, FORMAT7_0 = 69, 88  # types.h:37-70
MONO8, RAW8 = 352, 361  # types.h:83-95
LEGACY, B_MODE = 480, 481  # video.h:80-83
S400 = 2  # video.h:41-48 (0 = S100 … 5 = S3200)
FRAMERATE_60 = 37  # video.h:60-69 (32 = 1.875 … 39 = 240)
FEATURE_SHUTTER, FEATURE_FRAME_RATE = 423, 431  # control.h:60-83
MANUAL, AUTO, ONE_PUSH = 736, 737, 738  # control.h:116-120
POLICY_WAIT, POLICY_POLL = 672, 673  # capture.h:41-44
IIDC_1_31 = 548  # camera.h:41-55
FRAME_INFO, BAYER_TILE = 0x12F8, 0x1040

# Signatures transcribed from the headers: v void, i int/enum, u16/u32/u64, f float, p any pointer.
HEADER: dict[str, tuple[str, tuple[str, ...]]] = {
    "dc1394_new": ("p", ()), "dc1394_free": ("v", ("p",)),
    "dc1394_camera_enumerate": ("i", ("p", "p")), "dc1394_camera_free_list": ("v", ("p",)),
    "dc1394_camera_new": ("p", ("p", "u64")), "dc1394_camera_new_unit": ("p", ("p", "u64", "i")),
    "dc1394_camera_free": ("v", ("p",)), "dc1394_error_get_string": ("p", ("i",)),
    "dc1394_video_get_supported_modes": ("i", ("p", "p")),
    "dc1394_video_get_supported_framerates": ("i", ("p", "i", "p")),
    "dc1394_video_get_framerate": ("i", ("p", "p")), "dc1394_video_set_framerate": ("i", ("p", "i")),
    "dc1394_video_get_mode": ("i", ("p", "p")), "dc1394_video_set_mode": ("i", ("p", "i")),
    "dc1394_video_get_operation_mode": ("i", ("p", "p")), "dc1394_video_set_operation_mode": ("i", ("p", "i")),
    "dc1394_video_get_iso_speed": ("i", ("p", "p")), "dc1394_video_set_iso_speed": ("i", ("p", "i")),
    "dc1394_video_set_transmission": ("i", ("p", "i")), "dc1394_video_get_transmission": ("i", ("p", "p")),
    "dc1394_format7_get_max_image_size": ("i", ("p", "i", "p", "p")),
    "dc1394_format7_get_unit_position": ("i", ("p", "i", "p", "p")),
    "dc1394_format7_get_color_codings": ("i", ("p", "i", "p")),
    "dc1394_format7_get_color_filter": ("i", ("p", "i", "p")),
    "dc1394_format7_get_packet_parameters": ("i", ("p", "i", "p", "p")),
    "dc1394_format7_get_packets_per_frame": ("i", ("p", "i", "p")),
    "dc1394_format7_set_roi": ("i", ("p", "i", "i", "i", "i", "i", "i", "i")),
    "dc1394_format7_get_roi": ("i", ("p", "i", "p", "p", "p", "p", "p", "p")),
    "dc1394_feature_is_present": ("i", ("p", "i", "p")), "dc1394_feature_set_power": ("i", ("p", "i", "i")),
    "dc1394_feature_set_mode": ("i", ("p", "i", "i")), "dc1394_feature_has_absolute_control": ("i", ("p", "i", "p")),
    "dc1394_feature_get_absolute_value": ("i", ("p", "i", "p")),
    "dc1394_feature_set_absolute_value": ("i", ("p", "i", "f")),
    "dc1394_feature_set_absolute_control": ("i", ("p", "i", "i")),
    "dc1394_get_control_registers": ("i", ("p", "u64", "p", "u32")),
    "dc1394_set_control_registers": ("i", ("p", "u64", "p", "u32")),
    "dc1394_capture_setup": ("i", ("p", "u32", "u32")), "dc1394_capture_stop": ("i", ("p",)),
    "dc1394_capture_get_fileno": ("i", ("p",)), "dc1394_capture_dequeue": ("i", ("p", "i", "p")),
    "dc1394_capture_enqueue": ("i", ("p", "p")), "dc1394_capture_is_frame_corrupt": ("i", ("p", "p")),
}  # fmt: skip
_CTYPE = {"v": None, "i": ctypes.c_int, "u16": ctypes.c_uint16, "u32": ctypes.c_uint32,
          "u64": ctypes.c_uint64, "f": ctypes.c_float, "p": ctypes.c_void_p}  # fmt: skip
_CODES = {"i": "i", "I": "u32", "H": "u16", "L": "u64", "Q": "u64", "f": "f", "P": "p", "z": "p"}
_FuncPtr = ctypes.CDLL(None)._FuncPtr  # the class CDLL uses for its exported functions


def _kind(t: object) -> str:
    if t is None:
        return "v"
    if isinstance(t, type) and issubclass(t, ctypes._Pointer):
        return "p"
    return _CODES.get(getattr(t, "_type_", "?"), f"?{t}")


@dataclass
class Format7Mode:
    """Illustrative Format7 mode (not the GRAS datasheet): sizes in pixels, packets in bytes."""

    max_size: tuple[int, int] = (640, 480)
    unit_size: tuple[int, int] = (8, 2)
    unit_position: tuple[int, int] = (2, 2)
    codings: tuple[int, ...] = (MONO8, RAW8)
    unit_bytes: int = 8
    color_filter: int | None = None  # IIDC 1.31 COLOR_FILTER register; None: not implemented


@dataclass
class CameraSpec:
    guid: int = 0x00B09D0100A1B2C3
    unit: int = 0
    vendor: bytes = b"Point Grey Research"
    model: bytes = b"Grasshopper GRAS-03K2C (stand-in)"
    vendor_id: int = 0x00B09D
    bmode_capable: bool = True
    standard: dict[int, list[int]] = field(default_factory=lambda: {MODE_640x480_MONO8: [32, 33, 34, 35, 36, 37]})
    format7: dict[int, Format7Mode] = field(default_factory=lambda: {FORMAT7_0: Format7Mode()})
    max_packet: int = 8192  # bytes per isochronous packet the camera can send (S800 limit)
    features: dict[int, tuple[float, float]] = field(
        default_factory=lambda: {FEATURE_FRAME_RATE: (1.0, 200.0), FEATURE_SHUTTER: (1e-5, 1.0)}
    )
    registers: dict[int, int] = field(default_factory=lambda: {FRAME_INFO: 0x80000000, BAYER_TILE: 0x52474742})
    frame_info_fields: int = 0x1FF  # the FRAME_INFO fields this camera implements
    ignores: set[str] = field(default_factory=set)  # writes the camera silently ignores, e.g. {"framerate"}
    bandwidth: bool = True  # False: capture_setup finds no ISO bandwidth


class _Camera:
    def __init__(self, spec: CameraSpec, vendor: ctypes.Array, model: ctypes.Array) -> None:
        self.spec = spec
        self.struct = dc1394camera_t(guid=spec.guid, unit=spec.unit, iidc_version=IIDC_1_31, vendor_id=spec.vendor_id,
                                     bmode_capable=int(spec.bmode_capable))  # fmt: skip
        self.struct.vendor = ctypes.cast(vendor, ctypes.c_char_p)
        self.struct.model = ctypes.cast(model, ctypes.c_char_p)
        self.mode, self.framerate, self.op_mode, self.speed = MODE_640x480_MONO8, 35, LEGACY, S400
        self.roi = {m: [MONO8, 0, 0, 0, *f7.max_size] for m, f7 in spec.format7.items()}  # coding packet l t w h
        self.features = {f: {"power": 1, "mode": AUTO, "abs": 0, "value": hi} for f, (lo, hi) in spec.features.items()}
        self.registers = dict(spec.registers)
        self.transmitting = False
        self.ring: list[tuple[dc1394video_frame_t, ctypes.Array]] | None = None
        self.queued: deque[int] = deque()
        self.ready: deque[int] = deque()
        self.dequeued: set[int] = set()
        self.corrupt: set[int] = set()
        self.fds: tuple[int, int] | None = None
        self.counter = 0  # the camera's own frame counter: advances for every frame exposed

    def size(self) -> tuple[int, int]:
        if self.mode in self.spec.format7:
            return tuple(self.roi[self.mode][4:6])  # type: ignore[return-value]
        return (640, 480)

    def fps(self) -> float:
        rate = self.features.get(FEATURE_FRAME_RATE)
        feature = rate["value"] if rate and rate["mode"] == MANUAL and rate["abs"] else math.inf
        if self.mode in self.spec.format7:
            w, h = self.size()
            packet = self.roi[self.mode][1] or 1
            return min(8000 / math.ceil(w * h / packet), feature)
        return min(1.875 * 2 ** (self.framerate - 32), feature)


class FakeDC1394:
    """Exposes the libdc1394 functions as attributes; ``cameras`` is what is plugged into the bus."""

    def __init__(self, *specs: CameraSpec, realtime_start: float | None = None) -> None:
        self.specs = list(specs)
        self.violations: list[str] = []
        self.calls: list[tuple] = []
        self._keep: list[object] = []  # buffers/structs whose addresses were handed out
        self._exports: dict[str, object] = {}
        self.contexts: set[int] = set()
        self.lists: dict[int, dc1394camera_list_t] = {}
        self.cameras: dict[int, _Camera] = {}
        self.strings = {code: ctypes.create_string_buffer(text.encode()) for code, text in ERRORS.items()}
        # frame n of a camera is stamped realtime_start + n / fps (CLOCK_REALTIME seconds); in the past by default
        self.realtime_start = time.time() - 100.0 if realtime_start is None else realtime_start
        for name, (ret, args) in HEADER.items():
            self._export(name, ret, args)

    # -- the ctypes plumbing ------------------------------------------------------------------------
    def _export(self, name: str, ret: str, args: tuple[str, ...]) -> None:
        impl = getattr(self, "_" + name.removeprefix("dc1394_"))
        proto = ctypes.CFUNCTYPE(_CTYPE[ret], *[_CTYPE[a] for a in args])
        failed = None if ret in ("v", "p") else FAILURE

        def thunk(*values: object) -> object:
            fn = self._exports[name]
            declared = (_kind(fn.restype), tuple(_kind(t) for t in (fn.argtypes or ())))
            if fn.argtypes is None or declared != (ret, args):
                self.violations.append(f"{name} declared as {declared}, header says {(ret, args)}")
                return failed
            self.calls.append((name, *values))
            try:
                return impl(*values)
            except Exception as exc:  # noqa: BLE001 - a callback must not raise; record it instead
                self.violations.append(f"{name}: {exc!r}")
                return failed

        callback = proto(thunk)
        self._keep.append(callback)
        self._exports[name] = _FuncPtr(ctypes.cast(callback, ctypes.c_void_p).value)

    def __getattr__(self, name: str) -> object:
        exports = self.__dict__.get("_exports", {})
        if name in exports:
            return exports[name]
        raise AttributeError(f"undefined symbol: {name}")

    def _hold(self, obj: object) -> int:
        self._keep.append(obj)
        return ctypes.addressof(obj)  # type: ignore[arg-type]

    def _cam(self, address: int | None) -> _Camera:
        if address not in self.cameras:
            raise ValueError(f"not a live dc1394camera_t: {address}")
        return self.cameras[address]  # type: ignore[index]

    @staticmethod
    def _put(address: int, value: float, ctype: type = ctypes.c_int) -> None:
        ctype.from_address(address).value = value  # type: ignore[attr-defined]

    def called(self, *names: str) -> list[tuple]:
        return [c for c in self.calls if c[0] in names]

    def camera(self, index: int = 0) -> _Camera:
        return list(self.cameras.values())[index]

    # -- test controls: the camera exposes frames -------------------------------------------------
    def emit(self, count: int = 1, cam: _Camera | None = None, corrupt: tuple[int, ...] = ()) -> int:
        """The camera exposes ``count`` frames; returns how many found a queued DMA buffer."""
        cam = cam or self.camera()
        stored = 0
        for i in range(count):
            n, cam.counter = cam.counter, cam.counter + 1
            if not (cam.transmitting and cam.ring is not None and cam.queued):
                continue  # nobody listens, or the ring is full: the frame is lost
            slot = cam.queued.popleft()
            frame, buffer = cam.ring[slot]
            self._fill(cam, n, buffer)
            frame.timestamp = int((self.realtime_start + n / cam.fps()) * 1e6)
            (cam.corrupt.add if i in corrupt else cam.corrupt.discard)(slot)
            cam.ready.append(slot)
            os.write(cam.fds[1], b"\0")  # type: ignore[index]
            stored += 1
        return stored

    def _fill(self, cam: _Camera, n: int, buffer: ctypes.Array) -> None:
        pixels = np.frombuffer(buffer, np.uint8)
        pixels[:] = n % 251
        fields, offset = cam.registers.get(FRAME_INFO, 0) & 0x3FF, 0
        ticks = round((n / cam.fps() + 127.9) * 8000 * 3072)  # the cycle timer's seconds wrap at 128: soon
        for bit in range(10):
            if fields & (1 << bit):
                value = n if bit == 6 else 0
                if bit == 0:  # 1394 cycle time: 7 bits seconds, 13 bits cycles, 12 bits cycle offset
                    value = (ticks // (8000 * 3072) % 128) << 25 | (ticks // 3072 % 8000) << 12 | ticks % 3072
                pixels[offset : offset + 4] = np.frombuffer(value.to_bytes(4, "big"), np.uint8)
                offset += 4

    # -- the library's functions (names without the dc1394_ prefix) -------------------------------
    def _new(self) -> int:
        ctx = ctypes.create_string_buffer(16)
        address = self._hold(ctx)
        self.contexts.add(address)
        return address

    def _free(self, ctx: int) -> None:
        if ctx not in self.contexts:
            raise ValueError("dc1394_free of an unknown context")
        if self.cameras or self.lists:
            self.violations.append("dc1394_free with live cameras or camera lists")
        self.contexts.discard(ctx)

    def _camera_enumerate(self, ctx: int, out: int) -> int:
        if ctx not in self.contexts:
            raise ValueError("enumerate with an unknown context")
        listing = dc1394camera_list_t(num=len(self.specs))
        array = (dc1394camera_id_t * max(len(self.specs), 1))(*[dc1394camera_id_t(s.unit, s.guid) for s in self.specs])
        listing.ids = ctypes.cast(array, type(listing.ids))
        self._keep.append(array)
        address = self._hold(listing)
        self.lists[address] = listing
        self._put(out, address, ctypes.c_void_p)
        return SUCCESS

    def _camera_free_list(self, address: int) -> None:
        if self.lists.pop(address, None) is None:
            raise ValueError("dc1394_camera_free_list of an unknown list")

    def _camera_new(self, ctx: int, guid: int) -> int | None:
        return self._camera_new_unit(ctx, guid, -1)

    def _camera_new_unit(self, ctx: int, guid: int, unit: int) -> int | None:
        if ctx not in self.contexts:
            raise ValueError("camera_new with an unknown context")
        for spec in self.specs:
            if spec.guid == guid and unit in (-1, spec.unit):
                vendor, model = ctypes.create_string_buffer(spec.vendor), ctypes.create_string_buffer(spec.model)
                cam = _Camera(spec, vendor, model)
                self._keep += [vendor, model]
                address = self._hold(cam.struct)
                self.cameras[address] = cam
                return address
        return None

    def _camera_free(self, address: int) -> None:
        cam = self._cam(address)
        if cam.ring is not None or cam.transmitting:
            self.violations.append("dc1394_camera_free while capturing or transmitting: stop them first")
            for fd in cam.fds or ():
                os.close(fd)
        del self.cameras[address]

    def _error_get_string(self, code: int) -> int:
        return ctypes.addressof(self.strings.get(code, self.strings[-28]))

    def _video_get_supported_modes(self, address: int, out: int) -> int:
        cam = self._cam(address)
        modes = [*cam.spec.standard, *cam.spec.format7]
        result = dc1394video_modes_t.from_address(out)
        result.num = len(modes)
        for i, mode in enumerate(modes):
            result.modes[i] = mode
        return SUCCESS

    def _video_get_supported_framerates(self, address: int, mode: int, out: int) -> int:
        cam = self._cam(address)
        if mode not in cam.spec.standard:
            return INVALID_VIDEO_MODE
        rates = dc1394framerates_t.from_address(out)
        rates.num = len(cam.spec.standard[mode])
        for i, rate in enumerate(cam.spec.standard[mode]):
            rates.framerates[i] = rate
        return SUCCESS

    def _video_get_framerate(self, address: int, out: int) -> int:
        self._put(out, self._cam(address).framerate)
        return SUCCESS

    def _video_set_framerate(self, address: int, rate: int) -> int:
        cam = self._cam(address)
        if not 32 <= rate <= 39:
            return INVALID_FRAMERATE
        if "framerate" not in cam.spec.ignores and rate in cam.spec.standard.get(cam.mode, []):
            cam.framerate = rate  # the camera ignores a rate its current mode does not offer
        return SUCCESS

    def _video_get_mode(self, address: int, out: int) -> int:
        self._put(out, self._cam(address).mode)
        return SUCCESS

    def _video_set_mode(self, address: int, mode: int) -> int:
        cam = self._cam(address)
        if not 64 <= mode <= 95:
            return INVALID_VIDEO_MODE
        if mode in cam.spec.standard or mode in cam.spec.format7:
            cam.mode = mode
        return SUCCESS

    def _video_get_operation_mode(self, address: int, out: int) -> int:
        self._put(out, self._cam(address).op_mode)
        return SUCCESS

    def _video_set_operation_mode(self, address: int, mode: int) -> int:
        cam = self._cam(address)
        if mode not in (LEGACY, B_MODE):
            return INVALID_OPERATION_MODE
        if mode == B_MODE and not cam.spec.bmode_capable:
            return NOT_SUPPORTED
        cam.op_mode = mode
        return SUCCESS

    def _video_get_iso_speed(self, address: int, out: int) -> int:
        self._put(out, self._cam(address).speed)
        return SUCCESS

    def _video_set_iso_speed(self, address: int, speed: int) -> int:
        cam = self._cam(address)
        if not 0 <= speed <= 5 or (speed > S400 and cam.op_mode != B_MODE):
            return INVALID_ISO_SPEED
        cam.speed = speed
        return SUCCESS

    def _video_set_transmission(self, address: int, on: int) -> int:
        self._cam(address).transmitting = bool(on)
        return SUCCESS

    def _video_get_transmission(self, address: int, out: int) -> int:
        self._put(out, int(self._cam(address).transmitting))
        return SUCCESS

    def _f7(self, address: int, mode: int) -> tuple[_Camera, Format7Mode]:
        cam = self._cam(address)
        if mode not in cam.spec.format7:
            raise KeyError(mode)
        return cam, cam.spec.format7[mode]

    def _format7_get_max_image_size(self, address: int, mode: int, w: int, h: int) -> int:
        try:
            _, f7 = self._f7(address, mode)
        except KeyError:
            return INVALID_VIDEO_MODE
        self._put(w, f7.max_size[0], ctypes.c_uint32), self._put(h, f7.max_size[1], ctypes.c_uint32)
        return SUCCESS

    def _format7_get_unit_position(self, address: int, mode: int, x: int, y: int) -> int:
        try:
            _, f7 = self._f7(address, mode)
        except KeyError:
            return INVALID_VIDEO_MODE
        self._put(x, f7.unit_position[0], ctypes.c_uint32), self._put(y, f7.unit_position[1], ctypes.c_uint32)
        return SUCCESS

    def _format7_get_color_codings(self, address: int, mode: int, out: int) -> int:
        try:
            _, f7 = self._f7(address, mode)
        except KeyError:
            return INVALID_VIDEO_MODE
        codings = dc1394color_codings_t.from_address(out)
        codings.num = len(f7.codings)
        for i, coding in enumerate(f7.codings):
            codings.codings[i] = coding
        return SUCCESS

    def _format7_get_color_filter(self, address: int, mode: int, out: int) -> int:
        try:
            _, f7 = self._f7(address, mode)
        except KeyError:
            return INVALID_VIDEO_MODE
        if f7.color_filter is None:
            return NOT_SUPPORTED  # format7.c: cameras older than IIDC 1.31
        self._put(out, f7.color_filter)
        return SUCCESS

    def _max_packet(self, cam: _Camera) -> int:
        return min(cam.spec.max_packet, 1024 << cam.speed)  # S100 1024 … S800 8192 bytes per cycle

    def _format7_get_packet_parameters(self, address: int, mode: int, unit: int, most: int) -> int:
        try:
            cam, f7 = self._f7(address, mode)
        except KeyError:
            return INVALID_VIDEO_MODE
        self._put(unit, f7.unit_bytes, ctypes.c_uint32), self._put(most, self._max_packet(cam), ctypes.c_uint32)
        return SUCCESS

    def _format7_get_packets_per_frame(self, address: int, mode: int, out: int) -> int:
        try:
            cam, _ = self._f7(address, mode)
        except KeyError:
            return INVALID_VIDEO_MODE
        _, packet, _, _, w, h = cam.roi[mode]
        self._put(out, math.ceil(w * h / packet) if packet else 0, ctypes.c_uint32)
        return SUCCESS

    def _format7_set_roi(self, address: int, mode: int, coding: int, packet: int, *roi: int) -> int:
        try:
            cam, f7 = self._f7(address, mode)
        except KeyError:
            return INVALID_VIDEO_MODE
        left, top, w, h = roi
        if coding not in f7.codings:
            return INVALID_COLOR_CODING
        (ux, uy), (px, py), (mx, my) = f7.unit_size, f7.unit_position, f7.max_size
        if w <= 0 or h <= 0 or w % ux or h % uy or left % px or top % py or left + w > mx or top + h > my:
            return F7_FLAG_1
        most = self._max_packet(cam)
        if packet in (-2, -3):  # DC1394_USE_MAX_AVAIL / DC1394_USE_RECOMMENDED
            packet = most
        elif packet == -1:  # DC1394_QUERY_FROM_CAMERA
            packet = cam.roi[mode][1] or most
        elif packet <= 0 or packet % f7.unit_bytes or packet > most:
            return F7_FLAG_2
        cam.roi[mode] = [coding, packet, left, top, w, h]
        return SUCCESS

    def _format7_get_roi(self, address: int, mode: int, *outs: int) -> int:
        try:
            cam, _ = self._f7(address, mode)
        except KeyError:
            return INVALID_VIDEO_MODE
        self._put(outs[0], cam.roi[mode][0])
        for out, value in zip(outs[1:], cam.roi[mode][1:], strict=True):
            self._put(out, value, ctypes.c_uint32)
        return SUCCESS

    def _feature(self, address: int, feature: int) -> dict | None:
        return self._cam(address).features.get(feature)

    def _feature_is_present(self, address: int, feature: int, out: int) -> int:
        self._put(out, int(self._feature(address, feature) is not None))
        return SUCCESS

    def _feature_has_absolute_control(self, address: int, feature: int, out: int) -> int:
        return self._feature_is_present(address, feature, out)

    def _feature_set(self, address: int, feature: int, key: str, value: float) -> int:
        state = self._feature(address, feature)
        if state is None:
            return INVALID_FEATURE
        state[key] = value
        return SUCCESS

    def _feature_set_power(self, address: int, feature: int, on: int) -> int:
        return self._feature_set(address, feature, "power", on)

    def _feature_set_mode(self, address: int, feature: int, mode: int) -> int:
        if mode not in (MANUAL, AUTO, ONE_PUSH):
            return INVALID_FEATURE_MODE
        return self._feature_set(address, feature, "mode", mode)

    def _feature_set_absolute_control(self, address: int, feature: int, on: int) -> int:
        return self._feature_set(address, feature, "abs", on)

    def _feature_set_absolute_value(self, address: int, feature: int, value: float) -> int:
        lo, hi = self._cam(address).spec.features.get(feature, (value, value))
        return self._feature_set(address, feature, "value", min(max(value, lo), hi))  # the camera clamps

    def _feature_get_absolute_value(self, address: int, feature: int, out: int) -> int:
        state = self._feature(address, feature)
        if state is None:
            return INVALID_FEATURE
        self._put(out, state["value"], ctypes.c_float)
        return SUCCESS

    def _get_control_registers(self, address: int, offset: int, out: int, count: int) -> int:
        cam = self._cam(address)
        if count != 1 or offset not in cam.registers:
            return FAILURE
        self._put(out, cam.registers[offset], ctypes.c_uint32)
        return SUCCESS

    def _set_control_registers(self, address: int, offset: int, values: int, count: int) -> int:
        cam = self._cam(address)
        if count != 1 or offset not in cam.registers:
            return FAILURE
        value = ctypes.c_uint32.from_address(values).value
        if offset == FRAME_INFO:
            value = 0x80000000 | (value & cam.spec.frame_info_fields)
        cam.registers[offset] = value
        return SUCCESS

    def _capture_setup(self, address: int, buffers: int, flags: int) -> int:
        cam = self._cam(address)
        if cam.ring is not None:
            return CAPTURE_IS_RUNNING
        if not cam.spec.bandwidth:
            return NO_BANDWIDTH
        w, h = cam.size()
        ring = []
        for slot in range(buffers):
            buffer = (ctypes.c_ubyte * (w * h))()
            frame = dc1394video_frame_t(id=slot, stride=w, image_bytes=w * h, total_bytes=w * h, video_mode=cam.mode)
            frame.size[0], frame.size[1] = w, h
            frame.image = ctypes.cast(buffer, type(frame.image))
            frame.camera = ctypes.cast(ctypes.addressof(cam.struct), type(frame.camera))
            ring.append((frame, buffer))
        cam.ring, cam.queued, cam.ready = ring, deque(range(buffers)), deque()
        cam.dequeued, cam.fds = set(), os.pipe()
        os.set_blocking(cam.fds[0], False)
        return SUCCESS

    def _capture_stop(self, address: int) -> int:
        cam = self._cam(address)
        if cam.ring is None:
            return CAPTURE_IS_NOT_SET
        if cam.dequeued:
            self.violations.append("capture_stop with frames still dequeued: their buffers are unmapped")
        for fd in cam.fds or ():
            os.close(fd)
        cam.ring, cam.fds = None, None
        return SUCCESS

    def _capture_get_fileno(self, address: int) -> int:
        cam = self._cam(address)
        return cam.fds[0] if cam.fds else -1

    def _capture_dequeue(self, address: int, policy: int, out: int) -> int:
        cam = self._cam(address)
        self._put(out, None, ctypes.c_void_p)
        if cam.ring is None:
            return CAPTURE_IS_NOT_SET
        if policy not in (POLICY_WAIT, POLICY_POLL):
            return -27
        if not cam.ready:
            if policy == POLICY_WAIT:
                self.violations.append("POLICY_WAIT with no frame coming would block forever")
                return FAILURE
            return SUCCESS
        slot = cam.ready.popleft()
        os.read(cam.fds[0], 1)  # type: ignore[index]
        frame = cam.ring[slot][0]
        frame.frames_behind = len(cam.ready)
        cam.dequeued.add(slot)
        self._put(out, ctypes.addressof(frame), ctypes.c_void_p)
        return SUCCESS

    def _slot(self, cam: _Camera, frame: int) -> int:
        for slot, (f, _) in enumerate(cam.ring or []):
            if ctypes.addressof(f) == frame:
                return slot
        raise ValueError("not a frame of this camera's ring")

    def _capture_enqueue(self, address: int, frame: int) -> int:
        cam = self._cam(address)
        slot = self._slot(cam, frame)
        if slot not in cam.dequeued:
            self.violations.append(f"frame {slot} enqueued but not dequeued")
            return INVALID_ARGUMENT
        cam.dequeued.discard(slot)
        cam.queued.append(slot)
        return SUCCESS

    def _capture_is_frame_corrupt(self, address: int, frame: int) -> int:
        cam = self._cam(address)
        return int(self._slot(cam, frame) in cam.corrupt)

    def check_released(self) -> list[str]:
        """Everything the backend must have released by close(); plus the violations seen."""
        left = [f"{len(self.cameras)} camera(s) not freed"] if self.cameras else []
        left += [f"{len(self.lists)} camera list(s) not freed"] if self.lists else []
        left += [f"{len(self.contexts)} context(s) not freed"] if self.contexts else []
        return left + self.violations
