"""Applying a rig's settings to an IIDC camera through libdc1394, reading each one back.

Order (as libdc1394's own examples and control.c require): operation mode 1394B before ISO speeds above
400 Mb/s (video.h:37-39; control.c refuses S800 in legacy mode), then the video mode, then frame rate
(standard modes) or ROI + packet size (Format7), then Point Grey's embedded frame info.

Format7 has no frame-rate enum: the camera sends one packet per 125 µs isochronous cycle, so a frame of
N packets takes N/8000 s (juju/capture.c estimates a frame's duration as (packets_per_frame-1)*125 µs).
We pick the smallest packet that fits a frame into 8000/fps cycles, then also set the FRAME_RATE
feature to the rate asked where the camera has it (Point Grey cameras do).
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from typing import Any

from hardware.cameras.base import CameraConfigError, CameraSettings, StreamFormat
from hardware.cameras.iidc import _libdc1394 as dc
from hardware.cameras.iidc import frameinfo as info


@dataclass
class Applied:
    fmt: StreamFormat
    video_mode: int
    info_fields: int  # Point Grey embedded fields the camera writes into each frame (0 = none)


class Setup:
    def __init__(self, lib: Any, cam: Any, settings: CameraSettings) -> None:
        self.lib, self.cam, self.s = lib, cam, settings
        self.opts = settings.options
        self.who = f"camera '{settings.name}' (iidc)"

    def refuse(self, message: str) -> CameraConfigError:
        return CameraConfigError(f"{self.who}: {message}")

    def call(self, name: str, *args: Any) -> None:
        dc.check(self.lib, getattr(self.lib, name)(self.cam, *args), f"{self.who}: {name}", CameraConfigError)

    def get(self, name: str, *args: Any, ctype: Any = ctypes.c_int) -> Any:
        out = ctype()
        self.call(name, *args, ctypes.byref(out))
        return out.value

    def get_pair(self, name: str, mode: int) -> tuple[int, int]:
        a, b = ctypes.c_uint32(), ctypes.c_uint32()
        self.call(name, mode, ctypes.byref(a), ctypes.byref(b))
        return a.value, b.value

    def apply(self) -> Applied:
        s = self.s
        if s.pixel_format != "mono8" and not s.pixel_format.startswith("bayer_"):
            raise self.refuse(f"pixel_format {s.pixel_format} is not supported: use mono8 or the sensor's bayer_*8")
        self.bus()
        standard = dc.STANDARD_MONO8.get((s.width, s.height))
        if s.pixel_format == "mono8" and self.opts.get("format7_mode") is None and standard is not None:
            mode, pixel_format, fps = standard, "mono8", self.standard(standard)
        else:
            mode, pixel_format, fps = self.format7()
        fps = min(fps, self.frame_rate_feature())
        if self.opts.get("shutter_ms") is not None:
            self.shutter(float(self.opts["shutter_ms"]))
        fields = self.embedded_info(self.opts.get("embedded_info", True) is not False)
        return Applied(StreamFormat(s.width, s.height, pixel_format, fps), mode, fields)

    def bus(self) -> None:
        legacy = self.opts.get("operation_mode") == "legacy"
        speed = int(self.opts.get("iso_speed") or 800)
        if legacy and speed > 400:
            raise self.refuse(f"iso_speed {speed} needs operation_mode: 1394b (legacy 1394a stops at 400)")
        want = dc.DC1394_OPERATION_MODE_LEGACY if legacy else dc.DC1394_OPERATION_MODE_1394B
        err = self.lib.dc1394_video_set_operation_mode(self.cam, want)
        if err == dc.DC1394_FUNCTION_NOT_SUPPORTED:
            raise self.refuse("is not 1394b-capable: set operation_mode: legacy and iso_speed: 400")
        dc.check(self.lib, err, f"{self.who}: setting the operation mode", CameraConfigError)
        if self.get("dc1394_video_get_operation_mode") != want:
            raise self.refuse(f"stays out of operation mode {'legacy' if legacy else '1394b'}")
        self.call("dc1394_video_set_iso_speed", dc.ISO_SPEEDS[speed])
        got = self.get("dc1394_video_get_iso_speed")
        if got != dc.ISO_SPEEDS[speed]:
            actual = {v: k for k, v in dc.ISO_SPEEDS.items()}.get(got, got)
            raise self.refuse(f"runs the bus at {actual} Mb/s instead of {speed}: check the 1394b card and cable")

    def modes(self) -> list[int]:
        modes = dc.dc1394video_modes_t()
        self.call("dc1394_video_get_supported_modes", ctypes.byref(modes))
        return list(modes.modes[: modes.num])

    def offered(self) -> str:
        return ", ".join(dc.VIDEO_MODE_NAMES.get(m, str(m)) for m in self.modes()) or "nothing"

    def standard(self, mode: int) -> float:
        s = self.s
        name = dc.VIDEO_MODE_NAMES[mode]
        if mode not in self.modes():
            raise self.refuse(f"does not offer {name}; it offers {self.offered()}")
        rate = dc.FRAMERATES.get(s.fps)
        if rate is None:
            raise self.refuse(f"standard modes run at 1.875…240 fps only; for {s.fps:g} fps set format7_mode: 0")
        rates = dc.dc1394framerates_t()
        self.call("dc1394_video_get_supported_framerates", mode, ctypes.byref(rates))
        offered = sorted(r for r in rates.framerates[: rates.num])
        if rate not in offered:
            best = f"{_fps(offered[-1]):g}" if offered else "no"
            raise self.refuse(f"{name} runs at {best} fps at most, not {s.fps:g}")
        self.call("dc1394_video_set_mode", mode)
        self.call("dc1394_video_set_framerate", rate)
        if self.get("dc1394_video_get_mode") != mode:
            raise self.refuse(f"did not switch to {name}")
        return _fps(self.get("dc1394_video_get_framerate"))

    def format7(self) -> tuple[int, str, float]:
        s, opts = self.s, self.opts
        number = int(opts.get("format7_mode") or 0)
        mode = dc.DC1394_VIDEO_MODE_FORMAT7_0 + number
        mono = s.pixel_format == "mono8"
        coding = dc.DC1394_COLOR_CODING_MONO8 if mono else dc.DC1394_COLOR_CODING_RAW8
        coding_name = "MONO8" if mono else "RAW8"
        if mode not in self.modes():
            raise self.refuse(f"has no Format7 mode {number}; it offers {self.offered()}")
        codings = dc.dc1394color_codings_t()
        self.call("dc1394_format7_get_color_codings", mode, ctypes.byref(codings))
        if coding not in codings.codings[: codings.num]:
            raise self.refuse(f"Format7 mode {number} has no {coding_name} coding")
        max_w, max_h = self.get_pair("dc1394_format7_get_max_image_size", mode)
        if s.width > max_w or s.height > max_h:
            raise self.refuse(f"Format7 mode {number} is at most {max_w}x{max_h}, not {s.width}x{s.height}")
        step_x, step_y = self.get_pair("dc1394_format7_get_unit_position", mode)
        if not mono:  # a centred raw ROI must start on an even pixel to keep the mosaic's phase
            step_x, step_y = (max(v, 1) * (1 + max(v, 1) % 2) for v in (step_x, step_y))
        left = _position(opts.get("format7_left"), max_w - s.width, step_x)
        top = _position(opts.get("format7_top"), max_h - s.height, step_y)
        if not mono and (left % 2 or top % 2):
            raise self.refuse("format7_left/format7_top must be even for raw Bayer, or the mosaic shifts")
        self.call("dc1394_video_set_mode", mode)
        self.call("dc1394_format7_set_roi", mode, coding, dc.DC1394_USE_MAX_AVAIL, left, top, s.width, s.height)
        unit_bytes, max_bytes = self.get_pair("dc1394_format7_get_packet_parameters", mode)
        unit_bytes = max(unit_bytes, 1)
        frame_bytes = s.width * s.height
        packet = opts.get("packet_size") or _packet_for(frame_bytes, s.fps, unit_bytes)
        if packet % unit_bytes:
            raise self.refuse(f"packet_size must be a multiple of {unit_bytes} bytes on this camera, not {packet}")
        if packet > max_bytes:
            best = fps_for_packet(frame_bytes, max_bytes)
            raise self.refuse(
                f"at iso_speed {opts.get('iso_speed') or 800} the largest packet ({max_bytes} bytes) carries "
                f"{s.width}x{s.height} at {best:.1f} fps only, below {s.fps:g}: use operation_mode: 1394b, "
                "iso_speed: 800 and a 1394b card"
            )
        self.call("dc1394_format7_set_roi", mode, coding, int(packet), left, top, s.width, s.height)
        back = [ctypes.c_int()] + [ctypes.c_uint32() for _ in range(5)]
        self.call("dc1394_format7_get_roi", mode, *[ctypes.byref(v) for v in back])
        got_coding, got_packet, _, _, got_w, got_h = (v.value for v in back)
        size_ok = (got_w, got_h) == (s.width, s.height)
        if self.get("dc1394_video_get_mode") != mode or got_coding != coding or not size_ok:
            raise self.refuse(f"Format7 mode {number} reads back {got_w}x{got_h}, not the {coding_name} asked")
        packets = self.get("dc1394_format7_get_packets_per_frame", mode, ctype=ctypes.c_uint32)
        if packets == 0:
            raise self.refuse(f"reports 0 packets per frame for a {got_packet}-byte packet")
        return mode, ("mono8" if mono else self.mosaic(mode)), info.CYCLES_PER_SECOND / packets

    def mosaic(self, mode: int) -> str:
        """The sensor's Bayer pattern as the camera reports it; the rig's value when it does not."""
        tile = ctypes.c_int()
        found: str | None = None
        if self.lib.dc1394_format7_get_color_filter(self.cam, mode, ctypes.byref(tile)) == dc.DC1394_SUCCESS:
            found = dc.COLOR_FILTERS.get(tile.value)  # IIDC 1.31 COLOR_FILTER register
        if found is None and self.cam.contents.vendor_id == info.PGR_VENDOR_ID:
            value = self.register(info.BAYER_TILE_REGISTER)
            found = info.bayer_from_register(value) if value is not None else None
        if found is not None and found != self.s.pixel_format:
            raise self.refuse(f"the sensor's mosaic is {found}: set pixel_format: {found} in the rig")
        return found or self.s.pixel_format

    def feature(self, feature: int, value: float) -> float | None:
        """Set a feature's absolute value in manual mode and read it back; None if the camera lacks it."""
        if not self.get("dc1394_feature_is_present", feature) or not self.get(
            "dc1394_feature_has_absolute_control", feature
        ):
            return None
        self.call("dc1394_feature_set_power", feature, dc.DC1394_ON)
        self.call("dc1394_feature_set_mode", feature, dc.DC1394_FEATURE_MODE_MANUAL)
        self.call("dc1394_feature_set_absolute_control", feature, dc.DC1394_ON)
        self.call("dc1394_feature_set_absolute_value", feature, ctypes.c_float(value))
        return float(self.get("dc1394_feature_get_absolute_value", feature, ctype=ctypes.c_float))

    def frame_rate_feature(self) -> float:
        got = self.feature(dc.DC1394_FEATURE_FRAME_RATE, self.s.fps)
        return math.inf if got is None else got

    def shutter(self, shutter_ms: float) -> None:
        if shutter_ms >= self.s.period_s * 1000:
            raise self.refuse(f"shutter_ms {shutter_ms:g} is not shorter than the frame period at {self.s.fps:g} fps")
        got = self.feature(dc.DC1394_FEATURE_SHUTTER, shutter_ms / 1000)
        if got is None:
            raise self.refuse("has no absolute shutter control: remove shutter_ms from the rig")
        if got * 1000 >= self.s.period_s * 1000 or abs(got * 1000 - shutter_ms) > 0.05 * shutter_ms + 0.01:
            raise self.refuse(f"set its shutter to {got * 1000:.3f} ms instead of {shutter_ms:g}")

    def register(self, offset: int) -> int | None:
        value = ctypes.c_uint32()
        err = self.lib.dc1394_get_control_registers(self.cam, offset, ctypes.byref(value), 1)
        return value.value if err == dc.DC1394_SUCCESS else None

    def embedded_info(self, wanted: bool) -> int:
        """Ask a Point Grey camera to embed cycle time + frame counter; return the fields it embeds."""
        if self.cam.contents.vendor_id != info.PGR_VENDOR_ID:
            return 0
        value = self.register(info.FRAME_INFO_REGISTER)
        if value is None or not value & info.FRAME_INFO_PRESENT:
            return 0
        fields = (info.FRAME_INFO_TIMESTAMP | info.FRAME_INFO_COUNTER) if wanted else 0
        new = ctypes.c_uint32((value & ~info.FRAME_INFO_FIELDS) | fields)
        self.call("dc1394_set_control_registers", info.FRAME_INFO_REGISTER, ctypes.byref(new), 1)
        back = self.register(info.FRAME_INFO_REGISTER)
        return (back or 0) & info.FRAME_INFO_FIELDS


def _fps(rate: int) -> float:
    """dc1394framerate_t -> frames per second (video.h:60-69: 1.875 doubling up to 240)."""
    return 1.875 * 2 ** (rate - 32)


def _packet_for(frame_bytes: int, fps: float, unit: int) -> int:
    """Smallest packet (a multiple of ``unit``) that sends a frame in at most 8000/fps cycles."""
    cycles = math.floor(info.CYCLES_PER_SECOND / fps)
    return math.ceil(math.ceil(frame_bytes / cycles) / unit) * unit


def fps_for_packet(frame_bytes: int, packet: int) -> float:
    return info.CYCLES_PER_SECOND / math.ceil(frame_bytes / packet)


def _position(asked: int | None, room: int, step: int) -> int:
    """The ROI offset asked, or the centred one, on the camera's position grid."""
    step = max(step, 1)
    return int(asked) if asked is not None else (max(room, 0) // 2) // step * step


def apply(lib: Any, cam: Any, settings: CameraSettings) -> Applied:
    return Setup(lib, cam, settings).apply()
