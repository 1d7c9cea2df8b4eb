"""A sample on another camera whose nearest frames are far from the coded instant (issue: the other camera's
"same instant" at load, up to 174 ms away): reported, refused by dataset build unless --allow-far-frames."""

from __future__ import annotations

from elicitation.coding import Event, FrameRef
from elicitation.dataset.build_plan import _far
from elicitation.dataset.samples import Sample
from elicitation.dataset.session_samples import SessionSample, _gaps


def _ref(frame: int, t: float) -> FrameRef:
    return FrameRef(frame, "x.mkv", frame, t)


def test_gaps_are_each_points_time_on_this_camera_minus_the_coded_cameras() -> None:
    coded = {"onset": _ref(10, 100.000), "apex": _ref(13, 100.050), "offset": _ref(20, 100.167)}
    other = {"onset": _ref(4, 100.006), "apex": _ref(7, 100.050), "offset": _ref(9, 100.341)}
    event = Event("C1-0001", "01", "micro", "gras", 10, 13, 20, frames={"gras": coded, "uvc": other})
    gaps = _gaps(event, other)
    assert {p: round(g * 1000, 3) for p, g in gaps.items()} == {"onset": 6.0, "apex": 0.0, "offset": 174.0}
    assert _gaps(event, coded) == {"onset": 0.0, "apex": 0.0, "offset": 0.0}


def _item(gaps: dict[str, float], period: float = 1 / 60) -> SessionSample:
    sample = Sample("s", "P1", "1", "01", "A", "micro", 4, 7, None, 9, 100.0, 100.05, None, 100.3, period)
    return SessionSample(sample, "uvc", "C1-0001", {}, gaps)


def test_more_than_half_a_frame_period_plus_1_ms_is_far_and_the_message_gives_each_gap() -> None:
    # 8.6 ms on a 60 fps camera: its nearest frame with a little timestamp jitter (limit 8.33 + 1 ms)
    assert _far(_item({"onset": 0.0086, "apex": -0.009}), "S: event on uvc") is None
    text = _far(_item({"onset": 0.006, "apex": -0.0094, "offset": 0.174}), "S: event on uvc")
    assert text == ("S: event on uvc: the nearest frames are more than half a frame period + 1 ms (9.3 ms) from the "
                    "coded ones: apex -9.4 ms, offset +174.0 ms")  # fmt: skip
