"""The review player shows a raw Bayer recording in true colours (RGB for the window)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from elicitation.review.player import FrameFeed


def test_a_red_rggb_mosaic_is_shown_red():
    mosaic = np.zeros((8, 8), np.uint8)
    mosaic[0::2, 0::2] = 200  # the red sites of an RGGB sensor
    feed = SimpleNamespace(clip=SimpleNamespace(pixel_format="bayer_rggb8"))  # no decoding thread needed
    rgb = FrameFeed._rgb(feed, mosaic)  # type: ignore[arg-type]
    assert (rgb[2:-2, 2:-2, 0] > 150).all() and (rgb[2:-2, 2:-2, 1:] < 60).all()
