"""What UVC frames hold, checked once during the warm-up, and decoded only for previews.

With raw mode on, OpenCV's V4L2 backend returns the dequeued buffer's bytes as a 1 x N uint8 array
(``bytesused`` long; cap_v4l.cpp retrieveFrame): one JPEG for MJPG, W*H*2 bytes for YUYV. With
conversion on, a H x W x 3 BGR image.
"""

from __future__ import annotations

import numpy as np

from hardware.cameras.base import CameraError, Frame, StreamFormat


def content_problem(buf: np.ndarray | None, fmt: StreamFormat | None) -> str | None:
    """Why a retrieved buffer is not what ``fmt`` promises, or None if it is."""
    if fmt is None:
        return "no stream format negotiated"
    if fmt.pixel_format == "mjpeg":
        ok = buf is not None and buf.size > 4 and bytes(buf.reshape(-1)[:2]) == b"\xff\xd8"
        what = "JPEG data (OpenCV decoded the frames: this backend gives no raw MJPEG)"
    elif fmt.pixel_format == "yuyv":
        ok = buf is not None and buf.size == fmt.width * fmt.height * 2
        what = f"{fmt.width}x{fmt.height} YUYV frames ({fmt.width * fmt.height * 2} bytes)"
    else:
        ok = buf is not None and buf.shape == (fmt.height, fmt.width, 3)
        what = f"{fmt.width}x{fmt.height} BGR images"
    if ok:
        return None
    got = "nothing" if buf is None else f"an array of shape {buf.shape}"
    return f"expected {what}, got {got}"


def preview_bgr(frame: Frame, fmt: StreamFormat) -> np.ndarray:
    """A displayable BGR image of one frame. Decodes MJPEG: never call it for every frame."""
    import cv2

    if fmt.pixel_format == "mjpeg" and frame.data is not None:
        return cv2.imdecode(np.frombuffer(frame.data, np.uint8), cv2.IMREAD_COLOR)
    if fmt.pixel_format == "yuyv" and frame.pixels is not None:
        return cv2.cvtColor(frame.pixels, cv2.COLOR_YUV2BGR_YUYV)
    if frame.pixels is None:
        raise CameraError(f"frame {frame.frame_id} holds no image")
    return frame.pixels
