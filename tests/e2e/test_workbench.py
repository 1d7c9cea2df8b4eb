"""The coders' workbench in Chromium (Playwright) on a copy of the demo session: frame-exact coding with
the keys, refusals with their reasons, a server killed mid-coding, two coders' agreement and arbitration."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from elicitation.coding import replay, replay_final
from hardware.cameras.sim import barcode
from hardware.video import IndexedReader, read_frames_tsv
from tests.conftest import run_elicit
from tests.e2e.workbench_server import Server, barcode_of_jpeg, code_event, jump, open_player, shown_frame, wait_shown

CAMERA = "gras"


@pytest.fixture
def data(demo_session, tmp_path: Path) -> Path:
    result, session, _shots = demo_session
    assert result.returncode == 0, result.stderr
    copy = tmp_path / "data" / "sub-demo" / "ses-1"
    shutil.copytree(session, copy, ignore=shutil.ignore_patterns("coding"))
    return tmp_path / "data"


def session_of(data: Path) -> Path:
    return data / "sub-demo" / "ses-1"


def episode_frames(data: Path, camera: str = CAMERA) -> list[int]:
    table = read_frames_tsv(session_of(data) / "video" / f"{camera}_frames.tsv")
    return [int(table.frame[i]) for i in table.rows_in_file(f"{camera}_ep01.mkv")]


def test_keys_code_the_frames_shown_and_a_killed_server_keeps_them(data: Path, browser) -> None:
    frames = episode_frames(data)
    server = Server(data, "C1")
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    try:
        open_player(page, server)
        wait_shown(page, CAMERA, frames[0])
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Shift+ArrowRight")
        page.keyboard.press("ArrowLeft")
        wait_shown(page, CAMERA, frames[12])  # 3 + 10 - 1
        page.keyboard.press("o")
        page.keyboard.press("Shift+ArrowRight")
        wait_shown(page, CAMERA, frames[22])
        page.keyboard.press("a")
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        wait_shown(page, CAMERA, frames[27])
        page.keyboard.press("f")
        page.fill("#f-aus", "l10+4")
        page.wait_for_selector("#suggested:has-text('disgust')")
        page.select_option("#f-emotion", "disgust")
        page.keyboard.press("Enter")
        page.wait_for_selector("#message.ok")
        if os.environ.get("ELICIT_SCREENSHOT_DIR"):
            shots = Path(os.environ["ELICIT_SCREENSHOT_DIR"])
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "workbench-player.png"), full_page=True)

        (event,) = replay(session_of(data) / "coding" / "C1.tsv").events.values()
        coded = (event.onset, event.apex, event.offset, event.action_units)
        assert coded == (frames[12], frames[22], frames[27], "4+L10")
        for camera, refs in event.frames.items():  # every camera, every point: the stored frame is the barcode
            table = read_frames_tsv(session_of(data) / "video" / f"{camera}_frames.tsv")
            for point, ref in refs.items():
                row = int(np.flatnonzero(table.frame == ref.frame)[0])
                assert (table.file[row], int(table.file_frame[row])) == (ref.file, ref.file_frame)
                with IndexedReader(session_of(data) / "video" / ref.file) as reader:
                    assert barcode.read(reader.frame(ref.file_frame)) == int(table.camera_frame_id[row]), point
                picture = page.request.get(f"{server.base}/s/0/frame/{camera}/{ref.frame}")
                assert picture.ok and barcode_of_jpeg(picture.body()) == int(table.camera_frame_id[row])
                assert picture.headers["x-camera-frame-id"] == str(int(table.camera_frame_id[row]))

        # a second event confirmed, then the server dies with SIGKILL mid-coding (onset set, not saved)
        second = code_event(page, CAMERA, frames[40], frames[44], frames[50], "12", "amusement")
        jump(page, CAMERA, frames[60])
        page.keyboard.press("o")
        server.kill()
        server = Server(data, "C1")
        open_player(page, server)
        ids = page.eval_on_selector_all("#events tr[data-id]", "rows => rows.map(r => r.dataset.id)")
        assert ids == [event.event_id, second]
    finally:
        page.close()
        server.stop()


def test_refusals_name_the_reason(data: Path, browser) -> None:
    frames = episode_frames(data)
    server = Server(data, "C2")
    page = browser.new_page()
    try:
        open_player(page, server)
        page.keyboard.press("v")  # the coded camera only, then both again
        assert page.is_hidden(".cam[data-camera='uvc']") and page.is_visible(".cam[data-camera='gras']")
        page.keyboard.press("v")
        assert page.is_visible(".cam[data-camera='uvc']")
        jump(page, CAMERA, frames[30])
        page.keyboard.press("o")
        page.keyboard.press("a")
        page.keyboard.press("ArrowRight")
        wait_shown(page, CAMERA, frames[31])  # a point key waits for its picture; ENTER would not
        page.keyboard.press("f")
        page.wait_for_selector(f"#f-offset:has-text('{frames[31]}')")
        page.fill("#f-aus", "4++7")
        page.keyboard.press("Enter")
        page.wait_for_selector("#message.bad")
        assert "empty (two '+' in a row" in (page.text_content("#message") or "")
        page.fill("#f-aus", "4")
        page.keyboard.press("Escape")  # leave the field, or the jump key "g" is typed into it
        assert page.input_value("#f-aus") == "4"
        jump(page, CAMERA, frames[20])
        page.keyboard.press("f")  # offset now before onset
        page.keyboard.press("Enter")
        page.wait_for_selector("#message.bad:has-text('onset <= apex')")
        assert not (session_of(data) / "coding" / "C2.tsv").exists() or not replay(
            session_of(data) / "coding" / "C2.tsv").events  # fmt: skip
        assert shown_frame(page, CAMERA) == frames[20]
    finally:
        page.close()
        server.stop()
    bad = run_elicit("code", str(data), "--coder", "C-1!")
    assert bad.returncode == 2 and "coder ID 'C-1!' refused: letters and digits only" in bad.stderr
    unknown = run_elicit("code", "agreement", str(data), "--coders", "C2", "C9")
    assert unknown.returncode == 2 and "unknown coder C9" in unknown.stderr, unknown.stderr


def test_two_coders_two_frames_apart_are_matched_averaged_and_agree_as_computed_by_hand(data: Path, browser) -> None:
    f = episode_frames(data)
    codes = {  # (onset, apex, offset, AUs, emotion)
        "A": [(f[10], f[13], f[18], "4+L10", "disgust"), (f[60], f[62], f[66], "2", "surprise")],
        "B": [(f[12], f[15], f[20], "4+L10", "disgust"), (f[60], f[62], f[66], "1+2", "fear"),
              (f[100], f[102], f[106], "12", "amusement")],
    }  # fmt: skip
    page = browser.new_page()
    try:
        for coder in ("A", "B"):
            server = Server(data, coder)
            try:
                open_player(page, server)
                for onset, apex, offset, aus, emotion in codes[coder]:
                    code_event(page, CAMERA, onset, apex, offset, aus, emotion)
                assert "stay hidden until both coders marked it done" in (page.text_content("#others") or "") or (
                    coder == "A")  # fmt: skip
                page.click("#done")
                page.click("#done")
                page.wait_for_selector("#done-state:has-text('done')")
                if coder == "B":  # both done: the other's codes are shown now
                    assert "4+L10" in (page.text_content("#others") or "")
            finally:
                server.stop()
        result = run_elicit("code", "agreement", str(data), "--coders", "A", "B")
        assert result.returncode == 0, result.stderr
        report = json.loads((session_of(data) / "coding" / "agreement.json").read_text())
        # by hand: pair 1 [10,18] vs [12,20] share 7 of 11 frames (IoU 0.64), pair 2 identical, B's third unmatched
        assert report["counts"] == {"coder_1": 2, "coder_2": 3, "matched": 2, "only_1": 0, "only_2": 1}
        assert report["f1"] == pytest.approx(2 * 2 / 5)
        assert report["frame_agreement"]["value"] == pytest.approx(2 * 2 / 5)  # both pairs within 2 frames
        assert report["au_agreement"]["value"] == pytest.approx(2 * (2 + 1) / ((2 + 2) + (1 + 2)))
        assert report["emotion_kappa"]["value"] == pytest.approx((0.5 - 0.25) / (1 - 0.25))
        assert [p["onset"]["frames"] for p in report["pairs"]] == [2, 0]

        server = Server(data, "A", "--arbiter", "R1")
        try:
            page.goto(server.url)
            page.goto(f"{server.base}/s/0/agreement?c1=A&c2=B")
            assert page.text_content("td.fig[data-name='F1']") == "0.800"
            page.goto(f"{server.base}/s/0/arbitrate?c1=A&c2=B")
            rows = page.locator("tr.proposal")
            assert rows.count() == 3
            first = rows.nth(0)
            assert [first.locator(f"input[name={p}]").input_value() for p in ("onset", "apex", "offset")] == [
                str(f[11]), str(f[14]), str(f[19])]  # the rounded averages  # fmt: skip
            first.locator("button.accept").click()
            page.wait_for_selector("tr.proposal >> nth=0 >> td.state:has-text('averaged')")
            second = rows.nth(1)
            second.locator("input[name=action_units]").fill("1+2")
            second.locator("select[name=emotion]").select_option("surprise")
            second.locator("button.accept").click()
            page.wait_for_selector("tr.proposal >> nth=1 >> td.state:has-text('edited')")
            rows.nth(2).locator("button.reject").click()
            page.wait_for_selector("tr.proposal >> nth=2 >> td.state:has-text('rejected-unmatched')")
        finally:
            server.stop()
        final, _torn = replay_final(session_of(data) / "coding" / "final.tsv")
        decided = sorted((how, e.onset, e.apex, e.offset, e.action_units, e.emotion) for how, e in final.values())
        assert decided == sorted([("averaged", f[11], f[14], f[19], "4+L10", "disgust"),
                                  ("edited", f[60], f[62], f[66], "1+2", "surprise")])  # fmt: skip
    finally:
        page.close()
