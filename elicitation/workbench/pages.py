"""Server-rendered pages of the workbench: sessions, a session's episodes, and the player (its shell;
workbench.js fills it from the episode's JSON and the frame pictures)."""

from __future__ import annotations

import json

from starlette.responses import HTMLResponse

from elicitation.coding import EMOTIONS, KINDS
from elicitation.web import esc, page
from elicitation.workbench.keys import help_rows
from elicitation.workbench.state import Workbench, coders_of

# the player's parts, in load order: core.js first (window.WB), workbench.js last (the keys, then the start)
PLAYER_SCRIPTS = ("core.js", "pictures.js", "playback.js", "timeline.js", "form.js", "workbench.js")
SCRIPT = "".join(f'<script src="/wb/{name}"></script>' for name in PLAYER_SCRIPTS)
STYLE = '<link rel="stylesheet" href="/wb/workbench.css">'


def sessions_page(wb: Workbench) -> HTMLResponse:
    rows = "".join(
        f'<tr><td><a href="/s/{n}">{esc(s.name)}</a></td><td>{len(s.segments)}</td>'
        f"<td>{esc(', '.join(s.cameras))}</td><td>{esc(', '.join(coders_of(s)) or '-')}</td></tr>"
        for n, s in enumerate(wb.sessions)
    )
    body = (
        f"<p>Coder <b>{esc(wb.coder)}</b>.</p><table><tr><th>session</th><th>episodes</th><th>cameras</th>"
        f"<th>coders</th></tr>{rows}</table>"
    )
    return page("Coders' workbench", body)


def session_page(wb: Workbench, n: int) -> HTMLResponse:
    s, log = wb.session(n), wb.log(n)
    rows = []
    for seg in s.segments:
        mine = len(log.events(seg.key))
        state = '<span class="ok">done</span>' if seg.key in log.state.done else "open"
        start, end = seg.start_end(s.tables)
        rows.append(
            f'<tr><td><a href="/s/{n}/e/{esc(seg.key)}">{esc(seg.label)}</a></td><td>{end - start:.1f} s</td>'
            f"<td>{mine}</td><td>{state}</td></tr>"
        )
    others = [c for c in coders_of(s) if c != wb.coder]
    links = "".join(
        f'<p><a href="/s/{n}/agreement?c1={esc(wb.coder)}&amp;c2={esc(o)}">agreement with {esc(o)}</a> · '
        f'<a href="/s/{n}/arbitrate?c1={esc(wb.coder)}&amp;c2={esc(o)}">arbitration with {esc(o)}</a></p>'
        for o in others
    )
    problems = "".join(f"<li>line {t.line}: {esc(t.reason)}</li>" for t in log.torn)
    if problems:  # lines of the log replay could not apply, or ids two writers gave twice (both kept)
        problems = f'<p class="warn">Your log has lines that need a look:</p><ul>{problems}</ul>'
    body = (
        f'<p><a href="/">sessions</a> / {esc(s.name)} · coder <b>{esc(wb.coder)}</b></p>{problems}'
        f"<table><tr><th>episode</th><th>length</th><th>your events</th><th>you</th></tr>{''.join(rows)}</table>"
        f"{links}"
    )
    return page(f"Session {s.name}", body)


def _options(values: list[str] | tuple[str, ...], labels: dict[str, str] | None = None) -> str:
    return "".join(f'<option value="{esc(v)}">{esc((labels or {}).get(v, v) or "(none)")}</option>' for v in values)


def _json(value: object) -> str:
    """JSON for a <script type="application/json"> block (no "</" inside)."""
    return json.dumps(value).replace("</", "<\\/")


def player_page(wb: Workbench, n: int, key: str) -> HTMLResponse:
    s = wb.session(n)
    seg = s.segment(key)
    config = {"session": n, "episode": key, "keys": wb.keys, "cameras": list(seg.rows)}
    keys = "".join(f"<tr><td><kbd>{esc(k)}</kbd></td><td>{esc(text)}</td></tr>" for k, text in help_rows(wb.keys))
    pictures = "".join(
        f'<div class="card cam" data-camera="{esc(c)}"><div class="camname">{esc(c)}</div>'
        f'<img id="img-{esc(c)}" alt="{esc(c)} frame"><canvas class="play" id="play-{esc(c)}" hidden></canvas>'
        f'<div class="info" id="info-{esc(c)}"></div>'
        f'<div class="zoom" id="zoom-{esc(c)}" aria-live="polite"></div>'
        f'<div class="wait" id="wait-{esc(c)}" aria-live="polite"></div></div>'
        for c in seg.rows
    )
    form = f"""
<div class="card" id="form"><h2>Event <span id="editing" class="dim">(new)</span></h2>
<table>
<tr><td>camera</td><td><span id="f-camera"></span></td></tr>
<tr><td>onset</td><td><span id="f-onset">-</span></td></tr>
<tr><td>apex</td><td><span id="f-apex">-</span></td></tr>
<tr><td>apex-2</td><td><span id="f-apex2">-</span> <button id="clear-apex2" type="button">clear</button></td></tr>
<tr><td>offset</td><td><span id="f-offset">-</span></td></tr>
<tr><td>kind</td><td><select id="f-kind">{_options(KINDS)}</select>
  <select id="f-category">{_options(["", *s.categories], s.categories)}</select></td></tr>
<tr><td>action units</td><td><input id="f-aus" placeholder="4+L10"> <span id="aus-check" class="dim"></span></td></tr>
<tr><td>emotion</td><td><select id="f-emotion">{_options(["", *EMOTIONS])}</select>
  <span id="suggested" class="dim"></span></td></tr>
<tr><td>note</td><td><input id="f-note" size="30"></td></tr>
</table>
<button id="save" type="button">save</button> <button id="new" type="button">new</button>
<button id="delete" type="button" class="danger">delete</button>
<div id="message"></div></div>"""
    # two columns: the pictures and the timeline; beside them the jump field, the form and the events, so all
    # of these start above the fold of a 1366x768 laptop screen
    body = f"""{STYLE}
<p><a href="/">sessions</a> / <a href="/s/{n}">{esc(s.name)}</a> / {esc(seg.label)} · coder <b>{esc(wb.coder)}</b>
 · participant's rating: <b id="rating">-</b></p>
<div class="player"><div class="stage">
<div class="row" id="pictures">{pictures}</div>
<div id="status" class="dim"></div>
<canvas id="timeline" width="960" height="124" title="wheel or + / -: zoom; click: go there"></canvas>
<div class="dim" id="legend"><span class="sw clip"></span> clip <span class="sw flag"></span> participant's flags
 (exclude) <span class="sw lost"></span> face lost <span class="sw pen"></span> penalty
 <span class="sw ev"></span> your events
 <span class="sw spot"></span> spotting candidates <span class="sw other"></span> other coders (once both are
 done) · ruler: clock seconds; zoomed in, each frame a tick</div></div>
<div class="side">
<p><label>jump to <input id="jump" size="12" placeholder="frame or 123.456s"></label> <button id="go">go</button>
 <label>code on <select id="camera">{_options(list(seg.rows))}</select></label></p>
{form}
<div class="card"><h2>Your events</h2><table id="events"></table>
<p><button id="done" type="button">mark episode done</button> <span id="done-state"></span></p>
<h2>Other coders</h2><div id="others"></div></div></div></div>
<div class="card"><h2>Keys</h2><table>{keys}</table></div>
<script id="config" type="application/json">{_json(config)}</script>
{SCRIPT}"""
    return page(f"{s.name} · {seg.label}", body)
