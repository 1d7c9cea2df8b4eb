"""FLIR's PySpin module (not on the package index): loading it, and what `elicit cameras list` says of it."""

from __future__ import annotations

import importlib
import os
from typing import Any

from hardware.cameras.base import BackendStatus, BackendUnavailable
from hardware.cameras.pyspin.nodes import Nodes

ENV_MODULE = "ELICIT_PYSPIN_MODULE"  # a stand-in module's name, for the tests' camera processes
INSTALL = (
    "backend 'pyspin' needs FLIR's Spinnaker SDK and its Python wheel (PySpin is not on the package index): "
    "download the Spinnaker SDK and the matching spinnaker_python wheel for your Python from Teledyne FLIR's "
    "Spinnaker SDK page, install the SDK, `pip install spinnaker_python-*.whl`, then run `elicit cameras list`"
)


def load_pyspin() -> Any:
    name = os.environ.get(ENV_MODULE) or "PySpin"
    try:
        return importlib.import_module(name)
    except ImportError:
        raise BackendUnavailable(INSTALL) from None


def serial_number(ps: Any, cam: Any) -> str:
    return Nodes(ps, cam.GetTLDeviceNodeMap(), "?", "TL device").get_string("DeviceSerialNumber")


def probe(pyspin: Any = None) -> BackendStatus:
    try:
        ps = pyspin or load_pyspin()
    except BackendUnavailable as exc:  # probe reports, it does not raise
        return BackendStatus("pyspin", False, str(exc))
    system = ps.System.GetInstance()
    cam_list = system.GetCameras()
    try:
        devices = []
        for i in range(cam_list.GetSize()):
            cam = cam_list.GetByIndex(i)
            model = Nodes(ps, cam.GetTLDeviceNodeMap(), "?", "TL device").get_string("DeviceModelName")
            devices.append(f"{model} serial {serial_number(ps, cam)}")
            del cam
        version = system.GetLibraryVersion()
        where = f"Spinnaker {version.major}.{version.minor}.{version.type}.{version.build}"
    finally:
        cam_list.Clear()
        system.ReleaseInstance()
    return BackendStatus("pyspin", True, f"{where}; {len(devices)} USB3/GigE camera(s)", devices)
