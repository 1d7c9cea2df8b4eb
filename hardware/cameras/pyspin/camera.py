"""FLIR USB3 Vision / GigE Vision cameras (Blackfly S, Grasshopper3, Chameleon3 ...) through PySpin.

Not for the GRAS-03K2C: that is a FireWire IIDC camera, which Spinnaker does not support (iidc.py).

Set-up as FLIR's examples and the open recorders (campy, multicamera_acquisition) do it:
System.GetInstance → GetCameras → camera by serial or index → Init; TL stream node map:
StreamBufferHandlingMode OldestFirst (and a manual buffer count); AcquisitionMode Continuous;
ExposureAuto Off + ExposureTime below the frame period; PixelFormat, Width, Height; either
AcquisitionFrameRateEnable + AcquisitionFrameRate, or a hardware trigger (TriggerMode Off,
TriggerSelector FrameStart, TriggerSource, TriggerActivation, TriggerMode On, as in Trigger.py);
chunk data on with FrameID and Timestamp; everything read back; BeginAcquisition.

Per frame: GetNextImage(timeout ms); an incomplete image is released and skipped, so its id leaves a
gap and counts as dropped; pixels are copied out, then the image is Released (always). Frame ids
and timestamps come from the chunk data; the timestamp is mapped onto the one clock with
TimestampLatch samples (latch_clock.py). Teardown in the SDK's order: EndAcquisition, DeInit, drop
every camera reference, clear the camera list, ReleaseInstance; a live reference makes
ReleaseInstance fail with "Can't clear a camera because something still holds a reference" [-1004].

PySpin is not on the package index. Tests inject a stand-in module (tests/fakes/pyspin.py) through
``create(settings, pyspin=...)``, or across the recorder's process boundary through the environment
variable ELICIT_PYSPIN_MODULE (a module name imported instead of PySpin).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hardware import clock
from hardware.cameras.base import (
    PFNC,
    CameraConfigError,
    CameraDisconnected,
    CameraError,
    CameraSettings,
    Frame,
    FrameTimeout,
    StreamFormat,
    refuse_if_different,
)
from hardware.cameras.pyspin.latch_clock import LatchClock
from hardware.cameras.pyspin.nodes import Nodes
from hardware.cameras.pyspin.sdk import ENV_MODULE, INSTALL, load_pyspin, probe, serial_number
from hardware.strict_yaml import Field, positive


def _trigger(value: Any) -> str | None:
    if set(value) - {"source", "activation"} or value.get("source") not in ("Line0", "Line1", "Line2", "Line3"):
        return "must be {source: Line0|Line1|Line2|Line3, activation: RisingEdge|FallingEdge}"
    if value.get("activation", "RisingEdge") not in ("RisingEdge", "FallingEdge"):
        return "activation must be RisingEdge or FallingEdge"
    return None


OPTIONS = {
    "serial": Field((str, int), default=None, doc="camera serial number (see `elicit cameras list`)"),
    "index": Field(int, default=0, doc="camera index when no serial is given"),
    "exposure_us": Field(float, default=None, check=positive, doc="fixed exposure; default half the period"),
    "buffers": Field(int, default=16, check=positive, doc="stream buffers (StreamBufferCountManual)"),
    "trigger": Field(dict, default=None, check=_trigger, doc="hardware trigger: {source: Line0, activation: ...}"),
}
FRAME_IDS = True
__all__ = ["ENV_MODULE", "FRAME_IDS", "INSTALL", "OPTIONS", "PySpinCamera", "create", "load_pyspin", "probe"]
TIMEOUT_ERROR, NOT_STREAMING_ERROR = -1011, -1010  # Spinnaker error codes (SPINNAKER_ERR_TIMEOUT, _IO)


def create(settings: CameraSettings, pyspin: Any = None) -> PySpinCamera:
    return PySpinCamera(settings.name, settings.options, pyspin)


class PySpinCamera:
    """Implements hardware.cameras.base.Camera for one FLIR USB3/GigE camera."""

    def __init__(self, name: str, options: dict[str, Any], pyspin: Any = None) -> None:
        self.name, self.options, self._ps = name, options, pyspin
        self._system: Any = None
        self._cam_list: Any = None
        self._cam: Any = None
        self._format: StreamFormat | None = None
        self._acquiring = False
        self.clock: LatchClock | None = None
        self.incomplete = 0

    # -- life cycle ------------------------------------------------------------------------
    def open(self) -> None:
        ps = self._ps = self._ps or load_pyspin()
        self._system = ps.System.GetInstance()
        self._cam_list = self._system.GetCameras()
        self._cam = self._choose(ps)
        self._cam.Init()

    def _choose(self, ps: Any) -> Any:
        size = self._cam_list.GetSize()
        serials = [serial_number(ps, self._cam_list.GetByIndex(i)) for i in range(size)]
        wanted = self.options.get("serial")
        if wanted is not None and str(wanted) in serials:
            return self._cam_list.GetBySerial(str(wanted))
        index = int(self.options.get("index") or 0)
        if wanted is None and index < size:
            return self._cam_list.GetByIndex(index)
        asked = f"serial {wanted}" if wanted is not None else f"index {index}"
        self.close()
        raise CameraConfigError(f"camera '{self.name}': no FLIR camera with {asked} (found: {serials or 'none'})")

    def configure(self, settings: CameraSettings) -> StreamFormat:
        if self._cam is None:
            raise CameraError(f"camera '{self.name}': configure() before open()")
        if settings.pixel_format not in PFNC:
            raise CameraConfigError(f"camera '{self.name}': PySpin backend stores {', '.join(PFNC)}")
        ps = self._ps
        stream = Nodes(ps, self._cam.GetTLStreamNodeMap(), self.name, "TL stream")
        stream.set_enum("StreamBufferHandlingMode", "OldestFirst")  # no frame is overwritten unseen
        if stream.has("StreamBufferCountMode"):
            stream.set_enum("StreamBufferCountMode", "Manual")
            stream.set_int("StreamBufferCountManual", int(self.options.get("buffers") or 16))
        nodes = Nodes(ps, self._cam.GetNodeMap(), self.name)
        nodes.set_enum("AcquisitionMode", "Continuous")
        exposure = self.options.get("exposure_us") or settings.period_s * 1e6 / 2
        if exposure >= settings.period_s * 1e6:
            raise CameraConfigError(f"camera '{self.name}': exposure_us {exposure:g} is not below the frame period "
                                    f"({settings.period_s * 1e6:.0f} µs at {settings.fps:g} fps)")  # fmt: skip
        nodes.set_enum("ExposureAuto", "Off")
        nodes.set_float("ExposureTime", float(exposure))
        nodes.set_enum("PixelFormat", PFNC[settings.pixel_format])
        nodes.set_int("Width", settings.width)
        nodes.set_int("Height", settings.height)
        trigger = self.options.get("trigger")
        nodes.set_enum("TriggerMode", "Off")  # trigger settings are writable only while it is off
        if trigger:
            nodes.set_enum("TriggerSelector", "FrameStart")
            nodes.set_enum("TriggerSource", trigger["source"])
            nodes.set_enum("TriggerActivation", trigger.get("activation", "RisingEdge"))
            nodes.set_bool("AcquisitionFrameRateEnable", False)  # the pulse sets the rate
            nodes.set_enum("TriggerMode", "On")
        else:
            nodes.set_bool("AcquisitionFrameRateEnable", True)
            nodes.set_float("AcquisitionFrameRate", float(settings.fps))
        nodes.set_bool("ChunkModeActive", True)
        for chunk in ("FrameID", "Timestamp"):
            nodes.set_enum("ChunkSelector", chunk)
            nodes.set_bool("ChunkEnable", True)
        back = {v: k for k, v in PFNC.items()}
        fps = settings.fps if trigger else self._resulting_rate(nodes)
        pfnc = nodes.get_enum("PixelFormat")
        actual = StreamFormat(nodes.get_int("Width"), nodes.get_int("Height"), back.get(pfnc, pfnc), fps)
        refuse_if_different(settings, actual)
        self._format = actual
        self.clock = LatchClock(self._latch)
        return actual

    @staticmethod
    def _resulting_rate(nodes: Nodes) -> float:
        for name in ("AcquisitionResultingFrameRate", "AcquisitionFrameRate"):
            if nodes.has(name):
                return nodes.get_float(name)
        return 0.0

    def _latch(self) -> tuple[float, float, float]:
        nodes = Nodes(self._ps, self._cam.GetNodeMap(), self.name)
        sfnc = nodes.has("TimestampLatch")
        command, value = ("TimestampLatch", "TimestampLatchValue") if sfnc else (
            "GevTimestampControlLatch", "GevTimestampValue")  # fmt: skip
        ticks_per_s = 1e9 if sfnc else float(nodes.get_int("GevTimestampTickFrequency"))
        before = clock.now()
        nodes.execute(command)
        ticks = nodes.get_int(value)
        after = clock.now()
        return before, ticks / ticks_per_s, after

    def start(self) -> None:
        if self._format is None or self.clock is None:
            raise CameraError(f"camera '{self.name}': start() before configure()")
        self._cam.BeginAcquisition()
        self._acquiring = True
        self.clock.refresh()

    def read(self, timeout: float = 1.0) -> Frame:
        fmt, latch = self._format, self.clock
        if fmt is None or latch is None or not self._acquiring:
            raise CameraError(f"camera '{self.name}': read() before start()")
        while True:
            try:
                image = self._cam.GetNextImage(max(1, int(timeout * 1000)))
            except self._ps.SpinnakerException as exc:
                if getattr(exc, "errorcode", None) == TIMEOUT_ERROR:
                    raise FrameTimeout(f"camera '{self.name}': no frame within {timeout} s") from None
                raise CameraDisconnected(f"camera '{self.name}': {exc}") from None
            try:
                arrival = clock.now()
                if image.IsIncomplete():
                    self.incomplete += 1
                    continue
                pixels = np.array(image.GetNDArray(), dtype=np.uint8, copy=True)
                chunk = image.GetChunkData()
                frame_id, camera_time = int(chunk.GetFrameID()), chunk.GetTimestamp() / 1e9
            finally:
                image.Release()
            if latch.due(arrival):
                latch.refresh()  # a register round trip every few seconds: offset and drift stay fresh
            host_time = latch.to_host(camera_time)
            if not arrival - 1.0 < host_time <= arrival + 0.001:
                host_time = arrival  # a mapping that puts the frame in the future or long ago is wrong
            if fmt.pixel_format == "bgr24":
                pixels = pixels.reshape(fmt.height, fmt.width, 3)
            return Frame(pixels=pixels, frame_id=frame_id, host_time=host_time, camera_time=camera_time)

    def stop(self) -> None:
        if self._acquiring:
            self._acquiring = False
            self._cam.EndAcquisition()

    def close(self) -> None:
        """EndAcquisition, DeInit, drop the camera, clear the list, release the system: the SDK's order."""
        try:
            self.stop()
            if self._cam is not None and self._cam.IsInitialized():
                self._cam.DeInit()
        finally:
            self._cam = None
            if self._cam_list is not None:
                self._cam_list.Clear()
                self._cam_list = None
            if self._system is not None:
                system, self._system = self._system, None
                system.ReleaseInstance()
