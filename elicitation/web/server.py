"""uvicorn in a daemon thread: never in the PsychoPy frame loop, started and stopped by the caller."""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time

import uvicorn
from starlette.applications import Starlette

from hardware.scheduling import lower_priority, name_this_thread

log = logging.getLogger(__name__)

START_TIMEOUT_S = 10.0


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class WebServer:
    """Serve ``app`` on ``host``:``port`` (0: a free port) from a daemon thread.

    ``start()`` returns once the socket listens; ``url`` is the link to print (it carries the
    token); ``stop()`` ends the thread. A host other than loopback is logged as a warning: anyone on
    that network who has the link can see and press what the page offers.
    """

    def __init__(self, app: Starlette, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the web server is not started")
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}/?token={self.app.state.token}"

    def start(self) -> WebServer:
        if not is_loopback(self.host):
            log.warning(
                "the web page listens on %s, beyond this computer: anyone on that network with the link can use it",
                self.host,
            )
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, args=(sock,), daemon=True, name="web-server")
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                raise RuntimeError(f"the web server on {self.host}:{self.port} did not start")
            time.sleep(0.01)
        log.info("web page at %s", self.url)
        return self

    def _serve(self, sock: socket.socket) -> None:
        name_this_thread("web-server")
        lower_priority()  # pages can wait a few milliseconds; the cameras cannot
        assert self._server is not None
        self._server.run(sockets=[sock])

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=5)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout=5)
        self._thread = None
