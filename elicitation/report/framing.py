"""The report's framing section: the check-in framing checks of every camera and face_lost per episode.

From session.json (``framing.checkins``, each episode's ``face_lost: {count, seconds}``) and the
face_lost rows of events.tsv (their onsets, in seconds since the recording started).
"""

from __future__ import annotations

import html
from typing import Any

from elicitation.report.data import SessionReport


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _rows(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def face_lost_counts(r: SessionReport) -> dict[str, int]:
    """Episode -> face_lost intervals (session.json), for every episode."""
    return {label: int((ep.get("face_lost") or {}).get("count", 0)) for label, ep in r.data.get("episodes", {}).items()}


def framing_section(r: SessionReport) -> str:
    framing = r.data.get("framing")
    if not framing:
        return "<p class='muted'>No framing checks in this session.</p>"
    parts = []
    for checkin in framing.get("checkins", []):
        verdict = "<span class='ok'>pass</span>" if checkin.get("ok") else "<span class='bad'>failed</span>"
        parts.append(f"<p>Check-in (run {_e(checkin.get('run'))}, "
                     f"{float(checkin.get('clock', r.t0)) - r.t0:.1f} s): {verdict}</p>")  # fmt: skip
        rows = []
        for camera, result in checkin.get("cameras", {}).items():
            for name, check in result.get("checks", {}).items():
                mark = "<span class='ok'>ok</span>" if check.get("ok") else "<span class='bad'>failed</span>"
                rows.append([_e(camera), _e(name), mark, _e(check.get("text"))])
        parts.append(_rows(["camera", "check", "result", "measured"], rows) if rows else "")
    lost = [row for row in r.events if row.get("trial_type") == "face_lost"]
    onsets: dict[str, list[str]] = {}
    for row in lost:
        onsets.setdefault(row.get("episode") or "", []).append(f"{float(row['onset']):.2f} s ({row['duration']} s)")
    counts = face_lost_counts(r)
    watched = _e(framing.get("watched"))
    parts.append(f"<p>{sum(counts.values())} face-lost interval(s) of at least {_e(framing.get('face_lost_min_s'))} s "
                 f"on camera {watched} during the clips.</p>")  # fmt: skip
    rows = [[_e(label), _e(n), _e(", ".join(onsets.get(label, [])))] for label, n in counts.items()]
    parts.append(_rows(["episode", "face lost", "onsets (duration)"], rows))
    return "".join(parts)
