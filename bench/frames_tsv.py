"""frames.tsv writer benchmark: whole-row writes (os.write per flush, ftruncate on failure) against the
naive buffered text file it replaced, in one run; and the disk monitor's statvfs.

    python bench/frames_tsv.py --json [--rows 200000]

Both write the same rows with the recorder's flush cadence (every 0.5 s of 60 fps host time) into a
temporary folder (deleted afterwards). The figure that matters is the ratio: the writer thread's
cost per row must not grow with the fault handling.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardware.video import COLUMNS, FramesTsvWriter  # noqa: E402


class NaiveWriter:
    """The writer before: a buffered text file, flushed on the same cadence (a full disk tears rows)."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("w", encoding="utf-8", newline="")
        self._file.write("\t".join(COLUMNS) + "\n")
        self.next_frame = 0
        self._last = 0.0

    def write(self, camera_frame_id: int, host_time: float, camera_time: float | None, file: str, i: int) -> None:
        cam = "" if camera_time is None else f"{camera_time:.6f}"
        self._file.write(f"{self.next_frame}\t{camera_frame_id}\t{host_time:.6f}\t{cam}\t{file}\t{i}\n")
        self.next_frame += 1

    def flush_if_due(self, now: float) -> None:
        if now - self._last >= 0.5:
            self._file.flush()
            self._last = now

    def close(self) -> None:
        self._file.close()


def per_row_us(make, folder: Path, rows: int, name: str) -> float:
    writer = make(folder / f"{name}.tsv")
    start = time.perf_counter()
    for i in range(rows):
        writer.write(i, 1000.0 + i / 60, None, "gras_ep01.mkv", i)
        writer.flush_if_due(i / 60)
    writer.close()
    return (time.perf_counter() - start) / rows * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-frames-tsv-"))
    try:
        naive, whole = [], []
        for r in range(args.repeats):  # interleaved, best of: the machine's load hits both alike
            naive.append(per_row_us(NaiveWriter, folder, args.rows, f"naive{r}"))
            whole.append(per_row_us(FramesTsvWriter, folder, args.rows, f"whole{r}"))
        start = time.perf_counter()
        for _ in range(10_000):
            shutil.disk_usage(folder)
        statvfs_us = (time.perf_counter() - start) / 10_000 * 1e6
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = {
        "rows": args.rows,
        "naive_us_per_row": round(min(naive), 3),
        "whole_rows_us_per_row": round(min(whole), 3),
        "ratio_whole_to_naive": round(min(whole) / min(naive), 3),
        "statvfs_us": round(statvfs_us, 2),
    }
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
