"""Pictures for the player: a frames.tsv frame -> its file and file_frame -> the decoded picture (JPEG).

Decoding is frame-exact by index (hardware.video.IndexedReader): the picture served for frame ``f``
is the frame the recorder stored at that row's ``file_frame``, never a browser video element's guess.
A few readers stay open per session (each holds its keyframe index and a small cache of decoded frames).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from elicitation.coding import CodingError
from elicitation.web import jpeg
from elicitation.workbench.sessions import Segment, Session
from hardware.video import IndexedReader

OPEN_READERS = 4  # each holds up to hardware.video.indexed.CACHE_BYTES of decoded frames
JPEG_QUALITY = 90


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
