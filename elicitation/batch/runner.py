"""Run many independent tasks serially or on Dask distributed, each writing its own result atomically.

    tasks = [Task(key, {"session": ..., "file": ...}, output_path), ...]
    report = run_tasks(tasks, work, workers=2)           # a LocalCluster of 2 single-threaded processes
    report = run_tasks(tasks, work, scheduler="tcp://host:8786")   # an existing cluster
    report = run_tasks(tasks, work, workers=0)           # serial, in this process

``work(task)`` is a module-level function (it is pickled to the workers) that computes the result and
writes ``task.output`` with :func:`atomic_write` (a temporary file in the same folder, fsync, rename), so
an output either exists whole or not at all. A task whose output exists is skipped unless ``force``.
A task that raises is recorded with its inputs and error in the report; the others go on. ``on_done``
is called in this process once per finished, skipped or failed task (a progress bar).
"""

from __future__ import annotations

import logging
import os
import tempfile
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Task:
    key: str  # unique among the tasks (names the Dask future)
    inputs: dict[str, str]
    output: str  # the file that exists once the task is done


@dataclass(frozen=True)
class Failure:
    task: Task
    error: str  # "ExceptionClass: message"
    detail: str = ""  # the traceback's last lines

    def describe(self) -> str:
        inputs = ", ".join(f"{k}={v}" for k, v in self.task.inputs.items())
        return f"{self.task.key} ({inputs}): {self.error}"


@dataclass
class BatchReport:
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    where: str = "serial"

    @property
    def ok(self) -> bool:
        return not self.failed


def atomic_write(path: Path | str, data: bytes | str) -> None:
    """Write a file whole or not at all: a temporary file beside it, fsync, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)  # results describe a participant's recording
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _failure(task: Task, exc: BaseException) -> Failure:
    tail = "".join(traceback.format_exception(exc)[-3:]).strip()
    return Failure(task, f"{exc.__class__.__name__}: {exc}", tail)


def _serial(todo: Sequence[Task], work: Callable[[Task], Any], report: BatchReport,
            on_done: Callable[[Task, str], None]) -> None:  # fmt: skip
    for task in todo:
        try:
            work(task)
        except Exception as exc:  # noqa: BLE001 - a failing task is reported, the others go on
            report.failed.append(_failure(task, exc))
            on_done(task, "failed")
            continue
        report.done.append(task.key)
        on_done(task, "done")


def _distributed(todo: Sequence[Task], work: Callable[[Task], Any], report: BatchReport,
                 on_done: Callable[[Task, str], None], workers: int, scheduler: str | None) -> None:  # fmt: skip
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
        report.where = f"scheduler {scheduler}"
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)  # fmt: skip
        client = Client(cluster)
        report.where = f"LocalCluster of {workers} worker processes"
    try:
        by_key = {}
        futures = []
        for task in todo:
            future = client.submit(work, task, key=f"task-{task.key}", pure=False)
            by_key[future.key] = task
            futures.append(future)
        for future in as_completed(futures):
            task = by_key[future.key]
            exc = future.exception()
            if exc is not None:
                report.failed.append(_failure(task, exc))
                on_done(task, "failed")
            else:
                report.done.append(task.key)
                on_done(task, "done")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_tasks(
    tasks: Sequence[Task],
    work: Callable[[Task], Any],
    *,
    workers: int = 2,
    scheduler: str | None = None,
    force: bool = False,
    on_done: Callable[[Task, str], None] | None = None,
) -> BatchReport:
    """Run every task whose output is missing (all with force); see the module docstring."""
    keys = [t.key for t in tasks]
    if len(set(keys)) != len(keys):
        raise ValueError("task keys must be unique")
    notify = on_done or (lambda task, state: None)
    report = BatchReport()
    todo = []
    for task in tasks:
        if not force and Path(task.output).is_file():
            report.skipped.append(task.key)
            notify(task, "skipped")
        else:
            todo.append(task)
    if not todo:
        return report
    if workers <= 0 and not scheduler:
        _serial(todo, work, report, notify)
    else:
        _distributed(todo, work, report, notify, max(1, workers), scheduler)
    for failure in report.failed:
        log.warning("task failed: %s", failure.describe())
    return report
