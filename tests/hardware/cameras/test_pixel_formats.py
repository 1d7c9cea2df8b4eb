"""The one Bayer table: a mosaic lit only at its red sites comes out red, in BGR and in RGB order."""

from __future__ import annotations

import numpy as np
import pytest

from hardware.cameras import BAYER_TILES, debayer, is_bayer

RED_SITE = {"RGGB": (0, 0), "GBRG": (1, 0), "GRBG": (0, 1), "BGGR": (1, 1)}  # row, column in the 2x2 tile


def red_mosaic(tile: str) -> np.ndarray:
    mosaic = np.zeros((8, 8), np.uint8)
    row, col = RED_SITE[tile]
    mosaic[row::2, col::2] = 200
    return mosaic


@pytest.mark.parametrize("pixel_format", list(BAYER_TILES))
def test_red_sites_come_out_red(pixel_format):
    mosaic = red_mosaic(BAYER_TILES[pixel_format])
    bgr, rgb = debayer(mosaic, pixel_format, "BGR"), debayer(mosaic, pixel_format, "RGB")
    inner = (slice(2, -2), slice(2, -2))  # the border interpolates from outside the mosaic
    assert (bgr[inner][..., 2] > 150).all() and (bgr[inner][..., :2] < 60).all()
    assert np.array_equal(rgb, bgr[..., ::-1])


def test_only_bayer_formats_are_debayered():
    assert is_bayer("bayer_gbrg8") and not is_bayer("mono8")
    with pytest.raises(ValueError, match="not a Bayer format"):
        debayer(np.zeros((4, 4), np.uint8), "mono8")
