"""`elicit cameras preview RIG`: the live view of a rig in the browser, for setting it up; nothing is recorded.

Each camera runs in its own process as when recording (the same read loop, drops counted the same
way) but its frames are let go; only its preview (at most 10 a second, at most 480 px wide) reaches
the page, with the face box, a centring guide, clipped pixels marked, fps and drops, and the framing
checks with a verdict each. The link (with its token) is printed; a browser opens only on a desktop
(and never with --no-open). Ctrl-C stops it cleanly (exit 0: it is the way to finish).
"""

from __future__ import annotations

import tempfile
import time

import typer

from elicitation.cli.console import err, out
from elicitation.cli.exits import exits
from elicitation.dashboard import FramingMonitor, LiveState, Pictures, dashboard_app
from elicitation.folder import BadInput
from elicitation.web import WebServer, is_loopback, new_token, open_browser
from hardware.recording import PreviewReader, Recorder, any_failed, health_line
from hardware.rig import load_rig
from hardware.vision import FramingThresholds

PUBLISH_EVERY_S = 0.25
CONSOLE_EVERY_S = 5.0


@exits
def preview(
    rig: str = typer.Argument(..., help="Rig file (YAML), or the name of a shipped rig such as 'sim'."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to serve on (beyond this computer: a warning)."),
    port: int = typer.Option(0, "--port", min=0, max=65535, help="Port (0: a free one)."),
    no_open: bool = typer.Option(False, "--no-open", help="Print the link but never open a browser."),
    seconds: float = typer.Option(None, "--seconds", min=0.5, help="Stop after this long (default: at Ctrl-C)."),
) -> None:
    """The live view of a rig's cameras in the browser, with the framing checks; records nothing."""
    loaded = load_rig(rig)
    live = LiveState(title=f"Live view: rig {loaded.name}")
    with tempfile.TemporaryDirectory(prefix="elicit-preview-") as unused:  # no file is written there
        recorder = Recorder(loaded, unused, record=False)
        recorder.start()  # CamerasNotStarted: exit 3, every camera stopped again
        pictures = Pictures({name: PreviewReader(shm) for name, shm in recorder.preview_names.items() if shm},
                            names=list(loaded.cameras))  # fmt: skip
        thresholds = {name: FramingThresholds().updated(loaded.framing.get(name, {})) for name in loaded.cameras}
        monitor = FramingMonitor(pictures, thresholds).start()  # the rig's cameras.<name>.framing thresholds
        app = dashboard_app(token=new_token(), title=live.snapshot_field("title"), live=live, pictures=pictures,
                            framing=monitor)  # fmt: skip
        server = WebServer(app, host=host, port=port)
        try:
            try:
                server.start()
            except OSError as exc:
                raise BadInput(f"--host {host} --port {port}: the live view cannot listen there ({exc})") from exc
            out.print(f"live view: {server.url}", highlight=False, soft_wrap=True)
            if not is_loopback(host):
                err.print(f"[yellow]warning[/]: the live view listens on {host}, beyond this computer: "
                          "anyone on that network with the link can see the cameras")  # fmt: skip
            out.print("Ctrl-C stops it.")
            if not no_open:
                open_browser(server.url)
            _serve(recorder, live, seconds)
        finally:
            server.stop()
            monitor.stop()
            pictures.close()
            recorder.stop()
    failed = {name: e for name, e in recorder.errors.items() if e}
    for name, error in failed.items():
        err.print(f"[red]{name}[/]: {error}", highlight=False)
    if failed:
        from hardware.cameras import CameraError

        raise CameraError(f"{len(failed)} camera(s) failed during the live view")


def _serve(recorder: Recorder, live: LiveState, seconds: float | None) -> None:
    start = last_print = time.monotonic()
    try:
        while seconds is None or time.monotonic() - start < seconds:
            health = recorder.health()
            live.publish(cameras=health, status="live view (nothing is recorded)")
            if time.monotonic() - last_print >= CONSOLE_EVERY_S:
                out.print(health_line(health), highlight=False, soft_wrap=True)
                last_print = time.monotonic()
            if any_failed(health) and all(h.state == "failed" for h in health.values()):
                return
            time.sleep(PUBLISH_EVERY_S)
    except KeyboardInterrupt:
        out.print("\nstopping the live view ...")
