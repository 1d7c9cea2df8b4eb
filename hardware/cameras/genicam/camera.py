"""GenICam cameras (USB3 Vision, GigE Vision, any GenTL producer) through harvesters.

Life cycle (harvesters 1.4): Harvester().add_file(cti) → update() → create(device) → the remote
device's node map is written and read back → num_buffers, start() → fetch(timeout) → copy → queue()
→ stop() → destroy() → reset().

Settings written to the node map, in an order cameras accept: PixelFormat, Width, Height (sensor
ROI; offsets through ``nodes:``), ExposureAuto Off + ExposureTime (``exposure_us``, must stay below
the frame period), AcquisitionFrameRateEnable (where the camera has it) + AcquisitionFrameRate, then
the rig's free ``nodes:`` mapping. Everything is read back; the resulting rate
(AcquisitionResultingFrameRate / ResultingFrameRate where the camera reports it) must reach the
rig's fps, else the camera is refused: never a silently lower frame rate.

Frames: the GenTL buffer's frame id (a gap = a dropped frame; GigE Vision 1.x block ids count
1..65535 and wrap) and its timestamp in ns where the producer has one (camera_time, seconds on the
camera's clock); host_time is the arrival on the one clock. An incomplete buffer (is_complete()
false: packets lost on the wire) is not delivered, so its id leaves a gap and counts as dropped.
The Viky virtual cameras have frame ids but no timestamps ("timestamps not supported by the device").
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hardware import clock
from hardware.cameras.base import (
    PFNC,
    BackendStatus,
    BackendUnavailable,
    CameraConfigError,
    CameraDisconnected,
    CameraError,
    CameraSettings,
    Frame,
    FrameTimeout,
    StreamFormat,
    refuse_if_different,
)
from hardware.cameras.genicam.producers import available_producers, resolve_producers
from hardware.strict_yaml import Field, positive

OPTIONS = {
    "cti": Field(str, default=None, doc="GenTL producer: a .cti path, or viky / flir (shipped in a package)"),
    "device": Field((int, str), default=0, doc="serial number, device id, user-defined name, or index"),
    "exposure_us": Field(float, default=None, check=positive, doc="fixed exposure (auto exposure off)"),
    "buffers": Field(int, default=16, check=positive, doc="frames the producer can hold for us"),
    "nodes": Field(dict, default={}, doc="more node settings, applied last: {NodeName: value}"),
}
FRAME_IDS = True  # GenTL frame ids: gaps are drops

RESULTING_RATE_NODES = ("AcquisitionResultingFrameRate", "ResultingFrameRate")
INSTALL = "backend 'genicam' needs harvesters: pip install \"casme-elicitation[genicam]\""


def _harvester_class() -> Any:
    try:
        from harvesters.core import Harvester
    except ImportError:
        raise BackendUnavailable(INSTALL) from None
    return Harvester


def create(settings: CameraSettings) -> GenICamCamera:
    return GenICamCamera(settings.name, settings.options)


def _describe(info: Any) -> str:
    d = info.property_dict
    return f"{d.get('vendor')} {d.get('model')} serial {d.get('serial_number')} (id {d.get('id_')}, {d.get('tl_type')})"


def probe() -> BackendStatus:
    try:
        harvester = _harvester_class()()
    except BackendUnavailable as exc:  # probe reports, it does not raise
        return BackendStatus("genicam", False, str(exc))
    producers = available_producers()
    if not producers:
        return BackendStatus("genicam", True, "harvesters installed; no GenTL producer (.cti) found")
    try:
        for path in producers:
            harvester.add_file(str(path))
        harvester.update()
        devices = [_describe(info) for info in harvester.device_info_list]
    finally:
        harvester.reset()
    names = ", ".join(p.name for p in producers)
    return BackendStatus("genicam", True, f"harvesters installed; producers: {names}", devices)


def _pick(device_infos: list[Any], wanted: int | str, camera: str) -> int:
    """Index of the wanted device: by index (int) or by serial number, id or user-defined name."""
    listed = ", ".join(_describe(d) for d in device_infos) or "none"
    if isinstance(wanted, int):
        if 0 <= wanted < len(device_infos):
            return wanted
        raise CameraConfigError(f"camera '{camera}': no GenICam device at index {wanted} (devices: {listed})")
    for i, info in enumerate(device_infos):
        d = info.property_dict
        if wanted in (str(d.get("serial_number")), d.get("id_"), d.get("user_defined_name")):
            return i
    raise CameraConfigError(f"camera '{camera}': no GenICam device '{wanted}' (devices: {listed})")


class FrameIdUnwrapper:
    """GenTL frame ids as one increasing count (GigE Vision 1.x block ids wrap after 65535, skipping 0)."""

    def __init__(self) -> None:
        self.last: int | None = None
        self.base = 0

    def __call__(self, raw: int) -> int:
        if self.last is not None and raw < self.last and self.last <= 0xFFFF:
            self.base += 0xFFFF  # 65535 -> 1 is one step
        self.last = raw
        return self.base + raw


class GenICamCamera:
    """Implements hardware.cameras.base.Camera for one GenICam device."""

    def __init__(self, name: str, options: dict[str, Any]) -> None:
        self.name = name
        self.options = options
        self._harvester: Any = None
        self._acquirer: Any = None
        self._format: StreamFormat | None = None
        self._started = False  # read() only between start() and stop()
        self._ids = FrameIdUnwrapper()
        self._timeout_error: type[BaseException] = TimeoutError

    def open(self) -> None:
        self._harvester = _harvester_class()()
        from genicam.gentl import TimeoutException  # installed with harvesters

        self._timeout_error = TimeoutException
        for path in resolve_producers(self.options.get("cti"), self.name):
            self._harvester.add_file(str(path))
        self._harvester.update()
        index = _pick(self._harvester.device_info_list, self.options.get("device", 0), self.name)
        try:
            self._acquirer = self._harvester.create(index)
        except Exception as exc:  # the producer's own words (device busy, no access rights ...)
            raise CameraError(f"camera '{self.name}': cannot open GenICam device {index}: {exc}") from None

    def _write(self, node: str, value: Any) -> None:
        nm = self._acquirer.remote_device.node_map
        if not nm.has_node(node):
            raise CameraConfigError(f"camera '{self.name}': the camera has no node {node} (asked {node} = {value})")
        try:
            getattr(nm, node).value = value
        except Exception as exc:  # genapi: OutOfRange, InvalidArgument, Access (not writable now) ...
            raise CameraConfigError(f"camera '{self.name}': {node} = {value!r} refused by the camera: {exc}") from None

    def _read(self, node: str) -> Any:
        nm = self._acquirer.remote_device.node_map
        return getattr(nm, node).value if nm.has_node(node) else None

    def configure(self, settings: CameraSettings) -> StreamFormat:
        if self._acquirer is None:
            raise CameraError(f"camera '{self.name}': configure() before open()")
        if settings.pixel_format not in PFNC:
            raise CameraConfigError(f"camera '{self.name}': GenICam backend stores {', '.join(PFNC)}, "
                                    f"not {settings.pixel_format}")  # fmt: skip
        self._write("PixelFormat", PFNC[settings.pixel_format])
        self._write("Width", settings.width)
        self._write("Height", settings.height)
        exposure = self.options.get("exposure_us")
        if exposure is not None:
            if exposure >= settings.period_s * 1e6:
                period_us = settings.period_s * 1e6
                raise CameraConfigError(f"camera '{self.name}': exposure_us {exposure:g} is not below the frame "
                                        f"period ({period_us:.0f} µs at {settings.fps:g} fps)")  # fmt: skip
            if self._acquirer.remote_device.node_map.has_node("ExposureAuto"):
                self._write("ExposureAuto", "Off")
            self._write("ExposureTime", float(exposure))
        if self._acquirer.remote_device.node_map.has_node("AcquisitionFrameRateEnable"):
            self._write("AcquisitionFrameRateEnable", True)
        self._write("AcquisitionFrameRate", float(settings.fps))
        for node, value in (self.options.get("nodes") or {}).items():
            self._write(str(node), value)
        back = {v: k for k, v in PFNC.items()}
        pfnc = str(self._read("PixelFormat"))
        rates = [self._read(n) for n in (*RESULTING_RATE_NODES, "AcquisitionFrameRate")]
        fps = float(next(r for r in rates if r is not None))
        actual = StreamFormat(int(self._read("Width")), int(self._read("Height")), back.get(pfnc, pfnc), fps)
        refuse_if_different(settings, actual)
        self._format = StreamFormat(settings.width, settings.height, settings.pixel_format, settings.fps)
        return actual

    def start(self) -> None:
        if self._format is None:
            raise CameraError(f"camera '{self.name}': start() before configure()")
        self._acquirer.num_buffers = int(self.options.get("buffers") or 16)
        self._ids = FrameIdUnwrapper()
        self._acquirer.start()
        self._started = True

    def read(self, timeout: float = 1.0) -> Frame:
        fmt = self._format
        if fmt is None or self._acquirer is None or not self._started:
            raise CameraError(f"camera '{self.name}': read() before start()")
        while True:  # incomplete buffers are skipped (their ids leave a gap)
            try:
                buffer = self._acquirer.fetch(timeout=timeout)
            except self._timeout_error:
                raise FrameTimeout(f"camera '{self.name}': no frame within {timeout} s") from None
            except Exception as exc:  # the device vanished or the stream broke
                raise CameraDisconnected(f"camera '{self.name}': GenICam stream failed: {exc}") from None
            try:
                arrival = clock.now()
                module = buffer.module
                frame_id = self._ids(int(module.frame_id))
                if not module.is_complete():
                    continue
                pixels = self._copy(buffer.payload.components[0], fmt)
                try:
                    camera_time: float | None = module.timestamp_ns / 1e9
                except Exception:  # not supported by this producer (e.g. Viky)
                    camera_time = None
                return Frame(pixels=pixels, frame_id=frame_id, host_time=arrival, camera_time=camera_time)
            finally:
                buffer.queue()

    def _copy(self, component: Any, fmt: StreamFormat) -> np.ndarray:
        if (component.width, component.height) != (fmt.width, fmt.height):
            raise CameraError(f"camera '{self.name}': delivered {component.width}x{component.height}, "
                              f"expected {fmt.width}x{fmt.height}")  # fmt: skip
        shape = (fmt.height, fmt.width, 3) if fmt.pixel_format == "bgr24" else (fmt.height, fmt.width)
        return np.array(component.data, dtype=np.uint8, copy=True).reshape(shape)  # the buffer goes back now

    def stop(self) -> None:
        self._started = False
        if self._acquirer is not None and self._acquirer.is_acquiring():
            self._acquirer.stop()

    def close(self) -> None:
        try:
            self.stop()
            if self._acquirer is not None:
                self._acquirer.destroy()
        finally:
            self._acquirer = None
            if self._harvester is not None:
                self._harvester.reset()
                self._harvester = None
