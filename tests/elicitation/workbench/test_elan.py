"""ELAN export and import (elicitation.workbench.elan): frames survive the round trip through ms."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pympi
import pytest

from elicitation.coding import CodingError, CodingLog, Event, replay
from elicitation.workbench import export_session, import_eaf, open_session
from elicitation.workbench.elan import _frame_at, _ms_end, _ms_start
from hardware.cameras.sim import barcode
from hardware.video import IndexedReader
from tests.elicitation.workbench.tiny_session import FIRST_ID, make_session


@pytest.fixture
def session(tmp_path: Path):
    folder = make_session(tmp_path / "ses-1")
    s = open_session(folder)
    log = CodingLog(folder, "C1", s.tables, s.categories)
    log.add(Event("", "01", "micro", "gras", 12, 15, 20, 17, "4+L10", "disgust", note="brow; lip"))
    log.add(Event("", "01", "irrelevant", "gras", 40, 41, 44, category="swallowing"))
    log.add(Event("", "after01", "macro", "gras", 95, 100, 120, action_units="12", emotion="amusement"))
    log.close()
    return s


@pytest.mark.parametrize("fps", [Fraction(60), Fraction(200), Fraction(30000, 1001)])
def test_each_annotation_time_lies_inside_its_frame(fps: Fraction) -> None:
    for frame in range(0, 5000, 7):
        assert _frame_at(_ms_start(frame, fps), fps) == frame
        assert _frame_at(_ms_end(frame, fps), fps) == frame
        assert _ms_start(frame, fps) >= frame * 1000 / fps  # not in the frame before


def test_export_links_a_proxy_with_the_same_frames_and_one_tier_per_coder_and_kind(session, tmp_path: Path) -> None:
    paths = export_session(session, tmp_path / "elan", cameras=["gras"])
    assert [p.name for p in paths] == ["gras_ep01.eaf", "gras_after01.eaf"]
    eaf = pympi.Elan.Eaf(str(paths[0]))
    assert sorted(eaf.get_tier_names()) == ["C1 irrelevant", "C1 macro", "C1 micro"]
    (media,) = eaf.get_linked_files()
    assert media["MIME_TYPE"] == "video/mp4" and media["RELATIVE_MEDIA_URL"] == "./gras_ep01.mp4"
    (start, end, value), = eaf.get_annotation_data_for_tier("C1 micro")  # fmt: skip
    assert (start, end) == (200, 349)  # file frames 12..20 at 60 fps: ceil(12000/60), ceil(21000/60) - 1
    assert value == "au=4+L10; emotion=disgust; apex=15; apex2=17; category=; note=brow, lip"
    proxy, mkv = IndexedReader(tmp_path / "elan" / "gras_ep01.mp4"), IndexedReader(session.video("gras_ep01.mkv"))
    with proxy, mkv:
        assert len(proxy) == len(mkv) == 90
        for k in (0, 12, 20, 89):
            assert barcode.read(proxy.frame(k)) == barcode.read(mkv.frame(k)) == FIRST_ID + k


def test_import_gives_back_the_same_codes_to_another_coder(session, tmp_path: Path) -> None:
    paths = export_session(session, tmp_path / "elan", cameras=["gras"])
    added = [e for p in paths for e in import_eaf(session, p, "C3", from_tiers="C1")]
    mine = replay(session.path / "coding" / "C1.tsv").events.values()
    key = lambda e: (e.episode, e.kind, e.onset, e.apex, e.apex2, e.offset, e.action_units, e.emotion, e.category)  # noqa: E731
    assert sorted(map(key, added)) == sorted(map(key, mine))
    stored = replay(session.path / "coding" / "C3.tsv").events.values()
    assert {e.event_id for e in stored} == {e.event_id for e in added}


def test_a_bad_annotation_is_refused_and_adds_nothing(session, tmp_path: Path) -> None:
    (path, _after) = export_session(session, tmp_path / "elan", cameras=["gras"])
    eaf = pympi.Elan.Eaf(str(path))
    eaf.add_annotation("C1 macro", 500, 700, "au=4++; emotion=disgust")
    eaf.to_file(str(path))
    with pytest.raises(CodingError, match="empty"):
        import_eaf(session, path, "C4", from_tiers="C1")
    assert not replay(session.path / "coding" / "C4.tsv").events
