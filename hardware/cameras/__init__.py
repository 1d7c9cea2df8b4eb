"""Camera backends, one module each, imported only when used (vendor SDKs are heavy or absent)."""

from __future__ import annotations

import importlib
from types import ModuleType

from hardware.cameras.base import (
    BackendStatus,
    BackendUnavailable,
    Camera,
    CameraConfigError,
    CameraDisconnected,
    CameraError,
    CameraSettings,
    Frame,
    FrameTimeout,
    StreamFormat,
)
from hardware.cameras.pixel_formats import BAYER_TILES, debayer, is_bayer

# backend name in a rig file -> module implementing it
BACKENDS: dict[str, str] = {
    "sim": "hardware.cameras.sim",
    "genicam": "hardware.cameras.genicam",
    "pyspin": "hardware.cameras.pyspin",
    "iidc": "hardware.cameras.iidc",
    "uvc": "hardware.cameras.uvc",
}


def backend_module(name: str) -> ModuleType:
    """The module of a backend. Importing it must not import the vendor SDK."""
    if name not in BACKENDS:
        raise CameraError(f"unknown camera backend '{name}' (known: {', '.join(BACKENDS)})")
    try:
        return importlib.import_module(BACKENDS[name])
    except ModuleNotFoundError as exc:
        if exc.name == BACKENDS[name]:
            raise BackendUnavailable(f"backend '{name}' is not part of this installation") from None
        raise


def create_camera(settings: CameraSettings) -> Camera:
    return backend_module(settings.backend).create(settings)


def probe_backends() -> list[BackendStatus]:
    """Every backend with whether it can be used here and the devices it sees."""
    statuses = []
    for name in BACKENDS:
        try:
            statuses.append(backend_module(name).probe())
        except BackendUnavailable as exc:
            statuses.append(BackendStatus(name, False, str(exc)))
        except Exception as exc:  # a broken SDK must not hide the other backends
            statuses.append(BackendStatus(name, False, f"probe failed: {exc}"))
    return statuses


__all__ = [
    "BACKENDS",
    "BAYER_TILES",
    "BackendStatus",
    "BackendUnavailable",
    "Camera",
    "CameraConfigError",
    "CameraDisconnected",
    "CameraError",
    "CameraSettings",
    "Frame",
    "FrameTimeout",
    "StreamFormat",
    "backend_module",
    "create_camera",
    "debayer",
    "is_bayer",
    "probe_backends",
]
