"""The arbitration page, and recording an arbiter's decision into final.tsv.

Arbitration: each proposal is a form prefilled with the suggestion (a matched pair: the rounded
average of the two coders' frames; AU string and emotion filled where the coders agree, left empty
where they differ so the arbiter decides; an unmatched event: its own values). Saving records what the
form holds, named by how it was decided: the proposal's own ``agreed``/``averaged`` when nothing was
changed and nothing was open, ``chosen-1``/``chosen-2`` when it equals one coder's event,
``accepted-unmatched`` for an unchanged unmatched event, ``rejected-unmatched`` for a rejection, and
``edited`` otherwise (elicitation.coding.FinalLog appends it, fsync'ed, with the arbiter's ID). Saving needs
the workbench started with ``--arbiter ID``; an arbiter who is one of the pair is refused unless
``--allow-coder-arbiter``. The note field starts with both coders' notes, kept as they are unless edited.
Each coder's onset / apex / offset pictures (the face crop, face_zoom) are shown side by side, labelled
coder, point and frame.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from starlette.responses import HTMLResponse

from elicitation.coding import (
    EMOTIONS,
    KINDS,
    CodingError,
    Event,
    FinalLog,
    Proposal,
    check_arbiter,
    coders_note,
    final_decisions,
    final_path,
    on_camera,
    validate,
)
from elicitation.web import esc, page
from elicitation.workbench.pairing import pair, session_proposals
from elicitation.workbench.state import Workbench

POINTS = ("onset", "apex", "apex2", "offset")


FIELDS = ("kind", "action_units", "emotion", "category")
LABELS = {"kind": "kind", "action_units": "AUs", "emotion": "emotion", "category": "category"}


def _side(n: int, coder: str, event: Event | None, camera: str) -> str:
    """One coder's event: its frames and codes, and its onset, apex and offset pictures side by side (the
    2x face crop: a whole frame 120 px wide shows no expression)."""
    if event is None:
        return '<td class="dim">-</td>'
    points = on_camera(event, camera)
    frames = " / ".join(str(points.get(p, "-")) for p in POINTS)
    what = " · ".join((event.kind, event.action_units or "-", event.emotion or "-"))
    pictures = "".join(
        f'<figure data-coder="{esc(coder)}" data-point="{p}" data-frame="{points[p]}"><img loading="lazy" '
        f'width="120" alt="{esc(coder)} {p} frame {points[p]}" src="/s/{n}/frame/{esc(camera)}/{points[p]}?zoom=2">'
        f"<figcaption>{esc(coder)} {p} {points[p]}</figcaption></figure>"
        for p in ("onset", "apex", "offset") if p in points
    )  # fmt: skip
    note = f'<br><span class="dim">note: {esc(event.note)}</span>' if event.note else ""
    return f'<td>{esc(event.event_id)}: {frames}<br>{esc(what)}{note}<div class="thumbs">{pictures}</div></td>'


def _select(name: str, values: tuple[str, ...], chosen: str, open_: bool = False) -> str:
    """A list; one the coders disagreed on starts at '(decide)' and must be chosen."""
    first = '<option value="" selected>(decide)</option>' if open_ and name == "kind" else ""
    options = "".join(f'<option value="{esc(v)}"{" selected" if v == chosen else ""}>{esc(v)}</option>' for v in values)
    return f'<label>{LABELS.get(name, name)} <select name="{esc(name)}"{_open(open_)}>{first}{options}</select></label>'


def _open(open_: bool) -> str:
    return ' class="open" data-open="1"' if open_ else ""


def _disagreed(prop: Proposal) -> list[str]:
    if prop.first is None or prop.second is None:
        return []
    return [f for f in FIELDS if getattr(prop.first, f) != getattr(prop.second, f)]


def _none_box(name: str, open_: bool) -> str:
    return f'<label class="none"><input type="checkbox" name="{name}_none"> none</label>' if open_ else ""


def _agreed(p: Proposal, name: str) -> str:
    values = {getattr(e, name) for e in (p.first, p.second) if e is not None}
    return values.pop() if len(values) == 1 else ""


def _arbiter_line(wb: Workbench, coders: tuple[str, str]) -> str:
    """Who saves the decisions, or why nobody can from this workbench."""
    if wb.arbiter is None:
        return '<p class="warn">No arbiter: start the workbench with <kbd>--arbiter ID</kbd> to save decisions.</p>'
    try:
        check_arbiter(wb.arbiter, coders, wb.allow_coder_arbiter)
    except CodingError as exc:
        return f'<p class="warn" id="arbiter">Saving is refused: {esc(exc)}</p>'
    return f'<p id="arbiter">Arbiter <b>{esc(wb.arbiter)}</b>: every decision saved names you in final.tsv.</p>'


def arbitration_page(wb: Workbench, n: int, c1: str, c2: str) -> HTMLResponse:
    s = wb.session(n)
    p = pair(s, c1, c2)
    decisions = final_decisions(final_path(s.path))
    rows = []
    for prop in session_proposals(s, p):
        base = prop.suggested or prop.first or prop.second
        points = on_camera(base, p.camera) if base else {}  # type: ignore[arg-type]
        inputs = "".join(
            f'<label>{pt} <input name="{pt}" size="5" value="{esc(points.get(pt, ""))}"></label> ' for pt in POINTS
        )
        open_ = _disagreed(prop)
        rows.append(
            f'<tr class="proposal" data-key="{esc(prop.key)}"><td>{esc((prop.first or prop.second).episode)}</td>'  # type: ignore[union-attr]
            f"{_side(n, p.coders[0], prop.first, p.camera)}{_side(n, p.coders[1], prop.second, p.camera)}"
            f"<td>{esc(prop.decided)}<br>"
            f'<span class="dim">{esc("; ".join(prop.open))}</span></td><td>{inputs}<br>'
            f"{_select('kind', KINDS, _agreed(prop, 'kind'), 'kind' in open_)} "
            f'<label>AUs <input name="action_units" size="9" value="{esc(_agreed(prop, "action_units"))}" '
            f'placeholder="4+L10"{_open("action_units" in open_)}></label>'
            f"{_none_box('action_units', 'action_units' in open_)} "
            f"{_select('emotion', ('', *EMOTIONS), _agreed(prop, 'emotion'), 'emotion' in open_)}"
            f"{_none_box('emotion', 'emotion' in open_)}"
            f'<br><label>note <input name="note" size="30" value="{esc(coders_note(prop, p.coders))}"></label>'
            f'<input type="hidden" name="category" value="{esc(_agreed(prop, "category"))}"></td>'
            '<td><button class="accept">save</button>'
            + ('<button class="reject danger">reject</button>' if prop.suggested is None else "")
            + f'</td><td class="state">{esc(decisions.get(prop.key, "open"))}</td></tr>'
        )
    config = json.dumps({"session": n, "c1": p.coders[0], "c2": p.coders[1]}).replace("</", "<\\/")
    body = (
        '<link rel="stylesheet" href="/wb/workbench.css">'
        f'<p><a href="/s/{n}">{esc(s.name)}</a> · {esc(c1)} and {esc(c2)} · camera {esc(p.camera)} · frames as '
        f"onset / apex / apex-2 / offset (frames.tsv frame numbers)</p>{_arbiter_line(wb, p.coders)}"
        f"<table><tr><th>episode</th><th>{esc(c1)}</th>"
        f"<th>{esc(c2)}</th><th>proposed</th><th>decision</th><th></th><th>state</th></tr>{''.join(rows)}</table>"
        f'<div id="message"></div><script id="config" type="application/json">{config}</script>'
        '<script src="/wb/arbitrate.js"></script>'
    )
    return page(f"Arbitration {c1} / {c2}", body)


def _same(a: Event, b: Event | None, camera: str) -> bool:
    if b is None:
        return False
    fields = ("kind", "action_units", "emotion", "category")
    return on_camera(a, camera) == on_camera(b, camera) and all(getattr(a, f) == getattr(b, f) for f in fields)


def decide(wb: Workbench, n: int, body: dict[str, Any]) -> dict[str, Any]:
    s = wb.session(n)
    p = pair(s, str(body.get("c1", "")), str(body.get("c2", "")))
    found = {prop.key: prop for prop in session_proposals(s, p)}
    prop = found.get(str(body.get("key", "")))
    if prop is None:
        raise CodingError(f"no proposal {body.get('key')!r} for {p.coders[0]} and {p.coders[1]}")
    if wb.arbiter is None:
        raise CodingError("this workbench has no arbiter: start it with --arbiter ID to save decisions")
    log = FinalLog(s.path, *p.coders, s.tables, arbiter=wb.arbiter, allow_coder_arbiter=wb.allow_coder_arbiter)
    try:
        if body.get("reject"):
            log.decide(prop, "rejected-unmatched")  # a rejection has no event, so no note
            return {"decided": "rejected-unmatched"}
        base = prop.suggested or prop.first or prop.second
        frames = {}
        for point in POINTS:
            value = body.get(point)
            try:
                frames[point] = None if value in (None, "") else int(value)
            except (TypeError, ValueError):
                raise CodingError(f"{point} {value!r} is not a frame number") from None
        if frames["onset"] is None or frames["apex"] is None or frames["offset"] is None:
            raise CodingError("onset, apex and offset are needed")
        undecided = [
            f"{LABELS[f]} ({p.coders[0]}: {getattr(prop.first, f) or '(none)'}, {p.coders[1]}: "
            f"{getattr(prop.second, f) or '(none)'})"
            for f in _disagreed(prop)
            if f != "category" and not str(body.get(f) or "") and not (f != "kind" and body.get(f"{f}_none"))
        ]
        if undecided:  # an empty field the coders disagreed on is a decision only when said so
            raise CodingError("the coders disagree on " + "; ".join(undecided) + ": choose a value, or tick 'none'")
        edited = validate(
            replace(
                base,
                event_id=prop.key,
                camera=p.camera,
                frames={},
                note="",  # type: ignore[arg-type]
                kind=str(body.get("kind") or base.kind),
                action_units=str(body.get("action_units") or ""),  # type: ignore[union-attr]
                emotion=str(body.get("emotion") or ""),
                category=str(body.get("category") or ""),
                **frames,
            )
        )
        if prop.suggested is not None and not prop.open and _same(edited, prop.suggested, p.camera):
            decided = prop.decided
        elif prop.suggested is None and _same(edited, prop.first or prop.second, p.camera):
            decided = "accepted-unmatched"
        elif prop.suggested is not None and _same(edited, prop.first, p.camera):
            decided = "chosen-1"
        elif prop.suggested is not None and _same(edited, prop.second, p.camera):
            decided = "chosen-2"
        else:
            decided = "edited"
        note = body.get("note")  # unchanged (or not sent): both coders' notes are kept, else the arbiter's
        note = None if note is None or str(note) == coders_note(prop, p.coders) else str(note)
        event = log.decide(prop, decided, edited if decided == "edited" else None, note)
        return {"decided": decided, "event_id": event.event_id if event else None}
    finally:
        log.close()
