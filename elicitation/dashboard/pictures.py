"""Each camera's latest preview frame as JPEG, encoded in the web thread once per new frame.

A reader is anything with ``latest() -> PreviewFrame | None`` (hardware.recording's
``PreviewReader``: the camera process's shared-memory slot, never blocking its writer), where a
PreviewFrame has ``seq``, ``camera_frame_id``, ``host_time`` and ``image``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from elicitation.web import jpeg

QUALITY = 75


class FrameSource(Protocol):
    def latest(self) -> Any: ...


@dataclass(frozen=True)
class Picture:
    seq: int
    frame_id: int
    host_time: float
    width: int
    height: int
    data: bytes  # JPEG


class Pictures:
    """The cameras' pictures for the page: the latest preview of each, JPEG-encoded on demand."""

    def __init__(
        self, readers: Mapping[str, FrameSource], quality: int = QUALITY, names: list[str] | None = None
    ) -> None:
        self.readers = dict(readers)  # may be filled in later (attach), for cameras named in ``names``
        self._names = list(names) if names is not None else list(self.readers)
        self.quality = quality
        self._cache: dict[str, Picture] = {}
        self._lock = threading.Lock()

    @property
    def names(self) -> list[str]:
        return self._names + [n for n in self.readers if n not in self._names]

    def attach(self, readers: Mapping[str, FrameSource]) -> None:
        self.readers.update(readers)

    def close(self) -> None:
        """Close the readers that can be closed (shared-memory mappings); no pictures afterwards."""
        readers, self.readers = self.readers, {}
        for reader in readers.values():
            close = getattr(reader, "close", None)
            if close is not None:
                close()

    def frame(self, name: str) -> Any:
        """The latest PreviewFrame of camera ``name`` (None before its first or without a reader)."""
        if name not in self.names:
            raise KeyError(name)
        reader = self.readers.get(name)
        return None if reader is None else reader.latest()

    def picture(self, name: str) -> Picture | None:
        """The latest frame of ``name`` as JPEG (encoded once per new frame)."""
        frame = self.frame(name)
        if frame is None:
            return None
        with self._lock:
            cached = self._cache.get(name)
            if cached is not None and cached.seq == frame.seq:
                return cached
            image = frame.image
            picture = Picture(int(frame.seq), int(frame.camera_frame_id), float(frame.host_time),
                              int(image.shape[1]), int(image.shape[0]), jpeg(image, self.quality))  # fmt: skip
            self._cache[name] = picture
            return picture

    def info(self, name: str) -> dict[str, Any] | None:
        """The latest frame's numbers without encoding it (for the state the page polls)."""
        frame = self.frame(name)
        if frame is None:
            return None
        height, width = frame.image.shape[:2]
        return {"seq": int(frame.seq), "frame_id": int(frame.camera_frame_id), "host_time": float(frame.host_time),
                "width": int(width), "height": int(height)}  # fmt: skip
