"""Node-map access for the PySpin backend, the way FLIR's Spinnaker examples do it.

Spinnaker's generic access: ``PySpin.CEnumerationPtr(nodemap.GetNode(name))`` (or CFloatPtr,
CIntegerPtr, CBooleanPtr, CCommandPtr, CStringPtr), checked with ``PySpin.IsAvailable`` /
``IsReadable`` / ``IsWritable`` before use; enumerations are set through their entry:
``node.SetIntValue(node.GetEntryByName("Off").GetValue())`` (Acquisition.py, Exposure.py,
ChunkData.py, Trigger.py of the Spinnaker Python examples). Every failure becomes a
CameraConfigError naming the camera, the node and the value.
"""

from __future__ import annotations

from typing import Any

from hardware.cameras.base import CameraConfigError


class Nodes:
    """One node map (camera, TL stream or TL device) of one camera."""

    def __init__(self, ps: Any, nodemap: Any, camera: str, which: str = "camera") -> None:
        self.ps, self.nodemap, self.camera, self.which = ps, nodemap, camera, which

    def has(self, name: str) -> bool:
        node = self.nodemap.GetNode(name)
        return node is not None and self.ps.IsAvailable(node)

    def _ptr(self, name: str, kind: str, write: bool) -> Any:
        node = self.nodemap.GetNode(name)
        if node is None or not self.ps.IsAvailable(node):
            raise CameraConfigError(f"camera '{self.camera}': the {self.which} node map has no node {name}")
        ptr = getattr(self.ps, kind)(node)
        if write and not self.ps.IsWritable(ptr):
            raise CameraConfigError(f"camera '{self.camera}': {name} is not writable now")
        if not write and not self.ps.IsReadable(ptr):
            raise CameraConfigError(f"camera '{self.camera}': {name} is not readable")
        return ptr

    def _call(self, name: str, value: Any, action: Any) -> Any:
        try:
            return action()
        except self.ps.SpinnakerException as exc:
            raise CameraConfigError(f"camera '{self.camera}': {name} = {value!r} refused: {exc}") from None

    def set_enum(self, name: str, symbolic: str) -> None:
        ptr = self._ptr(name, "CEnumerationPtr", write=True)
        entry = ptr.GetEntryByName(symbolic)
        if entry is None or not self.ps.IsReadable(entry):
            raise CameraConfigError(f"camera '{self.camera}': {name} has no entry {symbolic}")
        self._call(name, symbolic, lambda: ptr.SetIntValue(entry.GetValue()))

    def get_enum(self, name: str) -> str:
        return str(self._ptr(name, "CEnumerationPtr", write=False).GetCurrentEntry().GetSymbolic())

    def _set_in_range(self, name: str, kind: str, value: float) -> None:
        ptr = self._ptr(name, kind, write=True)
        low, high = ptr.GetMin(), ptr.GetMax()  # the limits move with other settings (exposure caps the rate)
        if not low <= value <= high:
            allowed = f"what the camera allows now ({low:g} .. {high:g})"
            raise CameraConfigError(f"camera '{self.camera}': {name} = {value:g} is outside {allowed}")
        self._call(name, value, lambda: ptr.SetValue(value))

    def set_float(self, name: str, value: float) -> None:
        self._set_in_range(name, "CFloatPtr", float(value))

    def get_float(self, name: str) -> float:
        return float(self._ptr(name, "CFloatPtr", write=False).GetValue())

    def set_int(self, name: str, value: int) -> None:
        self._set_in_range(name, "CIntegerPtr", int(value))

    def get_int(self, name: str) -> int:
        return int(self._ptr(name, "CIntegerPtr", write=False).GetValue())

    def set_bool(self, name: str, value: bool) -> None:
        ptr = self._ptr(name, "CBooleanPtr", write=True)
        self._call(name, value, lambda: ptr.SetValue(bool(value)))

    def execute(self, name: str) -> None:
        ptr = self._ptr(name, "CCommandPtr", write=True)
        self._call(name, "Execute", ptr.Execute)

    def get_string(self, name: str) -> str:
        return str(self._ptr(name, "CStringPtr", write=False).GetValue())
