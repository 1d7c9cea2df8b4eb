"""Aligning a video that a camera recorded on its own clock (a camcorder's card) to the one clock, by flashes.

The experiment shows full-screen white flashes whose flip times are known on the one clock. In the video
they brighten the whole picture for a few frames. Steps:

1. ``find_flashes``: per-frame mean brightness (of a small grey decode) minus a slow baseline (medians of
   BASELINE_S blocks, so room light and auto exposure drift do not count); runs of frames far above the
   noise are flash candidates, and those at least half as bright as the typical one are flashes. A
   flash's onset is sub-frame: a frame partly exposed after the flip is partly bright, so onset =
   first bright frame + 1 - (its lit fraction) - (lit fraction of the frame before).
2. ``match_flashes``: each flash found must pair with one listed flip, in order. Two flashes of the video
   and two flips fix an offset and a rate; the assignment is accepted when every other flash lands
   within MATCH_TOLERANCE frames of a flip. It must be the only assignment that works, else refused.
3. ``fit``: least squares host = offset + rate * camera_time over all pairs; camera_time of frame i is
   i / nominal fps. ``drift_ppm`` > 0: the camera's clock runs fast (its frames come faster than
   nominal in true time).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hardware.errors import HardwareError

BASELINE_S = 3.0  # flashes must cover less than half of any such stretch of video
MIN_CONTRAST = 2.0  # grey levels: a flash brightens the mean at least this much
NOISE_FACTOR = 8.0  # ... and this many noise sigmas
MERGE_GAP = 3  # frames: dips this short inside a flash do not split it
MATCH_TOLERANCE = 2.5  # frames between a predicted and a listed flip
MAX_RATE_ERROR = 2e-3  # a camera clock off by more than 2000 ppm is no match
MAX_RESIDUAL = 1.0  # frames: a fitted flash further off than this means the pairing is wrong


class FlashSyncError(HardwareError):
    """Raised when the video's flashes cannot be matched to the listed flip times; the message says why."""


@dataclass(frozen=True)
class Alignment:
    fps: float  # nominal frame rate of the video
    frames: int
    offset_s: float  # host time of frame 0 (camera time 0)
    rate: float  # host seconds per camera second
    residual_s: float  # largest |fitted - listed| over the matched flashes
    flashes_found: int
    flashes_listed: int
    pairs: tuple[tuple[float, float], ...]  # (camera time of onset, listed flip time)

    def camera_time(self, frame: np.ndarray | int) -> np.ndarray:
        return np.asarray(frame, dtype=np.float64) / self.fps

    def host_time(self, frame: np.ndarray | int) -> np.ndarray:
        return self.offset_s + self.rate * self.camera_time(frame)

    def report(self) -> dict:
        return {
            "offset_s": round(self.offset_s, 6),
            "drift_ppm": round((1.0 / self.rate - 1.0) * 1e6, 2),
            "residual_ms": round(self.residual_s * 1000, 3),
            "flashes_found": self.flashes_found,
            "flashes_listed": self.flashes_listed,
            "fps": self.fps,
            "frames": self.frames,
        }


def _baseline(brightness: np.ndarray, block: int) -> np.ndarray:
    if len(brightness) <= block:
        return np.full(len(brightness), np.median(brightness))
    starts = np.arange(0, len(brightness), block)
    medians = np.array([np.median(brightness[s : s + block]) for s in starts])
    centres = np.minimum(starts + block / 2, len(brightness) - 1)
    return np.interp(np.arange(len(brightness)), centres, medians)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True, runs closer than MERGE_GAP merged."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    runs: list[tuple[int, int]] = []
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if runs and start - runs[-1][1] < MERGE_GAP:
            runs[-1] = (runs[-1][0], int(end))
        else:
            runs.append((int(start), int(end)))
    return runs


def find_flashes(brightness: np.ndarray, fps: float) -> np.ndarray:
    """Flash onsets in frames (fractional), from per-frame mean brightness."""
    b = np.asarray(brightness, dtype=np.float64)
    excess = b - _baseline(b, max(1, round(BASELINE_S * fps)))
    sigma = 1.4826 * float(np.median(np.abs(excess - np.median(excess))))
    runs = _runs(excess > max(NOISE_FACTOR * sigma, MIN_CONTRAST))
    if not runs:
        return np.empty(0)
    plateaus = np.array([np.median(excess[s:e][1:-1] if e - s > 2 else excess[s:e]) for s, e in runs])
    typical = float(np.median(plateaus))
    onsets = []
    for (start, _end), plateau in zip(runs, plateaus, strict=True):
        if plateau < 0.5 * typical:
            continue
        lit = float(np.clip(excess[start] / plateau, 0.0, 1.0))
        before = excess[start - 1] if start > 0 else 0.0
        lit_before = float(np.clip(before / plateau, 0.0, 1.0)) if before > 3 * sigma else 0.0
        onsets.append(start + 1.0 - lit - lit_before)
    return np.array(onsets)


def _intervals(times: np.ndarray) -> str:
    return ", ".join(f"{d:.3f}" for d in np.diff(times)) or "none"


def match_flashes(found_s: np.ndarray, listed: np.ndarray, period_s: float) -> list[int]:
    """For each flash found (camera seconds), the index of its listed flip; refuses what is not one-to-one."""
    m, n = len(found_s), len(listed)
    where = f"flash onsets in the video at camera times {', '.join(f'{t:.3f}' for t in found_s) or 'none'} s"
    if m < 2:
        raise FlashSyncError(f"{m} flash(es) found in the video, at least 2 are needed ({where})")
    if m > n:
        raise FlashSyncError(f"the video shows {m} flashes but the flash list has only {n} ({where})")
    tolerance = MATCH_TOLERANCE * period_s
    found_span = found_s[-1] - found_s[0]
    assignments: set[tuple[int, ...]] = set()
    for j0 in range(n - m + 1):
        for j1 in range(j0 + m - 1, n):
            rate = (listed[j1] - listed[j0]) / found_span
            if abs(rate - 1.0) > MAX_RATE_ERROR:
                continue
            predicted = listed[j0] + rate * (found_s - found_s[0])
            idx = np.clip(np.searchsorted(listed, predicted), 1, n - 1)
            idx = np.where(np.abs(listed[idx - 1] - predicted) <= np.abs(listed[idx] - predicted), idx - 1, idx)
            if np.all(np.abs(listed[idx] - predicted) <= tolerance) and np.all(np.diff(idx) > 0):
                assignments.add(tuple(int(i) for i in idx))
    if not assignments:
        raise FlashSyncError(
            f"the {m} flashes found in the video do not match the {n} listed flips one-to-one: intervals "
            f"video {_intervals(found_s)} s, list {_intervals(listed)} s"
        )
    if len(assignments) > 1:
        raise FlashSyncError(
            f"the video's {m} flashes fit the flash list at {len(assignments)} places (intervals "
            f"{_intervals(found_s)} s); the video must show a pattern that occurs once, e.g. both flash groups"
        )
    return list(assignments.pop())


def fit(frames: int, fps: float, found_s: np.ndarray, listed: np.ndarray) -> Alignment:
    """Match, then least squares offset and rate over every matched flash."""
    period = 1.0 / fps
    idx = match_flashes(found_s, listed, period)
    truth = listed[idx]
    rate, offset = np.polyfit(found_s, truth, 1)
    residuals = truth - (offset + rate * found_s)
    worst = int(np.argmax(np.abs(residuals)))
    if abs(residuals[worst]) > MAX_RESIDUAL * period:
        raise FlashSyncError(
            f"flash {worst + 1} of the video (camera time {found_s[worst]:.3f} s) is "
            f"{residuals[worst] * 1000:.1f} ms off the fit through the others: the flashes do not match the list"
        )
    return Alignment(
        fps=fps,
        frames=frames,
        offset_s=float(offset),
        rate=float(rate),
        residual_s=float(np.max(np.abs(residuals))),
        flashes_found=len(found_s),
        flashes_listed=len(listed),
        pairs=tuple(zip(found_s.tolist(), truth.tolist(), strict=True)),
    )


def align(brightness: np.ndarray, fps: float, flip_times: np.ndarray) -> Alignment:
    """From per-frame brightness and the listed flip times (any order) to the alignment."""
    onsets_s = find_flashes(brightness, fps) / fps
    return fit(len(brightness), fps, onsets_s, np.sort(np.asarray(flip_times, dtype=np.float64)))
