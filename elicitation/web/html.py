"""Server-rendered pages: one template that loads only the package's own /static assets."""

from __future__ import annotations

import html
from collections.abc import Sequence

from starlette.responses import HTMLResponse


def esc(text: object) -> str:
    """HTML-escape any value for text or a quoted attribute."""
    return html.escape(str(text), quote=True)


def page(title: str, body_html: str, *, scripts: Sequence[str] = ()) -> HTMLResponse:
    """A complete page: ``body_html`` (already escaped by the caller) with /static/base.css and
    the named scripts from /static (file names, e.g. "keys.js")."""
    names = list(dict.fromkeys(("keys.js", *scripts)))  # keys.js always, each script once
    script_tags = "".join(f'<script src="/static/{esc(name)}"></script>' for name in names)
    return HTMLResponse(
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="/static/base.css">{script_tags}</head>'
        f"<body><h1>{esc(title)}</h1>\n{body_html}\n</body></html>\n"
    )
