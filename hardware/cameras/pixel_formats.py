"""Raw Bayer mosaics made viewable: the one table from our bayer_* pixel formats to OpenCV's conversions.

OpenCV names a conversion by its sensor's 2x2 tile read from the top left (COLOR_BayerRGGB2BGR for an RGGB
sensor); its older names (COLOR_BayerRG2BGR) count from the second row and column and mean another tile.
Camera backends may import this module (like hardware.cameras.base); recordings stay raw, this is for showing.
"""

from __future__ import annotations

import numpy as np

BAYER_TILES: dict[str, str] = {
    "bayer_rggb8": "RGGB",
    "bayer_gbrg8": "GBRG",
    "bayer_grbg8": "GRBG",
    "bayer_bggr8": "BGGR",
}


def is_bayer(pixel_format: str) -> bool:
    return pixel_format in BAYER_TILES


def debayer(mosaic: np.ndarray, pixel_format: str, order: str = "BGR") -> np.ndarray:
    """A colour image (order "BGR" for OpenCV, "RGB" for display) from a raw mosaic of that pixel format."""
    import cv2

    if order not in ("BGR", "RGB"):
        raise ValueError(f"order must be BGR or RGB, not {order!r}")
    if pixel_format not in BAYER_TILES:
        raise ValueError(f"{pixel_format} is not a Bayer format ({', '.join(BAYER_TILES)})")
    return cv2.cvtColor(mosaic, getattr(cv2, f"COLOR_Bayer{BAYER_TILES[pixel_format]}2{order}"))
