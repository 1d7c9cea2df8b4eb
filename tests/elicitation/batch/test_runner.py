"""The batch runner: skip finished tasks, force, a failing task reported with its inputs, Dask = serial."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from elicitation.batch import Task, atomic_write, run_tasks
from tests.elicitation.batch.tasks import square


def _tasks(folder: Path, numbers: range) -> list[Task]:
    return [Task(f"n{n}", {"n": str(n)}, str(folder / f"{n}.txt")) for n in numbers]


def test_serial_run_writes_results_reports_the_failure_with_its_inputs_and_goes_on(tmp_path: Path) -> None:
    seen = []
    report = run_tasks(_tasks(tmp_path, range(6)), square, workers=0, on_done=lambda t, s: seen.append((t.key, s)))
    assert sorted(report.done) == ["n0", "n1", "n2", "n4", "n5"]
    assert [f.task.key for f in report.failed] == ["n3"]
    assert "n=3" in report.failed[0].describe() and "three is refused" in report.failed[0].describe()
    assert (tmp_path / "5.txt").read_text() == "25\n"
    assert not (tmp_path / "3.txt").exists()
    assert ("n3", "failed") in seen and len(seen) == 6


def test_finished_tasks_are_skipped_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "1.txt").write_text("stale\n")
    report = run_tasks(_tasks(tmp_path, range(3)), square, workers=0)
    assert report.skipped == ["n1"] and (tmp_path / "1.txt").read_text() == "stale\n"
    forced = run_tasks(_tasks(tmp_path, range(3)), square, workers=0, force=True)
    assert forced.skipped == [] and (tmp_path / "1.txt").read_text() == "1\n"


def test_atomic_write_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    atomic_write(target, "old\n")
    with pytest.raises(TypeError):
        atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    assert os.stat(target).st_mode & 0o777 == 0o600


def test_a_dask_local_cluster_gives_the_serial_results(tmp_path: Path) -> None:
    serial, dask = tmp_path / "serial", tmp_path / "dask"
    run_tasks(_tasks(serial, range(6)), square, workers=0)
    report = run_tasks(_tasks(dask, range(6)), square, workers=2)
    assert report.where.startswith("LocalCluster of 2")
    assert [f.task.key for f in report.failed] == ["n3"] and "three is refused" in report.failed[0].error
    assert {p.name: p.read_text() for p in serial.iterdir()} == {p.name: p.read_text() for p in dask.iterdir()}
