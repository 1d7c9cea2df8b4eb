"""LBP-TOP features (Zhao and Pietikäinen 2007), the CASME II paper's baseline with a linear SVM.

For a T x H x W clip (our 64 x 64 x 64 tensors): uniform LBP codes (scikit-image ``local_binary_pattern``,
``method="nri_uniform"``: 59 codes for 8 neighbours) on every XY plane (one per frame), every XT plane (one
per row) and every YT plane (one per column), radius RADIUS and NEIGHBOURS neighbours on each. The face is
divided into a GRID x GRID block grid (the whole clip in time); per block and per plane orientation, a
histogram of the codes whose pixel falls in the block, normalised to sum 1. The feature vector is those
3 x GRID^2 histograms in a row (3 x 16 x 59 = 2,832 values).
"""

from __future__ import annotations

import numpy as np

RADIUS = 1
NEIGHBOURS = 8
GRID = 4
BINS = NEIGHBOURS * (NEIGHBOURS - 1) + 3  # nri_uniform: 59 for 8 neighbours
DEFINITION = {
    "lbp": f"scikit-image local_binary_pattern, method nri_uniform, P={NEIGHBOURS}, R={RADIUS} ({BINS} codes)",
    "planes": "every XY, XT and YT plane of the 64x64x64 tensor",
    "grid": f"{GRID}x{GRID} spatial blocks, whole clip in time; one histogram per block and plane, sum 1",
    "classifier": "scikit-learn SVC with a linear kernel (libsvm, C=1, one-vs-one), features standardised on "
    "the training fold",
}


def _codes(planes: np.ndarray) -> np.ndarray:
    """LBP codes of each 2-D plane of a 3-D array (planes along axis 0)."""
    from skimage.feature import local_binary_pattern

    grey = np.round(planes * 255).astype(np.uint8)
    return np.stack([local_binary_pattern(p, NEIGHBOURS, RADIUS, method="nri_uniform") for p in grey]).astype(np.int64)


def lbp_top(clip: np.ndarray) -> np.ndarray:
    """The LBP-TOP feature vector of one T x H x W clip (values 0..1)."""
    t, h, w = clip.shape
    xy = _codes(clip)  # T x H x W
    xt = _codes(clip.transpose(1, 0, 2)).transpose(1, 0, 2)  # per row: T x W planes, back to T x H x W
    yt = _codes(clip.transpose(2, 0, 1)).transpose(1, 2, 0)  # per column: T x H planes, back to T x H x W
    rows = np.minimum(np.arange(h) * GRID // h, GRID - 1)
    cols = np.minimum(np.arange(w) * GRID // w, GRID - 1)
    block = (rows[:, None] * GRID + cols[None, :])[None, :, :].repeat(t, axis=0)  # T x H x W block numbers
    features = []
    for codes in (xy, xt, yt):
        counts = np.zeros((GRID * GRID, BINS))
        np.add.at(counts, (block.ravel(), codes.ravel()), 1)
        features.append(counts / counts.sum(axis=1, keepdims=True))
    return np.concatenate(features).ravel().astype(np.float32)
