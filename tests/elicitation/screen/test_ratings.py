"""The rating step's keyboard logic and the autopilot's answers (no window needed)."""

from __future__ import annotations

from elicitation.folder import RatingsLog, read_tsv
from elicitation.protocol import load_protocol
from elicitation.screen import RatingState
from elicitation.session import Autopilot
from tests.conftest import REPO

PROTOCOL = load_protocol(REPO / "protocols" / "demo.yaml")
RATING = PROTOCOL.rating  # amusement disgust fear sadness anger surprise tense none


def press(state: RatingState, *keys: str, start: float = 100.0, step: float = 0.5) -> None:
    for i, key in enumerate(keys):
        state.key(key, start + (i + 1) * step)


def test_choose_two_emotions_with_intensities_and_response_times():
    state = RatingState(RATING, onset=100.0)
    press(state, "down", "space", "right", "right", "down", "down", "down", "5", "return")
    assert state.done
    result = state.result()
    assert [(c["emotion"], c["intensity"]) for c in result["choices"]] == [("disgust", 4), ("anger", 5)]
    disgust, anger = result["choices"]
    assert (disgust["rt_choice"], disgust["rt_intensity"]) == (1.0, 2.0)  # space at +1.0, last RIGHT at +2.0
    assert (anger["rt_choice"], anger["rt_intensity"]) == (4.0, 4.0)  # a digit chooses and rates at once
    assert result["rt_done"] == 4.5


def test_enter_is_refused_until_every_chosen_emotion_has_an_intensity():
    state = RatingState(RATING, onset=0.0)
    press(state, "return")
    assert not state.done and state.message == RATING.incomplete
    press(state, "space", "return")  # amusement chosen, no intensity yet
    assert not state.done
    press(state, "0", "return")  # 0 is a valid intensity (the weakest)
    assert state.done and state.result()["choices"][0]["intensity"] == 0


def test_none_excludes_the_other_emotions_and_back():
    state = RatingState(RATING, onset=0.0)
    press(state, "3", "down", "2")  # amusement 3, disgust 2
    press(state, *["down"] * 10, "space")  # the cursor stops at the last row: none
    assert list(state.chosen) == ["none"]
    press(state, "up", "4", "return")  # tense 4 unchooses none
    assert [(c["emotion"], c["intensity"]) for c in state.result()["choices"]] == [("tense", 4)]
    press(state, "5")
    assert state.result()["choices"][0]["intensity"] == 4  # nothing changes once done


def test_ratings_tsv_has_one_row_per_chosen_emotion(tmp_path):
    state = RatingState(RATING, onset=10.0)
    press(state, "2", "down", "down", "6", "return", start=10.0)
    log = RatingsLog(tmp_path / "ratings.tsv")
    log.add("01", "demo1.mp4", state.result(), state.onset)
    log.close()
    rows = read_tsv(tmp_path / "ratings.tsv")
    assert [(r["episode"], r["emotion"], r["intensity"], r["rt_done"]) for r in rows] == [
        ("01", "amusement", "2", "2.500"), ("01", "fear", "6", "2.500")]  # fmt: skip


def test_autopilot_answers_are_seeded_valid_and_lean_to_the_main_emotion():
    def run(seed: int) -> list[dict]:
        pilot = Autopilot(seed, PROTOCOL.keys, RATING)
        answers = []
        for n in range(40):
            onset = 1000.0 * (n + 1)
            pilot.on_screen("rating", onset, main_emotions=[{"emotion": "disgust", "mean_score": 4.0}])
            state = RatingState(RATING, onset)
            for key in pilot.due(onset + 100):
                state.key(key.name, key.t)
            assert state.done, state.problem()
            answers.append(state.result())
        return answers

    first = run(7)
    assert first == run(7) and first != run(8)
    chosen = [c["emotion"] for a in first for c in a["choices"]]
    assert chosen.count("disgust") > len(first) / 2
    assert all(0.5 < a["rt_done"] < 10 for a in first)
