"""Every camera backend built the way its own tests build it, behind one small face for the contract test
(tests/hardware/cameras/test_contract.py): the real backend code, with its stand-in SDK where CI has no device
(PySpin, libdc1394, cv2.VideoCapture), and the real Viky GenTL producer for genicam.

A harness knows, for its backend: settings the device delivers, a mode it cannot deliver, how to make frames
arrive (or not), how to see that the device was released, how to hide the SDK, and which contract items it
cannot show (``cannot``: item -> reason, the test skips those with the reason).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from typing import Any

import pytest

from hardware.cameras.base import BackendStatus, Camera, CameraSettings


class Harness:
    name = ""
    cannot: dict[str, str] = {}

    def settings(self, **over: Any) -> CameraSettings:
        raise NotImplementedError

    def create(self, s: CameraSettings) -> Camera:
        raise NotImplementedError

    def unsupported(self) -> CameraSettings:
        """A mode this camera cannot deliver."""
        raise NotImplementedError

    def quiet(self) -> CameraSettings:
        """Settings under which frames stop coming (at once, or after a few)."""
        return self.settings()

    def feed(self, cam: Camera, n: int) -> None:
        """Make n frames available (stand-ins that deliver only when told)."""

    def released(self) -> list[str]:
        """What the last camera still holds after close() (empty: everything released)."""
        return []

    def failing_start(self) -> CameraSettings:
        raise NotImplementedError

    def probe_without_sdk(self, monkeypatch: pytest.MonkeyPatch) -> BackendStatus:
        raise NotImplementedError

    def cleanup(self) -> None:
        pass


class Sim(Harness):
    name = "sim"
    cannot = {"probe_without_sdk": "the sim backend is built in: it has no SDK to be missing",
              "failed_start": "a sim camera that configured always starts"}  # fmt: skip

    def settings(self, **over: Any) -> CameraSettings:
        return replace(CameraSettings("cam", "sim", 400, 64, "mono8", 60.0), **over)

    def create(self, s: CameraSettings) -> Camera:
        from hardware.cameras.sim import create

        return create(s)

    def unsupported(self) -> CameraSettings:
        return self.settings(pixel_format="yuyv")

    def quiet(self) -> CameraSettings:
        return self.settings(fps=2.0)  # the next frame is due 0.5 s after the first


class PySpin(Harness):
    name = "pyspin"
    cannot = {"failed_start": "the PySpin stand-in has no failing BeginAcquisition"}

    def __init__(self) -> None:
        from tests.fakes import pyspin as ps

        self.ps = ps
        ps.CONFIG.clear()
        ps._SYSTEM = None

    def settings(self, **over: Any) -> CameraSettings:
        opts = {"trigger": over.pop("trigger")} if "trigger" in over else {}
        return replace(CameraSettings("flir", "pyspin", 640, 480, "mono8", 60.0, opts), **over)

    def create(self, s: CameraSettings) -> Camera:
        from hardware.cameras.pyspin import camera

        return camera.create(s, pyspin=self.ps)

    def unsupported(self) -> CameraSettings:
        return self.settings(width=1920)

    def quiet(self) -> CameraSettings:
        return self.settings(trigger={"source": "Line3", "activation": "RisingEdge"})  # no pulse ever comes

    def released(self) -> list[str]:
        return [] if self.ps._SYSTEM is None else ["the Spinnaker system instance"]

    def probe_without_sdk(self, monkeypatch: pytest.MonkeyPatch) -> BackendStatus:
        from hardware.cameras.pyspin import camera

        monkeypatch.setenv(camera.ENV_MODULE, "PySpin_is_not_installed_here")
        return camera.probe()

    def cleanup(self) -> None:
        self.ps.CONFIG.clear()
        self.ps._SYSTEM = None


class IIDC(Harness):
    name = "iidc"

    def __init__(self) -> None:
        from tests.fakes.dc1394 import CameraSpec, FakeDC1394

        self.spec = CameraSpec()
        self.fake = FakeDC1394(self.spec, realtime_start=time.time() - 0.5)  # frames stamped just before now

    def settings(self, **over: Any) -> CameraSettings:
        return replace(CameraSettings("gras", "iidc", 640, 480, "bayer_rggb8", 60.0), **over)

    def create(self, s: CameraSettings) -> Camera:
        from hardware.cameras.iidc import _libdc1394, camera

        fake = self.fake
        return camera.create(s, loader=lambda: _libdc1394.bind(fake))

    def unsupported(self) -> CameraSettings:
        return self.settings(width=1280, height=960)

    def feed(self, cam: Camera, n: int) -> None:
        self.fake.emit(n)

    def released(self) -> list[str]:
        return self.fake.check_released()

    def failing_start(self) -> CameraSettings:
        from tests.fakes.dc1394 import CameraSpec, FakeDC1394

        self.fake = FakeDC1394(CameraSpec(bandwidth=False))  # capture setup finds no isochronous bandwidth
        return self.settings()

    def probe_without_sdk(self, monkeypatch: pytest.MonkeyPatch) -> BackendStatus:
        import ctypes.util

        from hardware.cameras.iidc import _libdc1394, camera

        monkeypatch.setattr(_libdc1394, "SONAME", "libdc1394-not-installed.so.25")
        monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
        return camera.probe()


class UVC(Harness):
    name = "uvc"
    cannot = {"failed_start": "start() of a UVC camera does nothing that can fail (OpenCV streams from configure)"}

    def __init__(self) -> None:
        self.made: list[Any] = []
        self.spec: Any = None

    def settings(self, **over: Any) -> CameraSettings:
        return replace(CameraSettings("benq", "uvc", 640, 480, "mjpeg", 60.0, {"warmup_s": 0.25}), **over)

    def create(self, s: CameraSettings) -> Camera:
        from hardware.cameras.uvc import camera
        from tests.fakes.videocapture import FakeVideoCapture

        def factory(device: Any, api: int) -> FakeVideoCapture:
            self.made.append(FakeVideoCapture(device, api, self.spec))
            return self.made[-1]

        return camera.create(s, capture_factory=factory)

    def unsupported(self) -> CameraSettings:
        return self.settings(width=1920, height=1080)

    def quiet(self) -> CameraSettings:
        from tests.fakes.videocapture import DeviceSpec

        self.spec = DeviceSpec(unplugged_after=30)  # the device stops delivering half a second after stream-on
        return self.settings()

    def released(self) -> list[str]:
        return [f"VideoCapture({c.device})" for c in self.made if c.opened]

    def probe_without_sdk(self, monkeypatch: pytest.MonkeyPatch) -> BackendStatus:
        from hardware.cameras.uvc import camera

        monkeypatch.setitem(sys.modules, "cv2", None)  # `import cv2` raises ImportError
        return camera.probe()


class Viky(Harness):
    name = "genicam"
    cannot = {"failed_start": "Viky's acquisition start does not fail"}

    def __init__(self) -> None:
        pytest.importorskip("harvesters.core", reason="the genicam backend needs harvesters (pip install -e '.[test]')")
        pytest.importorskip("genicam", reason="the Viky GenTL producer ships in the genicam wheel")

    def settings(self, **over: Any) -> CameraSettings:
        opts = {"cti": "viky", "device": "2"}
        return replace(CameraSettings("viky", "genicam", 320, 240, "mono8", 60.0, opts), **over)

    def create(self, s: CameraSettings) -> Camera:
        from hardware.cameras.genicam import camera

        return camera.create(s)

    def unsupported(self) -> CameraSettings:
        return self.settings(width=7000)

    def quiet(self) -> CameraSettings:
        return self.settings(fps=2.0)  # Viky has no trigger: at 2 fps the next frame is 0.5 s away

    def released(self) -> list[str]:
        """Viky's devices are exclusive: while one harvester holds device 2, no other sees it."""
        probe = self.create(self.settings())
        try:
            probe.open()
        except Exception as exc:
            return [f"Viky device 2 ({exc})"]
        finally:
            probe.close()
        return []

    def probe_without_sdk(self, monkeypatch: pytest.MonkeyPatch) -> BackendStatus:
        from hardware.cameras.genicam import camera

        monkeypatch.setitem(sys.modules, "harvesters", None)
        monkeypatch.setitem(sys.modules, "harvesters.core", None)
        return camera.probe()


HARNESSES: dict[str, type[Harness]] = {h.name: h for h in (Sim, PySpin, IIDC, UVC, Viky)}
