"""Recognition baseline benchmark: seconds per Table V split and per LOSO fold at 64x64x64, serial vs Dask.

    python bench/baseline.py --json [--samples 200] [--splits 2] [--folds 3]

Makes a CASME-layout tree of N synthetic samples (tests/elicitation/recognition/casme_tree.py: 4 classes,
N/20 subjects), turns it into tensors and LBP-TOP features once (seconds per sample), then times in one run:
- `--splits` Table V splits of each gallery size (G_3 ... G_15, all six dimensionalities each), serially and
  on a 2-worker LocalCluster (elicitation.batch), and the whole Table V (6 dims x 5 galleries x 20 splits)
  extrapolated from the mean split time of each;
- `--folds` LOSO folds (MPCA at 30^3 + nearest neighbour, LBP-TOP + linear SVM), serially;
- the peak resident memory of this process (the serial arm) and of the largest Dask worker.
The naive baseline for MPCA is tensorly's partial_tucker (thin SVD of the stacked unfoldings), timed on
one G_15 split at 30^3 with the same number of sweeps.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from elicitation.batch import Task, run_tasks  # noqa: E402
from elicitation.recognition import evaluate, load_samples  # noqa: E402
from elicitation.recognition.mpca import MPCA  # noqa: E402
from elicitation.recognition.run import _Limited, _save, sample_task  # noqa: E402
from tests.elicitation.recognition.casme_tree import PLACES, make_tree  # noqa: E402

GALLERIES = (3, 6, 9, 12, 15)
DIMS = (10, 20, 30, 40, 50, 60)


def prepare(root: Path, work: Path, n: int) -> tuple[list[str], list[str], float]:
    make_tree(root, subjects=max(1, n // 20), per_class=5)
    samples, _, _ = load_samples(root, tuple(PLACES))
    (work / "samples").mkdir(parents=True)
    t0 = time.perf_counter()
    tasks = [
        Task(
            f"s{i}",
            {
                "subject": s.subject,
                "name": s.name,
                "label": s.label,
                "pictures": json.dumps([(k, str(p)) for k, p in s.pictures]),
            },
            str(work / "samples" / f"{i}.npz"),
        )
        for i, s in enumerate(samples)
    ]
    run_tasks(tasks, _Limited(sample_task), workers=0)
    per_sample = (time.perf_counter() - t0) / len(tasks)
    loaded = [np.load(t.output) for t in tasks]
    _save(work / "tensors.npy", np.stack([d["tensor"] for d in loaded]))
    _save(work / "lbptop.npy", np.stack([d["lbptop"] for d in loaded]))
    labels = [s.label for s in samples]
    (work / "labels.json").write_text(json.dumps(labels))
    return labels, [s.subject for s in samples], per_sample


def split_tasks(work: Path, labels: list[str], splits: int, tag: str) -> list[Task]:
    chosen, _ = evaluate.gallery_splits(labels, tuple(PLACES), GALLERIES, splits, seed=1)
    base = {"work": str(work), "eta": "0.1", "max_sweeps": "10", "dims": ",".join(map(str, DIMS))}
    return [
        Task(
            f"{tag}-G{m}-{k}",
            {**base, "m": str(m), "split": str(k), "train": ",".join(map(str, tr)), "test": ",".join(map(str, te))},
            str(work / tag / f"G{m}_{k}.json"),
        )
        for m, k, tr, te in chosen
    ]


def timed(tasks: list[Task], work_fn, workers: int) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    report = run_tasks(tasks, _Limited(work_fn), workers=workers)
    if report.failed:
        raise SystemExit(report.failed[0].describe())
    return time.perf_counter() - t0


def naive_mpca(work: Path, labels: list[str], sweeps: int) -> tuple[float, float]:
    from tensorly.decomposition import partial_tucker

    tensors = np.load(work / "tensors.npy")
    chosen, _ = evaluate.gallery_splits(labels, tuple(PLACES), GALLERIES, 1, seed=1)
    train = tensors[chosen[-1][2]]  # the largest gallery the samples allow (G_15 from 64 per class)
    t0 = time.perf_counter()
    partial_tucker(train - train.mean(axis=0), [30, 30, 30], modes=[1, 2, 3], n_iter_max=sweeps, init="svd", tol=None)
    naive = time.perf_counter() - t0
    t0 = time.perf_counter()
    MPCA((30, 30, 30), eta=-1.0, max_sweeps=sweeps).fit(train)
    return naive, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--splits", type=int, default=2)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result: dict = {"samples": args.samples, "cores": os.cpu_count(), "load_average_before": os.getloadavg()}
    tmp = Path(tempfile.mkdtemp(prefix="bench-baseline-"))
    try:
        work = tmp / "work"
        labels, subjects, per_sample = prepare(tmp / "tree", work, args.samples)
        result["seconds_per_sample_tensor_and_lbptop"] = round(per_sample, 3)
        for workers in (0, 2):
            tasks = split_tasks(work, labels, args.splits, f"w{workers}")
            seconds = timed(tasks, evaluate.gallery_task, workers)
            result[f"table_v_{'serial' if workers == 0 else 'dask_2_workers'}"] = {
                "splits": len(tasks),
                "seconds": round(seconds, 1),
                "seconds_per_split": round(seconds / len(tasks), 2),
                "whole_table_v_minutes": round(seconds / len(tasks) * len(GALLERIES) * 20 / 60, 1),
            }
        folds = evaluate.loso_folds(subjects)[: args.folds]
        base = {"work": str(work), "eta": "0.1", "max_sweeps": "10", "dim": "30"}
        loso = [
            Task(
                f"f{i}",
                {**base, "subject": s, "train": ",".join(map(str, tr)), "test": ",".join(map(str, te))},
                str(work / "loso" / f"{i}.json"),
            )
            for i, (s, tr, te) in enumerate(folds)
        ]
        seconds = timed(loso, evaluate.loso_task, 0)
        result["loso_serial_seconds_per_fold"] = round(seconds / len(loso), 2)
        naive, ours = naive_mpca(work, labels, 3)
        result["mpca_fit_largest_gallery_30cubed_3_sweeps"] = {
            "tensorly_partial_tucker_s": round(naive, 2),
            "ours_s": round(ours, 2),
            "ratio": round(naive / ours, 1),
        }
        result["peak_rss_mb_this_process"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        result["load_average_after"] = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result, indent=1 if args.json else None))


if __name__ == "__main__":
    main()
