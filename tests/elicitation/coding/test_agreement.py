"""Agreement between two coders and arbitration into final.tsv, against values worked out by hand."""

from __future__ import annotations

import json

import pytest

from elicitation.coding import (
    CodingError,
    Event,
    FinalLog,
    agreement,
    iou,
    match,
    proposals,
    replay_final,
    resolve,
    write_agreement,
)
from tests.elicitation.coding.frames import two_cameras

TABLES = two_cameras()


def ev(event_id, onset, apex, offset, aus="4", emotion="disgust", episode="01", **more) -> Event:
    made = Event(event_id, episode, more.pop("kind", "micro"), "gras", onset, apex, offset,
                 action_units=aus, emotion=emotion, **more)  # fmt: skip
    return resolve(made, TABLES)


def test_iou_of_inclusive_intervals():
    assert iou((50, 70), (52, 72)) == pytest.approx(19 / 23)
    assert iou((0, 11), (4, 15)) == 0.5
    assert iou((0, 9), (10, 19)) == 0.0
    assert iou((5, 5), (5, 5)) == 1.0


def test_iou_of_exactly_one_half_is_a_match_and_just_below_is_not():
    pairs, _, _ = match([ev("a", 100, 105, 111)], [ev("b", 104, 108, 115)], "gras")  # 8 / 16
    assert len(pairs) == 1 and pairs[0].iou == 0.5
    pairs, only_1, only_2 = match([ev("a", 100, 105, 111)], [ev("b", 105, 108, 116)], "gras")  # 7 / 17
    assert pairs == [] and len(only_1) == len(only_2) == 1


def test_matching_is_one_to_one_highest_iou_first_and_per_episode():
    first = [ev("a", 100, 105, 120)]
    second = [ev("b", 102, 105, 121), ev("c", 100, 105, 120), ev("d", 100, 105, 120, episode="02")]
    pairs, only_1, only_2 = match(first, second, "gras")
    assert [(p.first.event_id, p.second.event_id) for p in pairs] == [("a", "c")]
    assert [e.event_id for e in only_2] == ["b", "d"] and only_1 == []


def test_agreement_figures_equal_the_hand_computed_ones(tmp_path):
    coder_1 = [ev("a", 50, 56, 70, "4+L10", "disgust"), ev("b", 200, 205, 220, "14", "repression"),
               ev("c", 300, 302, 310, "12", "amusement")]  # fmt: skip
    coder_2 = [ev("x", 52, 58, 72, "4", "disgust"), ev("y", 200, 205, 223, "14+17", "tense"),
               ev("z", 350, 352, 360, "12", "amusement")]  # fmt: skip
    report = agreement(coder_1, coder_2, "gras", tolerance=2)

    assert report["counts"] == {"coder_1": 3, "coder_2": 3, "matched": 2, "only_1": 1, "only_2": 1}
    assert report["f1"] == pytest.approx(4 / 6)
    # pair a-x: all three points 2 frames apart (agree); pair b-y: offset 3 apart (does not)
    assert report["frame_agreement"]["agreeing_pairs"] == 1
    assert report["frame_agreement"]["value"] == pytest.approx(2 * 1 / 6)
    # {4, L10} vs {4}: 1 common of 3; {14} vs {14, 17}: 1 common of 3
    assert report["au_agreement"]["value"] == pytest.approx(2 * 2 / 6)
    # labels (disgust, disgust), (repression, tense): po = 1/2, pe = 1/4
    assert report["emotion_kappa"]["value"] == pytest.approx((0.5 - 0.25) / 0.75)
    host = TABLES["gras"].host_time
    first_pair = report["pairs"][0]
    assert (first_pair["event_1"], first_pair["event_2"]) == ("a", "x")
    assert first_pair["iou"] == pytest.approx(19 / 23, abs=1e-6)
    assert first_pair["onset"]["frames"] == 2
    assert first_pair["onset"]["ms"] == pytest.approx((host[52] - host[50]) * 1000, abs=1e-3)
    assert first_pair["onset"]["ms"] != pytest.approx(2000 / 60, abs=1e-3)  # host_time, not frame counts
    assert report["pairs"][1]["offset"] == {"frames": 3, "ms": pytest.approx((host[223] - host[220]) * 1000, abs=1e-3)}

    written = json.loads(write_agreement(tmp_path / "agreement.json", report).read_text())
    assert written["counts"]["matched"] == 2 and written["only_1"] == ["c"] and written["only_2"] == ["z"]


def test_kappa_is_one_for_full_agreement_on_two_labels():
    a = [ev("a", 50, 56, 70, emotion="disgust"), ev("b", 200, 205, 220, emotion="repression")]
    b = [ev("x", 50, 56, 70, emotion="disgust"), ev("y", 200, 205, 220, emotion="repression")]
    assert agreement(a, b, "gras")["emotion_kappa"]["value"] == pytest.approx(1.0)


def test_kappa_is_taken_over_labelled_pairs_only():
    labels = [("disgust", "disgust"), ("disgust", "repression"), ("repression", "disgust"), ("tense", "repression")]
    first = [ev(f"a{i}", 30 * i, 30 * i + 2, 30 * i + 9, emotion=x) for i, (x, _y) in enumerate(labels)]
    second = [ev(f"b{i}", 30 * i, 30 * i + 2, 30 * i + 9, emotion=y) for i, (_x, y) in enumerate(labels)]
    for i in range(4, 10):  # six irrelevant movements both coders coded, no emotion
        more = {"kind": "irrelevant", "category": "blink", "aus": "", "emotion": ""}
        first.append(ev(f"a{i}", 30 * i, 30 * i + 2, 30 * i + 9, **more))
        second.append(ev(f"b{i}", 30 * i, 30 * i + 2, 30 * i + 9, **more))
    result = agreement(first, second, "gras")["emotion_kappa"]
    # labelled pairs: po = 1/4; coder 1 d 2, r 1, t 1; coder 2 d 2, r 2: pe = (4 + 2) / 16
    assert result["value"] == pytest.approx((1 / 4 - 6 / 16) / (1 - 6 / 16))  # -0.2, not 0.48 with the 6 empty pairs
    assert result["value"] == pytest.approx(-0.2)
    assert (result["n"], result["left_out_unlabelled"]) == (4, 6)


def test_two_frames_apart_is_averaged_on_arbitration(tmp_path):
    first, second = [ev("a", 50, 56, 70)], [ev("x", 52, 59, 72)]
    [proposal] = proposals(first, second, "gras", TABLES)
    assert proposal.decided == "averaged" and proposal.open == []
    assert proposal.suggested.points() == {"onset": 51, "apex": 58, "offset": 71}  # 57.5 rounds up

    final = FinalLog(tmp_path, "C1", "C2", TABLES, arbiter="A1")
    with pytest.raises(CodingError, match="does not apply"):
        final.decide(proposal, "agreed")
    final.decide(proposal, "averaged")
    final.close()
    events, torn = replay_final(tmp_path / "coding" / "final.tsv")
    decided, event = events["a+x"]
    assert decided == "averaged" and torn == []
    assert (event.onset, event.apex, event.offset) == (51, 58, 71)
    assert event.frames["gras"]["apex"].host_time == TABLES["gras"].host_time[58]
    assert event.frames["benq"]["onset"].frame in (50, 51, 52)


def test_disagreements_stay_open_until_chosen(tmp_path):
    first, second = [ev("a", 50, 56, 70, "4+L10")], [ev("x", 50, 56, 70, "4", "tense")]
    [proposal] = proposals(first, second, "gras", TABLES)
    assert proposal.decided == "agreed"
    assert any("action_units differs" in q for q in proposal.open) and any("emotion" in q for q in proposal.open)
    final = FinalLog(tmp_path, "C1", "C2", TABLES, arbiter="A1")
    with pytest.raises(CodingError, match="still open"):
        final.decide(proposal, "agreed")
    assert final.decide(proposal, "chosen-2").action_units == "4"
    edited = final.decide(proposal, "edited", ev("e", 50, 56, 70, "4+L10", "contempt"))
    events, _ = replay_final(final.path)
    assert events["a+x"] == ("edited", edited) and edited.emotion == "contempt"
    rows = final.path.read_text().splitlines()
    assert [r.split("\t")[1:3] for r in rows[1:]] == [["add", "chosen-2"], ["change", "edited"]]


def test_unmatched_events_are_accepted_or_rejected(tmp_path):
    props = proposals([ev("a", 50, 56, 70)], [ev("x", 200, 202, 210)], "gras", TABLES)
    assert [(p.key, p.decided) for p in props] == [("a", "accepted-unmatched"), ("x", "accepted-unmatched")]
    final = FinalLog(tmp_path, "C1", "C2", TABLES, arbiter="A1")
    with pytest.raises(CodingError, match="does not apply"):
        final.decide(props[0], "averaged")
    final.decide(props[0], "accepted-unmatched")
    final.decide(props[1], "rejected-unmatched")
    events, _ = replay_final(final.path)
    assert list(events) == ["a"] and events["a"][0] == "accepted-unmatched"
