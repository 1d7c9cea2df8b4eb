"""Recognition scores, as the field defines them (MEGC 2019 composite protocol; field notes).

- accuracy = correct predictions / predictions;
- UF1 (unweighted F1) = mean over classes c of 2 TP_c / (2 TP_c + FP_c + FN_c);
- UAR (unweighted average recall) = mean over classes c of TP_c / N_c, N_c the samples of class c;
- TP_c, FP_c and FN_c are summed over every fold (or split) first, then the means are taken: predictions
  are pooled, never averaged per fold.

A class with no sample and no prediction (its F1 would be 0 / 0) is left out of both means and named
(``undefined``); one with samples but none recognised counts as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

DEFINITIONS = {
    "accuracy": "correct / all predictions, pooled over folds",
    "UF1": "mean over classes of 2TP_c/(2TP_c+FP_c+FN_c), TP/FP/FN summed over all folds (MEGC 2019)",
    "UAR": "mean over classes of TP_c/N_c, TP summed over all folds (MEGC 2019)",
    "confusion": "rows: true class, columns: predicted class, in the order of 'classes'",
}


def confusion(truth: Sequence[str], predicted: Sequence[str], classes: Sequence[str]) -> np.ndarray:
    index = {c: i for i, c in enumerate(classes)}
    matrix = np.zeros((len(classes), len(classes)), dtype=np.int64)
    for t, p in zip(truth, predicted, strict=True):
        matrix[index[t], index[p]] += 1
    return matrix


def scores(matrix: np.ndarray, classes: Sequence[str]) -> dict[str, Any]:
    """accuracy, UF1, UAR and the per-class counts of a pooled confusion matrix."""
    tp = np.diag(matrix).astype(float)
    fp = matrix.sum(axis=0) - tp
    fn = matrix.sum(axis=1) - tp
    n = matrix.sum(axis=1)
    defined = (2 * tp + fp + fn) > 0
    f1 = np.divide(2 * tp, 2 * tp + fp + fn, out=np.zeros_like(tp), where=defined)
    has_samples = n > 0
    recall = np.divide(tp, n, out=np.zeros_like(tp), where=has_samples)
    total = int(matrix.sum())
    return {
        "n": total,
        "accuracy": float(tp.sum() / total) if total else None,
        "UF1": float(f1[defined].mean()) if defined.any() else None,
        "UAR": float(recall[has_samples].mean()) if has_samples.any() else None,
        "per_class": {
            c: {"TP": int(tp[i]), "FP": int(fp[i]), "FN": int(fn[i]), "N": int(n[i])} for i, c in enumerate(classes)
        },
        "undefined": [c for i, c in enumerate(classes) if not defined[i]],
    }
