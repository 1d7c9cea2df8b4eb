"""`elicit report SESSION`: one self-contained report.html (plots embedded, no scripts, nothing fetched).

Every string that comes from a data file is HTML-escaped. Only the pseudonym identifies the participant.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from elicitation.report.data import SessionReport, load_session, rating_rows
from elicitation.report.framing import framing_section
from elicitation.report.lsl import lsl_section
from elicitation.report.plots import interval_histograms, timeline

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em auto;max-width:1150px;color:#222;line-height:1.4}
h1{margin-bottom:0}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f3f3f3}.ok{color:#1a7f37}.bad{color:#b42318;font-weight:bold}.muted{color:#777}
.agree{background:#e8f5e9}.disagree{background:#fff4e5}img{max-width:100%}
.banner{background:#fff4e5;border:1px solid #f0b95b;padding:.6em 1em;margin:1em 0}
@media print{h2{page-break-after:avoid}img{page-break-inside:avoid}}
"""


def e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _table(headers: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join(
        f"<tr class='{(classes or [''] * len(rows))[i]}'>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>"
        for i, row in enumerate(rows)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _screen(s: dict[str, Any]) -> str:
    size = "x".join(str(v) for v in s.get("size", [])) or "?"
    mode = "fullscreen" if s.get("fullscreen") else "windowed"
    sync = "vsync" if s.get("vsync") else "no vsync (flips paced by the program)"
    refresh = f"refresh measured {s.get('measured_refresh_hz')} Hz (expected {s.get('expected_refresh_hz')})"
    return f"{size} {mode}, {refresh}, {sync}, {s.get('gl_renderer', '')}"


def _summary(r: SessionReport) -> str:
    d = r.data
    protocol, rig = d.get("protocol", {}), d.get("rig", {})
    runs = d.get("runs", [])
    status = d.get("status", "?")
    rows = [
        ["participant (pseudonym)", e(d.get("participant"))], ["session", e(d.get("session"))],
        ["status", f"<span class='{'ok' if r.complete else 'bad'}'>{e(status)}</span>"],
        ["started / ended (UTC)", f"{e(d.get('started_utc'))} / {e(d.get('ended_utc'))}"],
        ["runs", e(", ".join(f"{x.get('run')}: {x.get('status')}" for x in runs) or "none")],
        ["protocol", f"{e(protocol.get('name'))} <span class='muted'>sha256 {e(protocol.get('sha256'))}</span>"],
        ["rig", e(rig.get("name"))], ["screen", e(_screen(d.get("screen") or {}))],
        ["episodes done", e(f"{d.get('summary', {}).get('episodes_done', '?')} of {len(d.get('episodes', {}))}")],
        ["software", e(", ".join(f"{k} {v}" for k, v in d.get("versions", {}).items()))],
    ]  # fmt: skip
    banner = (
        ""
        if r.complete
        else (f"<div class='banner'>This session is <b>{e(status)}</b>: the report shows what was recorded.</div>")
    )
    if r.problems:
        banner += (f"<div class='banner'><b>{len(r.problems)} problem(s) with the session's files</b> "
                   "(see Files): " + e("; ".join(r.problems)) + "</div>")  # fmt: skip
    return banner + _table(["", ""], rows)


def _cameras(r: SessionReport) -> str:
    rows = []
    for c in r.cameras:
        rate = "-" if c.measured_fps is None else f"{c.measured_fps:.2f}"
        drops = f"<span class='{'bad' if c.dropped else 'ok'}'>{c.dropped}</span>"
        state = f"<span class='bad'>FAILED</span> {e(c.failed)}" if c.failed else "<span class='ok'>ok</span>"
        if c.shortfalls and not c.failed:
            state = f"<span class='bad'>BELOW THRESHOLDS</span> {e('; '.join(c.shortfalls))}"
        rows.append([e(c.name), f"{c.nominal_fps:g}", rate, str(c.frames), drops, str(c.files), str(c.runs), state])
    note = ("<p class='muted'>Measured fps: frames over time within each run (not the gap before a resume). "
            "State: ok only within the rig's thresholds (dropped frames at most max_dropped, measured fps at "
            "least nominal x (1 - max_rate_error_pct / 100); hardware/thresholds.py).</p>")
    headers = ["camera", "nominal fps", "measured fps", "frames", "dropped", "files", "runs", "state"]
    return _table(headers, rows) + note


def _problems(r: SessionReport) -> str:
    if not r.problems:
        return "<p class='ok'>Every file is present and every video holds the frames its frames.tsv lists.</p>"
    return "<ul>" + "".join(f"<li class='bad'>{e(p)}</li>" for p in r.problems) + "</ul>"


def _ratings(r: SessionReport) -> str:
    rows, classes = [], []
    for row in rating_rows(r):
        rows.append([e(row["episode"]), e(row["clip"]), e(", ".join(row["expected"]) or "(none in Table VI)"),
                     e("; ".join(row["rated"]) or "not rated"), e(row["status"])])  # fmt: skip
        classes.append("agree" if row["agrees"] else "disagree")
    legend = "<p class='muted'>Green: the participant chose an expected main emotion. Orange: not.</p>"
    return legend + _table(["episode", "clip", "expected (Table VI)", "rated (intensity 0-6)", "status"], rows, classes)


def _review(r: SessionReport) -> str:
    if not r.review:
        return "<p>No review flags.</p>"
    keys = ["episode", "camera", "file", "file_frame", "clock_time", "category", "note", "action", "source"]
    present = [k for k in keys if k in r.review[0]]
    return _table(present, [[e(row.get(k)) for k in present] for row in r.review])


def _penalties(r: SessionReport) -> str:
    p = r.data.get("penalties", {})
    marks = p.get("marks", [])
    head = f"<p>{len(marks)} expression(s) noted, {e(p.get('deducted', 0))} {e(p.get('currency', ''))} deducted.</p>"
    rows = [[e(m.get("episode")), f"{float(m.get('clock_time', 0)) - r.t0:.2f}", e(m.get("source"))] for m in marks]
    return head + (_table(["episode", "s since start", "source"], rows) if rows else "")


def _warnings(r: SessionReport) -> str:
    warnings = r.data.get("warnings", [])
    if not warnings:
        return "<p class='ok'>No warnings.</p>"
    return "<ul>" + "".join(f"<li>{e(w.get('utc'))}: {e(w.get('message'))}</li>" for w in warnings) + "</ul>"


def render(r: SessionReport) -> str:
    histograms = interval_histograms(r)
    streams = lsl_section(r.folder, r.data, r.t0)
    parts = [
        f"<h1>Session report: {e(r.data.get('participant'))}, session {e(r.data.get('session'))}</h1>",
        "<h2>Summary</h2>", _summary(r),
        "<h2>Timeline</h2>", f"<img alt='timeline' src='data:image/png;base64,{timeline(r)}'>",
        "<h2>Cameras</h2>", _cameras(r),
        "<h2>Files</h2>", _problems(r),
        f"<img alt='frame intervals' src='data:image/png;base64,{histograms}'>" if histograms else "",
        "<h2>LSL streams recorded</h2>" + streams if streams else "",
        "<h2>Ratings per episode</h2>", _ratings(r),
        "<h2>Review flags</h2>", _review(r),
        "<h2>Penalty marks</h2>", _penalties(r),
        "<h2>Framing and face lost</h2>", framing_section(r),
        "<h2>Warnings and deviations</h2>", _warnings(r),
    ]  # fmt: skip
    title = f"Session report {e(r.data.get('participant'))} ses-{e(r.data.get('session'))}"
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>\n")  # fmt: skip


def write_report(session: Path, out: Path | None = None) -> Path:
    report = load_session(session)
    path = Path(out) if out else Path(session) / "report.html"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(render(report), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)  # a report is derived data: rewriting it is safe
    return path

