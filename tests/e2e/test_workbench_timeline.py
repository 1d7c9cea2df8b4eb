"""The timeline under the player in Chromium (Playwright) on a copy of the demo session: a ruler of clock
seconds, zoom by keys and wheel down to single frames, the other coder's events once both coders are done,
and undo of the last change through the coder's append-only log."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from elicitation.folder import read_tsv
from hardware.video import read_frames_tsv
from tests.e2e.workbench_server import Server, code_event, copy_demo, open_player

CAMERA = "gras"
EPISODE = "/api/s/0/e/01"


@pytest.fixture(scope="module")
def data(demo_session, tmp_path_factory) -> Path:
    return copy_demo(demo_session, tmp_path_factory.mktemp("timeline"))


def frames(data: Path) -> list[int]:
    table = read_frames_tsv(data / "sub-demo" / "ses-1" / "video" / f"{CAMERA}_frames.tsv")
    return [int(table.frame[i]) for i in table.rows_in_file(f"{CAMERA}_ep01.mkv")]


def drawn(page) -> dict:
    return page.evaluate("window.__timeline")


def post(page, server: Server, body: dict) -> tuple[int, dict]:
    script = """async ([url, body]) => { const r = await fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      return [r.status, await r.json()]; }"""
    status, answer = page.evaluate(script, [server.base + EPISODE, body])
    return status, answer


def test_ruler_and_zoom_down_to_single_frames(data: Path, browser) -> None:
    server = Server(data, "R1")
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    try:
        open_player(page, server)
        tl = page.evaluate("WB.s.data.timeline")
        first = drawn(page)
        assert first["view"] == pytest.approx([tl["start"], tl["end"]])  # the whole episode
        assert first["seconds"] and all(tl["start"] <= t <= tl["end"] for t in first["seconds"])
        gaps = {round(b - a, 6) for a, b in zip(first["seconds"], first["seconds"][1:], strict=False)}
        assert len(gaps) == 1 and next(iter(gaps)) in (0.5, 1, 2, 5)  # evenly spaced clock seconds
        assert first["frameTicks"] == 0  # 6 s of 60 fps in a page width: no room for frame ticks
        for _ in range(10):
            page.keyboard.type("+")
        deep = drawn(page)
        span = deep["view"][1] - deep["view"][0]
        assert span == pytest.approx(24 / 60, rel=0.15)  # down to single frames: 24 frames across
        times = page.evaluate("WB.s.data.frames.gras.host_time")
        inside = [t for t in times if deep["view"][0] <= t <= deep["view"][1]]
        assert deep["frameTicks"] == len(inside) >= 20 and deep["framePx"] >= 6  # each frame a visible tick
        assert deep["seconds"] and all(round(t * 100) == pytest.approx(t * 100) for t in deep["seconds"])
        now = page.evaluate("WB.now()")
        assert deep["view"][0] <= now <= deep["view"][1]  # the current frame stays in view
        for _ in range(10):
            page.keyboard.type("-")
        assert drawn(page)["view"] == pytest.approx(first["view"])
        page.locator("#timeline").scroll_into_view_if_needed()
        box = page.locator("#timeline").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, -200)  # the wheel zooms too
        page.wait_for_function(
            f"() => window.__timeline.view[1] - window.__timeline.view[0] < {0.75 * (tl['end'] - tl['start'])}"
        )
        html = page.content()  # the key list on the page
        assert "<kbd>+</kbd></td><td>timeline: zoom in" in html and "<kbd>U</kbd></td><td>undo" in html
    finally:
        page.close()
        server.stop()


def test_the_other_coders_events_show_once_both_are_done(data: Path, browser) -> None:
    copy = data.parent / "others-data"
    shutil.copytree(data, copy)
    ep = frames(copy)
    one, two = Server(copy, "A1"), Server(copy, "B2")
    page1, page2 = browser.new_page(viewport={"width": 1500, "height": 1000}), browser.new_page()
    try:
        open_player(page1, one)
        open_player(page2, two)
        event = {"action": "add", "camera": CAMERA, "onset": ep[40], "apex": ep[44], "offset": ep[50], "kind": "micro",
                 "action_units": "4", "emotion": "disgust", "category": "", "note": ""}  # fmt: skip
        status, answer = post(page2, two, event)
        assert status == 200, answer
        assert post(page2, two, {"action": "done"})[0] == 200
        page1.reload()
        page1.wait_for_selector("body[data-ready='1']")
        assert drawn(page1)["others"] == []  # A1 is not done: B2's codes stay hidden
        assert post(page1, one, {"action": "done"})[0] == 200
        page1.reload()
        page1.wait_for_selector("body[data-ready='1']")
        others = drawn(page1)["others"]
        assert [(o["coder"], o["event_id"], o["onset"], o["offset"]) for o in others] == [
            ("B2", answer["event"]["event_id"], ep[40], ep[50])
        ]
        assert others[0]["x1"] > others[0]["x0"]
        assert "other coders" in (page1.text_content("#legend") or "")
    finally:
        page1.close()
        page2.close()
        one.stop()
        two.stop()


def test_undo_goes_through_the_log_add_change_and_delete(data: Path, browser) -> None:
    copy = data.parent / "undo-data"
    shutil.copytree(data, copy)
    ep = frames(copy)
    server = Server(copy, "U1")
    page = browser.new_page(viewport={"width": 1500, "height": 1000})

    def clear() -> None:
        page.evaluate("() => { const m = document.getElementById('message'); m.textContent = ''; m.className = ''; }")

    def said(text: str) -> None:
        page.wait_for_function(f"() => document.getElementById('message').textContent.includes({text!r})")

    def aus() -> list[str]:
        return [e["action_units"] for e in page.evaluate("WB.s.data.events")]

    try:
        open_player(page, server)
        event_id = code_event(page, CAMERA, ep[10], ep[12], ep[20], "4", "disgust")
        page.click(f"#events tr[data-id='{event_id}']")
        page.fill("#f-aus", "4+7")
        clear()
        page.click("#save")
        said(f"saved {event_id}")
        assert aus() == ["4+7"]
        clear()
        page.keyboard.press("Control+z")
        said(f"undone: the change of {event_id}")
        assert aus() == ["4"]  # its previous values
        page.click(f"#events tr[data-id='{event_id}']")
        clear()
        page.click("#delete")
        said(f"deleted {event_id}")
        assert aus() == []
        clear()
        page.keyboard.press("u")
        said(f"undone: the delete of {event_id}")
        assert [e["event_id"] for e in page.evaluate("WB.s.data.events")] == [event_id] and aus() == ["4"]
        clear()
        page.keyboard.press("u")
        said(f"undone: the add of {event_id}")
        assert aus() == []
        clear()
        page.keyboard.press("u")
        said("nothing to undo")
        rows = read_tsv(copy / "sub-demo" / "ses-1" / "coding" / "U1.tsv")  # appended, never rewritten
        assert [(r["action"], r["event_id"], r["action_units"]) for r in rows] == [
            ("add", event_id, "4"), ("change", event_id, "4+7"), ("change", event_id, "4"),
            ("delete", event_id, ""), ("add", event_id, "4"), ("delete", event_id, ""),
        ]  # fmt: skip
    finally:
        page.close()
        server.stop()
