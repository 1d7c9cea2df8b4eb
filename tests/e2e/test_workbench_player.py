"""The player as a coder finds it (the workbench's second pass): a point key takes the picture on screen, page
keys work whatever has focus, letters whatever their case, the jump field, event rows, a done episode, the
other camera's distance, readable pages and a layout that fits a 1366x768 laptop. Chromium via Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hardware.video import read_frames_tsv
from tests.e2e.workbench_server import Server, code_event, jump, open_player, shown_frame, wait_shown

CAMERA = "gras"


@pytest.fixture(scope="module")
def data(demo_session, tmp_path_factory) -> Path:
    result, session, _shots = demo_session
    assert result.returncode == 0, result.stderr
    root = tmp_path_factory.mktemp("player") / "data"
    shutil.copytree(session, root / "sub-demo" / "ses-1", ignore=shutil.ignore_patterns("coding"))
    return root


@pytest.fixture(scope="module")
def server(data: Path):
    running = Server(data, "P1")
    yield running
    running.stop()


@pytest.fixture
def page(browser, server):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    open_player(page, server)
    yield page
    page.close()


def frames(data: Path, camera: str = CAMERA) -> list[int]:
    table = read_frames_tsv(data / "sub-demo" / "ses-1" / "video" / f"{camera}_frames.tsv")
    return [int(table.frame[i]) for i in table.rows_in_file(f"{camera}_ep01.mkv")]


def slow_pictures(page, seconds: float) -> None:
    """Every request answers `seconds` late, as pictures do on a loaded machine (Chromium's network emulation)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    late = {"offline": False, "latency": seconds * 1000, "downloadThroughput": -1, "uploadThroughput": -1}
    cdp.send("Network.emulateNetworkConditions", late)


def test_a_point_key_waits_for_the_picture_and_takes_the_frame_shown(data: Path, page) -> None:
    ep = frames(data)
    wait_shown(page, CAMERA, ep[0])
    slow_pictures(page, 0.8)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("o")
    # the old picture is still on screen: nothing is stored yet, and the card says it is loading
    assert page.text_content("#f-onset") == "-"
    assert "loading frame" in (page.text_content(f"#wait-{CAMERA}") or "")
    assert "loading" in (page.get_attribute(f'.cam[data-camera="{CAMERA}"]', "class") or "")
    page.wait_for_function(f"document.getElementById('f-onset').textContent === '{ep[5]}'", timeout=20000)
    assert shown_frame(page, CAMERA) == ep[5]
    assert page.text_content(f"#wait-{CAMERA}") == ""
    info = page.text_content(f"#info-{CAMERA}") or ""
    assert info.startswith(f"frame {ep[5]} ")  # the caption is the picture's, not the frame asked for


def test_page_keys_work_after_choosing_with_the_mouse_and_escape_leaves_a_field(data: Path, page) -> None:
    ep = frames(data)
    wait_shown(page, CAMERA, ep[0])
    page.select_option("#f-emotion", "disgust")  # a mouse choice leaves the list focused
    page.focus("#f-emotion")
    page.keyboard.press("ArrowRight")
    wait_shown(page, CAMERA, ep[1])
    assert page.input_value("#f-emotion") == "disgust"
    page.click("#f-note")
    page.keyboard.type("blink?")
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowRight")  # out of the field: the page's key again
    wait_shown(page, CAMERA, ep[2])
    assert page.input_value("#f-note") == "blink?"


def test_letters_work_with_shift_or_caps_lock(data: Path, page) -> None:
    ep = frames(data)
    wait_shown(page, CAMERA, ep[0])
    page.keyboard.press("Shift+ArrowRight")
    wait_shown(page, CAMERA, ep[10])
    page.keyboard.press("Shift+O")
    page.wait_for_function(f"document.getElementById('f-onset').textContent === '{ep[10]}'")
    page.keyboard.press("ArrowRight")
    wait_shown(page, CAMERA, ep[11])
    page.keyboard.press("A")  # Caps Lock sends the capital without Shift
    page.wait_for_function(f"document.getElementById('f-apex').textContent === '{ep[11]}'")


def test_the_jump_field_starts_empty_and_refuses_a_time_outside_the_episode(data: Path, page) -> None:
    ep = frames(data)
    jump(page, CAMERA, ep[20])
    page.keyboard.press("g")
    assert page.input_value("#jump") == ""  # not the last jump's text with the new one appended
    page.keyboard.type("1.5s")
    page.keyboard.press("Enter")
    page.wait_for_selector("#message.bad")
    assert "outside this episode" in (page.text_content("#message") or "")
    assert shown_frame(page, CAMERA) == ep[20]  # no silent jump to an end


def test_an_event_row_goes_to_its_frames_and_a_done_episode_takes_no_more_codes(data: Path, browser) -> None:
    copy = data.parent / "done-data"
    shutil.copytree(data, copy)
    server = Server(copy, "D1")
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    try:
        open_player(page, server)
        ep = frames(copy)
        code_event(page, CAMERA, ep[30], ep[33], ep[38], "4", "disgust")
        jump(page, CAMERA, ep[5])
        page.click("#events tr[data-id]")
        wait_shown(page, CAMERA, ep[30])
        page.click("#done")
        page.click("#done")  # the second click confirms
        page.wait_for_selector("#save:disabled", timeout=20000)
        assert page.is_disabled("#save") and page.is_disabled("#f-aus") and page.is_disabled("#f-emotion")
        page.keyboard.press("o")
        assert "marked done" in (page.text_content("#message") or "")
    finally:
        page.close()
        server.stop()


def test_the_other_cameras_caption_gives_its_distance_from_the_coded_instant(data: Path, page) -> None:
    ep = frames(data)
    jump(page, CAMERA, ep[40])
    page.wait_for_function("document.getElementById('info-uvc').textContent.includes('from the coded frame')")
    text = page.text_content("#info-uvc") or ""
    gap_ms = float(text.split(" · ")[-1].split(" ms")[0].replace("+", "").replace("−", "-"))
    assert abs(gap_ms) < 1000 / 60  # the demo's cameras run at 60 fps: the nearest frame is within a period


CONTRAST = """(el) => {
  const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const channel = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
  const lum = (c) => { const v = rgb(c).map(channel); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  let bg = el, colour = "rgba(0, 0, 0, 0)";
  while (bg && (colour = getComputedStyle(bg).backgroundColor) === "rgba(0, 0, 0, 0)") bg = bg.parentElement;
  const a = lum(getComputedStyle(el).color), b = lum(colour);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_every_page_is_readable_and_the_player_fits_a_laptop_screen(data: Path, browser, server) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(server.url)
        for path in ("/", "/s/0", "/s/0/e/01", "/s/0/agreement?c1=P1&c2=X1", "/s/0/arbitrate?c1=P1&c2=X1"):
            page.goto(server.base + path)
            for link in page.query_selector_all("a")[:5]:
                assert link.evaluate(CONTRAST) >= 4.5, f"{path}: link contrast"
            for text in page.query_selector_all("td, p, .dim")[:20]:
                assert text.evaluate(CONTRAST) >= 4.5, f"{path}: text contrast"
        page.goto(server.base + "/s/0/e/01")
        page.wait_for_selector("body[data-ready='1']")
        for selector in ("#form", "#jump", "#events", f"#img-{CAMERA}"):
            box = page.locator(selector).bounding_box()
            assert box is not None and box["y"] < 768 and box["x"] + 40 < 1366, selector  # starts above the fold
    finally:
        page.close()
