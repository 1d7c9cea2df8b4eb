"""An ELAN-playable copy of a recording: H.264 yuv420p in MP4, the same frames at the same indices.

ELAN plays through the system's media framework, which handles neither lossless 4:4:4/RGB x264 nor
Matroska reliably; so the proxy re-encodes (visually lossless, CRF 12) with every frame kept: frame
``k`` of the proxy is frame ``k`` of the recording, shown from ``k / fps`` (timestamps rewritten to a
constant rate, none dropped or duplicated; the frame count is checked). Odd sizes are cut by one pixel
(4:2:0 needs even sizes). ``fps`` is the recording's nominal rate, what ELAN steps by.
"""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import av

from hardware.video import VideoFileError, build_index, ffmpeg_exe


def nominal_fps(path: Path) -> Fraction:
    with av.open(str(path)) as container:
        rate = container.streams.video[0].average_rate or container.streams.video[0].guessed_rate
    if not rate:
        raise VideoFileError(f"{path}: no frame rate in the file")
    return Fraction(rate).limit_denominator(1001)


def make_proxy(source: Path, target: Path, fps: Fraction | None = None) -> Path:
    """Write the proxy (skipped when it exists with the same frame count); returns its path."""
    source, target = Path(source), Path(target)
    frames = len(build_index(source))
    if target.is_file() and len(build_index(target)) == frames:
        return target
    rate = fps or nominal_fps(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.tmp.mp4")
    command = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y", "-i", str(source),
        "-vf", f"setpts=N/({rate.numerator}/{rate.denominator})/TB,scale=trunc(iw/2)*2:trunc(ih/2)*2",
        "-fps_mode", "passthrough", "-video_track_timescale", str(rate.numerator * 1000),
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "12", "-pix_fmt", "yuv420p", "-g", str(round(rate)),
        "-movflags", "+faststart", "-an", str(tmp),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise VideoFileError(f"{source.name}: the ELAN proxy failed: {result.stderr.strip()[-300:]}")
    made = len(build_index(tmp))
    if made != frames:
        tmp.unlink(missing_ok=True)
        raise VideoFileError(f"{source.name}: the proxy has {made} frames, the recording {frames}")
    tmp.replace(target)
    return target
