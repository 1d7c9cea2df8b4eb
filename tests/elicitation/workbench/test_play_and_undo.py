"""The workbench's server side of play and undo (Starlette TestClient on a tiny sim session): a run of frames
in one answer, each picture the frame it is named, scaled only for play; undo through the append-only log."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from starlette.testclient import TestClient

from elicitation.folder import read_tsv
from elicitation.workbench import Workbench, build_app
from hardware.cameras.sim import barcode
from tests.elicitation.workbench.tiny_session import FIRST_ID, make_session

TOKEN = "test-token"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    make_session(tmp_path / "data" / "sub-P1" / "ses-1")
    return tmp_path / "data"


def client(data: Path, coder: str) -> TestClient:
    no_face = lambda image: None  # noqa: E731  (zoomed runs crop the centre: no detector needed here)
    return TestClient(build_app(Workbench(data, coder, detect=no_face), TOKEN), headers={"X-Token": TOKEN})


def pictures(answer) -> list[np.ndarray]:
    sizes = [int(n) for n in answer.headers["x-sizes"].split(",")]
    out, at = [], 0
    for size in sizes:
        out.append(cv2.imdecode(np.frombuffer(answer.content[at : at + size], np.uint8), cv2.IMREAD_UNCHANGED))
        at += size
    assert at == len(answer.content)
    return out


def test_a_run_of_frames_holds_each_frame_it_names(data: Path) -> None:
    with client(data, "C1") as c:
        answer = c.get("/s/0/frames/gras/10?count=6&stride=2")
        assert answer.status_code == 200
        frames = [int(f) for f in answer.headers["x-frames"].split(",")]
        assert frames == [10, 12, 14, 16, 18, 20] and len(answer.headers["x-host-times"].split(",")) == 6
        assert [barcode.read(p) for p in pictures(answer)] == [FIRST_ID + f for f in frames]
        full = pictures(c.get("/s/0/frames/gras/10?count=1"))[0]
        for width, factor in ((full.shape[1] // 2 - 1, 2), (full.shape[1] // 3, 3)):
            small = pictures(c.get(f"/s/0/frames/gras/10?count=1&width={width}"))[0]
            assert small.shape[1] == full.shape[1] // factor  # whole factors only: the page scales the rest
        same = pictures(c.get(f"/s/0/frames/gras/10?count=1&width={full.shape[1] * 3 // 4}"))[0]
        assert same.shape == full.shape  # not worth halving: sent as it is
        zoomed = pictures(c.get("/s/0/frames/gras/10?count=2&zoom=2"))
        assert [z.shape for z in zoomed] == [(full.shape[0] // 2, full.shape[1] // 2)] * 2  # the face crop, as stills
        assert "1 to 60 frames" in c.get("/s/0/frames/gras/10?count=61").json()["error"]
        assert "whole numbers" in c.get("/s/0/frames/gras/10?count=x").json()["error"]


def test_undo_appends_the_opposite_row(data: Path) -> None:
    add = {"action": "add", "camera": "gras", "kind": "micro", "onset": 10, "apex": 12, "offset": 16,
           "action_units": "4", "emotion": "disgust"}  # fmt: skip
    with client(data, "C1") as c:
        api = "/api/s/0/e/01"
        assert "nothing to undo" in c.post(api, json={"action": "undo"}).json()["error"]
        event_id = c.post(api, json=add).json()["event"]["event_id"]
        c.post(api, json={**add, "action": "change", "event_id": event_id, "action_units": "4+7"})
        c.post(api, json={"action": "delete", "event_id": event_id})
        assert c.get(api).json()["events"] == []
        assert "delete of" in c.post(api, json={"action": "undo"}).json()["undone"]
        assert [e["action_units"] for e in c.get(api).json()["events"]] == ["4+7"]
        assert "change of" in c.post(api, json={"action": "undo"}).json()["undone"]
        assert [(e["event_id"], e["action_units"]) for e in c.get(api).json()["events"]] == [(event_id, "4")]
        assert "add of" in c.post(api, json={"action": "undo"}).json()["undone"]
        assert c.get(api).json()["events"] == []
        rows = read_tsv(data / "sub-P1" / "ses-1" / "coding" / "C1.tsv")
        assert [r["action"] for r in rows] == ["add", "change", "delete", "add", "change", "delete"]
        c.post(api, json={"action": "done"})
        assert "marked done" in c.post(api, json={"action": "undo"}).json()["error"]
