"""Playback as the page shows it: the coders' workbench in headless Chromium (Playwright, Debian's chromium),
measured in the page. Part of bench/coding.py (``--page``; ``--page-only`` for this part alone).

On a demo session (``elicit demo``: gras 640x480 and uvc 1280x720, both 60 fps; or ``--page-data DATA``):
- per camera, coded on it, SPACE from the episode's first frame for ``--page-seconds``: the pictures painted
  per second, the frames skipped and the share of the coded camera's frames fetched (window.__playStats of
  elicitation/workbench/static/playback.js);
- the key-to-picture time of a one-frame step (RIGHT) and of a jump (G, a frame number, ENTER): from the
  keydown's time stamp to the end of the animation frame after the new picture's load (window.__keyToPicture).
Run it alone on the machine (the page and the server share its cores); the load average is printed.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"  # as the browser tests (tests/conftest.py): never a downloaded browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
CODER = "BN1"


def demo_data(folder: Path) -> Path:
    """A fresh demo session under `folder` (about a minute; needs a display: xvfb-run when there is none)."""
    cmd = [sys.executable, "-m", "elicitation", "demo", "--out", str(folder / "data"), "--no-open"]
    if not os.environ.get("DISPLAY"):
        cmd = ["xvfb-run", "-a", *cmd]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"elicit demo failed: {done.stderr[-2000:]}")
    return folder / "data"


def start_server(data: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "elicitation", "code", str(data), "--coder", CODER],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"the workbench ended: {proc.stderr.read() if proc.stderr else ''}")
        if line.startswith("http://"):
            return proc, line.strip()
    proc.kill()
    raise SystemExit("the workbench printed no link")


def pct(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    at = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(at(0.5), 1), "p95_ms": round(at(0.95), 1), "n": len(values)}


def key_times(page: Any, action: str, press: Any, samples: int) -> list[float]:
    times = []
    for _ in range(samples):
        before = page.evaluate("window.__keyToPicture.length")
        press()
        page.wait_for_function(f"() => window.__keyToPicture.length > {before}", timeout=30000)
        entry = page.evaluate("window.__keyToPicture[window.__keyToPicture.length - 1]")
        if entry["action"] == action:
            times.append(entry["ms"])
    return times


def go_to(page: Any, frame: int) -> None:
    page.keyboard.press("g")
    page.fill("#jump", str(frame))
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => WB.shownFrame(WB.s.primary) === {frame} && !WB.isLoading(WB.s.primary)")
    time.sleep(0.3)  # its own key-to-picture entry is in before the next key is timed


def measure_page(data: Path, seconds: float, samples: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    proc, url = start_server(data)
    base = url.split("/?token=")[0]
    out: dict[str, Any] = {"load_before": os.getloadavg()}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(url)
            page.goto(f"{base}/s/0/e/01")
            page.wait_for_selector("body[data-ready='1']")
            for camera in page.evaluate("WB.config.cameras"):
                page.select_option("#camera", camera)
                frames = page.evaluate(f"WB.s.data.frames[{camera!r}].frame")
                go_to(page, frames[0])
                size = page.evaluate(f"[document.getElementById('img-{camera}').naturalWidth, "
                                     f"document.getElementById('img-{camera}').naturalHeight]")  # fmt: skip
                page.keyboard.press(" ")
                page.wait_for_function("() => window.__playStats.wall0 > 0", timeout=30000)
                time.sleep(min(seconds, 0.9 * len(frames) / 60))
                page.keyboard.press(" ")
                stats = page.evaluate("window.__playStats")
                frames_painted = stats.pop("frames")
                out[f"{size[0]}x{size[1]} ({camera})"] = {
                    "pictures_per_s": round(stats["fps"], 1), "clock_fps": round(stats["contentFps"], 1),
                    "painted": stats["painted"], "skipped": stats["skipped"], "fetched_1_in": stats["stride"],
                    "in_order": frames_painted == sorted(set(frames_painted)),
                }  # fmt: skip
            camera = page.evaluate("WB.config.cameras[0]")
            page.select_option("#camera", camera)
            frames = page.evaluate(f"WB.s.data.frames[{camera!r}].frame")
            rng = random.Random(7)
            go_to(page, frames[0])
            steps = key_times(page, "step", lambda: page.keyboard.press("ArrowRight"), samples)
            targets = [rng.choice(frames) for _ in range(samples)]

            def jump() -> None:
                page.keyboard.press("g")
                page.fill("#jump", str(targets.pop()))
                page.keyboard.press("Enter")

            jumps = key_times(page, "jump", jump, samples)
            out["key_to_picture"] = {"camera": camera, "step": pct(steps), "jump": pct(jumps)}
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    out["load_after"] = os.getloadavg()
    return out


def page_section(data: Path | None, seconds: float, samples: int) -> dict[str, Any]:
    if data is not None:
        return measure_page(data, seconds, samples)
    with tempfile.TemporaryDirectory(prefix="bench-coding-page-") as tmp:
        return measure_page(demo_data(Path(tmp)), seconds, samples)
