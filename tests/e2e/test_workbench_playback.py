"""Real-time play in Chromium (Playwright) on a copy of the demo session (gras 640x480, uvc 1280x720, 60 fps):
SPACE paints the frames in order at their clock times, says how many it shows per second and skips, and
pausing lands on the picture shown, which the status, the caption and a point key then take.

No tight rate is asserted (the machine is shared): the measured pictures per second are printed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hardware.video import read_frames_tsv
from tests.e2e.workbench_server import Server, copy_demo, jump, open_player, shown_frame, wait_shown


@pytest.fixture(scope="module")
def data(demo_session, tmp_path_factory) -> Path:
    return copy_demo(demo_session, tmp_path_factory.mktemp("playback"))


@pytest.fixture(scope="module")
def server(data: Path):
    running = Server(data, "V1")
    yield running
    running.stop()


@pytest.fixture
def page(browser, server):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    open_player(page, server)
    yield page
    page.close()


def frames(data: Path, camera: str) -> tuple[list[int], dict[int, float]]:
    table = read_frames_tsv(data / "sub-demo" / "ses-1" / "video" / f"{camera}_frames.tsv")
    rows = table.rows_in_file(f"{camera}_ep01.mkv")
    return [int(table.frame[i]) for i in rows], {int(table.frame[i]): float(table.host_time[i]) for i in rows}


def play_for(page, seconds: float) -> dict:
    page.keyboard.press(" ")
    page.wait_for_function("() => window.__playStats && window.__playStats.painted >= 10", timeout=30000)
    time.sleep(seconds)
    page.keyboard.press(" ")
    return page.evaluate("window.__playStats")


@pytest.mark.parametrize("camera", ["gras", "uvc"])
def test_play_paints_frames_in_order_and_pause_lands_on_the_frame_shown(data: Path, page, camera: str) -> None:
    ep, times = frames(data, camera)
    if camera != "gras":
        page.keyboard.press("c")  # code on uvc (1280x720)
    jump(page, camera, ep[0])
    stats = play_for(page, 2.0)
    painted = stats["frames"]
    print(f"{camera}: {stats['fps']:.1f} pictures/s of {stats['contentFps']:.0f}, {stats['skipped']} skipped")
    assert not stats["playing"] and len(painted) == stats["painted"] >= 10
    assert painted == sorted(set(painted)) and set(painted) <= set(ep)  # in order, each once, the episode's
    assert stats["painted"] + stats["skipped"] == ep.index(painted[-1]) - ep.index(painted[0]) + 1
    assert stats["fps"] > 3  # loose: playing, not stepping
    paused = stats["pausedOn"]
    assert paused == painted[-1] and page.evaluate(f"WB.shownFrame('{camera}')") == paused  # the picture on screen
    assert page.get_attribute(f"#play-{camera}", "data-frame") == str(paused) or shown_frame(page, camera) == paused
    page.keyboard.press("o")  # at once: the picture shown is the frame that gets stored
    assert page.text_content("#f-onset") == str(paused)
    status = page.text_content("#status") or ""
    assert f"frame {ep.index(paused) + 1} of {len(ep)}" in status and "pictures/s" in status and "skipped" in status
    wait_shown(page, camera, paused)  # the full still picture of that frame replaces the play canvas
    assert page.is_hidden(f"#play-{camera}") and (page.text_content(f"#info-{camera}") or "").startswith(
        f"frame {paused} "
    )
    # the clock: frames were shown at their recorded times, so the clock span played is the wall time played
    span = times[paused] - times[painted[0]]
    wall = (stats["pausedAt"] - stats["wall0"]) / 1000
    assert wall - 1.0 <= span <= wall + 0.05, (span, wall)  # neither slow motion nor ahead of the clock


def test_a_slow_server_shows_skipped_frames_instead_of_slowing_down(data: Path, page) -> None:
    ep, times = frames(data, "gras")
    jump(page, "gras", ep[0])
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")  # every request answers 0.4 s late: runs of frames cannot come in time
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 400, "downloadThroughput": -1, "uploadThroughput": -1})  # fmt: skip
    page.keyboard.press(" ")
    page.wait_for_function("() => window.__playStats && window.__playStats.skipped > 0", timeout=30000)
    status = page.text_content("#status") or ""
    page.keyboard.press(" ")
    stats = page.evaluate("window.__playStats")
    assert "skipped" in status and stats["painted"] >= 1
    painted = stats["frames"]
    assert painted == sorted(set(painted))
    span = times[stats["pausedOn"]] - times[painted[0]]  # the clock went on at real time, frames were left out
    assert span >= 0.4 * (stats["pausedAt"] - stats["wall0"]) / 1000 - 0.5
