"""ctypes binding to libdc1394 v2 (Debian package libdc1394-25, soname libdc1394.so.25). Every constant,
struct and signature below is copied from the headers of libdc1394 2.2.6 (/usr/include/dc1394/*.h; file:line
in the comments); tests/hardware/cameras/test_iidc_structs.py checks every struct layout and enum value
against a C compiler's. Enums are C ``int``, bound as ``c_int``; ``dc1394error_t`` is negative on error.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from ctypes import POINTER, c_char_p, c_float, c_int, c_uint16, c_uint32, c_uint64, c_void_p
from typing import Any

from hardware.cameras.base import BackendUnavailable, CameraError

SONAME = "libdc1394.so.25"
INSTALL_HINT = "install libdc1394 v2: sudo apt-get install libdc1394-25 (Debian/Ubuntu)"

# log.h:64-105 dc1394error_t (only the codes the backend reacts to; messages come from the library)
DC1394_SUCCESS = 0
DC1394_FUNCTION_NOT_SUPPORTED = -3
DC1394_NO_ISO_CHANNEL = -7
DC1394_NO_BANDWIDTH = -8

# types.h:152-163 dc1394bool_t / dc1394switch_t
DC1394_FALSE, DC1394_TRUE = 0, 1
DC1394_OFF, DC1394_ON = 0, 1

# types.h:37-70 dc1394video_mode_t: consecutive from 64, in this order
_VIDEO_MODE_ORDER = (
    "160x120_YUV444", "320x240_YUV422", "640x480_YUV411", "640x480_YUV422", "640x480_RGB8",
    "640x480_MONO8", "640x480_MONO16", "800x600_YUV422", "800x600_RGB8", "800x600_MONO8",
    "1024x768_YUV422", "1024x768_RGB8", "1024x768_MONO8", "800x600_MONO16", "1024x768_MONO16",
    "1280x960_YUV422", "1280x960_RGB8", "1280x960_MONO8", "1600x1200_YUV422", "1600x1200_RGB8",
    "1600x1200_MONO8", "1280x960_MONO16", "1600x1200_MONO16", "EXIF",
    "FORMAT7_0", "FORMAT7_1", "FORMAT7_2", "FORMAT7_3", "FORMAT7_4", "FORMAT7_5", "FORMAT7_6", "FORMAT7_7",
)  # fmt: skip
VIDEO_MODES: dict[str, int] = {name: 64 + i for i, name in enumerate(_VIDEO_MODE_ORDER)}
VIDEO_MODE_NAMES: dict[int, str] = {v: k for k, v in VIDEO_MODES.items()}
DC1394_VIDEO_MODE_FORMAT7_0 = VIDEO_MODES["FORMAT7_0"]
DC1394_VIDEO_MODE_NUM = len(_VIDEO_MODE_ORDER)  # types.h:73
# Standard (non-scalable) 8-bit mono modes by size
STANDARD_MONO8: dict[tuple[int, int], int] = {
    (640, 480): VIDEO_MODES["640x480_MONO8"],
    (800, 600): VIDEO_MODES["800x600_MONO8"],
    (1024, 768): VIDEO_MODES["1024x768_MONO8"],
    (1280, 960): VIDEO_MODES["1280x960_MONO8"],
    (1600, 1200): VIDEO_MODES["1600x1200_MONO8"],
}

# types.h:83-98 dc1394color_coding_t (from 352) and types.h:108-116 dc1394color_filter_t (from 512)
DC1394_COLOR_CODING_MONO8 = 352
DC1394_COLOR_CODING_RAW8 = 361
DC1394_COLOR_CODING_NUM = 11
COLOR_FILTERS: dict[int, str] = {512: "bayer_rggb8", 513: "bayer_gbrg8", 514: "bayer_grbg8", 515: "bayer_bggr8"}

# format7.h:80-82 packet-size flags for dc1394_format7_set_roi
DC1394_USE_MAX_AVAIL = -2

# video.h:41-51 dc1394speed_t; video.h:60-72 dc1394framerate_t; video.h:80-86 dc1394operation_mode_t
ISO_SPEEDS: dict[int, int] = {100: 0, 200: 1, 400: 2, 800: 3, 1600: 4, 3200: 5}
FRAMERATES: dict[float, int] = {1.875 * 2**i: 32 + i for i in range(8)}  # 1.875 … 240 fps
DC1394_FRAMERATE_NUM = 8
DC1394_OPERATION_MODE_LEGACY = 480
DC1394_OPERATION_MODE_1394B = 481

# control.h:60-83 dc1394feature_t (from 416); control.h:116-120 dc1394feature_mode_t
DC1394_FEATURE_SHUTTER = 423
DC1394_FEATURE_FRAME_RATE = 431
DC1394_FEATURE_MODE_MANUAL = 736

# capture.h:41-44 dc1394capture_policy_t; capture.h:62 DC1394_CAPTURE_FLAGS_DEFAULT
DC1394_CAPTURE_POLICY_WAIT = 672
DC1394_CAPTURE_POLICY_POLL = 673
DC1394_CAPTURE_FLAGS_DEFAULT = 0x00000004


class dc1394camera_id_t(ctypes.Structure):  # camera.h:140-144
    _fields_ = [("unit", c_uint16), ("guid", c_uint64)]


class dc1394camera_list_t(ctypes.Structure):  # camera.h:151-155
    _fields_ = [("num", c_uint32), ("ids", POINTER(dc1394camera_id_t))]


class dc1394camera_t(ctypes.Structure):  # camera.h:100-132
    _fields_ = [
        ("guid", c_uint64),
        ("unit", c_int),
        ("unit_spec_ID", c_uint32),
        ("unit_sw_version", c_uint32),
        ("unit_sub_sw_version", c_uint32),
        ("command_registers_base", c_uint32),
        ("unit_directory", c_uint32),
        ("unit_dependent_directory", c_uint32),
        ("advanced_features_csr", c_uint64),
        ("PIO_control_csr", c_uint64),
        ("SIO_control_csr", c_uint64),
        ("strobe_control_csr", c_uint64),
        ("format7_csr", c_uint64 * 8),  # DC1394_VIDEO_MODE_FORMAT7_NUM
        ("iidc_version", c_int),
        ("vendor", c_char_p),
        ("model", c_char_p),
        ("vendor_id", c_uint32),
        ("model_id", c_uint32),
        ("bmode_capable", c_int),
        ("one_shot_capable", c_int),
        ("multi_shot_capable", c_int),
        ("can_switch_on_off", c_int),
        ("has_vmode_error_status", c_int),
        ("has_feature_error_status", c_int),
        ("max_mem_channel", c_int),
        ("flags", c_uint32),
    ]


class dc1394video_frame_t(ctypes.Structure):  # video.h:107-136
    _fields_ = [
        ("image", POINTER(ctypes.c_ubyte)),
        ("size", c_uint32 * 2),  # [width, height]
        ("position", c_uint32 * 2),
        ("color_coding", c_int),
        ("color_filter", c_int),
        ("yuv_byte_order", c_uint32),
        ("data_depth", c_uint32),
        ("stride", c_uint32),
        ("video_mode", c_int),
        ("total_bytes", c_uint64),
        ("image_bytes", c_uint32),
        ("padding_bytes", c_uint32),
        ("packet_size", c_uint32),
        ("packets_per_frame", c_uint32),
        ("timestamp", c_uint64),  # microseconds, host clock (see iidc.py for which clock)
        ("frames_behind", c_uint32),
        ("camera", POINTER(dc1394camera_t)),
        ("id", c_uint32),  # position in the DMA ring, NOT a frame counter
        ("allocated_image_bytes", c_uint64),
        ("little_endian", c_int),
        ("data_in_padding", c_int),
    ]


class dc1394video_modes_t(ctypes.Structure):  # types.h:143-147
    _fields_ = [("num", c_uint32), ("modes", c_int * DC1394_VIDEO_MODE_NUM)]


class dc1394framerates_t(ctypes.Structure):  # video.h:93-96
    _fields_ = [("num", c_uint32), ("framerates", c_int * DC1394_FRAMERATE_NUM)]


class dc1394color_codings_t(ctypes.Structure):  # types.h:134-138
    _fields_ = [("num", c_uint32), ("codings", c_int * DC1394_COLOR_CODING_NUM)]


STRUCTS = (
    dc1394camera_id_t, dc1394camera_list_t, dc1394camera_t, dc1394video_frame_t,
    dc1394video_modes_t, dc1394framerates_t, dc1394color_codings_t,
)  # fmt: skip

CAM = POINTER(dc1394camera_t)
FRAME = POINTER(dc1394video_frame_t)
U32P = POINTER(c_uint32)
INTP = POINTER(c_int)

# name -> (restype, argtypes); header file:line of each declaration
SIGNATURES: dict[str, tuple[Any, list[Any]]] = {
    "dc1394_new": (c_void_p, []),  # camera.h:170
    "dc1394_free": (None, [c_void_p]),  # camera.h:175
    "dc1394_camera_enumerate": (c_int, [c_void_p, POINTER(POINTER(dc1394camera_list_t))]),  # camera.h:214
    "dc1394_camera_free_list": (None, [POINTER(dc1394camera_list_t)]),  # camera.h:219
    "dc1394_camera_new": (CAM, [c_void_p, c_uint64]),  # camera.h:224
    "dc1394_camera_new_unit": (CAM, [c_void_p, c_uint64, c_int]),  # camera.h:229
    "dc1394_camera_free": (None, [CAM]),  # camera.h:234
    "dc1394_error_get_string": (c_char_p, [c_int]),  # utils.h:93
    "dc1394_video_get_supported_modes": (c_int, [CAM, POINTER(dc1394video_modes_t)]),  # video.h:149
    "dc1394_video_get_supported_framerates": (c_int, [CAM, c_int, POINTER(dc1394framerates_t)]),  # :154
    "dc1394_video_get_framerate": (c_int, [CAM, INTP]),  # video.h:159
    "dc1394_video_set_framerate": (c_int, [CAM, c_int]),  # video.h:164
    "dc1394_video_get_mode": (c_int, [CAM, INTP]),  # video.h:169
    "dc1394_video_set_mode": (c_int, [CAM, c_int]),  # video.h:174
    "dc1394_video_get_operation_mode": (c_int, [CAM, INTP]),  # video.h:179
    "dc1394_video_set_operation_mode": (c_int, [CAM, c_int]),  # video.h:184
    "dc1394_video_get_iso_speed": (c_int, [CAM, INTP]),  # video.h:189
    "dc1394_video_set_iso_speed": (c_int, [CAM, c_int]),  # video.h:194
    "dc1394_video_set_transmission": (c_int, [CAM, c_int]),  # video.h:214
    "dc1394_video_get_transmission": (c_int, [CAM, INTP]),  # video.h:219
    "dc1394_format7_get_max_image_size": (c_int, [CAM, c_int, U32P, U32P]),  # format7.h:97
    "dc1394_format7_get_unit_position": (c_int, [CAM, c_int, U32P, U32P]),  # format7.h:129
    "dc1394_format7_get_color_codings": (c_int, [CAM, c_int, POINTER(dc1394color_codings_t)]),  # :141
    "dc1394_format7_get_color_filter": (c_int, [CAM, c_int, INTP]),  # format7.h:151
    "dc1394_format7_get_packet_parameters": (c_int, [CAM, c_int, U32P, U32P]),  # format7.h:158
    "dc1394_format7_get_packets_per_frame": (c_int, [CAM, c_int, U32P]),  # format7.h:178
    "dc1394_format7_set_roi": (c_int, [CAM, c_int, c_int] + [ctypes.c_int32] * 5),  # format7.h:218
    "dc1394_format7_get_roi": (c_int, [CAM, c_int, INTP] + [U32P] * 5),  # format7.h:224
    "dc1394_feature_is_present": (c_int, [CAM, c_int, INTP]),  # control.h:269
    "dc1394_feature_set_power": (c_int, [CAM, c_int, c_int]),  # control.h:294
    "dc1394_feature_set_mode": (c_int, [CAM, c_int, c_int]),  # control.h:309
    "dc1394_feature_has_absolute_control": (c_int, [CAM, c_int, INTP]),  # control.h:314
    "dc1394_feature_get_absolute_value": (c_int, [CAM, c_int, POINTER(c_float)]),  # control.h:324
    "dc1394_feature_set_absolute_value": (c_int, [CAM, c_int, c_float]),  # control.h:329
    "dc1394_feature_set_absolute_control": (c_int, [CAM, c_int, c_int]),  # control.h:339
    # register.h:76/91 (dc1394_get/set_control_register are static inline, not exported)
    "dc1394_get_control_registers": (c_int, [CAM, c_uint64, U32P, c_uint32]),
    "dc1394_set_control_registers": (c_int, [CAM, c_uint64, U32P, c_uint32]),
    "dc1394_capture_setup": (c_int, [CAM, c_uint32, c_uint32]),  # capture.h:76
    "dc1394_capture_stop": (c_int, [CAM]),  # capture.h:81
    "dc1394_capture_get_fileno": (c_int, [CAM]),  # capture.h:86
    "dc1394_capture_dequeue": (c_int, [CAM, c_int, POINTER(FRAME)]),  # capture.h:92
    "dc1394_capture_enqueue": (c_int, [CAM, FRAME]),  # capture.h:97
    "dc1394_capture_is_frame_corrupt": (c_int, [CAM, FRAME]),  # capture.h:107
}


def bind(lib: Any) -> Any:
    """Declare every function's signature on ``lib`` (a CDLL, or the test stand-in) and return it."""
    for name, (restype, argtypes) in SIGNATURES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise BackendUnavailable(
                f"the installed libdc1394 lacks {name}; it is too old or not libdc1394 v2 — {INSTALL_HINT}"
            ) from None
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def load_library() -> Any:
    """Open libdc1394.so.25 and bind it; BackendUnavailable says what to install when it is missing."""
    candidates = [SONAME]
    found = ctypes.util.find_library("dc1394")
    if found and found != SONAME:
        candidates.append(found)
    for name in candidates:
        try:
            return bind(ctypes.CDLL(name))
        except OSError:
            continue
    raise BackendUnavailable(f"libdc1394 (IIDC/FireWire cameras) is not installed: {INSTALL_HINT}")


def check(lib: Any, err: int, what: str, error: type[CameraError] = CameraError) -> None:
    """Raise ``error`` with the library's own message when a call did not succeed."""
    if err != DC1394_SUCCESS:
        raise error(f"{what}: {error_text(lib, err)}")


def error_text(lib: Any, err: int) -> str:
    raw = lib.dc1394_error_get_string(err)
    return f"{raw.decode(errors='replace') if raw else 'unknown error'} (libdc1394 error {err})"
