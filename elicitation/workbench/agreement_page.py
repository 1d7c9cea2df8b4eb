"""The agreement page: two coders' figures over the episodes both marked done (pairing.write_report
writes agreement.json), the matched pairs' frame differences, and the link to arbitration."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from elicitation.coding import CodingError
from elicitation.web import esc, page
from elicitation.workbench.pairing import pair, write_report
from elicitation.workbench.state import Workbench


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
