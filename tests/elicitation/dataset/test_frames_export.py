"""decode_range: exact frames by index from one seek (past a keyframe), Bayer debayered, gaps refused."""

from __future__ import annotations

import numpy as np
import pytest

from elicitation.dataset import ExportError, decode_range
from hardware.cameras import debayer
from hardware.cameras.base import Frame, StreamFormat
from hardware.cameras.sim import barcode
from hardware.video import VideoWriter, iter_frames

N = 330  # x264 puts a keyframe every 250 frames: a range after 250 needs a real seek


def _mosaic(i: int) -> np.ndarray:
    pixels = ((np.arange(64 * 400).reshape(64, 400) * (i + 3)) % 251).astype(np.uint8)
    barcode.write(pixels, i)
    return pixels


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("videos")
    out = {}
    for fmt in ("mono8", "bayer_rggb8"):
        path = folder / f"{fmt}.mkv"
        writer = VideoWriter(path, StreamFormat(400, 64, fmt, 60.0))
        for i in range(N):
            writer.write(Frame(pixels=_mosaic(i), frame_id=i, host_time=100.0 + i / 60))
        writer.close()
        out[fmt] = path
    return out


def test_a_range_after_a_keyframe_decodes_to_exactly_those_frames(videos):
    wanted = [261, 262, 270, 300, 329]
    got = list(decode_range(videos["mono8"], wanted, "gray"))
    assert [i for i, _ in got] == wanted
    assert [barcode.read(image) for _, image in got] == wanted
    reference = {i: f for i, f in enumerate(iter_frames(videos["mono8"], "gray")) if i in wanted}
    assert all(np.array_equal(image, reference[i]) for i, image in got)
    assert [i for i, _ in decode_range(videos["mono8"], [3, 1, 2], "gray")] == [1, 2, 3]  # sorted, from frame 1


def test_bayer_frames_are_debayered_from_the_stored_mosaic(videos):
    ((index, image),) = decode_range(videos["bayer_rggb8"], [280], "bayer_rggb8")
    assert index == 280 and image.shape == (64, 400, 3)
    assert np.array_equal(image, debayer(_mosaic(280), "bayer_rggb8", "BGR"))


def test_a_frame_beyond_the_file_is_refused(videos):
    with pytest.raises(ExportError, match=f"ends before frame {N + 5}"):
        list(decode_range(videos["mono8"], [N - 1, N + 5], "gray"))
