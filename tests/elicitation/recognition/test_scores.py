"""Accuracy, UF1 and UAR against a confusion matrix worked by hand."""

from __future__ import annotations

import pytest

from elicitation.recognition import confusion, scores


def test_scores_of_a_hand_worked_confusion_matrix() -> None:
    classes = ["a", "b", "c"]
    truth = ["a"] * 4 + ["b"] * 3 + ["c"] * 2
    predicted = ["a", "a", "a", "b", "b", "b", "c", "a", "c"]
    matrix = confusion(truth, predicted, classes)
    assert matrix.tolist() == [[3, 1, 0], [0, 2, 1], [1, 0, 1]]
    got = scores(matrix, classes)
    # a: TP 3 FP 1 FN 1 -> F1 6/8, recall 3/4; b: TP 2 FP 1 FN 1 -> 4/6, 2/3; c: TP 1 FP 1 FN 1 -> 2/4, 1/2
    assert got["accuracy"] == pytest.approx(6 / 9)
    assert got["UF1"] == pytest.approx((6 / 8 + 4 / 6 + 2 / 4) / 3)
    assert got["UAR"] == pytest.approx((3 / 4 + 2 / 3 + 1 / 2) / 3)
    assert got["per_class"]["c"] == {"TP": 1, "FP": 1, "FN": 1, "N": 2}


def test_a_class_never_seen_nor_predicted_is_left_out_of_the_means_and_named() -> None:
    matrix = confusion(["a", "b"], ["a", "a"], ["a", "b", "c"])
    got = scores(matrix, ["a", "b", "c"])
    assert got["undefined"] == ["c"]
    assert got["UF1"] == pytest.approx((2 / 3 + 0) / 2)  # a: 2/(2+1+0); b: 0
    assert got["UAR"] == pytest.approx((1 + 0) / 2)
