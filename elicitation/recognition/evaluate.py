"""The two protocols as independent tasks (elicitation.batch: serial or on Dask), each writing its result file.

- Table V (the paper): G_m = m samples of each class drawn at random for training, every other sample tested;
  ``splits`` draws per m from one seeded generator; per split, MPCA fitted on the training samples at every
  dimensionality P x P x P, then each test sample takes the class of its nearest training sample (Euclidean
  distance between projected tensors; ties: the first in training order). A gallery size m for which a class
  has m samples or fewer (nothing left to test) is named and left out.
- LOSO (the field now): each subject's samples tested in turn, trained on every other subject's; MPCA at one
  dimensionality + nearest neighbour, and LBP-TOP + linear SVM; predictions pooled over folds (scores.py).

Workers read the samples' tensors and features from ``work/`` (float32 .npy files made once); inputs travel
as strings (elicitation.batch.Task), so a Dask run and a serial run compute the same thing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from elicitation.batch import Task, atomic_write
from elicitation.recognition.mpca import MPCA, Prepared


def _ints(text: str) -> np.ndarray:
    return np.array([int(v) for v in text.split(",") if v], dtype=np.int64)


def gallery_splits(
    labels: Sequence[str], classes: Sequence[str], galleries: Sequence[int], splits: int, seed: int
) -> tuple[list[tuple[int, int, np.ndarray, np.ndarray]], dict[int, str]]:
    """(m, split, train, test) for every usable gallery size, and why the others were left out."""
    counts = Counter(labels)
    rng = np.random.default_rng(seed)
    by_class = {c: np.flatnonzero(np.asarray(labels) == c) for c in classes}
    out, left_out = [], {}
    for m in galleries:
        short = [f"{c} has {counts[c]}" for c in classes if counts[c] <= m]
        if short:
            left_out[m] = f"G_{m} needs more than {m} samples of every class: " + ", ".join(short)
            continue
        for k in range(splits):
            train = np.sort(np.concatenate([rng.choice(by_class[c], m, replace=False) for c in classes]))
            test = np.setdiff1d(np.arange(len(labels)), train)
            out.append((m, k, train, test))
    return out, left_out


def loso_folds(subjects: Sequence[str]) -> list[tuple[str, np.ndarray, np.ndarray]]:
    subjects_arr = np.asarray(subjects)
    return [(s, np.flatnonzero(subjects_arr != s), np.flatnonzero(subjects_arr == s)) for s in sorted(set(subjects))]


def nearest_neighbour(train: np.ndarray, train_labels: Sequence[str], test: np.ndarray) -> list[str]:
    """Each test row's label: that of the training row at the smallest Euclidean distance."""
    a, b = train.astype(np.float64), test.astype(np.float64)
    distances = (b * b).sum(1)[:, None] - 2 * b @ a.T + (a * a).sum(1)[None, :]
    return [train_labels[i] for i in np.argmin(distances, axis=1)]


def _load(work: Path) -> tuple[np.ndarray, list[str]]:
    labels = json.loads((work / "labels.json").read_text())
    return np.load(work / "tensors.npy", mmap_mode="r"), labels


def gallery_task(task: Task) -> None:
    """One G_m split: MPCA + nearest neighbour at every dimensionality."""
    work = Path(task.inputs["work"])
    tensors, labels = _load(work)
    train, test = _ints(task.inputs["train"]), _ints(task.inputs["test"])
    prepared = Prepared(np.asarray(tensors[train]))
    test_tensors = np.asarray(tensors[test])
    truth = [labels[i] for i in test]
    result: dict[str, object] = {
        "m": int(task.inputs["m"]),
        "split": int(task.inputs["split"]),
        "n_test": len(test),
        "dims": {},
    }
    for dim in _ints(task.inputs["dims"]):
        mpca = MPCA((int(dim),) * 3, eta=float(task.inputs["eta"]), max_sweeps=int(task.inputs["max_sweeps"]))
        mpca.fit_prepared(prepared)
        predicted = nearest_neighbour(
            mpca.transform(np.asarray(tensors[train])), [labels[i] for i in train], mpca.transform(test_tensors)
        )
        correct = sum(p == t for p, t in zip(predicted, truth, strict=True))
        result["dims"][str(int(dim))] = {"correct": correct, "rate": correct / len(test), "sweeps": mpca.sweeps}  # type: ignore[index]
    atomic_write(task.output, json.dumps(result, sort_keys=True))


def loso_task(task: Task) -> None:
    """One LOSO fold: MPCA + nearest neighbour, and LBP-TOP + linear SVM."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    work = Path(task.inputs["work"])
    tensors, labels = _load(work)
    train, test = _ints(task.inputs["train"]), _ints(task.inputs["test"])
    train_labels = [labels[i] for i in train]
    dim = int(task.inputs["dim"])
    mpca = MPCA((dim,) * 3, eta=float(task.inputs["eta"]), max_sweeps=int(task.inputs["max_sweeps"]))
    mpca.fit(np.asarray(tensors[train]))
    mpca_predicted = nearest_neighbour(
        mpca.transform(np.asarray(tensors[train])), train_labels, mpca.transform(np.asarray(tensors[test]))
    )
    features = np.load(work / "lbptop.npy", mmap_mode="r")
    if len(set(train_labels)) > 1:
        svm = make_pipeline(StandardScaler(), SVC(kernel="linear", C=1.0))
        svm.fit(np.asarray(features[train]), train_labels)
        svm_predicted = [str(p) for p in svm.predict(np.asarray(features[test]))]
    else:  # one class left to train on: it is every prediction
        svm_predicted = [train_labels[0]] * len(test)
    result = {
        "subject": task.inputs["subject"],
        "truth": [labels[i] for i in test],
        "mpca_nn": mpca_predicted,
        "lbptop_svm": svm_predicted,
    }
    atomic_write(task.output, json.dumps(result, sort_keys=True))
