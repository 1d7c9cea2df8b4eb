"""Frame-exact decoding by index in the file (PyAV), for coders: the picture shown is the frame stored.

Opening a file demuxes it once without decoding (packets only, ~0.1 s per minute of 640x480 lossless)
to list every frame's presentation timestamp and which frames are keyframes: frame ``i`` of the file is
the ``i``-th timestamp in presentation order, the same count frames.tsv's ``file_frame`` uses (ffmpeg
writes one packet per frame handed to it; checked by tests against the sim barcode).

``frame(i)`` then
- returns a cached picture (an LRU of decoded frames, CACHE_BYTES: stepping back is a cache hit),
- or decodes forward from where the decoder stands when ``i`` lies ahead of it and no keyframe
  lies in between (a one-frame step costs one frame's decoding),
- or seeks to the nearest keyframe at or before ``i`` and decodes forward to it (a jump costs at
  most one keyframe interval: the recorder writes one a second, hardware.video.encoder).
The decoder never returns a frame other than the one asked for: each decoded frame is identified by
its timestamp, and a seek that lands after the target falls back to decoding from the file's start.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from hardware.video.probe import VideoFileError

log = logging.getLogger(__name__)
CACHE_BYTES = 64 * 2**20  # decoded frames kept per reader: ~218 at 640x480 gray, ~24 at 1280x720 colour
MIN_CACHE_FRAMES = 8


@dataclass(frozen=True)
class KeyframeIndex:
    pts: list[int]  # presentation timestamps in presentation order: frame i has pts[i]
    keyframes: list[int]  # frame indices of the keyframes, ascending
    time_base: float  # seconds per pts unit

    def __len__(self) -> int:
        return len(self.pts)

    def keyframe_before(self, index: int) -> int:
        """The nearest keyframe at or before frame `index` (0 if there is none)."""
        at = bisect.bisect_right(self.keyframes, index) - 1
        return self.keyframes[at] if at >= 0 else 0


def build_index(path: Path) -> KeyframeIndex:
    """Demux every packet of the first video stream (no decoding) into a KeyframeIndex."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            found: list[tuple[int, bool]] = []
            for packet in container.demux(stream):
                if packet.size and packet.pts is not None:
                    found.append((int(packet.pts), bool(packet.is_keyframe)))
            time_base = float(stream.time_base) if stream.time_base else 0.0
    except (av.FFmpegError, IndexError) as exc:
        raise VideoFileError(f"{path}: cannot be read for frame-exact decoding ({exc})") from None
    found.sort()
    return KeyframeIndex([p for p, _ in found], [i for i, (_, k) in enumerate(found) if k], time_base)


class IndexedReader:
    """Decodes frames of one video file by their index in the file (thread-safe, one decoder)."""

    def __init__(self, path: Path, pix_fmt: str | None = None, cache_frames: int | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise VideoFileError(f"{self.path}: no such video file")
        self.index = build_index(self.path)
        self._container = av.open(str(self.path))
        self._stream = self._container.streams.video[0]
        self._pos: dict[int, int] = {p: i for i, p in enumerate(self.index.pts)}
        self._cache: OrderedDict[int, np.ndarray] = OrderedDict()
        self._cache_frames = cache_frames or MIN_CACHE_FRAMES
        self._frames = None  # the decoding generator, positioned after frame self._last
        self._last = -1
        self._lock = threading.Lock()
        self.decoded = 0  # frames decoded so far (for tests and the benchmark)
        self.seeks = 0
        self.pix_fmt = pix_fmt or ""
        first = self.frame(0)  # opens the decoder and learns the picture format and size
        if cache_frames is None:
            self._cache_frames = max(MIN_CACHE_FRAMES, CACHE_BYTES // max(first.nbytes, 1))

    def _format(self, frame: av.VideoFrame) -> str:
        """gray for a one-plane (luma-only) recording, bgr24 for colour: what the recorder was given.
        A mono8 recording decodes as yuvj420p with neutral chroma (the bundled x264 has no 4:0:0)."""
        if not self.pix_fmt:
            name = frame.format.name
            luma_only = name.startswith("gray") or (self._stream.codec_context.name == "h264" and "420p" in name)
            self.pix_fmt = "gray" if luma_only else "bgr24"
        return self.pix_fmt

    def __len__(self) -> int:
        return len(self.index)

    def __enter__(self) -> IndexedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def frame(self, index: int) -> np.ndarray:
        """Frame `index` of the file as a uint8 array (HxW gray or HxWx3 bgr24)."""
        if not 0 <= index < len(self.index):
            raise VideoFileError(f"{self.path.name}: frame {index} is not in the file (0..{len(self.index) - 1})")
        with self._lock:
            if index in self._cache:
                self._cache.move_to_end(index)
                return self._cache[index]
            ahead = self._frames is not None and self._last < index
            if not (ahead and self.index.keyframe_before(index) <= self._last):
                self._seek(self.index.keyframe_before(index))
            return self._decode_to(index)

    def _seek(self, keyframe: int) -> None:
        self.seeks += 1
        self._container.seek(self.index.pts[keyframe], stream=self._stream, backward=True)
        self._frames = self._container.decode(self._stream)
        self._last = keyframe - 1

    def _decode_to(self, index: int) -> np.ndarray:
        restarted = False
        while True:
            try:
                frame = next(self._frames)  # type: ignore[call-overload]
            except (StopIteration, av.FFmpegError) as exc:
                self._frames = None
                raise VideoFileError(f"{self.path.name}: frame {index} could not be decoded ({exc})") from None
            self.decoded += 1
            at = self._pos.get(int(frame.pts)) if frame.pts is not None else None
            if at is None:
                continue
            if at > index and not restarted:  # the seek landed past the target: decode from the start
                log.warning("%s: seek for frame %d landed at %d; decoding from the start", self.path.name, index, at)
                self._seek(0)
                restarted = True
                continue
            self._last = at
            if at < index - self._cache_frames:
                continue  # far from the target: not worth caching
            picture = frame.to_ndarray(format=self._format(frame))
            self._remember(at, picture)
            if at == index:
                return picture
            if at > index:
                raise VideoFileError(f"{self.path.name}: frame {index} is missing from the decoded stream")

    def _remember(self, index: int, picture: np.ndarray) -> None:
        self._cache[index] = picture
        self._cache.move_to_end(index)
        while len(self._cache) > self._cache_frames:
            self._cache.popitem(last=False)

    def close(self) -> None:
        with self._lock:
            self._frames = None
            self._container.close()
