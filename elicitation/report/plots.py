"""The report's figures, as base64 PNG data for <img src="data:..."> (the report stays one file)."""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np

from elicitation.report.data import SessionReport

COLOURS = {"episode": "#d62728", "rating": "#1f77b4", "review": "#2ca02c", "sync_flash": "#e6b800",
           "pause": "#7f7f7f", "abort": "#000000"}  # fmt: skip
OTHER = "#c7c7c7"


def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def timeline(report: SessionReport) -> str:
    """Events as spans on the session clock above each camera's frame rate, drops and file changes."""
    plt = _pyplot()
    fig, (ev, cams) = plt.subplots(2, 1, figsize=(12, 4.8), sharex=True, gridspec_kw={"height_ratios": [2, 3]})
    kinds = ["episode", "rating", "review", "sync_flash", "other"]
    for row in report.events:
        try:
            onset = float(row["onset"])
        except (KeyError, ValueError):
            continue
        kind = row.get("trial_type", "")
        lane = kinds.index(kind) if kind in kinds else kinds.index("other")
        duration = float(row["duration"]) if row.get("duration") not in (None, "", "n/a") else 0.3
        if kind == "penalty_mark":
            ev.plot(onset, lane, "v", color="#9467bd", markersize=9)
            continue
        ev.broken_barh([(onset, max(duration, 0.3))], (lane - 0.35, 0.7), color=COLOURS.get(kind, OTHER))
        if kind == "episode":
            ev.text(onset, lane - 0.42, row.get("episode", ""), fontsize=8)  # above the bar (inverted axis)
    ev.set_yticks(range(len(kinds)), ["episode", "rating", "review", "flash", "other / ▼ penalty"])
    ev.set_ylim(-0.7, len(kinds) - 0.3)
    ev.invert_yaxis()
    ev.grid(axis="x", alpha=0.3)
    ev.set_title("Events (events.tsv) and camera frames on the one clock")
    for cam in report.cameras:
        t = cam.table.host_time - report.t0
        if len(t) < 2:
            continue
        edges = np.arange(np.ceil(t[0]), np.floor(t[-1]) + 1)  # whole seconds only: no partial first bin
        if len(edges) < 2:
            continue
        counts, _ = np.histogram(t, edges)
        line = cams.step(edges[:-1], counts, where="post", label=f"{cam.name} (frames per second)")[0]
        gaps = np.flatnonzero(np.diff(cam.table.camera_frame_id) > 1)
        if len(gaps):
            cams.plot(t[gaps + 1], counts[np.clip(np.searchsorted(edges, t[gaps + 1]) - 1, 0, len(counts) - 1)],
                      "x", color="red", markersize=8)  # fmt: skip
        files = np.asarray(cam.table.file)
        changes = np.flatnonzero(files[1:] != files[:-1]) + 1
        cams.plot(t[changes], np.full(len(changes), cam.nominal_fps * 1.08), "|", color=line.get_color())
    cams.set(xlabel="seconds since recording start", ylabel="frames / s")
    cams.set_ylim(bottom=0)
    cams.grid(alpha=0.3)
    cams.legend(loc="lower right", fontsize=8, title="| new file   x drop", title_fontsize=8)
    fig.tight_layout()
    return _png(fig)


def interval_histograms(report: SessionReport) -> str | None:
    cams = [c for c in report.cameras if len(c.intervals_ms)]
    if not cams:
        return None
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(cams), figsize=(4.2 * len(cams), 3), squeeze=False)
    for ax, cam in zip(axes[0], cams, strict=True):
        ax.hist(cam.intervals_ms, bins=60, color="#1f77b4")
        ax.axvline(1000 / cam.nominal_fps, color="k", linestyle="--", linewidth=1)
        ax.set_yscale("log")
        ax.set(title=f"{cam.name}: frame intervals", xlabel="ms (dashed: nominal)", ylabel="frames")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return _png(fig)
