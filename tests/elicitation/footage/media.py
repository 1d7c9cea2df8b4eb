"""Small footage made by the tests: every picture carries the sim camera's barcode of its number, so a
decoded picture says which source frame it is."""

from __future__ import annotations

import fractions
import subprocess
from pathlib import Path

import av
import cv2
import numpy as np

from hardware.cameras.sim import barcode
from hardware.video import ffmpeg_exe


def picture(number: int, width: int = 400, height: int = 240, gray: bool = False) -> np.ndarray:
    array = np.full((height, width) if gray else (height, width, 3), 90, np.uint8)
    array[height // 2 :, : width // 4] = 200  # bottom-left block: shows which way up the picture is
    barcode.write(array, number)
    return array


def mjpeg_avi(path: Path, frames: int = 50, fps: float = 25.0) -> Path:
    """A constant-rate AVI (Motion JPEG, lossy: the barcode survives it)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (400, 240))
    for n in range(frames):
        writer.write(picture(n))
    writer.release()
    return path


def vfr_mkv(path: Path, times_ms: list[int], width: int = 401, height: int = 241) -> Path:
    """A variable-frame-rate Matroska file (FFV1, lossless) with these presentation times."""
    base = fractions.Fraction(1, 1000)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("ffv1", rate=30)
        stream.width, stream.height, stream.pix_fmt = width, height, "bgr0"
        stream.codec_context.time_base = base
        stream.time_base = base
        for n, t in enumerate(times_ms):
            frame = av.VideoFrame.from_ndarray(picture(n, width, height), format="bgr24")
            frame.pts, frame.time_base = t, base
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def rotated(source: Path, path: Path, degrees: int) -> Path:
    """A stream copy of source with display-rotation metadata (as a phone writes it)."""
    cmd = [ffmpeg_exe(), "-v", "error", "-y", "-display_rotation", str(degrees), "-i", str(source), "-c", "copy",
           str(path)]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True)
    return path


def picture_folder(folder: Path, numbers: list[int], gray: bool = True, width: int = 401) -> Path:
    """img<N>.png pictures (lossless), the layout CAS(ME)^2 and SAMM release their long videos in."""
    folder.mkdir(parents=True)
    for n in numbers:
        cv2.imwrite(str(folder / f"img{n}.png"), picture(n, width, 241, gray))
    return folder
