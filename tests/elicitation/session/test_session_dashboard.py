"""The runner's dashboard: on by default on loopback with the link printed, off with --no-dashboard,
a warning beyond loopback, and an address it cannot listen on is bad input before anything exists."""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

import httpx
import pytest
from rich.console import Console

from elicitation.folder import BadInput
from elicitation.protocol import Keys
from elicitation.session.runner import _start_dashboard
from elicitation.web import has_desktop

PLAN = SimpleNamespace(protocol=SimpleNamespace(name="demo", keys=Keys()),
                       rig=SimpleNamespace(cameras={"gras": None, "uvc": None}))  # fmt: skip


def options(**kw):
    return SimpleNamespace(**{"dashboard": True, "dashboard_host": "127.0.0.1", "open_dashboard": False, **kw})


def console() -> tuple[Console, io.StringIO]:
    text = io.StringIO()
    return Console(file=text, width=60), text


def test_the_dashboard_starts_on_loopback_and_prints_its_link_unwrapped():
    out, text = console()
    board = _start_dashboard(PLAN, options(), out)
    try:
        url = board.server.url
        assert f"dashboard: {url}" in text.getvalue()  # one line although longer than the console
        assert url.startswith("http://127.0.0.1:")
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200 and 'data-camera="uvc"' in page.text and 'id="pause"' in page.text
    finally:
        board.stop("completed")


def test_no_dashboard_means_none():
    out, text = console()
    assert _start_dashboard(PLAN, options(dashboard=False), out) is None and text.getvalue() == ""


def test_beyond_loopback_only_when_asked_and_with_a_warning(caplog):
    caplog.set_level(logging.WARNING)
    out, text = console()
    board = _start_dashboard(PLAN, options(dashboard_host="0.0.0.0"), out)
    board.stop()
    assert "beyond this computer" in " ".join(text.getvalue().split())
    assert any(r.levelno == logging.WARNING and "0.0.0.0" in r.getMessage() for r in caplog.records)


def test_an_address_it_cannot_listen_on_is_bad_input():
    out, _ = console()
    with pytest.raises(BadInput, match="--dashboard-host 203.0.113.7"):
        _start_dashboard(PLAN, options(dashboard_host="203.0.113.7"), out)  # TEST-NET-3: not this machine's


def test_a_browser_opens_only_on_a_desktop(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("ELICIT_NO_BROWSER", raising=False)
    monkeypatch.setattr("sys.stdout", SimpleNamespace(isatty=lambda: True))
    assert has_desktop()
    monkeypatch.setenv("ELICIT_NO_BROWSER", "1")
    assert not has_desktop()
    monkeypatch.delenv("ELICIT_NO_BROWSER")
    monkeypatch.setattr("sys.stdout", SimpleNamespace(isatty=lambda: False))  # output captured: tests, scripts
    assert not has_desktop()
    monkeypatch.setattr("sys.stdout", SimpleNamespace(isatty=lambda: True))
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not has_desktop()
