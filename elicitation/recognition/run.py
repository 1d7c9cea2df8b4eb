"""``elicit dataset baseline DB --out DIR``: samples -> tensors -> Table V and LOSO -> results files.

Three batches of independent tasks on the Dask engine the spotting uses (elicitation.batch; serial with
``workers=0``): one per sample (its 64^3 tensor and LBP-TOP features, into ``DIR/work``), one per G_m split
and one per LOSO fold. A sample whose pictures cannot be read is left out with its reason. BLAS runs one
thread per task in both modes, so a Dask run and a serial run write identical results. The tensors (faces)
are deleted from ``DIR/work`` once the results are written; every file is 0600 in a 0700 folder.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.batch import Task, atomic_write, run_tasks
from elicitation.folder import BadInput, create_private_dir
from elicitation.recognition import evaluate, lbptop, tensors
from elicitation.recognition.samples import PAPER_CLASSES, RecognitionSample, Skipped, load_samples

OnDone = Callable[[Task, str], None]


@dataclass(frozen=True)
class Options:
    classes: tuple[str, ...] = PAPER_CLASSES
    dims: tuple[int, ...] = (10, 20, 30, 40, 50, 60)  # Table V's rows
    galleries: tuple[int, ...] = (3, 6, 9, 12, 15)  # Table V's columns
    splits: int = 20
    seed: int = 1
    loso_dim: int = 30
    eta: float = 0.1
    max_sweeps: int = 10
    only_class: str | None = None
    sheet: str | None = None
    fps: float = 200.0


class _Limited:
    """A task function run with one BLAS thread (picklable for Dask): the same sums in every process."""

    def __init__(self, work: Callable[[Task], None]) -> None:
        self.work = work

    def __call__(self, task: Task) -> None:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            self.work(task)


def sample_task(task: Task) -> None:
    sample = RecognitionSample(
        task.inputs["subject"],
        task.inputs["name"],
        task.inputs["label"],
        0,
        0,
        tuple((n, Path(p)) for n, p in json.loads(task.inputs["pictures"])),
    )
    made = tensors.sample_tensor(sample)
    buffer = io.BytesIO()
    np.savez(buffer, tensor=made.tensor, lbptop=lbptop.lbp_top(made.tensor), face_found=made.face_found)
    atomic_write(task.output, buffer.getvalue())


def run_baseline(
    db: Path,
    out: Path,
    options: Options,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    on_start: Callable[[str, int], None] | None = None,
    on_done: OnDone | None = None,
) -> dict[str, Any]:
    """Everything into `out` (which must not exist or be empty); returns what baseline.json holds."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BadInput(f"--out {out} exists and is not an empty folder: results are never overwritten")
    samples, skipped, source = load_samples(
        db, options.classes, options.only_class, Path(options.sheet) if options.sheet else None, options.fps
    )
    if not samples:
        raise BadInput(f"{db}: no usable sample of the classes {', '.join(options.classes)}")
    work = out / "work"
    for folder in (out, work, work / "samples", work / "results"):
        create_private_dir(folder)
    start = on_start or (lambda stage, total: None)
    common = {"workers": workers, "scheduler": scheduler, "on_done": on_done}
    made = [
        Task(
            f"sample-{i:05d}",
            {
                "subject": s.subject,
                "name": s.name,
                "label": s.label,
                "pictures": json.dumps([(n, str(p)) for n, p in s.pictures]),
            },
            str(work / "samples" / f"{i:05d}.npz"),
        )
        for i, s in enumerate(samples)
    ]
    start("tensors", len(made))
    report = run_tasks(made, _Limited(sample_task), **common)  # type: ignore[arg-type]
    failed = {f.task.key: f.error for f in report.failed}
    kept = [s for t, s in zip(made, samples, strict=True) if t.key not in failed]
    skipped += [
        Skipped(s.subject, s.name, failed[t.key]) for t, s in zip(made, samples, strict=True) if t.key in failed
    ]
    loaded = [np.load(t.output) for t in made if t.key not in failed]
    _save(work / "tensors.npy", np.stack([d["tensor"] for d in loaded]))
    _save(work / "lbptop.npy", np.stack([d["lbptop"] for d in loaded]))
    atomic_write(work / "labels.json", json.dumps([s.label for s in kept]))
    labels, subjects = [s.label for s in kept], [s.subject for s in kept]
    base = {"work": str(work), "eta": str(options.eta), "max_sweeps": str(options.max_sweeps)}
    splits, left_out = evaluate.gallery_splits(labels, options.classes, options.galleries, options.splits, options.seed)
    table_tasks = [
        Task(
            f"G{m}-split{k:02d}",
            {
                **base,
                "m": str(m),
                "split": str(k),
                "train": _csv(train),
                "test": _csv(test),
                "dims": _csv(options.dims),
            },
            str(work / "results" / f"G{m:02d}_split{k:02d}.json"),
        )
        for m, k, train, test in splits
    ]
    loso_tasks = [
        Task(
            f"loso-sub{subject}",
            {**base, "subject": subject, "train": _csv(train), "test": _csv(test), "dim": str(options.loso_dim)},
            str(work / "results" / f"loso_{i:03d}.json"),
        )
        for i, (subject, train, test) in enumerate(evaluate.loso_folds(subjects))
        if len(train)
    ]
    start("Table V splits", len(table_tasks))
    table_report = run_tasks(table_tasks, _Limited(evaluate.gallery_task), **common)  # type: ignore[arg-type]
    start("LOSO folds", len(loso_tasks))
    loso_report = run_tasks(loso_tasks, _Limited(evaluate.loso_task), **common)  # type: ignore[arg-type]
    failures = [f.describe() for f in (*table_report.failed, *loso_report.failed)]
    results = {
        "splits": [json.loads(Path(t.output).read_text()) for t in table_tasks if Path(t.output).is_file()],
        "loso": [json.loads(Path(t.output).read_text()) for t in loso_tasks if Path(t.output).is_file()],
    }
    from elicitation.recognition.outputs import write_outputs

    summary = write_outputs(
        out,
        options,
        kept,
        skipped,
        source,
        left_out,
        results,
        failures,
        {"tensors": report.where, "splits": table_report.where, "loso": loso_report.where},
        [bool(d["face_found"]) for d in loaded],
    )
    shutil.rmtree(work)  # the face tensors: results are written, nothing else needs them
    return summary


def _csv(values: Any) -> str:
    return ",".join(str(int(v)) for v in values)


def _save(path: Path, array: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, array)
    atomic_write(path, buffer.getvalue())


def options_dict(options: Options) -> dict[str, Any]:
    return asdict(options)
