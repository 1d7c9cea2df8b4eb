"""validation.png: per camera, the frame-interval histogram and the interval over time."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hardware.analysis.validation import CameraValidation
from hardware.video import read_frames_tsv


def plot_validation(out_dir: Path, results: dict[str, CameraValidation], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results)
    fig, axes = plt.subplots(len(names), 2, figsize=(11, 3.2 * len(names)), squeeze=False)
    for row, name in enumerate(names):
        result = results[name]
        tsv = Path(out_dir) / f"{name}_frames.tsv"
        table = read_frames_tsv(tsv) if tsv.exists() else None
        hist_ax, time_ax = axes[row]
        verdict = "PASS" if result.passed else "FAIL"
        colour = "tab:green" if result.passed else "tab:red"
        period = 1000 / result.nominal_fps
        if table is not None and len(table) > 1:
            intervals = np.diff(table.host_time) * 1000
            hist_ax.hist(intervals, bins=60, color=colour, alpha=0.8)
            time_ax.plot(table.host_time[1:] - table.host_time[0], intervals, lw=0.7, color=colour)
        for ax in (hist_ax, time_ax):
            ax.grid(alpha=0.3)
        hist_ax.axvline(period, color="k", ls="--", lw=1)
        time_ax.axhline(period, color="k", ls="--", lw=1)
        hist_ax.set_title(
            f"{name}: {verdict}  {result.measured_fps:.2f}/{result.nominal_fps:g} fps, {result.dropped} dropped",
            color=colour,
            fontsize=10,
        )
        hist_ax.set_xlabel("frame interval (ms)")
        hist_ax.set_ylabel("frames")
        drift = "n/a" if result.drift_ppm is None else f"{result.drift_ppm:+.1f} ppm"
        sd = result.interval_ms.get("sd", float("nan"))
        time_ax.set_title(f"interval over time (sd {sd:.2f} ms, drift {drift})", fontsize=10)
        time_ax.set_xlabel("time since first frame (s)")
        time_ax.set_ylabel("interval (ms)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
