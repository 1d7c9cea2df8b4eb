"""`elicit cameras preview RIG` in a real browser: each camera's picture with the framing checks and
their verdicts (a face in one camera, none in the other), the overlays drawn, nothing recorded,
403 without the token, and Ctrl-C stops it cleanly (exit 0). With $ELICIT_SCREENSHOT_DIR set, a
screenshot goes there (live-view.png)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, sim_camera, write_rig

URL = re.compile(r"live view: (http://127\.0\.0\.1:\d+/\?token=[\w-]+)")


@pytest.mark.slow
def test_the_live_view_shows_each_camera_with_its_framing_verdicts_and_stops_at_ctrl_c(tmp_path, browser):
    rig = write_rig(tmp_path / "rig.yaml", {
        "face": sim_camera(640, 480, face={"image": "astronaut", "movement_px": 2}),
        "away": sim_camera(640, 480, "bgr24", seed=2, face={"image": "astronaut", "face_away": [[0, 1000]]}),
    })  # fmt: skip
    before = sorted(p.name for p in tmp_path.iterdir())
    proc = subprocess.Popen(
        [sys.executable, "-m", "elicitation", "cameras", "preview", str(rig), "--no-open"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        url, lines = None, []
        for line in proc.stdout:
            lines.append(line)
            match = URL.search(line)
            if match:
                url = match.group(1)
                break
        assert url, "no link printed:\n" + "".join(lines)
        base = url.split("/?")[0]
        assert httpx.get(base + "/state.json").status_code == 403
        assert httpx.get(base + "/camera/face.jpg").status_code == 403
        tab = browser.new_page()
        tab.goto(url)
        for camera in ("face", "away"):
            tab.wait_for_selector(f'img[data-picture="{camera}"][data-clipped]', timeout=30_000)  # overlay drawn
            tab.wait_for_selector(f'[data-checks="{camera}"] tr[data-check="face"]', timeout=30_000)
        face_check = tab.locator('[data-checks="face"] tr[data-check="face"] td').first
        away_check = tab.locator('[data-checks="away"] tr[data-check="face"] td').first
        assert face_check.text_content() == "ok" and "ok" in (face_check.get_attribute("class") or "")
        assert away_check.text_content() == "check" and "bad" in (away_check.get_attribute("class") or "")
        assert tab.locator('[data-checks="away"] tr', has_text="verdict").text_content().count("not ready") == 1
        health = tab.text_content('[data-health="face"]')
        assert "fps" in health and "dropped" in health
        state = tab.context.request.get(base + "/state.json").json()
        assert state["cameras"]["face"]["framing"]["face"] is not None
        assert state["cameras"]["away"]["framing"]["face"] is None
        assert state["live"]["cameras"]["face"]["state"] == "running"
        assert tab.context.request.post(base + "/focus/face").status == 200
        shots = os.environ.get("ELICIT_SCREENSHOT_DIR")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            tab.wait_for_timeout(1000)
            tab.screenshot(path=str(Path(shots) / "live-view.png"), full_page=True)
        tab.close()
        proc.send_signal(signal.SIGINT)
        start = time.monotonic()
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, out
        assert time.monotonic() - start < 30
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing recorded, nothing left
