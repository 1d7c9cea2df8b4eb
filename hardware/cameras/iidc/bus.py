"""The FireWire bus as libdc1394 sees it: which IIDC cameras are there, and what `elicit cameras list` says."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

from hardware.cameras.base import BackendStatus, BackendUnavailable, CameraError
from hardware.cameras.iidc import _libdc1394 as dc


def camera_ids(lib: Any, ctx: Any) -> list[tuple[int, int]]:
    """(guid, unit) of every IIDC camera on every FireWire card; the list is always freed."""
    listing = ctypes.POINTER(dc.dc1394camera_list_t)()
    dc.check(lib, lib.dc1394_camera_enumerate(ctx, ctypes.byref(listing)), "enumerating IIDC cameras")
    try:
        return [(listing.contents.ids[i].guid, listing.contents.ids[i].unit) for i in range(listing.contents.num)]
    finally:
        lib.dc1394_camera_free_list(listing)


def _describe(lib: Any, ctx: Any, guid: int, unit: int) -> str:
    cam = lib.dc1394_camera_new_unit(ctx, guid, unit)
    if not cam:
        return f"guid {guid:016x} unit {unit} (cannot open: check /dev/fw* permissions, group video)"
    try:
        c = cam.contents
        name = " ".join(x.decode(errors="replace") for x in (c.vendor, c.model) if x)
        return f"guid {guid:016x} unit {unit}: {name} ({'1394b' if c.bmode_capable else '1394a'})"
    finally:
        lib.dc1394_camera_free(cam)


def probe(loader: Callable[[], Any] = dc.load_library) -> BackendStatus:
    try:
        lib = loader()
    except BackendUnavailable as exc:
        return BackendStatus("iidc", False, str(exc))
    ctx = lib.dc1394_new()
    if not ctx:
        return BackendStatus("iidc", False, "libdc1394 is installed but could not open the FireWire subsystem")
    try:
        ids = camera_ids(lib, ctx)
        devices = [_describe(lib, ctx, guid, unit) for guid, unit in ids]
    except CameraError as exc:
        return BackendStatus("iidc", True, f"{dc.SONAME} loaded; {exc}")
    finally:
        lib.dc1394_free(ctx)
    return BackendStatus("iidc", True, f"{dc.SONAME} loaded; {len(ids)} IIDC camera(s) on the FireWire bus", devices)
