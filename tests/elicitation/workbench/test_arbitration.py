"""The arbitration page and its saves in process: who arbitrates (named in final.tsv, refused when one of
the pair unless allowed, none without --arbiter), the coders' notes kept, the six labelled pictures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from elicitation.coding import CodingError, final_path, final_rows, replay_final
from elicitation.workbench import Workbench, build_app
from tests.elicitation.workbench.test_app import TOKEN, TestClient, event
from tests.elicitation.workbench.tiny_session import make_session


@pytest.fixture
def data(tmp_path: Path) -> Path:
    make_session(tmp_path / "data" / "sub-P1" / "ses-1")
    return tmp_path / "data"


@contextmanager
def client(data: Path, coder: str, **options) -> Iterator[TestClient]:
    """A workbench for `coder`, closed after (its coder log's one-writer lock released)."""
    wb = Workbench(data, coder, **options)
    try:
        with TestClient(build_app(wb, TOKEN), headers={"X-Token": TOKEN}) as c:
            yield c
    finally:
        wb.close()


def coded(data: Path) -> dict:
    """C1 and C2 code one movement two frames apart, with notes, and mark the episode done: the decision."""
    ids = []
    for coder, onset, note in (("C1", 10, "brows first"), ("C2", 12, "lips too")):
        with client(data, coder) as c:
            ids.append(c.post("/api/s/0/e/01", json=event(onset=onset, note=note)).json()["event"]["event_id"])
            c.post("/api/s/0/e/01", json={"action": "done"})
    return {"c1": "C1", "c2": "C2", "key": "+".join(ids), "onset": 11, "apex": 12, "offset": 16, "kind": "micro",
            "action_units": "4", "emotion": "disgust", "note": "C1: brows first / C2: lips too"}  # fmt: skip


def test_the_final_row_names_the_arbiter_and_keeps_both_notes(data: Path) -> None:
    decision = coded(data)
    with client(data, "R1", arbiter="R1") as arbiter:
        page = arbiter.get("/s/0/arbitrate?c1=C1&c2=C2").text
        assert "Arbiter <b>R1</b>" in page and 'value="C1: brows first / C2: lips too"' in page
        answer = arbiter.post("/api/s/0/arbitrate", json=decision)
        assert answer.status_code == 200 and answer.json()["decided"] == "averaged"
        edited = arbiter.post("/api/s/0/arbitrate", json={**decision, "note": "lips only"})
        assert edited.status_code == 200
    rows, _torn = final_rows(final_path(data / "sub-P1" / "ses-1"))
    assert [(r["arbiter"], r["note"]) for _n, r in rows] == [
        ("R1", "C1: brows first / C2: lips too"),
        ("R1", "lips only"),
    ]
    events, _torn = replay_final(final_path(data / "sub-P1" / "ses-1"))
    assert events[decision["key"]][1].note == "lips only"


def test_without_an_arbiter_the_page_says_how_and_nothing_is_saved(data: Path) -> None:
    decision = coded(data)
    with client(data, "R1") as c:
        assert "start the workbench with <kbd>--arbiter ID</kbd>" in c.get("/s/0/arbitrate?c1=C1&c2=C2").text
        refused = c.post("/api/s/0/arbitrate", json=decision)
        assert refused.status_code == 400 and "start it with --arbiter ID" in refused.json()["error"]
    assert not final_path(data / "sub-P1" / "ses-1").exists()


def test_a_coder_of_the_pair_arbitrates_only_when_allowed(data: Path) -> None:
    decision = coded(data)
    with client(data, "C1", arbiter="C1") as c:
        assert "Saving is refused: arbiter C1 is one of the two coders" in c.get("/s/0/arbitrate?c1=C1&c2=C2").text
        refused = c.post("/api/s/0/arbitrate", json=decision)
        assert refused.status_code == 400 and "--allow-coder-arbiter" in refused.json()["error"]
        assert not final_path(data / "sub-P1" / "ses-1").exists()
    with client(data, "C1", arbiter="C1", allow_coder_arbiter=True) as c:
        assert c.post("/api/s/0/arbitrate", json=decision).status_code == 200
    rows, _torn = final_rows(final_path(data / "sub-P1" / "ses-1"))
    assert [r["arbiter"] for _n, r in rows] == ["C1"]


def test_a_malformed_arbiter_id_is_refused_at_start(data: Path) -> None:
    with pytest.raises(CodingError, match="arbiter ID 'R-1' refused"):
        Workbench(data, "C1", arbiter="R-1")


def test_each_coders_pictures_are_labelled_coder_point_and_frame(data: Path) -> None:
    coded(data)
    with client(data, "R1", arbiter="R1") as c:
        page = c.get("/s/0/arbitrate?c1=C1&c2=C2").text
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", page)
    assert captions == ["C1 onset 10", "C1 apex 12", "C1 offset 16", "C2 onset 12", "C2 apex 12", "C2 offset 16"]
    for caption in captions:
        coder, point, frame = caption.split()
        assert f'alt="{coder} {point} frame {frame}" src="/s/0/frame/gras/{frame}?zoom=2"' in page
