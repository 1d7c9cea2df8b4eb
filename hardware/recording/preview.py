"""Preview frames: each camera process's latest picture, small, in shared memory, off the per-frame path.

One slot per camera (multiprocessing.shared_memory), made by the recorder (PreviewSlots, which also
unlinks it) and written by that camera's process:

    header  seq u64 | camera_frame_id i64 | host_time f64 | height i32 | width i32 | channels i32 | pad
    image   height x width x channels uint8 (at most PREVIEW_MAX_WIDTH wide; mono stays mono)

Seqlock: the writer makes ``seq`` odd, writes, makes it even again (``seq // 2`` frames published).
A reader copies the image between two reads of ``seq`` and keeps the copy only when both are the
same even number, so it never blocks the writer and notices a torn read (it tries again, then gives
the last good frame). Aligned 8-byte loads and stores are atomic on x86-64 and arm64, the platforms
the lab runs on.

In the camera process the read loop only offers a frame when one is due (``PreviewPublisher.due``, at
most PREVIEW_HZ a second): a reference handed to the publisher's thread, which converts (MJPEG decoded,
at half size, only then; Bayer debayered; YUYV converted), downscales and writes. The loop never waits.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from multiprocessing import shared_memory

import cv2
import numpy as np

from hardware.cameras import CameraSettings, Frame, debayer, is_bayer
from hardware.scheduling import lower_priority, name_this_thread

log = logging.getLogger(__name__)

PREVIEW_MAX_WIDTH = 480
PREVIEW_HZ = 10.0
HEADER_BYTES = 48
SEQ, FRAME_ID, HOST_TIME = 0, 1, 2  # u64 / i64 / f64 words of the header
TORN_RETRIES = 3


@dataclass(frozen=True)
class PreviewFrame:
    seq: int  # frames published so far in this slot (1 for the first)
    camera_frame_id: int
    host_time: float  # the frame's time on the one clock
    image: np.ndarray  # H x W (mono) or H x W x 3 (BGR), a private copy


def preview_shape(width: int, height: int, pixel_format: str) -> tuple[int, int, int]:
    """(height, width, channels) of a camera's preview: at most PREVIEW_MAX_WIDTH wide, mono stays mono."""
    factor = min(1.0, PREVIEW_MAX_WIDTH / width)
    channels = 1 if pixel_format == "mono8" else 3
    return max(1, round(height * factor)), max(1, round(width * factor)), channels


def viewable(frame: Frame, pixel_format: str) -> np.ndarray:
    """The frame as a grey or BGR image. Decodes MJPEG (at half size): only when a preview is due."""
    if pixel_format == "mjpeg":
        if frame.data is None:
            raise ValueError(f"frame {frame.frame_id}: MJPEG without data")
        image = cv2.imdecode(np.frombuffer(frame.data, np.uint8), cv2.IMREAD_REDUCED_COLOR_2)
        if image is None:
            raise ValueError(f"frame {frame.frame_id}: JPEG cannot be decoded")
        return image
    if frame.pixels is None:
        raise ValueError(f"frame {frame.frame_id} holds no image")
    if pixel_format == "yuyv":
        return cv2.cvtColor(frame.pixels, cv2.COLOR_YUV2BGR_YUYV)
    if is_bayer(pixel_format):
        return debayer(frame.pixels, pixel_format)
    return frame.pixels


def downscale(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """To height x width: whole halvings area-averaged (OpenCV's fast path), then bilinear for the rest
    (a ratio under 2, where bilinear does not alias). 1.3 ms at 720p colour; area all the way costs 5."""
    while image.shape[1] >= 2 * width and image.shape[0] >= 2 * height:
        half = (image.shape[1] // 2, image.shape[0] // 2)
        image = cv2.resize(image, half, interpolation=cv2.INTER_AREA)
    if image.shape[:2] != (height, width):
        image = cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)
    return image


class _Slot:
    """Numpy views over one shared-memory slot."""

    def __init__(self, shm: shared_memory.SharedMemory) -> None:
        self.shm = shm
        head = np.ndarray((6,), np.int64, shm.buf[:HEADER_BYTES])
        self.words = head  # seq (as i64, never near 2**63), frame id, host time (as bits)
        self.times = np.ndarray((1,), np.float64, shm.buf[16:24])
        dims = np.ndarray((3,), np.int32, shm.buf[24:36])
        self.shape = (int(dims[0]), int(dims[1])) + ((int(dims[2]),) if dims[2] > 1 else ())
        size = int(np.prod(self.shape))
        self.image = np.ndarray(self.shape, np.uint8, shm.buf[HEADER_BYTES : HEADER_BYTES + size])

    def release(self) -> None:
        self.words = self.times = self.image = None  # type: ignore[assignment]  # views first, then close
        self.shm.close()


class PreviewSlots:
    """The recorder's side: makes one slot per camera, names them for the camera processes, unlinks them."""

    def __init__(self) -> None:
        self._owned: dict[str, shared_memory.SharedMemory] = {}

    def create(self, camera: str, settings: CameraSettings) -> str:
        height, width, channels = preview_shape(settings.width, settings.height, settings.pixel_format)
        shm = shared_memory.SharedMemory(create=True, size=HEADER_BYTES + height * width * channels)
        shm.buf[:HEADER_BYTES] = bytes(HEADER_BYTES)
        np.ndarray((3,), np.int32, shm.buf[24:36])[:] = (height, width, channels)
        self._owned[camera] = shm
        return shm.name

    @property
    def names(self) -> dict[str, str]:
        """Camera name -> shared-memory name, for PreviewReader."""
        return {camera: shm.name for camera, shm in self._owned.items()}

    def close(self) -> None:
        for shm in self._owned.values():
            shm.close()
            try:
                shm.unlink()
            except FileNotFoundError:
                pass
        self._owned.clear()


class PreviewReader:
    """Reads a camera's latest preview: ``PreviewReader(name).latest()``; never blocks the writer."""

    def __init__(self, name_or_handle: str | shared_memory.SharedMemory) -> None:
        shm = name_or_handle if isinstance(name_or_handle, shared_memory.SharedMemory) else _attach(name_or_handle)
        self._slot = _Slot(shm)
        self.torn_reads = 0
        self._last: PreviewFrame | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        return self._slot.shape

    def latest(self) -> PreviewFrame | None:
        """The newest whole frame (None before the first); a torn read is retried, else the last good one."""
        slot = self._slot
        for _ in range(TORN_RETRIES):
            before = int(slot.words[SEQ])
            if before == 0:
                return None
            if before % 2:
                self.torn_reads += 1
                continue
            if self._last is not None and self._last.seq == before // 2:
                return self._last  # nothing new: no copy
            image = slot.image.copy()
            frame_id, host_time = int(slot.words[FRAME_ID]), float(slot.times[0])
            if int(slot.words[SEQ]) == before:
                self._last = PreviewFrame(before // 2, frame_id, host_time, image)
                return self._last
            self.torn_reads += 1
        return self._last

    def close(self) -> None:
        self._slot.release()


def _attach(name: str) -> shared_memory.SharedMemory:
    try:  # Python 3.13+: the owner (PreviewSlots) alone tracks and unlinks the slot
        return shared_memory.SharedMemory(name=name, track=False)  # type: ignore[call-arg]
    except TypeError:  # earlier Pythons register it again with the (shared) resource tracker: harmless
        return shared_memory.SharedMemory(name=name)


class PreviewPublisher:
    """The camera process's side: ``due(t)`` in the read loop, ``offer(frame)`` when it is; a thread writes."""

    def __init__(self, name: str, pixel_format: str, hz: float = PREVIEW_HZ) -> None:
        self._slot = _Slot(_attach(name))
        cv2.setNumThreads(1)  # this process's OpenCV calls are previews only: not worth a second core
        self._format = pixel_format
        self._period = 1.0 / hz
        self._next = 0.0
        self._pending: Frame | None = None
        self._wake = threading.Event()
        self._stop = False
        self.published = self.failed = 0
        self._thread = threading.Thread(target=self._run, name="preview", daemon=True)
        self._thread.start()

    def due(self, host_time: float) -> bool:
        return host_time >= self._next

    def offer(self, frame: Frame) -> None:
        """Hand over a frame (a reference; the frame is not changed). Never waits."""
        self._next = frame.host_time + self._period
        self._pending = frame
        self._wake.set()

    def _run(self) -> None:
        name_this_thread("preview")
        lower_priority()  # a late preview costs nothing; a late read loop costs frames
        while True:
            self._wake.wait()
            self._wake.clear()
            frame, self._pending = self._pending, None
            if self._stop:
                return
            if frame is not None:
                try:
                    self.write(frame)
                except Exception:  # noqa: BLE001 - a bad preview must never touch the recording
                    self.failed += 1
                    log.debug("preview of frame %s failed", frame.frame_id, exc_info=True)

    def write(self, frame: Frame) -> None:
        """Convert, downscale and publish one frame now (the publisher's thread; tests)."""
        slot = self._slot
        image = viewable(frame, self._format)
        image = downscale(image, *slot.shape[:2])
        if image.ndim == 3 and len(slot.shape) == 2:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        seq = int(slot.words[SEQ])
        slot.words[SEQ] = seq + 1  # odd: writing
        slot.image[...] = image.reshape(slot.shape)
        slot.words[FRAME_ID] = frame.frame_id
        slot.times[0] = frame.host_time
        slot.words[SEQ] = seq + 2
        self.published += 1

    def close(self) -> None:
        self._stop = True
        self._wake.set()
        self._thread.join(timeout=2)
        self._slot.release()
