"""Face zoom on the demo session (its sim cameras film a face: gras 640x480, uvc 1280x720): the zoomed
picture is the full-resolution crop of the decoded frame around the face dlib finds, and the Z key cycles
1x / 2x / 4x per camera in Chromium (Playwright)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from starlette.testclient import TestClient

from elicitation.workbench import Workbench, build_app
from hardware.video import IndexedReader
from tests.e2e.workbench_server import Server, copy_demo, open_player, shown_frame, wait_shown

TOKEN = "test-token"


@pytest.fixture(scope="module")
def data(demo_session, tmp_path_factory) -> Path:
    return copy_demo(demo_session, tmp_path_factory.mktemp("zoom"))


def test_the_zoomed_picture_is_the_full_resolution_crop_around_the_face(data: Path) -> None:
    wb = Workbench(data, "Z1")
    try:
        with TestClient(build_app(wb, TOKEN), headers={"X-Token": TOKEN}) as c:
            face = c.get("/api/s/0/e/01/face/uvc").json()
            assert face["found"] and (face["width"], face["height"]) == (1280, 720)
            fx, fy, fw, fh = face["box"]
            answer = c.get(f"/s/0/frame/uvc/{face['frame'] + 5}?zoom=2")
            assert answer.status_code == 200 and answer.headers["x-face"] == ",".join(map(str, face["box"]))
            x, y, w, h = (int(v) for v in answer.headers["x-crop"].split(","))
            assert (w, h) == (640, 360) and [x, y, w, h] == face["crops"]["2"]
            assert x <= fx and y <= fy and fx + fw <= x + w and fy + fh <= y + h  # the whole face is in the crop
            picture = cv2.imdecode(np.frombuffer(answer.content, np.uint8), cv2.IMREAD_COLOR)
            reader = IndexedReader(data / "sub-demo" / "ses-1" / "video" / answer.headers["x-file"])
            try:
                full = reader.frame(int(answer.headers["x-file-frame"]))
            finally:
                reader.close()
            assert full.shape[:2] == (720, 1280) and picture.shape[:2] == (360, 640)  # pixel for pixel

            def diff(dx: int) -> float:
                return float(np.abs(picture.astype(int) - full[y : y + h, x + dx : x + dx + w].astype(int)).mean())

            assert diff(0) < 2.0 and diff(2) > 2 * diff(0), (diff(0), diff(2))  # these pixels, not their neighbours
    finally:
        wb.close()


def natural_size(page, camera: str) -> tuple[int, int]:
    return tuple(page.evaluate(f"() => {{ const i = document.getElementById('img-{camera}'); "
                               "return [i.naturalWidth, i.naturalHeight]; }"))  # fmt: skip


def wait_zoom(page, camera: str, zoom: int) -> None:
    page.wait_for_selector(f"#img-{camera}[data-zoom='{zoom}']:not([src=''])", timeout=20000)
    page.wait_for_function(
        f"() => !document.querySelector('.cam[data-camera=\"{camera}\"]').classList.contains('loading')"
    )


def test_the_zoom_key_cycles_each_camera_on_the_face(data: Path, browser) -> None:
    server = Server(data, "Z1")
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    try:
        open_player(page, server)
        assert "zoom the coded camera on the face" in (page.text_content("table:has(kbd)") or "")
        wait_zoom(page, "gras", 1)
        assert natural_size(page, "gras") == (640, 480)
        page.keyboard.press("z")
        wait_zoom(page, "gras", 2)
        assert natural_size(page, "gras") == (320, 240)
        assert "zoom 2×: face crop 320×240" in (page.text_content("#zoom-gras") or "")
        assert page.get_attribute("#img-uvc", "data-zoom") == "1" and natural_size(page, "uvc") == (1280, 720)
        before = shown_frame(page, "gras")
        page.keyboard.press("ArrowRight")  # stepping keeps the zoom
        wait_shown(page, "gras", before + 1)
        wait_zoom(page, "gras", 2)
        page.keyboard.press("c")  # code on uvc: Z now zooms uvc, gras keeps its own
        page.keyboard.press("z")
        wait_zoom(page, "uvc", 2)
        assert natural_size(page, "uvc") == (640, 360) and "full resolution" in (page.text_content("#zoom-uvc") or "")
        page.keyboard.press("c")
        page.keyboard.press("Z")  # Caps Lock or Shift: the same key
        wait_zoom(page, "gras", 4)
        assert natural_size(page, "gras") == (160, 120)
        page.keyboard.press("z")
        wait_zoom(page, "gras", 1)
        assert natural_size(page, "gras") == (640, 480) and page.text_content("#zoom-gras") == ""
        assert page.get_attribute("#img-uvc", "data-zoom") == "2"
    finally:
        page.close()
        server.stop()
