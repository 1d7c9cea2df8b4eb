"""Module-level task functions (Dask pickles them by reference)."""

from __future__ import annotations

from pathlib import Path

from elicitation.batch import Task, atomic_write


def square(task: Task) -> None:
    value = int(task.inputs["n"])
    if value == 3:
        raise ValueError("three is refused")
    atomic_write(Path(task.output), f"{value * value}\n")
