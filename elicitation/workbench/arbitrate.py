"""The agreement page and the arbitration page, and recording an arbiter's decision into final.tsv.

Arbitration: each proposal is a form prefilled with the suggestion (a matched pair: the rounded
average of the two coders' frames; AU string and emotion filled where the coders agree, left empty
where they differ so the arbiter decides; an unmatched event: its own values). Saving records what the
form holds, named by how it was decided: the proposal's own ``agreed``/``averaged`` when nothing was
changed and nothing was open, ``chosen-1``/``chosen-2`` when it equals one coder's event,
``accepted-unmatched`` for an unchanged unmatched event, ``rejected-unmatched`` for a rejection, and
``edited`` otherwise (elicitation.coding.FinalLog appends it, fsync'ed).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from elicitation.coding import (
    EMOTIONS,
    KINDS,
    CodingError,
    Event,
    FinalLog,
    Proposal,
    final_decisions,
    final_path,
    on_camera,
    validate,
)
from elicitation.web import esc, page
from elicitation.workbench.pairing import pair, session_proposals, write_report
from elicitation.workbench.state import Workbench

POINTS = ("onset", "apex", "apex2", "offset")


def pair_of(request: Request) -> tuple[str, str]:
    c1, c2 = request.query_params.get("c1", ""), request.query_params.get("c2", "")
    if not c1 or not c2:
        raise CodingError("give the two coders: ?c1=C1&c2=C2")
    return c1, c2


def _fmt(value: Any) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else esc(value)


def agreement_page(wb: Workbench, n: int, c1: str, c2: str) -> HTMLResponse:
    s = wb.session(n)
    path, data = write_report(s, pair(s, c1, c2))
    c = data["counts"]
    figures = [
        ("matched", c["matched"]),
        (f"only {c1}", c["only_1"]),
        (f"only {c2}", c["only_2"]),
        ("F1", data["f1"]),
        ("frame agreement", data["frame_agreement"]["value"]),
        ("AU agreement R", data["au_agreement"]["value"]),
        ("emotion kappa", data["emotion_kappa"]["value"]),
        ("kappa over labelled pairs", data["emotion_kappa"]["n"]),
    ]
    rows = "".join(f'<tr><td>{esc(k)}</td><td class="fig" data-name="{esc(k)}">{_fmt(v)}</td></tr>' for k, v in figures)
    pairs = "".join(
        f"<tr><td>{esc(p['episode'])}</td><td>{esc(p['event_1'])}</td><td>{esc(p['event_2'])}</td><td>{p['iou']:.3f}</td>"
        + "".join(f"<td>{p[k]['frames']:+d} ({p[k]['ms']:+.1f} ms)</td>" for k in ("onset", "apex", "offset"))
        + "</tr>"
        for p in data["pairs"]
    )
    body = (
        f'<p><a href="/s/{n}">{esc(s.name)}</a> · camera {esc(data["camera"])} · episodes done by both: '
        f"{esc(', '.join(data['episodes_done_by_both']) or 'none')} · written to {esc(path)}</p>"
        f"<table>{rows}</table><h2>Matched pairs ({esc(c2)} minus {esc(c1)})</h2><table><tr><th>episode</th>"
        f"<th>{esc(c1)}</th><th>{esc(c2)}</th><th>IoU</th><th>onset</th><th>apex</th><th>offset</th></tr>{pairs}</table>"
        f"<h2>Definitions</h2><p>{esc(data['frame_agreement']['definition'])}</p><p>{esc(data['au_agreement']['definition'])}</p>"
        f'<p><a href="/s/{n}/arbitrate?c1={esc(c1)}&amp;c2={esc(c2)}">arbitration</a></p>'
    )
    return page(f"Agreement {c1} / {c2}", body)


FIELDS = ("kind", "action_units", "emotion", "category")
LABELS = {"kind": "kind", "action_units": "AUs", "emotion": "emotion", "category": "category"}


def _side(n: int, event: Event | None, camera: str) -> str:
    """One coder's event: its frames and codes, and its onset, apex and offset pictures side by side."""
    if event is None:
        return '<td class="dim">-</td>'
    points = on_camera(event, camera)
    frames = " / ".join(str(points.get(p, "-")) for p in POINTS)
    what = " · ".join((event.kind, event.action_units or "-", event.emotion or "-"))
    pictures = "".join(
        f'<figure><img loading="lazy" width="120" alt="{p} frame {points[p]}" '
        f'src="/s/{n}/frame/{esc(camera)}/{points[p]}"><figcaption>{p} {points[p]}</figcaption></figure>'
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
            f"{_side(n, prop.first, p.camera)}{_side(n, prop.second, p.camera)}<td>{esc(prop.decided)}<br>"
            f'<span class="dim">{esc("; ".join(prop.open))}</span></td><td>{inputs}<br>'
            f"{_select('kind', KINDS, _agreed(prop, 'kind'), 'kind' in open_)} "
            f'<label>AUs <input name="action_units" size="9" value="{esc(_agreed(prop, "action_units"))}" '
            f'placeholder="4+L10"{_open("action_units" in open_)}></label>'
            f'{_none_box("action_units", "action_units" in open_)} '
            f"{_select('emotion', ('', *EMOTIONS), _agreed(prop, 'emotion'), 'emotion' in open_)}"
            f"{_none_box('emotion', 'emotion' in open_)}"
            f'<input type="hidden" name="category" value="{esc(_agreed(prop, "category"))}"></td>'
            '<td><button class="accept">save</button>'
            + ('<button class="reject danger">reject</button>' if prop.suggested is None else "")
            + f'</td><td class="state">{esc(decisions.get(prop.key, "open"))}</td></tr>'
        )
    config = json.dumps({"session": n, "c1": p.coders[0], "c2": p.coders[1]}).replace("</", "<\\/")
    body = (
        '<link rel="stylesheet" href="/wb/workbench.css">'
        f'<p><a href="/s/{n}">{esc(s.name)}</a> · {esc(c1)} and {esc(c2)} · camera {esc(p.camera)} · frames as '
        f"onset / apex / apex-2 / offset (frames.tsv frame numbers)</p><table><tr><th>episode</th><th>{esc(c1)}</th>"
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
    log = FinalLog(s.path, *p.coders, s.tables)
    try:
        if body.get("reject"):
            log.decide(prop, "rejected-unmatched")
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
        event = log.decide(prop, decided, edited if decided == "edited" else None)
        return {"decided": decided, "event_id": event.event_id if event else None}
    finally:
        log.close()
