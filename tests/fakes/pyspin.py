"""A strict stand-in for FLIR's PySpin module (Spinnaker's Python wrapper), for tests: PySpin is not on
the package index and no FLIR camera exists on a CI machine.

It follows the names and behaviour of PySpin as used in FLIR's Spinnaker Python examples (Acquisition.py,
ChunkData.py, Trigger.py, Exposure.py, NodeMapInfo.py) and in campy / multicamera_acquisition:
System.GetInstance / GetCameras / ReleaseInstance / GetLibraryVersion; CameraList GetSize, GetByIndex,
GetBySerial, Clear; CameraPtr Init, DeInit, IsInitialized, GetNodeMap, GetTLStreamNodeMap,
GetTLDeviceNodeMap, BeginAcquisition, EndAcquisition, GetNextImage(timeout_ms); node pointers
CEnumerationPtr, CFloatPtr, CIntegerPtr, CBooleanPtr, CCommandPtr, CStringPtr with the module functions
IsAvailable / IsReadable / IsWritable; enumeration entries (GetEntryByName, GetValue, GetSymbolic,
SetIntValue, GetCurrentEntry); ImagePtr IsIncomplete, GetImageStatus, GetNDArray, GetChunkData
(GetFrameID, GetTimestamp), GetFrameID, GetTimeStamp, Release; SpinnakerException with ``errorcode``.

Strict where the real SDK is: nodes that are not writable in the camera's state raise (Width, Height,
PixelFormat while streaming; ExposureTime while ExposureAuto is on; AcquisitionFrameRate while
AcquisitionFrameRateEnable is off; Trigger* while TriggerMode is on; ChunkEnable while chunk mode is
off); values out of range raise; AcquisitionFrameRate's maximum falls with a long exposure; DeInit
while streaming raises "Camera is still streaming" [-1004]; ReleaseInstance raises "Can't clear a
camera because something still holds a reference to the camera" [-1004] while a CameraPtr is alive,
the camera list is not cleared, or an image is not released; GetNextImage times out with [-1011].
An image's array is overwritten when it is released, as a reused buffer would be.

The simulated camera streams in real time on the host clock, its own clock running ``drift_ppm``
fast, with frame ids counting every frame it exposed; ``incomplete`` ids arrive incomplete and
``skipped`` ids never arrive. Configure it with CONFIG (or ELICIT_FAKE_PYSPIN_CONFIG, JSON, for a
camera process) before System.GetInstance().
"""

from __future__ import annotations

import json
import os
import time
import weakref
from types import SimpleNamespace
from typing import Any

import numpy as np

from hardware.cameras.sim import barcode

CONFIG: dict[str, Any] = {}
DEFAULTS = {"serials": ["21187337"], "model": "Blackfly S BFS-U3-04S2M", "max_fps": 522.0, "drift_ppm": 0.0,
            "incomplete": [], "skipped": [], "camera_epoch_s": 1234.5, "max_width": 720, "max_height": 540,
            "readout_us": 50.0, "trigger_hz": None}  # fmt: skip
RW, RO, NA = "RW", "RO", "NA"
_SYSTEM: System | None = None


class SpinnakerException(Exception):
    def __init__(self, message: str, errorcode: int = -1001) -> None:
        super().__init__(f"Spinnaker: {message} [{errorcode}]")
        self.message, self.errorcode = message, errorcode


def _config() -> dict[str, Any]:
    return {**DEFAULTS, **json.loads(os.environ.get("ELICIT_FAKE_PYSPIN_CONFIG", "{}")), **CONFIG}


# -- nodes ---------------------------------------------------------------------------------------
class _Entry:
    def __init__(self, symbolic: str, value: int) -> None:
        self._symbolic, self._value = symbolic, value

    def GetSymbolic(self) -> str:
        return self._symbolic

    def GetValue(self) -> int:
        return self._value


class _Node:
    """One feature. access(): RW / RO / NA in the device's current state."""

    def __init__(self, dev: _Device, name: str, kind: str, value: Any = None, **kw: Any) -> None:
        self.dev, self.name, self.kind, self.value = dev, name, kind, value
        self.entries = [_Entry(s, i) for i, s in enumerate(kw.get("entries", []))]
        self.lo, self.hi = kw.get("lo", 0), kw.get("hi", 0)
        self.locked_when = kw.get("locked_when", lambda: False)
        self.read_only = kw.get("read_only", False)
        self.on_execute, self.on_set = kw.get("on_execute"), kw.get("on_set")
        self.before_init = kw.get("before_init", False)  # TL device nodes work before Init()

    def access(self) -> str:
        if not (self.dev.initialized or self.before_init):
            return NA
        return RO if self.read_only or self.locked_when() else RW

    def _check_write(self) -> None:
        if self.access() != RW:
            raise SpinnakerException(f"GenICam::AccessException= Node is not writable. : AccessException thrown in "
                                     f"node '{self.name}' while calling '{self.name}.SetValue()'", -2006)  # fmt: skip

    def _check_read(self) -> None:
        if self.access() == NA:
            raise SpinnakerException(f"Node '{self.name}' is not readable", -2006)

    # enumeration
    def GetEntryByName(self, symbolic: str) -> _Entry | None:
        return next((e for e in self.entries if e.GetSymbolic() == symbolic), None)

    def SetIntValue(self, value: int) -> None:
        self._check_write()
        if not 0 <= value < len(self.entries):
            raise SpinnakerException(f"value {value} is not an entry of {self.name}", -2001)
        self.value = self.entries[value].GetSymbolic()
        self.dev.written.append((self.name, self.value))

    def GetIntValue(self) -> int:
        return next(e.GetValue() for e in self.entries if e.GetSymbolic() == self.value)

    def GetCurrentEntry(self) -> _Entry:
        self._check_read()
        return next(e for e in self.entries if e.GetSymbolic() == self.value)

    # float, integer, boolean, string
    def GetValue(self) -> Any:
        self._check_read()
        return self.dev.dynamic(self.name, self.value)

    def SetValue(self, value: Any) -> None:
        self._check_write()
        if self.kind in ("float", "int") and not self.GetMin() <= value <= self.GetMax():
            raise SpinnakerException(f"OutOfRangeException: {self.name} = {value} outside "
                                     f"{self.GetMin()}..{self.GetMax()}", -2002)  # fmt: skip
        self.value = value
        self.dev.written.append((self.name, value))
        if self.on_set:
            self.on_set(value)

    def GetMin(self) -> Any:
        return self.lo

    def GetMax(self) -> Any:
        return self.dev.dynamic_max(self.name, self.hi)

    # command
    def Execute(self) -> None:
        self._check_write()
        self.on_execute()


def _ptr(kind: str):
    def cast(node: _Node | None) -> _Node | None:
        if node is not None and node.kind != kind:
            raise SpinnakerException(f"node {node.name} is not a {kind} node", -1006)
        return node

    return cast


CEnumerationPtr, CFloatPtr, CIntegerPtr = _ptr("enum"), _ptr("float"), _ptr("int")
CBooleanPtr, CCommandPtr, CStringPtr = _ptr("bool"), _ptr("command"), _ptr("string")


def IsAvailable(node: Any) -> bool:
    return node is not None and (isinstance(node, _Entry) or node.access() != NA)


def IsReadable(node: Any) -> bool:
    return IsAvailable(node) and (isinstance(node, _Entry) or node.access() in (RW, RO))


def IsWritable(node: Any) -> bool:
    return IsAvailable(node) and not isinstance(node, _Entry) and node.access() == RW


class _NodeMap:
    def __init__(self, nodes: dict[str, _Node]) -> None:
        self._nodes = nodes

    def GetNode(self, name: str) -> _Node | None:
        return self._nodes.get(name)


# -- the camera ----------------------------------------------------------------------------------
class _Device:
    def __init__(self, serial: str, cfg: dict[str, Any], log: list[str]) -> None:
        self.serial, self.cfg, self.log = serial, cfg, log
        self.initialized = self.streaming = False
        self.outstanding: set[int] = set()  # ids of images not released
        self.written: list[tuple[str, Any]] = []
        self.chunks: dict[str, bool] = {}
        self.origin = time.monotonic()
        self.latched = 0
        self.start = 0.0
        self.next_id = 0
        streaming = lambda: self.streaming  # noqa: E731
        n = self._nodes = {}

        def add(name: str, kind: str, value: Any = None, **kw: Any) -> None:
            n[name] = _Node(self, name, kind, value, **kw)

        add("AcquisitionMode", "enum", "SingleFrame", entries=["Continuous", "SingleFrame", "MultiFrame"])
        add("ExposureAuto", "enum", "Continuous", entries=["Off", "Once", "Continuous"])
        add("ExposureTime", "float", 10000.0, lo=10.0, hi=30e6, locked_when=lambda: self.enum("ExposureAuto") != "Off")
        add(
            "PixelFormat", "enum", "Mono8", entries=cfg.get("pixel_formats", ["Mono8", "Mono16"]), locked_when=streaming
        )
        add("Width", "int", cfg["max_width"], lo=16, hi=cfg["max_width"], locked_when=streaming)
        add("Height", "int", cfg["max_height"], lo=16, hi=cfg["max_height"], locked_when=streaming)
        add("TriggerMode", "enum", "Off", entries=["Off", "On"])
        trigger_on = lambda: self.enum("TriggerMode") == "On"  # noqa: E731
        add("TriggerSelector", "enum", "FrameStart", entries=["FrameStart", "AcquisitionStart"], locked_when=trigger_on)
        add("TriggerSource", "enum", "Software", entries=["Software", "Line0", "Line1", "Line2", "Line3"],
            locked_when=trigger_on)  # fmt: skip
        add("TriggerActivation", "enum", "RisingEdge", entries=["RisingEdge", "FallingEdge"], locked_when=trigger_on)
        add("AcquisitionFrameRateEnable", "bool", False)
        add("AcquisitionFrameRate", "float", 30.0, lo=1.0, hi=0.0,
            locked_when=lambda: not n["AcquisitionFrameRateEnable"].value)  # fmt: skip
        add("AcquisitionResultingFrameRate", "float", 0.0, read_only=True)
        add("ChunkModeActive", "bool", False)
        chunk_off = lambda: not n["ChunkModeActive"].value  # noqa: E731
        add("ChunkSelector", "enum", "Image", entries=["Image", "FrameID", "Timestamp", "ExposureTime"],
            locked_when=chunk_off)  # fmt: skip
        add("ChunkEnable", "bool", False, locked_when=chunk_off,
            on_set=lambda v: self.chunks.__setitem__(self.enum("ChunkSelector"), bool(v)))  # fmt: skip
        add("TimestampLatch", "command", on_execute=self._latch)
        add("TimestampLatchValue", "int", 0, read_only=True)
        self.stream = {}
        add(
            "StreamBufferHandlingMode",
            "enum",
            "NewestOnly",
            entries=["NewestFirst", "NewestOnly", "OldestFirst", "OldestFirstOverwrite"],
            locked_when=streaming,
        )
        add("StreamBufferCountMode", "enum", "Auto", entries=["Auto", "Manual"], locked_when=streaming)
        add("StreamBufferCountManual", "int", 10, lo=1, hi=1000,
            locked_when=lambda: streaming() or self.enum("StreamBufferCountMode") != "Manual")  # fmt: skip
        for name in ("StreamBufferHandlingMode", "StreamBufferCountMode", "StreamBufferCountManual"):
            self.stream[name] = n.pop(name)
        self.tl = {
            "DeviceSerialNumber": _Node(self, "DeviceSerialNumber", "string", serial, read_only=True, before_init=True),
            "DeviceModelName": _Node(self, "DeviceModelName", "string", cfg["model"], read_only=True, before_init=True),
        }

    def enum(self, name: str) -> str:
        return (self._nodes.get(name) or self.stream[name]).value

    def max_fps(self) -> float:
        return min(self.cfg["max_fps"], 1e6 / (self._nodes["ExposureTime"].value + self.cfg["readout_us"]))

    def dynamic_max(self, name: str, hi: Any) -> Any:
        return self.max_fps() if name == "AcquisitionFrameRate" else hi

    def dynamic(self, name: str, value: Any) -> Any:
        if name == "AcquisitionResultingFrameRate":
            rate = self._nodes["AcquisitionFrameRate"]
            return (
                min(rate.value, self.max_fps()) if self._nodes["AcquisitionFrameRateEnable"].value else self.max_fps()
            )
        if name == "TimestampLatchValue":
            return self.latched
        return value

    def camera_seconds(self, host: float) -> float:
        return self.cfg["camera_epoch_s"] + (host - self.origin) * (1 + self.cfg["drift_ppm"] * 1e-6)

    def _latch(self) -> None:
        self.latched = round(self.camera_seconds(time.monotonic()) * 1e9)

    # streaming
    def begin(self) -> None:
        if not self.initialized or self.streaming:
            raise SpinnakerException("Camera is not initialized or already streaming", -1002)
        self.streaming, self.start, self.next_id = True, time.monotonic(), 0
        self.log.append("BeginAcquisition")

    def next_image(self, timeout_ms: int) -> Image:
        if not self.streaming:
            raise SpinnakerException("Camera is not started.", -1010)
        while self.next_id in self.cfg["skipped"]:
            self.next_id += 1  # exposed, never delivered (buffer overflow on the host)
        k = self.next_id
        rate = self.dynamic("AcquisitionResultingFrameRate", 0.0)
        if self.enum("TriggerMode") == "On":
            rate = self.cfg["trigger_hz"]  # frames come only with pulses on the trigger line
            if not rate:
                time.sleep(timeout_ms / 1000)
                raise SpinnakerException("Failed waiting for EventData on NEW_BUFFER_DATA event.", -1011)
        due = self.start + (k / rate) / (1 + self.cfg["drift_ppm"] * 1e-6)
        wait = due - time.monotonic()
        if wait > timeout_ms / 1000:
            time.sleep(timeout_ms / 1000)
            raise SpinnakerException("Failed waiting for EventData on NEW_BUFFER_DATA event.", -1011)
        time.sleep(max(0.0, wait))
        self.next_id += 1
        stamp = round((self.camera_seconds(self.start) + k / rate) * 1e9)
        return Image(self, k, stamp, k in self.cfg["incomplete"])


class Image:
    """ImagePtr: the pixels live in a stream buffer until Release()."""

    def __init__(self, dev: _Device, frame_id: int, stamp_ns: int, incomplete: bool) -> None:
        self.dev, self.frame_id, self.stamp_ns, self.incomplete = dev, frame_id, stamp_ns, incomplete
        w, h = dev._nodes["Width"].value, dev._nodes["Height"].value
        shape = (h, w, 3) if dev.enum("PixelFormat") == "BGR8" else (h, w)
        self._array = np.full(shape, 90 + frame_id % 50, np.uint8)
        if w >= barcode.WIDTH and h >= barcode.BLOCK:
            barcode.write(self._array, frame_id)
        self.released = False
        dev.outstanding.add(id(self))

    def _alive(self) -> None:
        if self.released:
            raise SpinnakerException("Image has been released", -1006)

    def IsIncomplete(self) -> bool:
        self._alive()
        return self.incomplete

    def GetImageStatus(self) -> int:
        return 5 if self.incomplete else 0  # SPINNAKER_IMAGE_STATUS_DATA_INCOMPLETE = 5 / NO_ERROR = 0

    def GetNDArray(self) -> np.ndarray:
        self._alive()
        return self._array  # a view of the stream buffer, not a copy

    def GetChunkData(self) -> SimpleNamespace:
        self._alive()

        def chunk(name: str, value: int):
            def get() -> int:
                if not (self.dev._nodes["ChunkModeActive"].value and self.dev.chunks.get(name)):
                    raise SpinnakerException(f"chunk {name} is not enabled", -1018)
                return value

            return get

        return SimpleNamespace(
            GetFrameID=chunk("FrameID", self.frame_id), GetTimestamp=chunk("Timestamp", self.stamp_ns)
        )

    def GetFrameID(self) -> int:
        return self.frame_id

    def GetTimeStamp(self) -> int:
        return self.stamp_ns

    def Release(self) -> None:
        self._alive()
        self.released = True
        self._array[...] = 0xEE  # the buffer goes back to the camera and is overwritten
        self.dev.outstanding.discard(id(self))


class CameraPtr:
    def __init__(self, dev: _Device, system: System) -> None:
        self._dev = dev
        system._live.add(self)

    def IsValid(self) -> bool:
        return True

    def Init(self) -> None:
        self._dev.initialized = True
        self._dev.log.append("Init")

    def IsInitialized(self) -> bool:
        return self._dev.initialized

    def DeInit(self) -> None:
        if self._dev.streaming:
            raise SpinnakerException("Can't de-initialize camera. Camera is still streaming.", -1004)
        self._dev.initialized = False
        self._dev.log.append("DeInit")

    def GetNodeMap(self) -> _NodeMap:
        return _NodeMap(self._dev._nodes)

    def GetTLStreamNodeMap(self) -> _NodeMap:
        return _NodeMap(self._dev.stream)

    def GetTLDeviceNodeMap(self) -> _NodeMap:
        return _NodeMap(self._dev.tl)

    def BeginAcquisition(self) -> None:
        self._dev.begin()

    def EndAcquisition(self) -> None:
        if not self._dev.streaming:
            raise SpinnakerException("Camera is not started.", -1002)
        self._dev.streaming = False
        self._dev.log.append("EndAcquisition")

    def GetNextImage(self, timeout_ms: int = 0xFFFFFFFFFFFFFFFF) -> Image:
        return self._dev.next_image(timeout_ms)


class CameraList:
    def __init__(self, system: System) -> None:
        self._system, self._cameras = system, list(system._devices)

    def GetSize(self) -> int:
        return len(self._cameras)

    def GetByIndex(self, index: int) -> CameraPtr:
        if not 0 <= index < len(self._cameras):
            raise SpinnakerException(f"index {index} out of range", -1017)
        return CameraPtr(self._cameras[index], self._system)

    def GetBySerial(self, serial: str) -> CameraPtr:
        for dev in self._cameras:
            if dev.serial == serial:
                return CameraPtr(dev, self._system)
        raise SpinnakerException(f"no camera with serial {serial}", -1007)

    def Clear(self) -> None:
        self._cameras = []
        self._system._lists.discard(self)
        self._system.log.append("Clear")


class System:
    @staticmethod
    def GetInstance() -> System:
        global _SYSTEM
        if _SYSTEM is None:
            _SYSTEM = System()
        return _SYSTEM

    def __init__(self) -> None:
        cfg = _config()
        self.log: list[str] = []
        self._devices = [_Device(str(s), cfg, self.log) for s in cfg["serials"]]
        self._live: weakref.WeakSet[CameraPtr] = weakref.WeakSet()
        self._lists: set[CameraList] = set()

    def GetCameras(self) -> CameraList:
        listing = CameraList(self)
        self._lists.add(listing)
        return listing

    def GetLibraryVersion(self) -> SimpleNamespace:
        return SimpleNamespace(major=4, minor=0, type=0, build=116)

    def ReleaseInstance(self) -> None:
        global _SYSTEM
        held = len(self._live) + len(self._lists) + sum(len(d.outstanding) for d in self._devices)
        if held:
            raise SpinnakerException("Can't clear a camera because something still holds a reference to the camera",
                                     -1004)  # fmt: skip
        self.log.append("ReleaseInstance")
        _SYSTEM = None
