"""The session's framing monitor without a session: check-in verdicts and face_lost rows from given results."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from rich.console import Console

from elicitation.folder import EventLog, SessionState, read_tsv
from elicitation.protocol import FramingSettings
from elicitation.session.framing import FramingFailed, FramingMonitor
from hardware import clock


def framing_result(face: bool, focus: float = 100.0, centred: bool = True) -> dict:
    checks = {
        "face": {"ok": face, "value": 1.0 if face else 0.0, "text": "face 150x150 px" if face else "no face found"},
        "centred": {"ok": centred, "value": 0.3, "text": "centre 30% off (at most 15%)"},
    }
    return {"ok": face and centred, "face": {"x": 1, "y": 1, "w": 9, "h": 9} if face else None, "focus": focus,
            "checks": checks}  # fmt: skip


def make_ctx(tmp_path, required=False):
    state = SessionState.new(tmp_path)
    state.data["runs"].append({"run": 1})
    state.data["episodes"]["01"] = {"attempts": []}
    rig = SimpleNamespace(cameras={"front": None, "side": None}, framing={"side": {"max_offset_share": 0.4}})
    protocol = SimpleNamespace(framing=FramingSettings(required=required), review=SimpleNamespace(camera="side"))
    recorder = SimpleNamespace(rig=rig, preview_names={"front": "x", "side": "y"})
    events = EventLog(tmp_path / "events.tsv", t0=0.0)
    return SimpleNamespace(protocol=protocol, recorder=recorder, state=state, events=events, episode=None,
                           console=Console(file=open(tmp_path / "console.txt", "w")))  # fmt: skip


def test_watched_camera_and_thresholds_come_from_protocol_and_rig(tmp_path):
    monitor = FramingMonitor(make_ctx(tmp_path))
    assert monitor.live.watched == "side"  # the review camera
    assert monitor.thresholds["side"].max_offset_share == 0.4 and monitor.thresholds["front"].max_offset_share == 0.15


def test_checkin_warns_by_default_and_keeps_the_reference_focus(tmp_path):
    ctx = make_ctx(tmp_path)
    monitor = FramingMonitor(ctx)
    now = clock.now() + 0.5  # results taken after the check-in began
    monitor._on_result("front", now, 10, framing_result(True, focus=321.0))
    monitor._on_result("side", now, 11, framing_result(True, centred=False))
    monitor.checkin(ctx)
    (record,) = ctx.state.data["framing"]["checkins"]
    assert record["ok"] is False and set(record["cameras"]) == {"front", "side"}
    assert ctx.state.data["framing"]["reference_focus"]["front"] == 321.0
    assert any("camera side: framing check 'centred' failed" in w["message"] for w in ctx.state.data["warnings"])
    assert monitor.live.snapshot()["reference_focus"]["front"] == 321.0


def test_required_checkin_holds_with_the_check_named(tmp_path):
    ctx = make_ctx(tmp_path, required=True)
    monitor = FramingMonitor(ctx)
    now = clock.now() + 0.5
    monitor._on_result("front", now, 10, framing_result(False))
    monitor._on_result("side", now, 11, framing_result(True))
    with pytest.raises(FramingFailed, match="camera front: framing check 'face' failed \\(no face found\\)"):
        monitor.checkin(ctx)


def test_face_lost_rows_follow_the_clip(tmp_path):
    ctx = make_ctx(tmp_path)
    monitor = FramingMonitor(ctx)
    ctx.state.data["episodes"]["01"]["attempts"].append({"attempt": 1, "onset_clock": 10.0, "offset_clock": None})
    ctx.episode = "01"
    monitor.poll(ctx)
    for i in range(100, 200):  # 10.0 .. 19.9 s, no face from 12.0 to 13.0
        monitor._on_result("side", i / 10, i, framing_result(not 120 <= i < 130))
        monitor._on_result("front", i / 10, i, framing_result(False))  # not the watched camera: ignored
    monitor.poll(ctx)
    ctx.state.data["episodes"]["01"]["attempts"][0]["offset_clock"] = 20.0
    ctx.episode = None
    monitor.poll(ctx)
    monitor._on_result("side", 20.1, 201, framing_result(True))
    monitor.close(ctx)
    rows = [r for r in read_tsv(tmp_path / "events.tsv") if r["trial_type"] == "face_lost"]
    assert len(rows) == 1 and rows[0]["episode"] == "01"
    assert float(rows[0]["onset"]) == pytest.approx(11.95) and float(rows[0]["duration"]) == pytest.approx(1.0)
    assert ctx.state.data["episodes"]["01"]["face_lost"] == {"count": 1, "seconds": 1.0}
    assert monitor.live.snapshot()["face_lost_counts"] == {"01": 1}
