"""The shared web server side: token gate (403, cookie, X-Token), free port, warning, JPEG, page."""

from __future__ import annotations

import logging

import cv2
import httpx
import numpy as np
import pytest
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from elicitation.web import WebServer, cookie_name, esc, jpeg, make_app, new_token, page


async def hello(request):
    return PlainTextResponse("hello")


async def home(request):
    return page("Test <page>", f"<p>{esc('a & b')}</p>", scripts=("extra.js",))


@pytest.fixture
def served():
    token = new_token()
    server = WebServer(make_app([Route("/", home), Route("/hello", hello)], token=token, title="t")).start()
    yield server, token
    server.stop()


def base(server: WebServer) -> str:
    return f"http://127.0.0.1:{server.port}"


def test_without_the_token_every_request_is_forbidden_static_files_included(served):
    server, _ = served
    for path in ("/", "/hello", "/static/base.css", "/static/keys.js", "/nowhere"):
        assert httpx.get(base(server) + path).status_code == 403, path
    assert httpx.get(base(server) + "/hello", headers={"X-Token": "wrong"}).status_code == 403
    assert httpx.get(base(server) + "/hello?token=wrong").status_code == 403


def test_the_url_token_sets_a_strict_httponly_cookie_that_lets_relative_requests_pass(served):
    server, token = served
    with httpx.Client(base_url=base(server)) as client:
        first = client.get(server.url)
        assert first.status_code == 200
        header = first.headers["set-cookie"]
        assert header.startswith(f"{cookie_name(token)}={token};")
        assert "HttpOnly" in header and "SameSite=Strict" in header
        assert client.get("/static/base.css").status_code == 200  # the cookie alone
        assert client.get("/hello").text == "hello"
    forged = httpx.get(base(server) + "/hello", cookies={cookie_name(token): "not-it"})
    assert forged.status_code == 403


def test_an_x_token_header_passes(served):
    server, token = served
    answer = httpx.get(base(server) + "/static/keys.js", headers={"X-Token": token})
    assert answer.status_code == 200 and "Elicit" in answer.text
    assert "set-cookie" not in answer.headers


def test_servers_take_free_ports_and_print_a_url_with_the_token():
    tokens = [new_token(), new_token()]
    assert tokens[0] != tokens[1]
    servers = [WebServer(make_app([Route("/hello", hello)], token=t, title="t")).start() for t in tokens]
    try:
        assert servers[0].port != servers[1].port and all(s.port > 0 for s in servers)
        for server, token in zip(servers, tokens, strict=True):
            assert server.url == f"http://127.0.0.1:{server.port}/?token={token}"
            assert httpx.get(base(server) + "/hello", headers={"X-Token": token}).text == "hello"
    finally:
        for server in servers:
            server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(base(servers[0]) + "/hello", headers={"X-Token": tokens[0]}, timeout=2)


def test_a_host_beyond_loopback_is_warned_about_and_loopback_is_not(caplog):
    caplog.set_level(logging.WARNING, logger="elicitation.web")
    quiet = WebServer(make_app([], token=new_token(), title="t")).start()
    quiet.stop()
    assert not caplog.records
    wide = WebServer(make_app([], token=new_token(), title="t"), host="0.0.0.0").start()
    wide.stop()
    assert any("0.0.0.0" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


@pytest.mark.parametrize("shape", [(120, 160), (120, 160, 3)])
def test_jpeg_round_trip_keeps_the_picture_and_its_channels(shape):
    rng = np.random.default_rng(1)
    frame = cv2.GaussianBlur(rng.integers(0, 256, shape, dtype=np.uint8), (9, 9), 3)
    data = jpeg(frame, quality=90)
    assert data[:2] == b"\xff\xd8"
    back = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    assert back.shape == frame.shape
    assert np.abs(back.astype(int) - frame).mean() < 3
    assert len(jpeg(frame, quality=20)) < len(data)


def test_jpeg_refuses_what_it_cannot_encode():
    with pytest.raises(ValueError):
        jpeg(np.zeros((4, 4), np.float32))
    with pytest.raises(ValueError):
        jpeg(np.zeros((4, 4, 4), np.uint8))
    with pytest.raises(ValueError):
        jpeg(np.zeros((4, 4), np.uint8), quality=0)


def test_page_escapes_and_loads_only_static_assets(served):
    server, token = served
    text = httpx.get(server.url).text
    assert "<title>Test &lt;page&gt;</title>" in text and "<p>a &amp; b</p>" in text
    assert '<link rel="stylesheet" href="/static/base.css">' in text
    assert text.count('src="/static/keys.js"') == 1 and 'src="/static/extra.js"' in text
    assert "http" not in text.replace(server.url, "")
    assert esc('"<x>\'') == "&quot;&lt;x&gt;&#x27;"


def test_in_a_real_browser_the_printed_link_loads_the_page_and_its_static_assets(served, browser):
    server, _ = served
    tab = browser.new_page()
    try:
        statuses: dict[str, int] = {}
        tab.on("response", lambda r: statuses.__setitem__(r.url.split("?")[0].rsplit("/", 1)[-1], r.status))
        tab.goto(server.url)
        assert tab.title() == "Test <page>"
        assert tab.evaluate("typeof window.Elicit.poll") == "function"  # keys.js ran: the cookie passed
        assert statuses["base.css"] == 200 and statuses["keys.js"] == 200
        assert tab.evaluate("document.cookie") == ""  # HttpOnly: scripts cannot read the token
    finally:
        tab.close()
