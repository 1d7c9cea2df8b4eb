"""What a movie file is, from the bundled ffmpeg: the one place that reads ffmpeg's header and decode output.

``probe_media(path)`` parses the header ffmpeg prints for ``-i`` (container, duration, first video stream's
size and rate, audio). ``decode_media(path)`` decodes every video and audio packet (``-v error``: the errors
alone on stderr; ``-progress``: the frame count on stdout), which finds a damaged or cut-short file.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from hardware.errors import HardwareError
from hardware.video.encoder import ffmpeg_exe


class VideoFileError(HardwareError):
    """Raised when a video file or a frames.tsv cannot be read; the message names the file."""


_INPUT = re.compile(r"^Input #0, (.+?), from '")
_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_SIZE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_RATE = re.compile(r"([\d.]+) (?:fps|tbr)")
# ffmpeg prints NTSC rates rounded (59.94): the exact rate is n/1001
_NTSC = {round(n / 1001, 2): n / 1001 for n in (24000, 30000, 48000, 60000, 120000)}
# demuxers of still images: ffmpeg shows them as a one-frame "video"
_IMAGE_FORMATS = ("image2", "apng", "gif", "webp")


@dataclass
class MediaInfo:
    """The header facts of a file (None where ffmpeg shows none)."""

    path: Path
    container: str = ""
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    video_codec: str = ""
    has_audio: bool = False
    error: str = ""  # why ffmpeg could not read the header (its last line)

    @property
    def has_video(self) -> bool:
        return self.width is not None

    @property
    def is_image(self) -> bool:
        name = self.container.split(",")[0]
        return name.endswith("_pipe") or name in _IMAGE_FORMATS


@dataclass
class DecodeResult:
    """A full decode: frames of the first video stream, and every error ffmpeg reported."""

    frames: int = 0
    decoded_s: float | None = None  # how far the decode got (the longest stream)
    errors: list[str] = field(default_factory=list)
    returncode: int = 0


def parse_header(text: str, path: Path) -> MediaInfo:
    info = MediaInfo(Path(path))
    for line in text.replace("\r", "\n").splitlines():
        stripped = line.strip()
        if m := _INPUT.match(stripped):
            info.container = m[1]
        elif m := _DURATION.search(stripped):
            info.duration_s = int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3])
        elif stripped.startswith("Stream #0:") and "Video:" in stripped and info.width is None:
            video = stripped.split("Video:", 1)[1]
            info.video_codec = video.split()[0].strip(",") if video.split() else ""
            if m := _SIZE.search(video):
                info.width, info.height = int(m[1]), int(m[2])
            if m := _RATE.search(video):
                value = float(m[1])
                info.fps = _NTSC.get(round(value, 2), value)
        elif stripped.startswith("Stream #0:") and "Audio:" in stripped:
            info.has_audio = True
    return info


def probe_media(path: Path) -> MediaInfo:
    """The header of a movie file (no decoding: fast)."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)]
    result = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    info = parse_header(result.stderr, path)
    if not info.container:
        info.error = _last_line(result.stderr) or "ffmpeg cannot read it"
    return info


def decode_media(path: Path, audio: bool = True) -> DecodeResult:
    """Decode the first video stream (and every audio stream) completely; errors are ffmpeg's own lines."""
    streams = ["-map", "0:v:0", *(["-map", "0:a?"] if audio else [])]
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-v", "error", "-i", str(path),
           *streams, "-f", "null", "-progress", "pipe:1", "-"]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    out = DecodeResult(returncode=result.returncode)
    for line in result.stdout.splitlines():
        key, _, value = line.partition("=")
        if key == "frame" and value.strip().isdigit():
            out.frames = int(value)
        elif key == "out_time_us" and value.strip().lstrip("-").isdigit():
            out.decoded_s = max(0.0, int(value) / 1e6)
    out.errors = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    if result.returncode != 0 and not out.errors:
        out.errors = [f"ffmpeg exited with code {result.returncode}"]
    return out


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r", "\n").splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def probe_size(path: Path) -> tuple[int, int]:
    """(width, height) of the first video stream, from the container header."""
    info = probe_media(path)
    if info.width is None or info.height is None:
        raise VideoFileError(f"{path}: no video stream found")
    return info.width, info.height
