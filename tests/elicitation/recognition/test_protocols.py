"""G_m splits, LOSO folds, nearest neighbour and the time normalisation, on small hand-made inputs."""

from __future__ import annotations

import numpy as np

from elicitation.recognition import gallery_splits, loso_folds, nearest_neighbour, normalise_time


def test_each_split_trains_on_m_of_every_class_and_tests_the_rest_reproducibly() -> None:
    labels = ["x"] * 5 + ["y"] * 4
    splits, left_out = gallery_splits(labels, ["x", "y"], [2, 4], 3, seed=7)
    assert left_out == {4: "G_4 needs more than 4 samples of every class: y has 4"}
    assert [(m, k) for m, k, _, _ in splits] == [(2, 0), (2, 1), (2, 2)]
    for _, _, train, test in splits:
        assert sorted([labels[i] for i in train]) == ["x", "x", "y", "y"]
        assert sorted(np.concatenate([train, test]).tolist()) == list(range(9))
    again, _ = gallery_splits(labels, ["x", "y"], [2, 4], 3, seed=7)
    assert all(np.array_equal(a[2], b[2]) for a, b in zip(splits, again, strict=True))


def test_loso_holds_out_each_subject_once() -> None:
    folds = loso_folds(["s2", "s1", "s2", "s3"])
    assert [(s, train.tolist(), test.tolist()) for s, train, test in folds] == [
        ("s1", [0, 2, 3], [1]),
        ("s2", [1, 3], [0, 2]),
        ("s3", [0, 1, 2], [3]),
    ]


def test_nearest_neighbour_is_euclidean_and_ties_go_to_the_first() -> None:
    train = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]])
    assert nearest_neighbour(train, ["a", "b", "c"], np.array([[2.9, 4.1], [0.0, 0.4], [0.0, 0.5]])) == ["b", "a", "a"]


def test_time_is_normalised_by_frame_number_with_linear_interpolation() -> None:
    stack = np.array([0.0, 10.0, 40.0], dtype=np.float32)[:, None, None] * np.ones((3, 2, 2), np.float32)
    # pictures at frames 0, 2 and 8 (unevenly exported): 5 frames at 0, 2, 4, 6, 8
    out = normalise_time(stack, np.array([0.0, 2.0, 8.0]), length=5)
    assert out[:, 0, 0].tolist() == [0.0, 10.0, 20.0, 30.0, 40.0]
    assert normalise_time(stack[:1], np.array([3.0]), length=4).shape == (4, 2, 2)
