"""The dashboard's web app: the page, its state as JSON, the cameras' pictures and the buttons.

Routes (all behind the token, elicitation.web):
    GET  /                      the page (server-rendered shell; dashboard.js fills it from /state.json)
    GET  /state.json            the session (LiveState), each camera's latest picture numbers, framing
    GET  /camera/{name}.jpg     the camera's latest preview frame (404 before its first)
    POST /press/{action}        pause | penalty | abort | confirm | cancel: the experimenter's key,
                                pressed for them (RemoteKeys: the frame loop handles it as a key)
    POST /focus/{name}          take the camera's current focus as the reference (live view)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from elicitation.dashboard.framing import FramingMonitor
from elicitation.dashboard.live import LiveState
from elicitation.dashboard.page import dashboard_page
from elicitation.dashboard.pictures import Pictures
from elicitation.protocol import Keys
from elicitation.screen import RemoteKeys
from elicitation.web import make_app

ACTIONS = ("pause", "penalty", "abort", "confirm", "cancel")
NO_STORE = {"Cache-Control": "no-store"}


@dataclass
class Buttons:
    """The experimenter's keys behind the page's buttons."""

    keys: Keys
    remote: RemoteKeys

    def key_for(self, action: str) -> str:
        return str(getattr(self.keys, action))


def dashboard_app(*, token: str, title: str, live: LiveState, pictures: Pictures,
                  buttons: Buttons | None = None, framing: FramingMonitor | None = None) -> Starlette:  # fmt: skip
    """The app for a session (``buttons`` given) or for the live view of a rig (``framing`` given)."""

    async def home(request: Request) -> Response:
        return dashboard_page(title, pictures.names, session=buttons is not None, framing=framing is not None,
                              keys=buttons.keys if buttons else None)  # fmt: skip

    async def state(request: Request) -> Response:
        checks = framing.results() if framing is not None else live.framing()
        cameras = {name: {"picture": pictures.info(name), "framing": checks.get(name)} for name in pictures.names}
        return JSONResponse({"live": live.snapshot(), "cameras": cameras}, headers=NO_STORE)

    async def camera(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in pictures.names:
            return JSONResponse({"error": f"no camera {name!r}"}, status_code=404)
        picture = pictures.picture(name)
        if picture is None:
            return JSONResponse({"error": f"camera {name!r} has no picture yet"}, status_code=404)
        headers = {**NO_STORE, "X-Frame-Id": str(picture.frame_id), "X-Seq": str(picture.seq)}
        return Response(picture.data, media_type="image/jpeg", headers=headers)

    async def press(request: Request) -> Response:
        action = request.path_params["action"]
        if buttons is None:
            return JSONResponse({"error": "no session is running"}, status_code=409)
        if action not in ACTIONS:
            return JSONResponse({"error": f"no button {action!r}"}, status_code=404)
        if action in ("confirm", "cancel") and live.snapshot_field("overlay") != "abort_confirm":
            return JSONResponse({"error": "no abort question is open"}, status_code=409)
        key = buttons.remote.press(buttons.key_for(action))
        return JSONResponse({"action": action, "key": key.name, "clock_time": key.t})

    async def focus(request: Request) -> Response:
        name = request.path_params["name"]
        if framing is None or name not in pictures.names:
            return JSONResponse({"error": f"no live view of camera {name!r}"}, status_code=404)
        value: Any = framing.take_reference(name)
        if value is None:
            return JSONResponse({"error": "no face found: no focus to take"}, status_code=409)
        return JSONResponse({"camera": name, "reference_focus": value})

    routes = [
        Route("/", home),
        Route("/state.json", state),
        Route("/camera/{name}.jpg", camera),
        Route("/press/{action}", press, methods=["POST"]),
        Route("/focus/{name}", focus, methods=["POST"]),
    ]
    return make_app(routes, token=token, title=title)
