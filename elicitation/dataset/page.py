"""The dataset's outputs: stats.json, the two figures as PNG, and one self-contained stats.html.

The page follows the session report's way (elicitation/report/page.py): figures embedded as base64
PNG, no scripts, nothing fetched, every string from a data file HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import json
import os
from pathlib import Path
from typing import Any

from elicitation.dataset.figures import duration_figure
from elicitation.dataset.stats import fitted
from elicitation.folder import create_private_dir

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em auto;max-width:1150px;color:#222;line-height:1.4}
h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f3f3f3}.best{font-weight:bold;color:#1a7f37}.muted{color:#777}img{max-width:100%}
"""
ISSUE_KEYS = ["file", "row", "column", "value", "problem", "action"]
FIGURES = {"total": ("figure2_total_duration.png", "Total duration (onset to offset)"),
           "onset": ("figure3_onset_duration.png", "Onset duration (onset to apex)")}  # fmt: skip


def e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _n(value: float | None, digits: int = 2) -> str:
    return "/" if value is None else f"{value:.{digits}f}"


def _table(headers: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join(f"<tr class='{(classes or [''] * len(rows))[i]}'>" + "".join(f"<td>{c}</td>" for c in row)
                   + "</tr>" for i, row in enumerate(rows))  # fmt: skip
    return f"<table><tr>{head}</tr>{body}</table>"


def _durations(stats: dict[str, Any]) -> str:
    parts = []
    for cls, rows in stats["classes"].items():
        body = [[label, str(r["n"]), _n(r["total_mean_ms"]), _n(r["total_sd_ms"]), _n(r["onset_mean_ms"]),
                 _n(r["onset_sd_ms"])] for label, r in (("500 ms as the upper limit", rows["upper_limit"]),
                                                       ("All the samples (with fast-onset)", rows["all"]))]  # fmt: skip
        parts.append(f"<h3>Class {e(cls)}</h3>" + _table(["", "N", "total M (ms)", "SD", "onset M (ms)", "SD"], body))
    return "".join(parts) or "<p>No selected samples.</p>"


def _fits(stats: dict[str, Any]) -> str:
    rows, classes = [], []
    for which in ("total", "onset"):
        for fit in stats["fits"][which]["fits"]:
            params = ", ".join(f"{k} {v:.4g}" for k, v in fit["params"].items())
            rows.append([e(which), e(fit["model"]), e(params), f"{fit['log_likelihood']:.2f}", f"{fit['aic']:.1f}",
                         f"{fit['ks_statistic']:.3f}", f"{fit['ks_p']:.3g}"])  # fmt: skip
            classes.append("best" if fit["best"] else "")
    over = "".join(f"<p>{e(which)}: n = {stats['fits'][which]['n']}, {e(stats['fits'][which]['over'])}.</p>"
                   for which in ("total", "onset"))  # fmt: skip
    return _table(["duration", "model", "parameters", "LL", "AIC", "KS D", "KS p"], rows, classes) + over


def _emotions(stats: dict[str, Any]) -> str:
    rows = [[e(r["emotion"]), e(r["criterion"] or "(no AU criterion)"), str(r["n"]), e(r["meets"] if r["meets"]
             is not None else "/"), str(r["au_unparsed"])] for r in stats["emotions"]]  # fmt: skip
    return _table(["emotion", "Table IV criterion", "N", "meet the criterion", "AUs not parsed"], rows)


def _listing(items: list[dict[str, Any]], keys: list[str]) -> str:
    if not items:
        return "<p class='muted'>None.</p>"
    return _table(keys, [[e(item.get(k)) for k in keys] for item in items])


def render(stats: dict[str, Any], pngs: dict[str, bytes]) -> str:
    limits = stats["limits"]
    figures = "".join(f"<h3>{e(FIGURES[k][1])}</h3><img alt='{e(k)} duration' "
                      f"src='data:image/png;base64,{base64.b64encode(v).decode('ascii')}'>"
                      for k, v in pngs.items())  # fmt: skip
    parts = [
        "<h1>Dataset statistics</h1>",
        f"<p>{stats['counts']['selected']} of {stats['counts']['movements']} movements selected (each counted once; "
        f"{stats['counts']['selected_samples']} of {stats['counts']['samples']} samples over all cameras): total "
        f"duration &lt;= {limits['total_ms']:g} ms, or onset duration &lt;= {limits['onset_ms']:g} ms (fast-onset). "
        f"Durations: {e(stats['duration_convention'])}; SD: {e(stats['sd'])}.</p>",
        f"<p>Participants: {e((stats.get('participants') or {}).get('text', 'not recorded'))}.</p>",
        "<h2>Tables I/II: durations per class</h2>", _durations(stats),
        "<h2>Table III: distribution fits (AIC = 4 - 2 LL; bold: best)</h2>", _fits(stats), figures,
        "<h2>Table IV: emotions and their AU criteria</h2>", _emotions(stats),
        "<h2>Excluded samples</h2>", _listing(stats["excluded"], ["sample_id", "class", "reason"]),
        "<h2>Input rows reported</h2>", _listing(stats["input_issues"], ISSUE_KEYS),
    ]  # fmt: skip
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Dataset statistics</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>\n")  # fmt: skip


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o600)
    tmp.replace(path)  # derived data: rewriting is safe


def write_outputs(out: Path, stats: dict[str, Any]) -> list[Path]:
    """stats.json, the figures and stats.html in `out` (created 0700); returns the paths written."""
    out = Path(out)
    create_private_dir(out)
    written = [out / "stats.json"]
    _write(written[0], (json.dumps(stats, indent=2) + "\n").encode("utf-8"))
    pngs = {}
    for which, (name, title) in FIGURES.items():
        png = duration_figure(fitted(stats["selected"], which), stats["fits"][which], title)
        if png is not None:
            pngs[which] = png
            _write(out / name, png)
            written.append(out / name)
    _write(out / "stats.html", render(stats, pngs).encode("utf-8"))
    return [*written, out / "stats.html"]
