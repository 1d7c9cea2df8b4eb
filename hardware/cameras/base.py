"""The one Camera protocol every backend implements, and the data it hands the recorder.

Life cycle: ``open()`` → ``configure(settings)`` (apply, read back, refuse what the device will
not deliver) → ``start()`` → ``read()`` … → ``stop()`` → ``close()``.

A backend module (``hardware/cameras/<name>.py``) provides:
- ``OPTIONS: dict[str, Field]``  backend-specific rig keys (checked by the rig loader),
- ``create(settings) -> Camera`` building the device object (SDK imported lazily, inside),
- ``probe() -> BackendStatus``   whether the SDK is importable and which devices it sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from hardware.errors import HardwareError

# Pixel formats the recorder knows how to store. "mjpeg" frames carry their compressed bytes
# (stored as they arrive); "bayer_*" are raw sensor data stored losslessly as gray.
PIXEL_FORMATS: dict[str, int] = {
    "mono8": 1,
    "bgr24": 3,
    "bayer_rggb8": 1,
    "bayer_gbrg8": 1,
    "bayer_grbg8": 1,
    "bayer_bggr8": 1,
    "yuyv": 2,
    "mjpeg": 0,
}


# our pixel format -> its GenICam PFNC name (GenTL producers and Spinnaker use the same names)
PFNC = {
    "mono8": "Mono8",
    "bgr24": "BGR8",
    "bayer_rggb8": "BayerRG8",
    "bayer_gbrg8": "BayerGB8",
    "bayer_grbg8": "BayerGR8",
    "bayer_bggr8": "BayerBG8",
}


class CameraError(HardwareError):
    """Raised when a camera fails; the base class of every camera problem, worded for the experimenter."""


class BackendUnavailable(CameraError):
    """Raised when the backend's SDK or driver is not installed; the message says what to install."""


class CameraConfigError(CameraError):
    """Raised when the camera will not deliver what the rig asks (size, format, rate)."""


class CameraDisconnected(CameraError):
    """Raised when the camera vanished while acquiring."""


class FrameTimeout(CameraError):
    """Raised when no frame arrived within the timeout."""


@dataclass(frozen=True)
class CameraSettings:
    """What the rig asks of one camera."""

    name: str
    backend: str
    width: int
    height: int
    pixel_format: str
    fps: float
    options: dict[str, Any] = field(default_factory=dict)  # backend-specific keys from the rig
    dataset_class: str = ""  # the rig's `class:` (the paper's Class A/B), set to the camera name by default
    reference: bool = False  # the rig's `reference:`: the camera each movement is counted on in the statistics

    @property
    def period_s(self) -> float:
        return 1.0 / self.fps


@dataclass(frozen=True)
class StreamFormat:
    """What the camera reports it will actually deliver (read back from the device)."""

    width: int
    height: int
    pixel_format: str
    fps: float

    @property
    def frame_bytes(self) -> int:
        return self.width * self.height * max(PIXEL_FORMATS[self.pixel_format], 1)


@dataclass(slots=True)
class Frame:
    """One delivered frame.

    ``frame_id`` is the camera's own counter, so a gap reveals a drop. ``host_time`` is seconds on
    the one clock (hardware.clock) when the frame reached the host, or the device timestamp mapped
    onto that clock where the backend can do so; ``camera_time`` is the device's own timestamp in
    seconds (None if it has none). ``data`` carries compressed bytes (MJPEG) stored as they arrive.
    """

    pixels: np.ndarray | None
    frame_id: int
    host_time: float
    camera_time: float | None = None
    data: bytes | None = None


@dataclass
class BackendStatus:
    """Result of probing a backend: is it usable here, and what does it see?"""

    name: str
    available: bool
    reason: str = ""
    devices: list[str] = field(default_factory=list)


@runtime_checkable
class Camera(Protocol):
    name: str

    def open(self) -> None: ...

    def configure(self, settings: CameraSettings) -> StreamFormat: ...

    def start(self) -> None: ...

    def read(self, timeout: float = 1.0) -> Frame: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


def refuse_if_different(settings: CameraSettings, actual: StreamFormat, fps_tolerance: float = 0.005) -> None:
    """Raise CameraConfigError naming every setting the device did not accept."""
    problems = []
    if (actual.width, actual.height) != (settings.width, settings.height):
        problems.append(f"size {actual.width}x{actual.height} instead of {settings.width}x{settings.height}")
    if actual.pixel_format != settings.pixel_format:
        problems.append(f"pixel format {actual.pixel_format} instead of {settings.pixel_format}")
    if actual.fps < settings.fps * (1 - fps_tolerance):
        problems.append(f"{actual.fps:.2f} fps instead of {settings.fps:g}")
    if problems:
        raise CameraConfigError(
            f"camera '{settings.name}' ({settings.backend}) delivers " + ", ".join(problems)
        )
