"""Frame-exact decoding by index (hardware.video.indexed): the picture is the stored frame, steps and jumps."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from hardware.cameras.base import Frame, StreamFormat
from hardware.cameras.sim import barcode
from hardware.video import IndexedReader, VideoFileError, VideoWriter
from hardware.video.indexed import build_index

FIRST_ID = 5000  # camera frame ids that are not the file index, so an off-by-n shows


def source(index: int, width: int, height: int, channels: int) -> np.ndarray:
    rng = np.random.default_rng(index)  # every frame different, not only its barcode
    shape = (height, width, channels) if channels == 3 else (height, width)
    pixels = rng.integers(0, 256, shape, dtype=np.uint8)
    barcode.write(pixels, FIRST_ID + index)
    return pixels


def record(path: Path, n: int, pixel_format: str = "mono8", width: int = 384, height: int = 64) -> Path:
    writer = VideoWriter(path, StreamFormat(width, height, pixel_format, 60.0))
    channels = 3 if pixel_format == "bgr24" else 1
    for i in range(n):
        writer.write(Frame(pixels=source(i, width, height, channels), frame_id=FIRST_ID + i, host_time=i / 60))
    writer.close()
    return path


@pytest.fixture(scope="module")
def gray_file(tmp_path_factory) -> Path:
    return record(tmp_path_factory.mktemp("indexed") / "gray.mkv", 200)


def test_index_lists_every_frame_and_a_keyframe_each_second(gray_file: Path) -> None:
    index = build_index(gray_file)
    assert len(index) == 200
    assert index.pts == sorted(index.pts) and len(set(index.pts)) == 200
    assert index.keyframes[:4] == [0, 60, 120, 180]  # the recorder's KEYFRAME_S at 60 fps
    assert index.keyframe_before(119) == 60 and index.keyframe_before(120) == 120


@pytest.mark.parametrize("pixel_format", ["mono8", "bgr24"])
def test_every_picture_is_exactly_the_stored_frame_in_random_order(tmp_path: Path, pixel_format: str) -> None:
    path = record(tmp_path / f"{pixel_format}.mkv", 150, pixel_format)
    channels = 3 if pixel_format == "bgr24" else 1
    order = list(range(150))
    random.Random(4).shuffle(order)
    with IndexedReader(path, cache_frames=4) as reader:
        for i in order:
            picture = reader.frame(i)
            assert barcode.read(picture) == FIRST_ID + i
            assert np.array_equal(picture, source(i, 384, 64, channels))  # lossless, pixel for pixel


def test_a_step_decodes_one_frame_and_a_jump_starts_at_the_keyframe_before(gray_file: Path) -> None:
    with IndexedReader(gray_file, cache_frames=8) as reader:
        reader.frame(100)
        decoded, seeks = reader.decoded, reader.seeks
        assert barcode.read(reader.frame(101)) == FIRST_ID + 101
        assert (reader.decoded - decoded, reader.seeks - seeks) == (1, 0)
        assert barcode.read(reader.frame(99)) == FIRST_ID + 99  # a step back is in the cache
        assert reader.decoded - decoded == 1
        decoded = reader.decoded
        assert barcode.read(reader.frame(185)) == FIRST_ID + 185  # jump: from keyframe 180, not from 101
        assert reader.decoded - decoded == 6 and reader.seeks == seeks + 1


def test_a_frame_outside_the_file_is_refused(gray_file: Path, tmp_path: Path) -> None:
    with IndexedReader(gray_file) as reader, pytest.raises(VideoFileError, match="frame 200 is not in the file"):
        reader.frame(200)
    with pytest.raises(VideoFileError, match="no such video file"):
        IndexedReader(tmp_path / "missing.mkv")
