"""Undo of a coder's last change to an episode (key U or Ctrl+Z), through the coder log's append-only writer.

The log is never rewritten: an undo appends the opposite action (elicitation.coding.CodingLog), so the log
keeps both the change and its undoing with their times:
- undo of an ``add``: a ``delete`` row of that event;
- undo of a ``change``: a ``change`` row restoring the event's previous values;
- undo of a ``delete``: an ``add`` row restoring the event with its own id (ids are never reused, so the id
  is free: the agreement and arbitration pages keep naming the event as before).
Undone steps are popped, so pressing undo again undoes the change before. The steps are those this
workbench made since it started, per session and episode (one writer per coder log, so no other process
changed them meanwhile); ``done`` closes an episode and is not undone (the log refuses changes after it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from elicitation.coding import CodingError, CodingLog, Event

MAX_STEPS = 200  # per episode; older steps are forgotten


@dataclass(frozen=True)
class Step:
    """One change: `action` (add, change, delete) of the event `event_id`; `before`: its values before."""

    action: str
    event_id: str
    before: Event | None


class UndoSteps:
    def __init__(self) -> None:
        self._steps: dict[tuple[int, str], list[Step]] = {}
        self._lock = threading.Lock()

    def record(self, n: int, episode: str, step: Step) -> None:
        with self._lock:
            steps = self._steps.setdefault((n, episode), [])
            steps.append(step)
            del steps[:-MAX_STEPS]

    def undo(self, n: int, episode: str, log: CodingLog) -> str:
        """Append the opposite of the last step to `log`; what was done, for the page. CodingError if none."""
        if episode in log.state.done:
            raise CodingError(f"episode {episode} is marked done: its codes are fixed, nothing is undone")
        with self._lock:
            steps = self._steps.get((n, episode), [])
            if not steps:
                raise CodingError(f"nothing to undo: no add, change or delete of yours in episode {episode} "
                                  "since the workbench started")  # fmt: skip
            step = steps[-1]
            if step.action == "add":
                log.delete(step.event_id)
                said = f"undone: the add of {step.event_id} (deleted)"
            elif step.action == "change" and step.before is not None:
                log.change(step.before)
                said = f"undone: the change of {step.event_id} (its previous values are back)"
            elif step.action == "delete" and step.before is not None:
                log.add(step.before)
                said = f"undone: the delete of {step.event_id} (restored)"
            else:
                raise CodingError(f"cannot undo {step.action} of {step.event_id}")
            steps.pop()
            return said
