"""Pictures for the player: a frames.tsv frame -> its file and file_frame -> the decoded picture (JPEG).

Decoding is frame-exact by index (hardware.video.IndexedReader): the picture served for frame ``f``
is the frame the recorder stored at that row's ``file_frame``, never a browser video element's guess.
A few readers stay open per session (each holds its keyframe index and a small cache of decoded frames).

Playing (:func:`play_batch`): the page asks for runs of consecutive frames (every ``stride``-th row) in one
request and decodes them ahead itself, so the request overhead is paid once per run, not per picture, and the
reader decodes forward without seeking. A picture at least twice as wide as the page shows it is scaled down
for play only (the still picture of a paused frame is always the full frame).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from elicitation.coding import CodingError
from elicitation.web import jpeg
from elicitation.workbench.sessions import Segment, Session
from hardware.video import IndexedReader

OPEN_READERS = 4  # each holds up to hardware.video.indexed.CACHE_BYTES of decoded frames
JPEG_QUALITY = 90
PLAY_QUALITY = 85  # pictures that stay on screen 17 ms
PLAY_BATCH_MAX = 60


@dataclass(frozen=True)
class Row:
    camera: str
    row: int
    frame: int
    camera_frame_id: int
    host_time: float
    file: str
    file_frame: int

    def headers(self) -> dict[str, str]:
        return {
            "X-Frame": str(self.frame),
            "X-Camera-Frame-Id": str(self.camera_frame_id),
            "X-Host-Time": f"{self.host_time:.6f}",
            "X-File": self.file,
            "X-File-Frame": str(self.file_frame),
        }


class Pictures:
    def __init__(self, session: Session, open_readers: int = OPEN_READERS) -> None:
        self.session = session
        self._readers: OrderedDict[str, IndexedReader] = OrderedDict()
        self._open = open_readers
        self._lock = threading.Lock()

    def row(self, camera: str, frame: int) -> Row:
        table = self.session.tables.get(camera)
        if table is None:
            raise CodingError(f"{self.session.name}: no camera {camera!r} ({', '.join(self.session.tables)})")
        at = int(np.searchsorted(table.frame, frame))
        if at >= len(table) or int(table.frame[at]) != frame:
            raise CodingError(f"{self.session.name}: frame {frame} is not in {camera}'s frames.tsv")
        return Row(
            camera,
            at,
            frame,
            int(table.camera_frame_id[at]),
            float(table.host_time[at]),
            table.file[at],
            int(table.file_frame[at]),
        )

    def reader(self, file: str) -> IndexedReader:
        with self._lock:
            if file in self._readers:
                self._readers.move_to_end(file)
                return self._readers[file]
            reader = IndexedReader(self.session.video(file))
            self._readers[file] = reader
            while len(self._readers) > self._open:
                self._readers.popitem(last=False)[1].close()
            return reader

    def picture(self, camera: str, frame: int) -> tuple[np.ndarray, Row]:
        row = self.row(camera, frame)
        return self.reader(row.file).frame(row.file_frame), row

    def jpeg(self, camera: str, frame: int) -> tuple[bytes, Row]:
        image, row = self.picture(camera, frame)
        return jpeg(image, JPEG_QUALITY), row

    def rows_from(self, camera: str, frame: int, count: int, stride: int = 1) -> list[Row]:
        """`count` rows of `camera` from `frame` on, every `stride`-th, up to the end of its table."""
        first = self.row(camera, frame)
        table = self.session.tables[camera]
        rows = range(first.row, min(len(table), first.row + count * stride), stride)
        return [self.row(camera, int(table.frame[r])) for r in rows]

    def close(self) -> None:
        with self._lock:
            for reader in self._readers.values():
                reader.close()
            self._readers.clear()


def segment_frames(session: Session, segment: Segment) -> dict[str, dict[str, Any]]:
    """Per camera, the segment's frames as columns (what the player steps through and shows)."""
    out = {}
    for camera, rows in segment.rows.items():
        table = session.tables[camera]
        out[camera] = {
            "file": segment.files[camera],
            "frame": table.frame[rows].tolist(),
            "camera_frame_id": table.camera_frame_id[rows].tolist(),
            "host_time": [round(float(t), 6) for t in table.host_time[rows]],
            "file_frame": table.file_frame[rows].tolist(),
        }
    return out


def scaled(image: np.ndarray, width: int | None) -> np.ndarray:
    """`image` shrunk by the largest whole factor that keeps it at least `width` pixels wide (none if < 2):
    a whole factor is a cheap pixel average, and the page scales the rest of the way."""
    factor = image.shape[1] // width if width and width > 0 else 1
    if factor < 2:
        return image
    size = (image.shape[1] // factor, image.shape[0] // factor)
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def play_batch(rows: list[Row], picture: Any, width: int | None) -> tuple[bytes, dict[str, str]]:
    """The JPEGs of `rows` one after another, and the headers that split them: X-Frames (frame numbers),
    X-Sizes (bytes of each JPEG), X-Host-Times. `picture(row)` gives the decoded (maybe cropped) image."""
    if not 0 < len(rows) <= PLAY_BATCH_MAX:
        raise CodingError(f"a play batch holds 1 to {PLAY_BATCH_MAX} frames, not {len(rows)}")
    parts = [jpeg(scaled(picture(row), width), PLAY_QUALITY) for row in rows]
    headers = {
        "X-Frames": ",".join(str(r.frame) for r in rows),
        "X-Sizes": ",".join(str(len(p)) for p in parts),
        "X-Host-Times": ",".join(f"{r.host_time:.6f}" for r in rows),
    }
    return b"".join(parts), headers
