"""The app factory shared by the browser pages (dashboard, coders' workbench): a token on every request.

``make_app(routes, token=..., title=...)`` builds a Starlette app whose every request, static files
included, needs the token; otherwise 403. The token passes in three ways:

- ``?token=...`` in the URL (the printed link): the response also sets an HttpOnly, SameSite=Strict
  cookie, so the page's later relative requests (pictures, /static, fetch) pass without it;
- that cookie, named after a digest of the token (two servers on one host do not overwrite each
  other's cookie: cookies are not kept apart by port);
- an ``X-Token`` header (scripts, tests).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATIC = Path(__file__).resolve().parent / "static"


def new_token() -> str:
    """A fresh random token (URL-safe, 128 bits)."""
    return secrets.token_urlsafe(16)


def cookie_name(token: str) -> str:
    """The cookie that carries ``token``: named after its digest, so each server has its own."""
    return "elicit-" + hashlib.sha256(token.encode()).hexdigest()[:12]


class TokenGate:
    """ASGI middleware: 403 for any HTTP request that does not carry the token."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        if not token:
            raise ValueError("the web token must not be empty")
        self.app = app
        self.token = token
        self.cookie = cookie_name(token)

    def _given(self, scope: Scope) -> tuple[bool, bool]:
        """(passes, came in the URL)."""
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if any(self._same(value) for value in query.get("token", [])):
            return True, True
        for name, value in scope.get("headers", []):
            if name == b"x-token" and self._same(value.decode("latin-1")):
                return True, False
            if name == b"cookie":
                jar: SimpleCookie = SimpleCookie()
                try:
                    jar.load(value.decode("latin-1"))
                except Exception:  # a malformed cookie header is simply not the token
                    continue
                if self.cookie in jar and self._same(jar[self.cookie].value):
                    return True, False
        return False, False

    def _same(self, value: str) -> bool:
        return hmac.compare_digest(value.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        passes, in_url = self._given(scope)
        if not passes:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            response = PlainTextResponse("403: this page needs the token from its printed link", status_code=403)
            await response(scope, receive, send)
            return
        if not in_url:
            await self.app(scope, receive, send)
            return
        cookie = f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Strict".encode("latin-1")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie)]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def make_app(routes: Sequence[BaseRoute], *, token: str, title: str) -> Starlette:
    """A Starlette app serving ``routes`` and /static (elicitation/web/static/), all behind ``token``."""
    app = Starlette(routes=[*routes, Mount("/static", app=StaticFiles(directory=STATIC), name="static")])
    app.state.title = title
    app.state.token = token
    app.add_middleware(TokenGate, token=token)
    return app
