"""The MEGC metric on hand-made interval lists: IoU exactly 0.5 counts, one-to-one, pooled not averaged."""

from __future__ import annotations

import pytest

from elicitation.spotting.metric import Interval, evaluate, evaluate_all, log_lines, match_video


def test_iou_exactly_half_is_a_true_positive_and_just_below_is_not() -> None:
    coded = [Interval(0, 9)]  # 10 frames
    half = match_video("v", [Interval(0, 4)], coded)  # 5 of 10 frames: IoU 0.5
    assert (half.tp, half.fp, half.fn) == (1, 0, 0)
    assert half.matches[0].iou == 0.5
    below = match_video("v", [Interval(0, 9)], [Interval(0, 20)])  # 10 of 21 frames
    assert (below.tp, below.fp, below.fn) == (0, 1, 1)


def test_one_to_one_two_spots_on_one_coded_interval_give_one_tp_and_one_fp() -> None:
    result = match_video("v", [Interval(10, 19), Interval(11, 20)], [Interval(10, 19)])
    assert (result.tp, result.fp, result.fn) == (1, 1, 0)
    assert result.matches[0].spotted == Interval(10, 19)  # the higher IoU wins the coded interval


def test_one_spot_between_two_coded_intervals_matches_only_one() -> None:
    result = match_video("v", [Interval(0, 19)], [Interval(0, 11), Interval(8, 19)])
    assert (result.tp, result.fp, result.fn) == (1, 0, 1)


def test_scores_are_pooled_over_videos_not_averaged() -> None:
    videos = {
        "a": ([Interval(0, 9)], [Interval(0, 9)]),  # per video F1 1
        "b": ([Interval(100, 109), Interval(200, 209), Interval(300, 309)], [Interval(500, 509)]),  # F1 0
        "c": ([Interval(0, 9)], [Interval(0, 9), Interval(50, 59)]),  # P 1, R 0.5
    }
    pooled = evaluate(videos).pooled
    assert (pooled.tp, pooled.fp, pooled.fn) == (2, 3, 2)
    assert pooled.precision == pytest.approx(2 / 5)
    assert pooled.recall == pytest.approx(2 / 4)
    assert pooled.f1 == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    per_video_mean = (1 + 0 + 2 * 1 * 0.5 / 1.5) / 3
    assert abs(pooled.f1 - per_video_mean) > 0.05


def test_micro_macro_and_overall_are_separate() -> None:
    videos = {
        "a": (
            [Interval(0, 9, "micro"), Interval(100, 199, "macro"), Interval(300, 309, "micro")],
            [Interval(0, 9, "micro"), Interval(100, 199, "micro")],
        )
    }
    scores = {k: e.pooled for k, e in evaluate_all(videos).items()}
    assert (scores["micro"].tp, scores["micro"].fp, scores["micro"].fn) == (1, 1, 1)
    assert (scores["macro"].tp, scores["macro"].fp, scores["macro"].fn) == (0, 1, 0)
    assert (scores["overall"].tp, scores["overall"].fp, scores["overall"].fn) == (1, 2, 1)  # micro + macro
    assert (scores["type_blind"].tp, scores["type_blind"].fp, scores["type_blind"].fn) == (2, 1, 0)


def test_overall_is_micro_plus_macro_a_spot_of_the_wrong_kind_is_a_fp_and_its_code_a_fn() -> None:
    videos = {"a": ([Interval(10, 19, "macro")], [Interval(10, 19, "micro")])}
    scores = {k: e.pooled for k, e in evaluate_all(videos).items()}
    assert (scores["overall"].tp, scores["overall"].fp, scores["overall"].fn) == (0, 1, 1)
    assert scores["overall"].f1 == 0.0
    assert scores["type_blind"].tp == 1  # the kind-blind score, only under its own name


def test_overall_counts_are_the_sums_of_micro_and_macro() -> None:
    videos = {
        "a": ([Interval(0, 9, "micro"), Interval(50, 99, "macro"), Interval(200, 209, "micro")],
              [Interval(0, 9, "micro"), Interval(50, 99, "macro"), Interval(300, 399, "macro")]),
        "b": ([Interval(0, 99, "macro")], [Interval(500, 509, "micro")]),
    }  # fmt: skip
    scores = {k: e.pooled for k, e in evaluate_all(videos).items()}
    for field in ("tp", "fp", "fn"):
        assert getattr(scores["overall"], field) == getattr(scores["micro"], field) + getattr(scores["macro"], field)
    assert (scores["overall"].tp, scores["overall"].fp, scores["overall"].fn) == (2, 2, 2)


def test_no_spots_and_no_codes_scores_zero_not_an_error() -> None:
    pooled = evaluate({"a": ([], [])}).pooled
    assert (pooled.precision, pooled.recall, pooled.f1) == (0.0, 0.0, 0.0)


def test_the_log_names_each_video_and_the_pooled_sums() -> None:
    lines = log_lines(evaluate({"s1/ep01/cam": ([Interval(0, 9, label="c1")], [Interval(0, 9, label="e1")])}), "micro")
    assert lines[0] == "== micro"
    assert lines[1] == "video s1/ep01/cam: TP 1 FP 0 FN 0"
    assert "IoU 1.000" in lines[2] and "c1" in lines[2] and "e1" in lines[2]
    assert lines[-1].startswith("pooled over 1 videos: TP 1 FP 0 FN 0 precision 1.0000 recall 1.0000 F1 1.0000")
