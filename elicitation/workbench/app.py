"""The workbench's routes on the shared web app (elicitation.web: token on every request, 127.0.0.1).

Pages: ``/`` sessions, ``/s/N`` a session's episodes, ``/s/N/e/KEY`` the player, ``/s/N/agreement`` and
``/s/N/arbitrate`` (?c1=&c2=). JSON: ``/api/s/N/e/KEY`` (frames, timeline, your events, other coders'
once both are done), POST the same for add/change/delete/done, ``/api/aus?text=`` (parse + Table IV
suggestion), POST ``/api/s/N/arbitrate``, ``/api/s/N/e/KEY/face/CAMERA`` (the face box the zoom centres on).
Pictures: ``/s/N/frame/CAMERA/FRAME`` (JPEG of that frames.tsv frame, decoded by index; headers X-Frame,
X-Camera-Frame-Id, X-Host-Time, X-File, X-File-Frame); ``?zoom=2`` or ``4``: the full-resolution crop around the
face (headers X-Zoom, X-Crop and X-Face: x,y,w,h in frame pixels, X-Face "none" when no face was found).
Playing: ``/s/N/frames/CAMERA/FRAME?count=&stride=&width=&zoom=`` the JPEGs of `count` frames from FRAME on
(every `stride`-th) in one body, split by the X-Sizes header (elicitation.workbench.pictures.play_batch).
A refused action answers 400 with ``{"error": reason}``; a request body over MAX_BODY_BYTES answers 413
unread (refused by its Content-Length, or once that much has arrived).
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from elicitation.coding import CodingError, canonical_string, parse_action_units, suggest
from elicitation.folder import BadInput
from elicitation.web import jpeg, make_app
from elicitation.workbench import agreement_page, arbitrate, pages
from elicitation.workbench.face_zoom import ZOOMS
from elicitation.workbench.pictures import JPEG_QUALITY, Row, play_batch, segment_frames
from elicitation.workbench.state import Workbench
from elicitation.workbench.timeline import timeline
from hardware.video import VideoFileError

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 64 * 1024  # an event with a full note (2000 characters) is a few KiB


class TooLarge(CodingError):
    """Raised when a request body exceeds MAX_BODY_BYTES (answered 413)."""


def refused(exc: Exception, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": str(exc)}, status_code=status)


def build_app(wb: Workbench, token: str) -> Starlette:
    async def body(request: Request) -> dict[str, Any]:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise TooLarge(f"the request body ({declared} bytes) is over the limit of {MAX_BODY_BYTES} bytes")
        data = bytearray()
        async for chunk in request.stream():
            data += chunk
            if len(data) > MAX_BODY_BYTES:
                raise TooLarge(f"the request body is over the limit of {MAX_BODY_BYTES} bytes")
        try:
            value = json.loads(bytes(data))
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise CodingError("the request body is not JSON") from None
        if not isinstance(value, dict):
            raise CodingError("the request body is not a JSON object")
        return value

    def guarded(handler: Any) -> Any:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except TooLarge as exc:
                return refused(exc, 413)
            except (BadInput, VideoFileError) as exc:
                return refused(exc, 404 if "no session" in str(exc) or "no episode" in str(exc) else 400)

        return run

    async def home(request: Request) -> Response:
        return pages.sessions_page(wb)

    async def session(request: Request) -> Response:
        return pages.session_page(wb, request.path_params["n"])

    async def player(request: Request) -> Response:
        return pages.player_page(wb, request.path_params["n"], request.path_params["key"])

    async def episode(request: Request) -> Response:
        n, key = request.path_params["n"], request.path_params["key"]
        if request.method == "POST":
            payload = await body(request)
            return JSONResponse(await asyncio.to_thread(wb.act, n, key, payload))
        s = wb.session(n)
        seg = s.segment(key)
        return JSONResponse(
            {
                "frames": segment_frames(s, seg),
                "timeline": timeline(s, seg),
                "categories": s.categories,
                **wb.episode(n, key),
            }
        )

    async def frame(request: Request) -> Response:
        n, camera, number = request.path_params["n"], request.path_params["camera"], request.path_params["frame"]
        zoom = request.query_params.get("zoom", "1")
        if zoom not in {str(z) for z in ZOOMS}:
            raise CodingError(f"zoom {zoom!r} is not one of {', '.join(map(str, ZOOMS))}")
        if zoom == "1":  # the whole frame, as always
            data, row = await asyncio.to_thread(wb.pictures(n).jpeg, camera, number)
            return Response(data, media_type="image/jpeg", headers={**row.headers(), "Cache-Control": "no-store"})
        image, row, face, crop = await asyncio.to_thread(wb.zoomed, n, camera, number, int(zoom))
        box = "none" if face.box is None else f"{face.box.x},{face.box.y},{face.box.w},{face.box.h}"
        headers = {**row.headers(), "X-Zoom": zoom, "X-Crop": f"{crop.x},{crop.y},{crop.w},{crop.h}", "X-Face": box}
        data = await asyncio.to_thread(jpeg, image, JPEG_QUALITY)
        return Response(data, media_type="image/jpeg", headers={**headers, "Cache-Control": "no-store"})

    async def frames(request: Request) -> Response:
        n, camera, first = request.path_params["n"], request.path_params["camera"], request.path_params["frame"]
        try:
            count, stride, width, zoom = (int(request.query_params.get(k, d)) for k, d in
                                          (("count", "1"), ("stride", "1"), ("width", "0"), ("zoom", "1")))  # fmt: skip
        except ValueError:
            raise CodingError("count, stride, width and zoom are whole numbers") from None
        if zoom not in ZOOMS or stride < 1:
            raise CodingError(f"zoom {zoom} is not one of {', '.join(map(str, ZOOMS))}, or stride {stride} < 1")
        pictures = wb.pictures(n)

        def picture(row: Row) -> Any:
            return pictures.picture(camera, row.frame)[0] if zoom == 1 else wb.zoomed(n, camera, row.frame, zoom)[0]

        def run() -> tuple[bytes, dict[str, str]]:
            return play_batch(pictures.rows_from(camera, first, count, stride), picture, width)

        data, headers = await asyncio.to_thread(run)
        return Response(data, media_type="application/octet-stream", headers={**headers, "Cache-Control": "no-store"})

    async def face(request: Request) -> Response:
        n, key, camera = request.path_params["n"], request.path_params["key"], request.path_params["camera"]
        return JSONResponse(await asyncio.to_thread(wb.face, n, key, camera))

    async def aus(request: Request) -> Response:
        text = request.query_params.get("text", "")
        canonical = canonical_string(text)
        return JSONResponse({"canonical": canonical, "suggested": suggest(parse_action_units(text))})

    async def agreement(request: Request) -> Response:
        return agreement_page.agreement_page(wb, request.path_params["n"], *agreement_page.pair_of(request))

    async def arbitrate_page(request: Request) -> Response:
        return arbitrate.arbitration_page(wb, request.path_params["n"], *agreement_page.pair_of(request))

    async def decide(request: Request) -> Response:
        payload = await body(request)
        return JSONResponse(await asyncio.to_thread(arbitrate.decide, wb, request.path_params["n"], payload))

    routes = [
        Route("/", guarded(home)),
        Route("/s/{n:int}", guarded(session)),
        Route("/s/{n:int}/e/{key}", guarded(player)),
        Route("/s/{n:int}/frame/{camera}/{frame:int}", guarded(frame)),
        Route("/s/{n:int}/frames/{camera}/{frame:int}", guarded(frames)),
        Route("/s/{n:int}/agreement", guarded(agreement)),
        Route("/s/{n:int}/arbitrate", guarded(arbitrate_page)),
        Route("/api/s/{n:int}/e/{key}", guarded(episode), methods=["GET", "POST"]),
        Route("/api/s/{n:int}/e/{key}/face/{camera}", guarded(face)),
        Route("/api/s/{n:int}/arbitrate", guarded(decide), methods=["POST"]),
        Route("/api/aus", guarded(aus)),
        Mount("/wb", app=StaticFiles(directory=STATIC), name="workbench-static"),
    ]
    return make_app(routes, token=token, title="Coders' workbench")
