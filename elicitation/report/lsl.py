"""The report's LSL section: each recorded stream's rate over time and its gaps (from lsl/<name>.tsv).

Rate: samples per second in 1-s bins on the session clock (seconds since the recording start, as the
timeline). A gap is an interval between consecutive samples longer than GAP_PERIODS nominal periods
(regular streams only: an irregular stream such as markers is silent by nature). The streams' stops
and resumptions during the session come from session.json.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hardware.lsl import read_stream_tsv

GAP_PERIODS = 3.0
MIN_GAP_S = 0.01


@dataclass
class StreamStats:
    name: str
    type: str
    nominal_srate: float
    times: np.ndarray  # s since the recording start
    gaps: list[tuple[float, float]] = field(default_factory=list)  # (start s, length s)
    events: list[str] = field(default_factory=list)

    @property
    def measured_rate(self) -> float | None:
        span = float(self.times[-1] - self.times[0]) if len(self.times) > 1 else 0.0
        return (len(self.times) - 1) / span if span > 0 else None


def stream_stats(path: Path, meta: dict[str, Any], t0: float) -> StreamStats:
    table = read_stream_tsv(path)
    rate = float(meta.get("nominal_srate") or 0.0)
    stats = StreamStats(path.stem, str(meta.get("type", "")), rate, table.timestamp - t0)
    if rate > 0 and len(stats.times) > 1:
        intervals = np.diff(stats.times)
        limit = max(GAP_PERIODS / rate, MIN_GAP_S)
        stats.gaps = [(float(stats.times[i]), float(intervals[i])) for i in np.flatnonzero(intervals > limit)]
    return stats


def load_streams(folder: Path, data: dict[str, Any], t0: float) -> tuple[list[StreamStats], list[str]]:
    """Every recorded stream with its metadata from the runs of session.json; problems named, not raised."""
    meta: dict[str, dict[str, Any]] = {}
    events: dict[str, list[str]] = {}
    for run in data.get("runs", []):
        for name, entry in (run.get("lsl_streams") or {}).items():
            meta.setdefault(name, {}).update({k: v for k, v in entry.items() if k != "events"})
            for ev in entry.get("events", []):
                when = f" at {ev['clock'] - t0:.1f} s" if isinstance(ev.get("clock"), float) else ""
                events.setdefault(name, []).append(f"run {run.get('run')}: {ev['kind']}{when} {ev.get('why', '')}")
    out, problems = [], []
    for path in sorted((folder / "lsl").glob("*.tsv")):
        name = path.stem.split(".run")[0]
        try:
            stats = stream_stats(path, meta.get(name, {}), t0)
        except (ValueError, OSError) as exc:
            problems.append(f"lsl/{path.name} cannot be read: {exc}")
            continue
        stats.events = events.get(name, [])
        out.append(stats)
    return out, problems


def rate_plot(streams: list[StreamStats]) -> str:
    """Samples per second over the session, one panel per stream, gaps shaded; base64 PNG."""
    from elicitation.report.plots import _png, _pyplot

    plt = _pyplot()
    fig, axes = plt.subplots(len(streams), 1, figsize=(12, 1.6 + 1.4 * len(streams)), sharex=True, squeeze=False)
    for ax, s in zip(axes[:, 0], streams, strict=True):
        if len(s.times):
            edges = np.arange(np.floor(s.times[0]), np.ceil(s.times[-1]) + 1.0)
            counts, _ = np.histogram(s.times, bins=edges) if len(edges) > 1 else (np.array([len(s.times)]), None)
            ax.step(edges[:-1] if len(edges) > 1 else [s.times[0]], counts, where="post", color="#1f77b4")
        if s.nominal_srate:
            ax.axhline(s.nominal_srate, color="#999", linestyle=":", linewidth=1)
        for start, length in s.gaps:
            ax.axvspan(start, start + length, color="#d62728", alpha=0.3)
        ax.set_ylabel("samples/s")
        ax.set_title(f"{s.name} ({s.type or 'no type'})", fontsize=9, loc="left")
    axes[-1, 0].set_xlabel("s since recording start")
    fig.tight_layout()
    return _png(fig)


def lsl_section(folder: Path, data: dict[str, Any], t0: float) -> str:
    """HTML for the report ('' when the session recorded no stream)."""
    streams, problems = load_streams(folder, data, t0)
    if not streams and not problems:
        return ""
    e = html.escape
    rows = []
    for s in streams:
        rate = "-" if s.measured_rate is None else f"{s.measured_rate:.2f}"
        longest = max((g[1] for g in s.gaps), default=0.0)
        gaps = f"<span class='{'bad' if s.gaps else 'ok'}'>{len(s.gaps)}</span>" + (
            f" (longest {longest:.3f} s at {max(s.gaps, key=lambda g: g[1])[0]:.1f} s)" if s.gaps else "")
        nominal = f"{s.nominal_srate:g}" if s.nominal_srate else "irregular"
        cells = [e(s.name), e(s.type), nominal, rate, str(len(s.times)), gaps, e("; ".join(s.events)) or "-"]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("stream", "type", "nominal Hz", "measured Hz", "samples",
                                                 "gaps", "stops / resumptions"))  # fmt: skip
    html_out = f"<table><tr>{head}</tr>{''.join(rows)}</table>"
    html_out += "".join(f"<p class='bad'>{e(p)}</p>" for p in problems)
    note = (f"<p class='muted'>A gap: more than {GAP_PERIODS:g} nominal periods between two samples "
            "(shaded red). Times are on the session clock with liblsl's time correction applied.</p>")  # fmt: skip
    if streams:
        html_out += f"<img alt='LSL stream rates' src='data:image/png;base64,{rate_plot(streams)}'>" + note
    return html_out
