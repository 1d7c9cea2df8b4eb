"""The dashboard's app over HTTP (a real server on a free port): pictures as JPEG whose frame-id
barcode reads back, the state the page polls, buttons that become the experimenter's keys, the
framing checks of the live view, and the clip's time left standing still during a pause."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import httpx
import numpy as np
import pytest

from elicitation.dashboard import Buttons, FramingMonitor, LiveState, Pictures, dashboard_app
from elicitation.protocol import Keys
from elicitation.screen import RemoteKeys
from elicitation.web import WebServer, new_token
from hardware import clock
from hardware.cameras.sim import barcode
from hardware.cameras.sim.face import FaceLayer


@dataclass
class Frame:
    seq: int
    camera_frame_id: int
    host_time: float
    image: np.ndarray


class FakeReader:
    """A preview slot: the test sets the latest frame, like a camera process would."""

    def __init__(self) -> None:
        self.frame: Frame | None = None

    def show(self, frame_id: int, face: bool = False) -> None:
        image = np.full((240, 400), 90, np.uint8)
        if face:
            FaceLayer(400, 240, 1, movement_px=0).draw(image, 0.0)
        barcode.write(image, frame_id)
        self.frame = Frame((self.frame.seq + 1) if self.frame else 1, frame_id, clock.now(), image)

    def latest(self) -> Frame | None:
        return self.frame


@pytest.fixture
def served():
    readers = {"cam_a": FakeReader(), "cam_b": FakeReader()}
    live, remote, token = LiveState("test"), RemoteKeys(), new_token()
    app = dashboard_app(token=token, title="Session", live=live, pictures=Pictures(readers),
                        buttons=Buttons(Keys(), remote))  # fmt: skip
    server = WebServer(app).start()
    client = httpx.Client(base_url=f"http://127.0.0.1:{server.port}", headers={"X-Token": token}, timeout=10)
    yield client, readers, live, remote
    client.close()
    server.stop()


def decode(data: bytes) -> int:
    return barcode.read(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED))


def test_each_camera_s_latest_preview_is_served_as_a_jpeg_whose_barcode_reads_back(served):
    client, readers, _, _ = served
    assert client.get("/camera/cam_a.jpg").status_code == 404  # no frame yet
    assert client.get("/camera/nope.jpg").status_code == 404
    readers["cam_a"].show(1234)
    readers["cam_b"].show(77)
    first = client.get("/camera/cam_a.jpg")
    assert first.headers["content-type"] == "image/jpeg" and decode(first.content) == 1234
    assert first.headers["x-frame-id"] == "1234" and decode(client.get("/camera/cam_b.jpg").content) == 77
    readers["cam_a"].show(1300)
    assert decode(client.get("/camera/cam_a.jpg").content) == 1300
    state = client.get("/state.json").json()
    assert state["cameras"]["cam_a"]["picture"]["frame_id"] == 1300
    assert state["cameras"]["cam_a"]["picture"]["width"] == 400 and state["cameras"]["cam_b"]["picture"]["seq"] == 1


def test_buttons_press_the_experimenter_s_keys_and_confirm_needs_the_abort_question(served):
    client, _, live, remote = served
    keys = Keys()
    answer = client.post("/press/pause")
    assert answer.status_code == 200 and answer.json()["key"] == keys.pause
    assert client.post("/press/penalty").json()["key"] == keys.penalty
    pressed = [(k.name, k.source) for k in remote.due(clock.now())]
    assert pressed == [(keys.pause, "dashboard"), (keys.penalty, "dashboard")]
    assert client.post("/press/confirm").status_code == 409 and client.post("/press/cancel").status_code == 409
    assert client.post("/press/launch").status_code == 404
    assert client.get("/press/pause").status_code == 405
    assert remote.due(clock.now()) == []
    live.publish(overlay="abort_confirm")
    assert client.post("/press/confirm").json()["key"] == keys.confirm


def test_the_state_carries_the_session_as_the_frame_loop_published_it(served):
    client, _, live, _ = served
    live.publish(where="episode 02/03", episode="02", penalties=2, status="running",
                 cameras={"cam_a": {"state": "running", "fps": 60.0, "dropped": 0}})  # fmt: skip
    live.add_event({"onset": "1.0", "trial_type": "face_lost", "source": "n/a"})
    state = client.get("/state.json").json()["live"]
    assert state["where"] == "episode 02/03" and state["penalties"] == 2
    assert state["cameras"]["cam_a"]["fps"] == 60.0 and state["face_lost_count"] == 1
    assert state["events"][-1]["trial_type"] == "face_lost"
    live.set_framing("cam_a", {"ok": False, "face": None, "checks": {"face": {"ok": False, "text": "no face"}}})
    cameras = client.get("/state.json").json()["cameras"]
    assert cameras["cam_a"]["framing"]["checks"]["face"]["text"] == "no face" and cameras["cam_b"]["framing"] is None


def test_the_clip_s_time_left_stands_still_while_paused():
    live = LiveState()
    now = clock.now()
    live.publish(clip={"onset": now - 2.0, "duration": 10.0, "paused_s": 0.0})
    assert live.snapshot()["clip"]["left_s"] == pytest.approx(8.0, abs=0.05)
    live.publish(overlay="pause", overlay_since=now - 1.0)  # paused a second ago
    assert live.snapshot()["clip"]["left_s"] == pytest.approx(9.0, abs=0.05)
    live.publish(overlay=None, clip={"onset": now - 2.0, "duration": 10.0, "paused_s": 1.0})
    assert live.snapshot()["clip"]["left_s"] == pytest.approx(9.0, abs=0.05)


def test_the_live_view_runs_the_framing_checks_on_each_preview_and_takes_a_focus_reference():
    readers = {"face": FakeReader(), "wall": FakeReader()}
    readers["face"].show(1, face=True)
    readers["wall"].show(1)
    pictures = Pictures(readers)
    monitor = FramingMonitor(pictures)
    monitor.run_once()
    results = monitor.results()
    assert results["face"]["face"] is not None and results["face"]["checks"]["face"]["ok"]
    assert results["wall"]["face"] is None and not results["wall"]["checks"]["face"]["ok"] and not results["wall"]["ok"]
    assert monitor.take_reference("face") == results["face"]["focus"] and monitor.take_reference("wall") is None
    token = new_token()
    server = WebServer(dashboard_app(token=token, title="Live view", live=LiveState(), pictures=pictures,
                                     framing=monitor)).start()  # fmt: skip
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{server.port}", headers={"X-Token": token})
        state = client.get("/state.json").json()
        assert state["cameras"]["face"]["framing"]["reference_focus"] == results["face"]["focus"]
        assert client.post("/press/pause").status_code == 409  # no session: no buttons
        assert client.post("/focus/wall").status_code == 409 and client.post("/focus/face").status_code == 200
        assert httpx.get(f"http://127.0.0.1:{server.port}/state.json").status_code == 403
    finally:
        server.stop()


def test_the_session_s_face_state_and_framing_come_from_the_framing_watch_s_live_snapshot():
    live = LiveState()
    watch = {"watched": "gras", "face_found": False, "lost_for_s": 0.7, "face_lost_counts": {"01": 2},
             "face_lost_total": 2, "cameras": {"gras": {"ok": False, "face": None, "checks": {}}}}  # fmt: skip
    live.framing_source = lambda: watch
    state = live.snapshot()
    assert state["face"]["lost"] and state["face"]["camera"] == "gras" and state["face"]["lost_for_s"] == 0.7
    assert state["face_lost_count"] == 2 and live.framing()["gras"]["ok"] is False
    watch["face_found"] = True
    assert live.snapshot()["face"]["lost"] is False and live.snapshot()["face"]["found"] is True
