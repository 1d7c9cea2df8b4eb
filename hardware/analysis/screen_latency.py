"""Screen-to-camera latency from a recording of full-screen flashes (the technician's sync test).

For each flash (its onset is a flip time on the one clock) and each camera, the first frame showing it
is the first frame at or after the onset whose brightness crosses the camera's threshold (halfway
between its dark and bright levels); the latency is that frame's host_time minus the flip time. It
includes the display's own delay (input lag, scan-out to the face's height), the exposure, and for
cameras stamped on arrival their transfer time. Frame quantisation adds up to one frame period, so a
camera whose true latency is L reports values spread over [L, L + period), mean about L + period / 2;
the offset between two cameras' means cancels that part.

Verdict per camera (pass thresholds, overridable on the command line):
- no frame dropped while the flashes were shown (from the first onset to SEARCH_AFTER_S past the last
  offset; gaps in the camera's frame ids, hardware.analysis.validation.count_dropped): a camera that
  dropped frames has holes where a flash may have shown first, so it gets no latency verdict at all;
- every flash found;
- the spread of latencies is what frame quantisation and a little display jitter explain: sd at most
  half a frame period and max - min at most 1.5 frame periods (a stable pipeline has sd ≈ period / √12).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hardware.analysis.validation import count_dropped
from hardware.video import FrameTable, iter_frames, read_frames_tsv

SCAN_SIZE = (64, 48)  # decoded this small: the mean brightness is all we need
BARCODE_ROWS = 2  # rows of the small decode covered by a simulated camera's barcode (16 of 480)
SEARCH_AFTER_S = 0.5  # a flash must show within this time of its flip


@dataclass
class CameraSync:
    name: str
    period_ms: float
    latencies_ms: list[float | None] = field(default_factory=list)  # per flash; None = not found
    reasons: list[str] = field(default_factory=list)
    frames: int = 0  # frames recorded
    dropped: int = 0  # frames dropped while the flashes were shown
    dropped_total: int = 0  # in the whole recording (start-up included)

    @property
    def found(self) -> list[float]:
        return [v for v in self.latencies_ms if v is not None]

    def stats(self) -> dict[str, float | None]:
        v = np.array(self.found)
        if not len(v):
            return {"mean": None, "sd": None, "min": None, "max": None}
        sd = float(v.std(ddof=1)) if len(v) > 1 else 0.0
        return {"mean": float(v.mean()), "sd": sd, "min": float(v.min()), "max": float(v.max())}

    def judge(self, flashes: int, max_sd_ms: float | None, max_range_ms: float | None) -> bool:
        s = self.stats()
        if self.dropped:
            dropped = f"{self.dropped} frames dropped" if self.dropped != 1 else "1 frame dropped"
            self.reasons.append(f"{dropped} while the flashes were shown: no latency verdict")
            return False
        if len(self.found) < flashes:
            self.reasons.append(f"{flashes - len(self.found)} of {flashes} flashes not found in the video")
        sd_limit = max_sd_ms if max_sd_ms is not None else self.period_ms / 2
        range_limit = max_range_ms if max_range_ms is not None else 1.5 * self.period_ms
        if s["sd"] is not None and s["sd"] > sd_limit:
            self.reasons.append(f"latency sd {s['sd']:.1f} ms above {sd_limit:.1f} ms: unstable")
        if s["max"] is not None and s["max"] - s["min"] > range_limit:
            self.reasons.append(f"latency range {s['max'] - s['min']:.1f} ms above {range_limit:.1f} ms: unstable")
        return not self.reasons


def brightness(video_files: list[Path]) -> np.ndarray:
    """Mean grey level per frame of each file in order (barcode rows left out)."""
    values = []
    for path in video_files:
        values += [float(f[BARCODE_ROWS:].mean()) for f in iter_frames(path, "gray", size=SCAN_SIZE)]
    return np.array(values)


def dropped_between(table: FrameTable, fps: float, start: float, end: float, frame_ids: bool = True) -> int:
    """Frames dropped from start to end (host times), a gap across either end included."""
    lo = max(0, int(np.searchsorted(table.host_time, start)) - 1)
    hi = int(np.searchsorted(table.host_time, end, side="right")) + 1
    part = FrameTable(table.frame[lo:hi], table.camera_frame_id[lo:hi], table.host_time[lo:hi],
                      table.camera_time[lo:hi], table.file[lo:hi], table.file_frame[lo:hi])  # fmt: skip
    return count_dropped(part, fps, frame_ids)


def measure_camera(
    name: str, folder: Path, onsets: np.ndarray, fps: float, until: float | None = None, frame_ids: bool = True
) -> CameraSync:
    """``until``: when the last flash ended (its offset flip; default: the last onset)."""
    table = read_frames_tsv(folder / f"{name}_frames.tsv")
    files = list(dict.fromkeys(table.file))
    level = brightness([folder / f for f in files])
    n = min(len(level), len(table))
    host, level = np.asarray(table.host_time[:n]), level[:n]
    result = CameraSync(name, 1000.0 / fps, frames=len(table))
    if len(onsets):
        end = (onsets[-1] if until is None else until) + SEARCH_AFTER_S
        result.dropped = dropped_between(table, fps, float(onsets[0]), end, frame_ids)
    result.dropped_total = count_dropped(table, fps, frame_ids)
    if n == 0:
        result.latencies_ms = [None] * len(onsets)
        return result
    dark, bright = np.percentile(level, 5), np.percentile(level, 99)
    lit = level > (dark + bright) / 2 if bright - dark > 10 else np.zeros(n, bool)  # no flash seen at all
    for onset in onsets:
        start = int(np.searchsorted(host, onset))
        stop = int(np.searchsorted(host, onset + SEARCH_AFTER_S))
        hits = np.flatnonzero(lit[start:stop])
        ok = len(hits) and (start + hits[0] == 0 or not lit[start + hits[0] - 1])  # dark before: a new flash
        result.latencies_ms.append(float((host[start + hits[0]] - onset) * 1000) if ok else None)
    return result


def offsets_ms(cameras: list[CameraSync]) -> dict[str, float | None]:
    """Mean latency of each camera minus the first camera's (how much later it sees the same flash)."""
    reference = cameras[0].stats()["mean"] if cameras else None
    out: dict[str, float | None] = {}
    for cam in cameras:
        mean = cam.stats()["mean"]
        out[cam.name] = None if mean is None or reference is None else mean - reference
    return out
