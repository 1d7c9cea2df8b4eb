"""The dashboard's page: a server-rendered shell that /static/dashboard.js fills from /state.json."""

from __future__ import annotations

from starlette.responses import HTMLResponse

from elicitation.protocol import Keys
from elicitation.web import esc, page


def _camera_card(name: str, framing: bool) -> str:
    n = esc(name)
    checks = f'<table class="checks" data-checks="{n}"></table>'  # filled when framing checks run
    if framing:
        checks += (f'<button data-focus="{n}" title="the focus now becomes the value to compare against">'
                   "Take focus reference</button>")  # fmt: skip
    return (
        f'<div class="card camera" data-camera="{n}"><h2>{n}</h2>'
        f'<div class="picture"><img data-picture="{n}" alt="camera {n}" width="480"><canvas></canvas></div>'
        f'<div class="health" data-health="{n}">waiting for the first picture ...</div>{checks}</div>'
    )


def _session_panel(keys: Keys | None) -> str:
    def kbd(name: str) -> str:
        return f"<kbd>{esc(getattr(keys, name))}</kbd>" if keys is not None else ""

    return (
        '<div class="row"><div class="card"><h2>Session</h2><table>'
        '<tr><th>step</th><td id="where">-</td></tr>'
        '<tr><th>episode</th><td id="episode">-</td></tr>'
        '<tr><th>clip</th><td id="clip">-</td></tr>'
        '<tr><th>expressions seen</th><td id="penalties">0</td></tr>'
        '<tr><th>face</th><td id="face">-</td></tr>'
        "</table></div>"
        '<div class="card"><h2>Experimenter</h2>'
        f'<button id="pause">Pause</button><button id="penalty">Expression seen</button>'
        f'<button id="abort" class="danger">Abort ...</button>'
        '<div id="abort-question" hidden><p class="bad">Abort the session? Everything recorded so far is kept.</p>'
        '<button id="confirm" class="danger">Yes, abort</button><button id="cancel">No, go on</button></div>'
        f'<p class="dim">The same as the keys: pause {kbd("pause")}, expression seen {kbd("penalty")}, '
        f"abort {kbd('abort')} then confirm {kbd('confirm')} or cancel {kbd('cancel')}.</p>"
        '<p id="pressed" class="dim"></p></div></div>'
    )


def dashboard_page(title: str, cameras: list[str], *, session: bool, framing: bool,
                   keys: Keys | None = None) -> HTMLResponse:  # fmt: skip
    mode = "session" if session else "preview"
    body = (
        f'<main data-mode="{mode}" data-framing="{str(framing).lower()}">'
        '<p id="status" class="dim">connecting ...</p>'
        + (_session_panel(keys) if session else "")
        + '<div class="row" id="cameras">'
        + "".join(_camera_card(name, framing) for name in cameras)
        + "</div>"
        + '<h2>Warnings</h2><ul id="warnings"><li class="dim">none</li></ul>'
        + (
            '<h2>Events</h2><table id="events"><thead><tr><th>onset</th><th>event</th><th>duration</th>'
            "<th>episode</th><th>source</th></tr></thead><tbody></tbody></table>"
            if session
            else ""
        )
        + "</main>"
    )
    return page(title, body, scripts=("dashboard.js",))
