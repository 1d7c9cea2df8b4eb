"""Face zoom: the crop at 1x / 2x / 4x around the face box, the face found once per episode and camera, and
the endpoint's crop is the decoded frame's pixels (tiny session, a stand-in detector)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from starlette.testclient import TestClient

from elicitation.coding import CodingError
from elicitation.workbench import Workbench, build_app
from elicitation.workbench.face_zoom import crop_box
from hardware.video import IndexedReader
from hardware.vision import Box
from tests.elicitation.workbench.tiny_session import make_session

TOKEN = "test-token"
FACE = Box(200, 4, 60, 20)  # in the tiny session's 384x32 frames


@pytest.mark.parametrize(
    ("face", "zoom", "crop"),
    [
        (Box(500, 200, 300, 300), 1, Box(0, 0, 1280, 720)),
        (Box(500, 200, 300, 300), 2, Box(330, 170, 640, 360)),  # centred on the face (650, 350)
        (Box(500, 200, 300, 300), 4, Box(490, 260, 320, 180)),
        (Box(1100, 600, 150, 110), 2, Box(640, 360, 640, 360)),  # moved inside the frame at its corner
        (Box(0, 0, 100, 100), 4, Box(0, 0, 320, 180)),
        (None, 2, Box(320, 180, 640, 360)),  # no face: the centre
    ],
)
def test_the_crop_is_a_zoomth_of_the_frame_around_the_face(face, zoom, crop) -> None:
    assert crop_box(1280, 720, face, zoom) == crop


def test_a_zoom_not_offered_is_refused() -> None:
    with pytest.raises(CodingError, match="zoom 3 is not one of 1, 2, 4"):
        crop_box(1280, 720, None, 3)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    make_session(tmp_path / "data" / "sub-P1" / "ses-1")
    return tmp_path / "data"


def decoded(data: Path, camera: str, file: str, file_frame: int) -> np.ndarray:
    reader = IndexedReader(data / "sub-P1" / "ses-1" / "video" / file)
    try:
        return reader.frame(file_frame)
    finally:
        reader.close()


def test_the_zoomed_picture_is_the_crop_of_the_decoded_frame_and_the_face_is_found_once(data: Path) -> None:
    seen: list[tuple[int, ...]] = []

    def detect(image: np.ndarray) -> Box:
        seen.append(image.shape)
        return FACE

    wb = Workbench(data, "C1", detect=detect)
    try:
        with TestClient(build_app(wb, TOKEN), headers={"X-Token": TOKEN}) as c:
            for frame in (20, 21, 60):  # frames of episode 01
                answer = c.get(f"/s/0/frame/gras/{frame}?zoom=2")
                assert answer.status_code == 200
                x, y, w, h = (int(v) for v in answer.headers["x-crop"].split(","))
                assert (x, y, w, h) == (134, 6, 192, 16) and answer.headers["x-face"] == "200,4,60,20"
                picture = cv2.imdecode(np.frombuffer(answer.content, np.uint8), cv2.IMREAD_GRAYSCALE)
                full = decoded(data, "gras", answer.headers["x-file"], int(answer.headers["x-file-frame"]))
                assert picture.shape == (h, w)  # full resolution: no rescaling
                diff = np.abs(picture.astype(int) - full[y : y + h, x : x + w].astype(int))
                assert diff.mean() < 2, diff.mean()  # JPEG at quality 90 of the same pixels
            assert seen == [(32, 384)]  # found once for the episode and camera, on one frame
            face = c.get("/api/s/0/e/01/face/gras").json()
            assert face["found"] and face["box"] == [200, 4, 60, 20] and face["crops"]["4"] == [182, 10, 96, 8]
            assert face["frame"] == 45  # the episode's middle frame
            c.get("/s/0/frame/gras/100?zoom=2")  # a frame of after01: that episode's own detection
            assert len(seen) == 2
            refused = c.get("/s/0/frame/gras/20?zoom=3")
            assert refused.status_code == 400 and "zoom '3' is not one of 1, 2, 4" in refused.json()["error"]
    finally:
        wb.close()


def test_without_a_face_the_centre_is_zoomed_and_said(data: Path) -> None:
    wb = Workbench(data, "C1", detect=lambda image: None)
    try:
        with TestClient(build_app(wb, TOKEN), headers={"X-Token": TOKEN}) as c:
            answer = c.get("/s/0/frame/uvc/20?zoom=4")
            assert answer.headers["x-face"] == "none" and answer.headers["x-crop"] == "144,12,96,8"
            assert c.get("/api/s/0/e/01/face/uvc").json()["found"] is False
    finally:
        wb.close()
