"""The live dashboard of a running session: started before the window opens, fed by the frame loop.

The web server runs in its own thread (elicitation.web.WebServer); the frame loop only hands it
small state (SessionContext.publish, LiveState) and takes its button presses as keys
(RemoteKeys, polled with the keyboard), so a button acts exactly as the experimenter's key.
The cameras' pictures come from the recorder's preview readers (shared memory written by each
camera process), read and JPEG-encoded in the web thread.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

from rich.console import Console

from elicitation.dashboard import Buttons, LiveState, Pictures, dashboard_app
from elicitation.folder import read_tsv
from elicitation.protocol import Protocol
from elicitation.screen import RemoteKeys
from elicitation.web import WebServer, is_loopback, new_token, open_browser
from hardware.recording import PreviewReader, Recorder

log = logging.getLogger(__name__)


def preview_readers(recorder: Recorder) -> dict[str, PreviewReader]:
    """A reader of each camera's preview slot (shared memory the camera process writes)."""
    readers = {}
    for camera, shm_name in recorder.preview_names.items():
        if not shm_name:
            continue
        try:
            readers[camera] = PreviewReader(shm_name)
        except (FileNotFoundError, OSError) as exc:  # the camera failed before its slot was made
            log.warning("camera %s: no preview for the dashboard (%s)", camera, exc)
    return readers


class SessionDashboard:
    def __init__(self, protocol: Protocol, cameras: list[str], host: str = "127.0.0.1", port: int = 0) -> None:
        self.live = LiveState(title=f"Session dashboard: {protocol.name}")
        self.remote = RemoteKeys("dashboard")
        self.pictures = Pictures({}, names=cameras)
        app = dashboard_app(token=new_token(), title=self.live.snapshot_field("title"), live=self.live,
                            pictures=self.pictures, buttons=Buttons(protocol.keys, self.remote))  # fmt: skip
        self.server = WebServer(app, host=host, port=port)

    def start(self, console: Console, open_page: bool = True) -> SessionDashboard:
        """Listen (OSError when the address cannot be bound), print the link, open it on a desktop."""
        self.server.start()
        console.print(f"dashboard: {self.server.url}", highlight=False, soft_wrap=True)
        if not is_loopback(self.server.host):
            console.print(f"[yellow]warning[/]: the dashboard listens on {self.server.host}, beyond this computer: "
                          "anyone on that network with the link can see the cameras and press its buttons "
                          f"(from another computer: {self.server.url.replace('127.0.0.1', socket.gethostname(), 1)})",
                          highlight=False)  # fmt: skip
        log.info("dashboard listening on %s:%s", self.server.host, self.server.port)
        if open_page:
            open_browser(self.server.url)
        return self

    def attach(self, ctx: Any, recorder: Recorder) -> None:
        """Connect a started session: its keys, events, recorder pictures and state."""
        self.pictures.attach(preview_readers(recorder))
        ctx.keys.remote = self.remote
        for row in read_tsv(ctx.events.path):  # what this session's events.tsv holds so far (a resume: all runs)
            self.live.add_event(row)
        ctx.events.on_row = self.live.add_event
        if ctx.framing is not None:  # face found or lost, each camera's framing: read in the web thread
            self.live.framing_source = ctx.framing.live.snapshot
        ctx.board = self.live
        self.live.publish(status="running")
        ctx.publish()

    def stop(self, status: str | None = None) -> None:
        if status is not None:
            self.live.publish(status=status, overlay=None, clip=None)
        self.server.stop()
        self.pictures.close()
