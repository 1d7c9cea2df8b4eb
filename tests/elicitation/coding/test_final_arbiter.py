"""final.tsv names its arbiter (refused when one of the two coders unless allowed), keeps the coders' notes,
and reads a file begun before the arbiter column without rewriting it."""

from __future__ import annotations

import pytest

from elicitation.coding import CodingError, Event, FinalLog, final_rows, proposals, replay_final, resolve
from elicitation.coding.arbitration import FIRST_COLUMNS
from tests.elicitation.coding.frames import two_cameras

TABLES = two_cameras()


def ev(event_id: str, onset: int, apex: int, offset: int, aus: str = "4", note: str = "") -> Event:
    return resolve(Event(event_id, "01", "micro", "gras", onset, apex, offset, action_units=aus, emotion="disgust",
                         note=note), TABLES)  # fmt: skip


def test_each_row_names_the_arbiter(tmp_path):
    [proposal] = proposals([ev("a", 50, 56, 70)], [ev("x", 52, 58, 72)], "gras", TABLES)
    final = FinalLog(tmp_path, "C1", "C2", TABLES, arbiter="A7")
    final.decide(proposal, "averaged")
    final.close()
    rows, torn = final_rows(final.path)
    assert torn == [] and [(r["arbiter"], r["coder_1"], r["coder_2"]) for _n, r in rows] == [("A7", "C1", "C2")]
    assert final.path.read_text().splitlines()[0].split("\t")[-1] == "arbiter"


@pytest.mark.parametrize("arbiter", ["C1", "C2"])
def test_a_coder_of_the_pair_is_refused_as_arbiter_unless_allowed(tmp_path, arbiter):
    with pytest.raises(CodingError, match=f"arbiter {arbiter} is one of the two coders.*--allow-coder-arbiter"):
        FinalLog(tmp_path, "C1", "C2", TABLES, arbiter=arbiter)
    assert not (tmp_path / "coding" / "final.tsv").exists()  # refused before anything is written
    allowed = FinalLog(tmp_path, "C1", "C2", TABLES, arbiter=arbiter, allow_coder_arbiter=True)
    allowed.close()
    assert allowed.arbiter == arbiter


@pytest.mark.parametrize("arbiter", ["", "A-1", "A 1", "x" * 17])
def test_an_arbiter_id_follows_the_coder_id_rule(tmp_path, arbiter):
    with pytest.raises(CodingError, match="arbiter ID .* refused: letters and digits only"):
        FinalLog(tmp_path, "C1", "C2", TABLES, arbiter=arbiter)


def test_both_coders_notes_are_kept_unless_the_arbiter_writes_one(tmp_path):
    first = [ev("a", 50, 56, 70, note="blink at onset"), ev("b", 200, 204, 210, note="")]
    second = [ev("x", 50, 56, 70, note="head turns"), ev("y", 200, 204, 210, note="lips only")]
    one, two = proposals(first, second, "gras", TABLES)
    final = FinalLog(tmp_path, "C1", "C2", TABLES, arbiter="A1")
    assert final.decide(one, "agreed").note == "C1: blink at onset / C2: head turns"
    assert final.decide(two, "chosen-1").note == "C2: lips only"  # chosen-1 keeps C2's note too
    assert final.decide(two, "chosen-1", note="arbiter: lips").note == "arbiter: lips"
    final.close()
    events, _torn = replay_final(final.path)
    assert events["a+x"][1].note == "C1: blink at onset / C2: head turns"
    assert events["b+y"][1].note == "arbiter: lips"


def test_a_file_begun_without_the_arbiter_column_keeps_its_header_and_reads(tmp_path):
    [old, new] = proposals([ev("a", 50, 56, 70), ev("b", 200, 204, 210)], [ev("x", 50, 56, 70), ev("y", 200, 204, 210)],
                           "gras", TABLES)  # fmt: skip
    final = FinalLog(tmp_path, "C1", "C2", TABLES, arbiter="A1")
    final.decide(old, "agreed")
    final.close()
    lines = final.path.read_text().splitlines()  # made into a file as written before the column existed
    header = "\t".join(FIRST_COLUMNS)
    old_text = header + "\n" + lines[1].rsplit("\t", 1)[0] + "\n"
    final.path.write_text(old_text)

    final = FinalLog(tmp_path, "C1", "C2", TABLES, arbiter="A2")
    final.decide(new, "agreed")
    final.close()
    text = final.path.read_text()
    assert text.startswith(old_text)  # never rewritten: the old header and row stay as they were
    rows, torn = final_rows(final.path)
    assert torn == [] and [(r["event_id"], r["arbiter"]) for _n, r in rows] == [("a+x", ""), ("b+y", "A2")]
    events, _torn = replay_final(final.path)
    assert sorted(events) == ["a+x", "b+y"]


def test_a_row_cut_short_in_an_old_file_is_still_reported_torn(tmp_path):
    path = tmp_path / "coding" / "final.tsv"
    path.parent.mkdir()
    path.write_text("\t".join(FIRST_COLUMNS) + "\n" + "\t".join(["x"] * 5) + "\n")
    rows, torn = final_rows(path)
    assert rows == [] and [t.reason for t in torn] == [f"5 of {len(FIRST_COLUMNS)} columns"]
