"""Frame-id barcode written by simulated cameras into every frame, and read back from video.

24 bits in the top 16 rows: bit i is the 16x16 block at columns 16i..16i+15, 255 when set and
0 when not, on every channel. Lossless storage must give back exactly the id; the decoder
thresholds at mid-grey so it also survives mild compression (MJPEG test streams).
"""

from __future__ import annotations

import numpy as np

from hardware.cameras.base import CameraError

BITS = 24
BLOCK = 16
WIDTH = BITS * BLOCK  # 384 pixels: every camera must be at least this wide


def bit_row(frame_id: int) -> np.ndarray:
    """The 16x384 block pattern (uint8) for one id."""
    if not 0 <= frame_id < 1 << BITS:
        raise CameraError(f"frame id {frame_id} does not fit in {BITS} bits")
    bits = (frame_id >> np.arange(BITS)) & 1
    row = np.repeat(bits.astype(np.uint8) * 255, BLOCK)
    return np.broadcast_to(row, (BLOCK, WIDTH))


def write(pixels: np.ndarray, frame_id: int) -> None:
    """Stamp the id into the top rows of a HxW or HxWxC uint8 image, in place."""
    pattern = bit_row(frame_id)
    if pixels.ndim == 3:
        pixels[:BLOCK, :WIDTH, :] = pattern[:, :, None]
    else:
        pixels[:BLOCK, :WIDTH] = pattern


def read(pixels: np.ndarray) -> int:
    """Decode the id from an image written by ``write`` (any channel count)."""
    strip = pixels[:BLOCK, :WIDTH]
    if strip.ndim == 3:
        strip = strip.mean(axis=2)
    # sample the centre 8x8 of each block to stay clear of compression ringing at the edges
    centres = strip[4:12].reshape(8, BITS, BLOCK)[:, :, 4:12].mean(axis=(0, 2))
    bits = centres > 127
    return int(np.sum(bits.astype(np.int64) << np.arange(BITS)))
