"""Simulated camera: a first-class device that paces itself on the one clock.

Every frame carries its id as a barcode (hardware.cameras.barcode) over cheap moving content, so a recording can be
checked frame by frame. Pixel formats: ``mono8``, ``bgr24`` (raw, stored losslessly) and ``mjpeg`` (compressed "in
the camera" like a UVC webcam's frames, at a UVC camera's cost to the host: hardware.cameras.sim.mjpeg; its
background stands still). Faults are rig settings:

- ``drop_frames: [ids]``      those ids are never delivered (the counter still advances),
- ``jitter_ms: x``            each delivery is late by a random 0..x ms,
- ``drift_ppm: y``            the camera's clock runs fast (y > 0) or slow: its frames come every
                              period/(1 + y·1e-6) host seconds and its timestamps count its own time,
- ``disconnect_after_s: t``   after t seconds ``read`` raises CameraDisconnected,
- ``buffer_frames: n``        like a real camera, it holds n frames; a reader more than n frames
                              behind loses the oldest ones (visible as id gaps),
- ``paced: false``            deliver as fast as the reader asks (benchmarks only),
- ``screen_latency_ms: L``    the camera sees the screen (hardware.screen_link, as the sync test shows it):
                              a frame exposed at host time t is bright when the screen was white at
                              t - L. Such a frame is handed over SCREEN_READOUT_S after t (the screen's
                              flip time is published just after the flip), with host_time = t. That hold
                              is the simulation's, not the camera's: the buffer counts from the hand-over.
                              The room as lit by each screen level is made once (dark and bright at
                              configure, any other level the first time it is seen), so a frame costs
                              a copy whatever the screen shows.
- ``face: {image: astronaut, movement_px: 3, face_away: [[t0, t1]]}``  a face photograph drawn over
                              the pattern, moving a little, gone during face_away (hardware.cameras.sim.face);
  ``face: {video: NAME or PATH, crop: [x0, y0, x1, y1]}`` a real face from a clip, looped (face_video).
- ``expressions: {movements: [...], random: {...}, distractors: [...]}``  known facial movements on that
                              face, a synthetic truth for spotting (hardware.cameras.sim.expressions).
"""

from __future__ import annotations

import time

import numpy as np

from hardware import clock
from hardware.cameras.base import (
    BackendStatus,
    CameraConfigError,
    CameraDisconnected,
    CameraError,
    CameraSettings,
    Frame,
    FrameTimeout,
    StreamFormat,
)
from hardware.cameras.sim import barcode, expressions
from hardware.cameras.sim.face import FaceLayer, check_options
from hardware.cameras.sim.face_video import VideoFace
from hardware.cameras.sim.mjpeg import JpegFrames, picture_key, still_pictures
from hardware.cameras.sim.screen_link import ScreenLink
from hardware.strict_yaml import Field, non_negative, positive

OPTIONS = {
    "drop_frames": Field(list, default=[]),
    "jitter_ms": Field(float, default=0.0, check=non_negative),
    "drift_ppm": Field(float, default=0.0),
    "disconnect_after_s": Field(float, default=None, check=positive),
    "paced": Field(bool, default=True),
    "buffer_frames": Field(int, default=8, check=positive),
    "seed": Field(int, default=0),
    "screen_latency_ms": Field(float, default=None, check=non_negative),
    "face": Field(dict, default=None, check=check_options),
    "expressions": Field(dict, default=None, check=expressions.check_options),
}
SCREEN_READOUT_S = 0.05  # the flipping process may publish a flip late on a busy machine
SCREEN_LEVELS_KEPT = 8  # lit views held at once (a sync test shows two: black and white)
SUPPORTED_FORMATS = ("mono8", "bgr24", "mjpeg")


def probe() -> BackendStatus:
    return BackendStatus("sim", True, "built in", ["any number of simulated cameras"])


def create(settings: CameraSettings) -> SimCamera:
    return SimCamera(settings.name)


def _moving_pattern(height: int, width: int, channels: int, margin: int, seed: int) -> np.ndarray:
    """Smooth shading plus faint sensor-like noise, wider than the frame so a window can slide."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 3 * np.pi, height)[:, None]
    x = np.linspace(0, 6 * np.pi, width + margin)[None, :]
    shade = 110 + 60 * np.sin(x) * np.cos(y) + rng.integers(0, 4, (height, width + margin))
    img = shade.clip(0, 255).astype(np.uint8)
    if channels == 3:
        img = np.stack([img, np.roll(img, 40, axis=1), np.roll(img, 80, axis=1)], axis=2)
    return img


def lit_view(pattern: np.ndarray, brightness: float) -> np.ndarray:
    """The pattern as the camera sees it when the screen shows `brightness` (0 dark room .. 1 flash)."""
    return (pattern.astype(np.uint16) * (1 - brightness) // 2 + brightness * 235).astype(np.uint8)


class SimCamera:
    """Implements hardware.cameras.base.Camera without hardware."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._settings: CameraSettings | None = None
        self._started = False  # read() only between start() and stop()
        self._pattern: np.ndarray | None = None
        self._started_at = 0.0
        self._next_id = 0
        self._opened = False
        self._views: dict[float, np.ndarray] = {}  # screen brightness -> lit pattern
        self._face: FaceLayer | None = None
        self._expressions: expressions.ExpressionLayer | None = None
        self._jpeg: JpegFrames | None = None
        self._video: VideoFace | None = None

    def open(self) -> None:
        self._opened = True

    def configure(self, settings: CameraSettings) -> StreamFormat:
        if not self._opened:
            raise CameraError(f"camera '{self.name}': configure() before open()")
        if settings.pixel_format not in SUPPORTED_FORMATS:
            raise CameraConfigError(
                f"sim camera '{self.name}' supports {', '.join(SUPPORTED_FORMATS)}, "
                f"not {settings.pixel_format}"
            )
        if settings.width < barcode.WIDTH or settings.height < barcode.BLOCK:
            raise CameraConfigError(
                f"sim camera '{self.name}' needs at least {barcode.WIDTH}x{barcode.BLOCK} pixels"
            )
        self._settings = settings
        opts = settings.options
        self._drops = {int(i) for i in opts.get("drop_frames") or []}
        self._jitter_s = float(opts.get("jitter_ms") or 0.0) / 1000
        self._drift = float(opts.get("drift_ppm") or 0.0) * 1e-6
        self._disconnect_after = opts.get("disconnect_after_s")
        self._paced = opts.get("paced", True) is not False
        self._buffer = int(opts.get("buffer_frames") or 8)
        self._rng = np.random.default_rng(opts.get("seed") or 0)
        latency = opts.get("screen_latency_ms")
        self._screen = ScreenLink.from_environment() if latency is not None else None
        self._screen_latency_s = float(latency or 0.0) / 1000
        channels = 1 if settings.pixel_format == "mono8" else 3
        # MJPEG: compressed "in the camera" at a UVC camera's cost to the host (hardware.cameras.sim.mjpeg)
        self._jpeg = JpegFrames(settings.width, settings.height) if settings.pixel_format == "mjpeg" else None
        self._pattern = _moving_pattern(settings.height, settings.width, channels, 256, opts.get("seed") or 0)
        self._views = {}
        face = opts.get("face") or {}
        video, size = face.get("video"), (settings.width, settings.height)
        self._video = VideoFace(video, *size, channels, face.get("crop")) if video else None
        self._face = FaceLayer.from_options(face, *size, channels, lit_view) if face and not video else None
        shown = opts.get("expressions")
        if shown is not None and self._face is None:
            raise CameraConfigError(f"sim camera '{self.name}': expressions need a face image (face: {{image: ...}})")
        if self._jpeg is not None and self._video is not None:  # every clip frame is a picture of its own
            self._jpeg.keep += len(self._video.frames)
        elif self._jpeg is not None and self._face is not None and self._screen is None:  # encoded before frame 0
            self._jpeg.prepare(still_pictures(self._face, self._pattern[:, : settings.width]))
        self._expressions = None if shown is None else expressions.ExpressionLayer(self._face, shown)
        if self._screen is not None:  # made here, not on the frame path: ~0.1 s each at 720p colour
            for level in (0.0, 1.0):
                self._views[level] = lit_view(self._pattern, level)
        return StreamFormat(settings.width, settings.height, settings.pixel_format, settings.fps)

    def start(self) -> None:
        if self._settings is None:
            raise CameraError(f"camera '{self.name}': start() before configure()")
        self._started_at = clock.now()
        self._next_id = 0
        self._started = True

    def read(self, timeout: float = 1.0) -> Frame:
        settings = self._settings
        if settings is None or self._pattern is None or not self._started:
            raise CameraError(f"camera '{self.name}': read() before start()")
        if self._paced:
            # frames the camera made while nobody read them are overwritten in its buffer
            held = SCREEN_READOUT_S if self._screen is not None else 0.0  # frames waiting for the hand-over
            made = int((clock.now() - held - self._started_at) * (1 + self._drift) * settings.fps)
            self._next_id = max(self._next_id, made - self._buffer + 1)
        while self._next_id in self._drops:
            self._next_id += 1
        frame_id = self._next_id
        self._next_id += 1
        camera_time = frame_id / settings.fps  # the camera's own clock
        due = self._started_at + camera_time / (1 + self._drift)
        if self._jitter_s:
            due += float(self._rng.uniform(0, self._jitter_s))
        if self._disconnect_after is not None and due - self._started_at >= self._disconnect_after:
            wait = self._started_at + self._disconnect_after - clock.now()
            if wait > 0:
                time.sleep(wait)
            raise CameraDisconnected(
                f"camera '{self.name}' disconnected (simulated after {self._disconnect_after} s)"
            )
        if self._paced:
            wait = due - clock.now()
            if wait > timeout:
                time.sleep(timeout)
                self._next_id = frame_id  # not delivered yet; the caller may read again
                raise FrameTimeout(f"camera '{self.name}': no frame within {timeout} s")
            if wait > 0:
                time.sleep(wait)
        source = self._pattern
        host_time = clock.now()
        level = None
        if self._screen is not None:
            host_time = due if self._paced else host_time  # the exposure time, not the hand-over
            time.sleep(max(0.0, host_time + SCREEN_READOUT_S - clock.now()))
            level = self._screen.state_at(host_time - self._screen_latency_s)
            source = self._view(source, level)
        t = camera_time / (1 + self._drift)  # seconds since start on the host clock, whatever the camera's drift
        if self._jpeg is not None:  # the background stands still: each distinct picture is encoded once
            key = ("clip", self._video.index(t), level) if self._video else picture_key(
                self._face, self._expressions, t, level)  # fmt: skip
            data = self._jpeg.frame(key, lambda: self._picture(source, 0, t, level), frame_id)
            return Frame(None, frame_id, host_time, camera_time, data=data)
        pixels = self._picture(source, (frame_id * 3) % 256, t, level)
        barcode.write(pixels, frame_id)
        return Frame(pixels=pixels, frame_id=frame_id, host_time=host_time, camera_time=camera_time)

    def _picture(self, source: np.ndarray, offset: int, t: float, level: float | None) -> np.ndarray:
        """The scene at time t: a window of the background with the face (and its movements) drawn on it."""
        assert self._settings is not None
        pixels = np.array(source[:, offset : offset + self._settings.width])  # a copy: the barcode goes on it
        if self._video is not None:
            self._video.draw(pixels, t)
        elif self._expressions is not None:
            self._expressions.draw(pixels, t, level)
        elif self._face is not None:
            self._face.draw(pixels, t, level)
        return pixels

    def _view(self, pattern: np.ndarray, brightness: float) -> np.ndarray:
        """The lit pattern for a screen level, made the first time that level is seen."""
        view = self._views.get(brightness)
        if view is None:
            if len(self._views) >= SCREEN_LEVELS_KEPT:
                self._views = {k: v for k, v in self._views.items() if k in (0.0, 1.0)}
            view = self._views[brightness] = lit_view(pattern, brightness)
        return view

    def stop(self) -> None:
        self._started = False

    def close(self) -> None:
        self._started = False
        self._opened = False
        self._pattern = None
        self._views = {}
        self._face = self._video = None
        self._expressions = None
