"""The browser pages' shared server side (live dashboard, coders' workbench).

An app factory whose every request needs a random token (``make_app``, ``new_token``), uvicorn in a
daemon thread on 127.0.0.1 and a free port (``WebServer``), frames as JPEG (``jpeg``) and a
server-rendered page template that loads only /static (``page``, ``esc``).
"""

from __future__ import annotations

from elicitation.web.app import cookie_name, make_app, new_token
from elicitation.web.html import esc, page
from elicitation.web.images import jpeg
from elicitation.web.server import WebServer, is_loopback

__all__ = ["WebServer", "cookie_name", "esc", "is_loopback", "jpeg", "make_app", "new_token", "page"]
