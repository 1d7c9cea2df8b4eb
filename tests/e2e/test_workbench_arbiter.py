"""Arbitration in Chromium on a copy of the demo session: the two coders' onset / apex / offset pictures,
labelled, side by side; the saved final.tsv row names the arbiter and keeps both coders' notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from elicitation.coding import final_path, final_rows
from elicitation.workbench import Workbench
from hardware.video import read_frames_tsv
from tests.conftest import run_elicit
from tests.e2e.workbench_server import Server, copy_demo

CAMERA = "gras"


@pytest.fixture
def data(demo_session, tmp_path: Path) -> Path:
    return copy_demo(demo_session, tmp_path)


def code(data: Path, coder: str, onset: int, apex: int, offset: int, note: str) -> str:
    """One event and "done", through the workbench's own actions (what the player's keys send)."""
    wb = Workbench(data, coder)
    try:
        body = {"action": "add", "camera": CAMERA, "kind": "micro", "onset": onset, "apex": apex, "offset": offset,
                "action_units": "4", "emotion": "disgust", "note": note}  # fmt: skip
        event_id = wb.act(0, "01", body)["event"]["event_id"]
        wb.act(0, "01", {"action": "done"})
        return event_id
    finally:
        wb.close()


def test_the_arbiter_sees_six_labelled_pictures_and_the_row_names_them_and_keeps_notes(data: Path, browser) -> None:
    table = read_frames_tsv(data / "sub-demo" / "ses-1" / "video" / f"{CAMERA}_frames.tsv")
    f = [int(table.frame[i]) for i in table.rows_in_file(f"{CAMERA}_ep01.mkv")]
    key = code(data, "A", f[10], f[13], f[18], "brows first") + "+" + code(data, "B", f[12], f[15], f[20], "lips too")
    server = Server(data, "R1", "--arbiter", "R1")
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(server.url)
        page.goto(f"{server.base}/s/0/arbitrate?c1=A&c2=B")
        assert "Arbiter R1" in (page.text_content("#arbiter") or "")
        row = page.locator(f"tr.proposal[data-key='{key}']")
        figures = row.locator("figure")
        assert figures.count() == 6
        expected = [f"{c} {p} {n}" for c, points in (("A", (10, 13, 18)), ("B", (12, 15, 20)))
                    for p, n in zip(("onset", "apex", "offset"), (f[i] for i in points), strict=True)]  # fmt: skip
        assert [figures.nth(i).locator("figcaption").text_content() for i in range(6)] == expected
        row.scroll_into_view_if_needed()
        page.wait_for_function(  # every picture decoded (a broken one has naturalWidth 0): the 2x face crop
            "() => [...document.querySelectorAll('tr.proposal figure img')]"
            ".every(i => i.complete && i.naturalWidth === 320)",
            timeout=30000,
        )
        boxes = [figures.nth(i).bounding_box() for i in range(6)]
        assert len({round(b["y"]) for b in boxes}) == 1 and sorted(b["x"] for b in boxes) == [b["x"] for b in boxes]
        assert row.locator("input[name=note]").input_value() == "A: brows first / B: lips too"
        row.locator("button.accept").click()
        page.wait_for_selector(f"tr.proposal[data-key='{key}'] td.state:has-text('averaged')", timeout=20000)
    finally:
        page.close()
        server.stop()
    rows, torn = final_rows(final_path(data / "sub-demo" / "ses-1"))
    assert torn == [] and len(rows) == 1
    saved = rows[0][1]
    assert (saved["arbiter"], saved["decided"], saved["note"]) == ("R1", "averaged", "A: brows first / B: lips too")
    assert (saved["onset"], saved["apex"], saved["offset"]) == (str(f[11]), str(f[14]), str(f[19]))


def test_a_malformed_arbiter_id_is_refused_at_start(data: Path) -> None:
    bad = run_elicit("code", str(data), "--coder", "A", "--arbiter", "R-1")
    assert bad.returncode == 2 and "arbiter ID 'R-1' refused: letters and digits only" in bad.stderr, bad.stderr
