"""The workbench's HTTP side in process (Starlette TestClient): the token, refusals, independence,
and the picture served for a frame is that frame."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from starlette.testclient import TestClient

from elicitation.coding import final_decisions, final_path
from elicitation.workbench import Workbench, build_app
from hardware.cameras.sim import barcode
from tests.elicitation.workbench.tiny_session import FIRST_ID, make_session

TOKEN = "test-token"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    make_session(tmp_path / "data" / "sub-P1" / "ses-1")
    return tmp_path / "data"


def client(data: Path, coder: str, **options) -> TestClient:
    return TestClient(build_app(Workbench(data, coder, **options), TOKEN), headers={"X-Token": TOKEN})


def event(**more) -> dict:
    return {"action": "add", "camera": "gras", "kind": "micro", "onset": 10, "apex": 12, "offset": 16,
            "action_units": "4", "emotion": "disgust", **more}  # fmt: skip


def test_no_token_no_page(data: Path) -> None:
    bare = TestClient(build_app(Workbench(data, "C1"), TOKEN))
    assert bare.get("/").status_code == 403 and bare.get("/s/0/frame/gras/3").status_code == 403


def test_the_picture_of_a_frame_is_that_frame(data: Path) -> None:
    with client(data, "C1") as c:
        for camera, frame in (("gras", 0), ("gras", 95), ("uvc", 57)):
            answer = c.get(f"/s/0/frame/{camera}/{frame}")
            image = cv2.imdecode(np.frombuffer(answer.content, np.uint8), cv2.IMREAD_UNCHANGED)
            assert barcode.read(image) == FIRST_ID + frame == int(answer.headers["x-camera-frame-id"])
        assert "not in gras's frames.tsv" in c.get("/s/0/frame/gras/500").json()["error"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"action_units": "4+"}, "empty (two '+' in a row"),
        ({"onset": 18}, "0 <= onset <= apex <= apex2 <= offset"),
        ({"offset": 100}, "outside episode 01"),
        ({"onset": None}, "no onset frame"),
        ({"emotion": "joy"}, "emotion 'joy' is not one of"),
        ({"kind": "irrelevant"}, "needs a review category"),
        ({"category": "swallowing"}, "only for an irrelevant movement"),  # said, never dropped silently
        ({"action_units": "99"}, "not a FACS action unit"),
    ],
)
def test_a_refused_event_says_why_and_is_not_recorded(data: Path, change: dict, reason: str) -> None:
    with client(data, "C1") as c:
        answer = c.post("/api/s/0/e/01", json=event(**change))
        assert answer.status_code == 400 and reason in answer.json()["error"]
        assert c.get("/api/s/0/e/01").json()["events"] == []


def test_other_coders_codes_stay_hidden_until_both_are_done(data: Path) -> None:
    with client(data, "C1") as one, client(data, "C2") as two:
        saved = one.post("/api/s/0/e/01", json=event()).json()["event"]
        assert saved["frames"]["uvc"]["onset"]["frame"] == 10  # resolved on the other camera by host_time
        two.post("/api/s/0/e/01", json=event(onset=11))
        one.post("/api/s/0/e/01", json={"action": "done"})
        view = two.get("/api/s/0/e/01").json()["others"]
        assert view["shown"] == {}
        assert "stay hidden until both coders marked it done (not yet: C2)" in view["hidden"]["C1"]
        two.post("/api/s/0/e/01", json={"action": "done"})
        shown = two.get("/api/s/0/e/01").json()["others"]["shown"]
        assert [e["onset"] for e in shown["C1"]] == [10]
        late = one.post("/api/s/0/e/01", json=event(onset=9))
        assert late.status_code == 400 and "marked done" in late.json()["error"]


def test_an_identical_event_is_refused_a_different_one_is_kept(data: Path) -> None:
    with client(data, "C1") as c:
        first = c.post("/api/s/0/e/01", json=event()).json()["event"]["event_id"]
        again = c.post("/api/s/0/e/01", json=event(action_units="AU4", emotion="Disgust"))  # the same codes
        assert again.status_code == 400 and f"event {first} of yours has the same" in again.json()["error"]
        assert c.post("/api/s/0/e/01", json=event(apex=13)).status_code == 200
        assert len(c.get("/api/s/0/e/01").json()["events"]) == 2


def test_arbitration_needs_a_decision_on_every_field_the_coders_disagreed_on(data: Path) -> None:
    with client(data, "C1") as one, client(data, "C2") as two, client(data, "R1", arbiter="R1") as arbiter:
        first = one.post("/api/s/0/e/01", json=event(note="brows first")).json()["event"]["event_id"]
        second = two.post("/api/s/0/e/01", json=event(action_units="4+L10", emotion="repression")).json()["event"]
        for c in (one, two):
            c.post("/api/s/0/e/01", json={"action": "done"})
        page = arbiter.get("/s/0/arbitrate?c1=C1&c2=C2").text
        assert "note: brows first" in page and 'data-open="1"' in page  # the coders' notes and what is open
        assert page.count('src="/s/0/frame/gras/') == 6  # both coders' onset, apex and offset pictures
        key = f"{first}+{second['event_id']}"
        decision = {"c1": "C1", "c2": "C2", "key": key, "onset": 10, "apex": 12, "offset": 16, "kind": "micro",
                    "action_units": "", "emotion": ""}  # fmt: skip
        refused = arbiter.post("/api/s/0/arbitrate", json=decision)
        assert refused.status_code == 400
        assert "disagree on AUs (C1: 4, C2: 4+L10); emotion (C1: disgust, C2: repression)" in refused.json()["error"]
        assert final_decisions(final_path(data / "sub-P1" / "ses-1")) == {}  # nothing recorded
        chosen = arbiter.post("/api/s/0/arbitrate", json={**decision, "action_units": "4+L10", "emotion": "repression"})
        assert chosen.status_code == 200 and chosen.json()["decided"] == "chosen-2"
        none = arbiter.post("/api/s/0/arbitrate", json={**decision, "action_units_none": True, "emotion": "disgust"})
        assert none.status_code == 200 and none.json()["decided"] == "edited"  # no AUs, said so
