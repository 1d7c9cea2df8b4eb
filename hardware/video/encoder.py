"""Lossless video files through the ffmpeg that imageio-ffmpeg ships (no system ffmpeg needed).

Why x264 ``-qp 0 -preset ultrafast -tune zerolatency`` into Matroska:
- lossless (qp 0), and on this 2-core machine the fastest lossless encoder we measured with both
  streams running at once: 640x480 gray ~14x and 1280x720 colour (libx264rgb) ~4.5x realtime;
  FFV1 managed ~1.4x for 720p colour, too close to realtime to survive a loaded machine.
- zerolatency disables lookahead and frame threading, so a frame handed to ffmpeg is in the file
  within milliseconds instead of sitting 40 frames deep in the encoder when something crashes.
- Matroska with 1-second clusters stays playable up to the last cluster after a crash.
Plain libx264 on bgr24 input is NOT lossless (ffmpeg converts to yuv444p); libx264rgb is.
- a keyframe every KEYFRAME_S (x264's default is every 250 frames, 4 s at 60 fps): the coders'
  workbench decodes by frame index and a jump decodes from the keyframe before it, so this bounds a
  jump to one second of decoding (bench/coding.py measures the time and the size it costs).
MJPEG from a UVC device is stored as it arrives (stream copy, no re-encode).
"""

from __future__ import annotations

import collections
import errno
import logging
import shutil
import subprocess
import threading
from pathlib import Path

import imageio_ffmpeg

from hardware.cameras.base import Frame, StreamFormat
from hardware.errors import HardwareError

log = logging.getLogger(__name__)

_X264 = ["-preset", "ultrafast", "-tune", "zerolatency", "-qp", "0"]
# pixel format -> (ffmpeg input pix_fmt, encoder arguments)
_RAW_CODECS: dict[str, tuple[str, list[str]]] = {
    "mono8": ("gray", ["-c:v", "libx264", *_X264, "-pix_fmt", "gray"]),
    "bgr24": ("bgr24", ["-c:v", "libx264rgb", *_X264, "-pix_fmt", "bgr24"]),
    # 4:2:2 packed -> planar is a lossless repack
    "yuyv": ("yuyv422", ["-c:v", "libx264", *_X264, "-pix_fmt", "yuv422p"]),
}
for _bayer in ("bayer_rggb8", "bayer_gbrg8", "bayer_grbg8", "bayer_bggr8"):
    _RAW_CODECS[_bayer] = _RAW_CODECS["mono8"]  # raw sensor mosaic kept bit-exact as gray

KEYFRAME_S = 1.0
_CONTAINER = ["-f", "matroska", "-cluster_time_limit", "1000", "-flush_packets", "1"]


class WriterError(HardwareError):
    """Raised when writing a video file failed (disk full, ffmpeg died ...)."""


class DiskFull(WriterError):
    """Raised when the folder being written has run out of space (ENOSPC). ``folder`` and ``free_bytes`` say where
    and how much was left when it was noticed."""

    def __init__(self, folder: Path, detail: str = "") -> None:
        self.folder = Path(folder)
        self.free_bytes = free_bytes(self.folder)
        tail = f" ({detail})" if detail else ""
        super().__init__(f"disk full: {self.folder} has {self.free_bytes / 2**20:.1f} MiB free{tail}")


def free_bytes(folder: Path) -> int:
    """Free space where `folder` is (its nearest existing parent), in bytes."""
    probe = Path(folder)
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return shutil.disk_usage(probe).free


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, DiskFull) or (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT))


def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def encoder_command(fmt: StreamFormat, path: Path, keyframe_s: float | None = KEYFRAME_S) -> list[str]:
    """The ffmpeg command; keyframe_s None leaves x264's own keyframe interval (for the benchmark)."""
    head = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-n"]
    rate = f"{fmt.fps:g}"
    if fmt.pixel_format == "mjpeg":
        return [
            *head,
            "-f",
            "mjpeg",
            "-framerate",
            rate,
            "-i",
            "pipe:0",
            "-c:v",
            "copy",
            *_CONTAINER,
            str(path),
        ]
    if fmt.pixel_format not in _RAW_CODECS:
        raise WriterError(f"no encoder for pixel format '{fmt.pixel_format}'")
    pix_fmt, codec = _RAW_CODECS[fmt.pixel_format]
    if keyframe_s is not None:
        codec = [*codec, "-g", str(max(1, round(fmt.fps * keyframe_s)))]
    size = f"{fmt.width}x{fmt.height}"
    source = ["-f", "rawvideo", "-pix_fmt", pix_fmt, "-s", size, "-framerate", rate, "-i", "pipe:0"]
    return [*head, *source, *codec, *_CONTAINER, str(path)]


class VideoWriter:
    """One MKV file fed frame by frame through a pipe to an ffmpeg process."""

    def __init__(self, path: Path, fmt: StreamFormat, keyframe_s: float | None = KEYFRAME_S) -> None:
        self.path = Path(path)
        self.format = fmt
        self.frames = 0
        if self.path.exists():
            raise WriterError(f"{self.path} exists; recordings are never overwritten")
        self._stderr: collections.deque[str] = collections.deque(maxlen=20)
        self._proc = subprocess.Popen(
            encoder_command(fmt, self.path, keyframe_s),
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            # its own process group: a terminal's Ctrl-C (SIGINT to the foreground group) must not
            # end ffmpeg before the recorder has handed it every frame; it ends at the pipe's EOF
            start_new_session=True,
        )
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()

    def _read_stderr(self) -> None:
        assert self._proc.stderr is not None
        for line in iter(self._proc.stderr.readline, b""):
            self._stderr.append(line.decode(errors="replace").rstrip())

    def _failure(self, what: str) -> WriterError:
        try:
            self._proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        self._drain.join(timeout=1)
        detail = "; ".join(self._stderr) or f"ffmpeg exit code {self._proc.returncode}"
        if "No space left on device" in detail or "Disk quota exceeded" in detail:
            return DiskFull(self.path.parent, f"{self.path.name}: {what}")
        return WriterError(f"{self.path.name}: {what}: {detail}")

    def write(self, frame: Frame) -> None:
        payload = frame.data if self.format.pixel_format == "mjpeg" else frame.pixels
        if payload is None:
            raise WriterError(
                f"{self.path.name}: frame {frame.frame_id} has no {self.format.pixel_format} data"
            )
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(payload if isinstance(payload, bytes) else memoryview(payload).cast("B"))
        except (BrokenPipeError, OSError) as exc:
            raise self._failure(f"encoder stopped accepting frames ({exc.__class__.__name__})") from None
        self.frames += 1

    def close(self, timeout: float = 60.0) -> None:
        """Finish the file; raises WriterError if ffmpeg reports a problem."""
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.close()
        except OSError:  # ffmpeg already gone: its exit code below says why
            log.debug("%s: closing the encoder's input failed", self.path.name, exc_info=True)
        try:
            code = self._proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            raise self._failure("encoder did not finish in time") from None
        self._drain.join(timeout=2)
        if self._proc.stderr is not None and not self._drain.is_alive():
            self._proc.stderr.close()
        if code != 0:
            raise self._failure("encoder failed")
