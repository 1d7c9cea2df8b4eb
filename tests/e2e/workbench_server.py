"""Helpers for the workbench's browser tests: `elicit code DATA --coder ID` as a subprocess, and the
player driven by its keys."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from tests.conftest import REPO

START_TIMEOUT_S = 90


class Server:
    """The workbench in its own process (so it can be killed with SIGKILL like a crashed server)."""

    def __init__(self, data: Path, coder: str, *options: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "elicitation", "code", str(data), "--coder", coder, *options],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_S
        self.url = ""
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"the workbench ended: {self.proc.stderr.read() if self.proc.stderr else ''}")
            if line.startswith("http://"):
                self.url = line.strip()
                break
        assert self.url, "the workbench printed no link"
        self.base = self.url.split("/?token=")[0]

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


def copy_demo(demo_session, root: Path) -> Path:
    """DATA holding a copy of the demo session without its codes (tests code and arbitrate on their own)."""
    result, session, _shots = demo_session
    assert result.returncode == 0, result.stderr
    shutil.copytree(session, root / "data" / "sub-demo" / "ses-1", ignore=shutil.ignore_patterns("coding"))
    return root / "data"


def open_player(page, server: Server, episode: str = "01") -> None:
    page.goto(server.url)  # the token link sets the cookie
    page.goto(f"{server.base}/s/0/e/{episode}")
    page.wait_for_selector("body[data-ready='1']")


def shown_frame(page, camera: str) -> int:
    return int(page.get_attribute(f"#img-{camera}", "data-frame") or -1)


def wait_shown(page, camera: str, frame: int) -> None:
    page.wait_for_selector(f"#img-{camera}[data-frame='{frame}']", timeout=20000)


def jump(page, camera: str, frame: int) -> None:
    page.keyboard.press("g")
    page.fill("#jump", str(frame))
    page.keyboard.press("Enter")
    wait_shown(page, camera, frame)


def code_event(page, camera: str, onset: int, apex: int, offset: int, aus: str, emotion: str) -> str:
    """Code one event with the keys: jump to each frame, press its key, fill AUs and emotion, ENTER."""
    for frame, key in ((onset, "o"), (apex, "a"), (offset, "f")):
        jump(page, camera, frame)
        page.keyboard.press(key)
    page.fill("#f-aus", aus)
    page.select_option("#f-emotion", emotion)
    page.evaluate("m => { m.className = ''; m.textContent = ''; }", page.query_selector("#message"))
    page.keyboard.press("Enter")  # the message is cleared first, so an earlier "saved" cannot answer for this one
    page.wait_for_function("() => document.querySelector('#message.ok')?.textContent.startsWith('saved ')",
                           timeout=20000)  # fmt: skip
    text = page.text_content("#message") or ""
    return text.removeprefix("saved ")


def barcode_of_jpeg(data: bytes) -> int:
    from hardware.cameras.sim import barcode

    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    return barcode.read(image)
