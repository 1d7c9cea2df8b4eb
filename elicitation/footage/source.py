"""What is imported: a video file (PyAV) or a folder of numbered pictures, read as a stream of pictures.

Each picture comes with its ``number`` (the camera's own counter: the number in a picture's file name, or
the frame's index in a video file), its time in seconds from the first picture (a video's presentation
timestamps, so a variable frame rate keeps its real timing; pictures: (number - first number) / fps) and
the container's own timestamp. A video's rotation metadata (the display matrix) is applied, so the stored
picture is upright as players show it, and recorded.

A source is refused (FootageError, exit 2) when it is not a video or a picture folder, holds no frames, or
is cut short: a decode error part-way, fewer frames than the header declares, or a video stream whose
declared duration runs on more than CUT_SHORT_S past the last decodable frame.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

from elicitation.folder import BadInput

PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff")
CUT_SHORT_S = 1.0
_NUMBER = re.compile(r"(\d+)(?!.*\d)")  # the last run of digits in a file name


class FootageError(BadInput):
    """Raised when footage or a label sheet cannot be imported (not video, no frames, cut short, bad
    episodes, a session that already has codes ...); nothing is written."""


@dataclass(frozen=True)
class Picture:
    index: int  # position in the source, from 0
    number: int  # the camera's counter: picture number or video frame index
    time_s: float  # seconds from the first picture
    camera_time: float | None  # the container's own timestamp (None for pictures)
    pixels: np.ndarray  # HxW gray or HxWx3 BGR, upright


@dataclass
class SourceInfo:
    name: str  # the file or folder name only: never a path
    kind: str  # "video" or "pictures"
    container: str = ""
    codec: str = ""
    width: int = 0
    height: int = 0
    pixel_format: str = "bgr24"  # what is stored: mono8 for a gray source, else bgr24
    fps_declared: float | None = None
    rotation: int = 0  # degrees counter-clockwise applied to each decoded picture
    header_frames: int = 0  # what the header declares (0: not declared)
    extra: dict[str, Any] = field(default_factory=dict)


def _upright(array: np.ndarray, rotation: int) -> np.ndarray:
    turns = (rotation // 90) % 4  # the encoder takes whole rows: a padded or rotated view is copied
    return np.ascontiguousarray(np.rot90(array, turns) if turns else array)


def _video_pictures(path: Path, info: SourceInfo) -> Iterator[Picture]:
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError) as exc:
        raise FootageError(f"{path.name}: not a video PyAV can read ({exc})") from None
    with container:
        if not container.streams.video:
            raise FootageError(f"{path.name}: not a video (no video stream)")
        stream = container.streams.video[0]
        info.container, info.codec = container.format.name, stream.codec_context.name
        rate = stream.average_rate or stream.guessed_rate
        info.fps_declared = float(rate) if rate else None
        info.header_frames = int(stream.frames or 0)
        declared_end = float(stream.duration * stream.time_base) if stream.duration and stream.time_base else None
        given = info.extra.get("fps_given")  # --fps: times from index / fps instead of the timestamps
        first: float | None = None
        index, last = 0, 0.0
        try:
            for frame in container.decode(stream):
                t = float(frame.time) if frame.time is not None else index / (info.fps_declared or 1.0)
                first = t if first is None else first
                if index == 0:
                    info.rotation = int(getattr(frame, "rotation", 0) or 0)
                    gray = frame.format.name.startswith("gray")
                    info.pixel_format = "mono8" if gray else "bgr24"
                array = _upright(frame.to_ndarray(format="gray" if info.pixel_format == "mono8" else "bgr24"),
                                 info.rotation)  # fmt: skip
                if index == 0:
                    info.height, info.width = array.shape[:2]
                last = t
                yield Picture(index, index, index / given if given else t - first, t, array)
                index += 1
        except av.FFmpegError as exc:
            raise FootageError(f"{path.name}: cut short or damaged after frame {index} ({exc})") from None
        if index == 0:
            raise FootageError(f"{path.name}: the video has no frames")
        if info.header_frames and index < info.header_frames:
            raise FootageError(f"{path.name}: cut short: the header declares {info.header_frames} frames, "
                               f"only {index} could be decoded")  # fmt: skip
        if declared_end is not None and first is not None:
            start = float(stream.start_time * stream.time_base) if stream.start_time is not None else first
            if declared_end + start - last > CUT_SHORT_S:
                raise FootageError(f"{path.name}: cut short: the video stream declares {declared_end:.3f} s, "
                                   f"frames decode only to {last - start:.3f} s")  # fmt: skip


def picture_files(folder: Path) -> list[tuple[int, Path]]:
    """(number, path) of every numbered picture in the folder, by number; FootageError for a duplicate."""
    found: dict[int, Path] = {}
    for path in sorted(folder.iterdir()):
        match = _NUMBER.search(path.stem)
        if not path.is_file() or path.suffix.lower() not in PICTURE_SUFFIXES or match is None:
            continue
        number = int(match[1])
        if number in found:
            raise FootageError(f"{folder.name}: pictures {found[number].name} and {path.name} have the same number")
        found[number] = path
    return sorted(found.items())


def _folder_pictures(folder: Path, fps: float | None, info: SourceInfo) -> Iterator[Picture]:
    if not fps or fps <= 0:
        raise FootageError(f"{folder.name}: a folder of pictures needs --fps (its frame rate), got {fps}")
    files = picture_files(folder)
    if not files:
        raise FootageError(f"{folder.name}: no numbered pictures ({', '.join(PICTURE_SUFFIXES)}) in the folder")
    info.fps_declared, info.header_frames, info.container = fps, len(files), "pictures"
    info.codec = files[0][1].suffix.lower().lstrip(".")
    first = files[0][0]
    for index, (number, path) in enumerate(files):
        array = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if array is None or array.dtype != np.uint8:
            raise FootageError(f"{folder.name}: picture {path.name} cannot be read as an 8-bit picture")
        if array.ndim == 3 and array.shape[2] == 4:
            array = cv2.cvtColor(array, cv2.COLOR_BGRA2BGR)
        if index == 0:
            info.pixel_format = "mono8" if array.ndim == 2 else "bgr24"
            info.height, info.width = array.shape[:2]
        elif array.shape[:2] != (info.height, info.width) or (array.ndim == 2) != (info.pixel_format == "mono8"):
            raise FootageError(f"{folder.name}: picture {path.name} differs in size or colour from the first")
        yield Picture(index, number, (number - first) / fps, None, array)


def read_source(source: Path, fps: float | None = None) -> tuple[SourceInfo, Iterator[Picture]]:
    """The source's facts (filled in while its pictures are read) and its pictures in order."""
    source = Path(source)
    if source.is_dir():
        info = SourceInfo(source.name, "pictures")
        return info, _folder_pictures(source, fps, info)
    if not source.is_file():
        raise FootageError(f"{source.name}: no such file or folder")
    info = SourceInfo(source.name, "video")
    if fps:
        info.extra["fps_given"] = fps
    return info, _video_pictures(source, info)
