"""Many independent tasks (one per session, file and camera), serially or on Dask distributed, each result
written atomically; generic (spotting uses it, and so can dataset builds)."""

from __future__ import annotations

from elicitation.batch.runner import BatchReport, Failure, Task, atomic_write, run_tasks

__all__ = ["BatchReport", "Failure", "Task", "atomic_write", "run_tasks"]
