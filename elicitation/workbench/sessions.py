"""What the coders open: the sessions under DATA, each camera's frames.tsv, and the segments to code.

A segment is one episode's recording (``<camera>_epNN.mkv``, coded as episode ``NN``, the name
review.tsv and ratings.tsv use) or the recording after it (``<camera>_afterNN.mkv``, episode
``afterNN``): the files the recorder split the session into, one per camera. Set-up and other files
are not offered. Every segment lists, per camera, the rows of that camera's frames.tsv it holds, so a
frame is always named by its frames.tsv ``frame`` index and found in its file by ``file_frame``.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.coding import CodingError
from elicitation.folder import BadInput
from elicitation.protocol import ReviewSettings, load_protocol
from hardware.strict_yaml import ConfigError
from hardware.video import FrameTable, VideoFileError, read_frames_tsv

log = logging.getLogger(__name__)
_FILE = re.compile(r"^(?P<camera>.+)_(?P<part>ep|after)(?P<number>\d+)(?P<rest>[^.]*)\.(?:mkv|mp4|avi)$")
MAX_DEPTH = 3


@dataclass
class Segment:
    key: str  # the coding episode: "01" or "after01"
    label: str
    files: dict[str, str]  # camera -> video file name (in SESSION/video/)
    rows: dict[str, np.ndarray]  # camera -> row indices of its frames.tsv in that file, in file order

    def start_end(self, tables: dict[str, FrameTable]) -> tuple[float, float]:
        times = [tables[c].host_time[r] for c, r in self.rows.items() if len(r)]
        return float(min(t[0] for t in times)), float(max(t[-1] for t in times))


@dataclass
class Session:
    path: Path
    name: str  # relative to DATA, e.g. sub-P07/ses-1
    tables: dict[str, FrameTable]
    segments: list[Segment]
    categories: dict[str, str]
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def cameras(self) -> list[str]:
        return list(self.tables)

    def segment(self, key: str) -> Segment:
        for segment in self.segments:
            if segment.key == key:
                return segment
        raise CodingError(f"{self.name}: no episode {key!r} (have {', '.join(s.key for s in self.segments)})")

    def video(self, file: str) -> Path:
        return self.path / "video" / file


def find_sessions(data: Path) -> list[Path]:
    """DATA itself if it is a session folder (it has session.json or video/*_frames.tsv), else the
    session folders under it (at most MAX_DEPTH levels down), sorted."""
    data = Path(data)
    if not data.is_dir():
        raise BadInput(f"{data}: not a folder (give a session folder or a folder of them)")

    def is_session(p: Path) -> bool:
        return (p / "session.json").is_file() or any((p / "video").glob("*_frames.tsv"))

    if is_session(data):
        return [data]
    found = []
    for depth in range(1, MAX_DEPTH + 1):
        found += [p for p in data.glob("/".join(["*"] * depth)) if p.is_dir() and is_session(p)]
    if not found:
        raise BadInput(f"{data}: no session folder here (none with session.json or video/*_frames.tsv)")
    return sorted(set(found))


def _categories(state: dict[str, Any]) -> dict[str, str]:
    """The review categories of the session's protocol, or the default ones if it is not at hand."""
    path = (state.get("protocol") or {}).get("path")
    if path and Path(path).is_file():
        try:
            return dict(load_protocol(path).review.categories)
        except (ConfigError, BadInput, OSError) as exc:
            log.warning("protocol %s unreadable (%s): default review categories", path, exc)
    return dict(ReviewSettings().categories)


def _segments(tables: dict[str, FrameTable], state: dict[str, Any]) -> list[Segment]:
    found: dict[str, Segment] = {}
    order: dict[str, tuple[float, str]] = {}
    for camera, table in tables.items():
        for file in dict.fromkeys(table.file):
            match = _FILE.match(file)
            if match is None or match["camera"] != camera:
                continue
            number = match["number"]
            key = (number if match["part"] == "ep" else f"after{number}") + match["rest"]
            clip = (state.get("episodes", {}).get(number) or {}).get("file", "")
            label = f"episode {number}" + (f" ({clip})" if clip and match["part"] == "ep" else "")
            label = label if match["part"] == "ep" else f"after episode {number}"
            segment = found.setdefault(key, Segment(key, label + match["rest"], {}, {}))
            segment.files[camera] = file
            segment.rows[camera] = table.rows_in_file(file)
            if len(segment.rows[camera]):
                first = float(table.host_time[segment.rows[camera][0]])
                order[key] = min(order.get(key, (first, key)), (first, key))
    return sorted(found.values(), key=lambda s: order.get(s.key, (float("inf"), s.key)))


def open_session(path: Path, data: Path | None = None) -> Session:
    path = Path(path)
    state: dict[str, Any] = {}
    if (path / "session.json").is_file():
        try:
            state = json.loads((path / "session.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise BadInput(f"{path / 'session.json'}: unreadable ({exc})") from None
    tables: dict[str, FrameTable] = {}
    for tsv in sorted((path / "video").glob("*_frames.tsv")):
        try:
            tables[tsv.name.removesuffix("_frames.tsv")] = read_frames_tsv(tsv)
        except VideoFileError as exc:
            log.warning("%s", exc)
    if not tables:
        raise BadInput(f"{path}: no readable video/<camera>_frames.tsv")
    name = path.relative_to(data).as_posix() if data is not None and path != data else path.name
    return Session(path, name, tables, _segments(tables, state), _categories(state), state)
