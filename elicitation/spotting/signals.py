"""Block motion -> candidate intervals with onset, apex, offset and a score.

With v[i] = d(i) - d(i - k) per block (elicitation.spotting.flow), the feature compares each frame with
the frames k before and k after it, as the training-free spotting methods do (a "feature difference"
of the current frame against the mean of its head and tail frames):

    m[i] = (v[i] - v[i + k]) / 2 = d(i) - (d(i - k) + d(i + k)) / 2

which is large at a movement that comes and goes within about 2k frames, and near zero for a slow or
steady movement (a slow head translation that the global subtraction missed, a long expression).
f[i] is the mean |m| of the ``top_blocks`` strongest blocks. A peak of f above
max(min_flow, noise_factor x median f) is a candidate; peaks closer than ``separation`` frames are one.

Its extent comes from the displacement itself: for the peak's blocks, d(j) relative to a frame before
the movement is the sum of a chain of v (v[j] + v[j - k] + ...), projected on each block's direction at
the peak. The apex is its maximum near the peak; onset and offset are where it falls below ``extent`` of
the apex's value. Longer than ``max_micro`` frames is macro; shorter than ``min_frames`` is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from elicitation.spotting.params import Parameters


@dataclass(frozen=True)
class Candidate:
    onset: int  # indices into the file's frames (file_frame)
    apex: int
    offset: int
    score: float  # the feature at the peak: local movement in face_size pixels
    kind: str  # micro or macro
    flag: str = ""  # why a coder should doubt it (face lost, a participant's review flag), "" if none


def feature(v: np.ndarray, k: int, top: int) -> tuple[np.ndarray, np.ndarray]:
    """m (frames x grid x grid x 2) and f (frames), NaN where a frame lacks its neighbours or a face."""
    n = len(v)
    m = np.full_like(v, np.nan)
    if n > k:
        m[: n - k] = (v[: n - k] - v[k:]) / 2
    mag = np.linalg.norm(m, axis=-1).reshape(n, -1)
    top = min(top, mag.shape[1]) if n else top
    f = np.full(n, np.nan)
    ok = ~np.isnan(mag).any(axis=1)
    if ok.any():
        f[ok] = -np.sort(-mag[ok], axis=1)[:, :top].mean(axis=1)
    return m, f


def peaks(f: np.ndarray, threshold: float, separation: int) -> list[int]:
    """Frames of local maxima of f at or above threshold, the highest first, none within separation of another."""
    g = np.nan_to_num(f, nan=0.0)
    if len(g) < 3:
        return []
    local = np.flatnonzero((g[1:-1] >= g[:-2]) & (g[1:-1] > g[2:]) & (g[1:-1] >= threshold)) + 1
    chosen: list[int] = []
    for i in sorted(local, key=lambda j: -g[j]):
        if all(abs(i - c) > separation for c in chosen):
            chosen.append(int(i))
    return sorted(chosen)


def displacement(v: np.ndarray, blocks: np.ndarray, directions: np.ndarray, start: int, stop: int,
                 k: int) -> np.ndarray:  # fmt: skip
    """D[j - start] for j in [start, stop): the blocks' displacement since a frame at or before start,
    projected on their directions (NaN where the chain meets an unknown frame)."""
    out = np.full(stop - start, np.nan)
    sel = v[:, blocks[:, 0], blocks[:, 1], :]  # frames x B x 2
    for j in range(start, stop):
        steps = -(-(j - start) // k)  # ceil
        idx = j - k * np.arange(steps)
        if steps == 0:
            out[j - start] = 0.0
            continue
        if idx.min() < 0:
            continue
        chain = sel[idx].sum(axis=0)  # B x 2
        out[j - start] = float(np.mean(np.sum(chain * directions, axis=1)))
    return out


def _run(d: np.ndarray, apex: int, level: float) -> tuple[int, int]:
    lo = apex
    while lo > 0 and d[lo - 1] >= level:
        lo -= 1
    hi = apex
    while hi < len(d) - 1 and d[hi + 1] >= level:
        hi += 1
    return lo, hi


def candidates(v: np.ndarray, p: Parameters) -> list[Candidate]:
    """The candidate intervals of one file's block motion."""
    m, f = feature(v, p.k, p.top_blocks)
    valid = f[~np.isnan(f)]
    if not len(valid):
        return []
    threshold = max(p.min_flow, p.noise_factor * float(np.median(valid)))
    out = []
    reach = p.max_micro + p.k
    for peak in peaks(f, threshold, p.separation):
        mag = np.linalg.norm(m[peak], axis=-1)
        flat = np.argsort(-mag, axis=None)[: p.top_blocks]
        blocks = np.stack(np.unravel_index(flat, mag.shape), axis=1)
        directions = m[peak][blocks[:, 0], blocks[:, 1]] / mag[blocks[:, 0], blocks[:, 1]][:, None]
        start, stop = max(0, peak - reach), min(len(v), peak + reach + 1)
        d = displacement(v, blocks, directions, start, stop, p.k)
        near = np.arange(max(peak - p.k, start), min(peak + p.k + 1, stop)) - start
        if not len(near) or np.isnan(d[near]).all():
            continue
        apex = int(near[np.nanargmax(d[near])])
        if not d[apex] > 0:
            continue
        lo, hi = _run(np.nan_to_num(d, nan=-np.inf), apex, p.extent * d[apex])
        length = hi - lo + 1
        if length < p.min_frames:
            continue
        kind = "micro" if length <= p.max_micro else "macro"
        out.append(Candidate(start + lo, start + apex, start + hi, round(float(f[peak]), 4), kind))
    return sorted(out, key=lambda c: c.onset)
