"""Finding UVC devices: the rig's ``device`` (index, path or name) -> what cv2.VideoCapture opens.

Linux: every V4L2 node is /sys/class/video4linux/videoN with a ``name`` file (the product name the
driver reports, e.g. "BenQ M31" or "USB Video: USB Video" for an HDMI grabber) and an ``index`` file:
uvcvideo registers a capture node (index 0) and a metadata node (index 1) per camera, so only index-0
nodes are cameras. Paths such as /dev/v4l/by-id/usb-...-video-index0 stay the same across reboots
and USB ports, unlike /dev/videoN; they are the safest thing to put in a rig.
Windows/macOS: OpenCV opens cameras by index only.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hardware.cameras.base import CameraConfigError

SYSFS = Path("/sys/class/video4linux")

# rig option ``api`` -> OpenCV constant name (looked up on cv2 when opening)
APIS = {
    "v4l2": "CAP_V4L2",
    "msmf": "CAP_MSMF",
    "dshow": "CAP_DSHOW",
    "avfoundation": "CAP_AVFOUNDATION",
    "any": "CAP_ANY",
}


@dataclass(frozen=True)
class V4L2Node:
    path: str  # /dev/videoN
    name: str
    index: int  # 0 = the capture node of its device


def list_nodes(sysfs: Path | None = None) -> list[V4L2Node]:
    """Every V4L2 node the kernel knows, in /dev/videoN order."""
    sysfs = sysfs or SYSFS
    nodes: list[V4L2Node] = []
    if not sysfs.is_dir():
        return nodes
    for entry in sysfs.glob("video*"):
        try:
            name = (entry / "name").read_text(encoding="utf-8", errors="replace").strip()
            index_file = entry / "index"
            index = int(index_file.read_text().strip()) if index_file.exists() else 0
        except (OSError, ValueError):
            continue
        nodes.append(V4L2Node(f"/dev/{entry.name}", name, index))
    return sorted(nodes, key=lambda n: int(n.path.removeprefix("/dev/video") or 0))


def describe_devices(sysfs: Path | None = None) -> list[str]:
    """One line per camera node, for `elicit cameras list`."""
    return [f"{n.path}: {n.name}" for n in list_nodes(sysfs) if n.index == 0]


def api_name(option: str | None, platform: str = sys.platform) -> str:
    """The OpenCV backend constant to open with: the rig's ``api``, else the platform's native one."""
    if option and option != "auto":
        return APIS[option]
    if platform.startswith("linux"):
        return "CAP_V4L2"
    if platform.startswith("win"):
        return "CAP_MSMF"
    if platform == "darwin":
        return "CAP_AVFOUNDATION"
    return "CAP_ANY"


def resolve_device(device: Any, camera: str, platform: str = sys.platform, sysfs: Path | None = None) -> int | str:
    """An int index, a device path, or a name looked up among the V4L2 capture nodes (Linux)."""
    if isinstance(device, int) or (isinstance(device, str) and device.isdigit()):
        return int(device)
    text = str(device)
    if "/" in text or "\\" in text:
        return text
    if not platform.startswith("linux"):
        raise CameraConfigError(
            f"camera '{camera}': device '{text}': on this system UVC cameras are opened by index "
            "(device: 0, 1, ...); `elicit cameras list` shows what OpenCV sees"
        )
    cameras = [n for n in list_nodes(sysfs) if n.index == 0]
    exact = [n for n in cameras if n.name.lower() == text.lower()]
    found = exact or [n for n in cameras if text.lower() in n.name.lower()]
    if len(found) == 1:
        return found[0].path
    listing = "; ".join(f"{n.path}: {n.name}" for n in cameras) or "no video devices"
    if not found:
        raise CameraConfigError(f"camera '{camera}': no video device named '{text}' (found: {listing})")
    raise CameraConfigError(
        f"camera '{camera}': several video devices match '{text}' ({listing}); "
        "set device: to a path under /dev/v4l/by-id/ to pick one"
    )


def fourcc_text(code: float) -> str:
    """OpenCV's CAP_PROP_FOURCC (a number) -> 'MJPG' etc.; '?' for characters that are not printable."""
    value = int(code)
    chars = [chr((value >> (8 * i)) & 0xFF) for i in range(4)]
    return "".join(c if c.isprintable() and c != "\x00" else "?" for c in chars)


def fourcc_code(text: str) -> int:
    """'MJPG' -> the number cv2.VideoWriter_fourcc('M','J','P','G') gives (little-endian characters)."""
    if len(text) != 4:
        raise ValueError(f"a FOURCC has 4 characters, got {text!r}")
    return sum(ord(c) << (8 * i) for i, c in enumerate(text))
