"""The end of a session, whatever ended it: every step runs, and no child process outlives the session.

An unforeseen error must not skip the rest of the teardown (a window left open, a framing watch whose
process keeps multiprocessing's exit handler waiting for ever), so each step runs on its own and its
error is logged and kept; the first is raised once all have run (unless an error is already on its way
out). Last, ``stop_children`` ends any process the session started that is still alive: asked first,
killed after a grace period, so the command exits with its code within seconds.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import sys
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
GRACE_S = 5.0


class Teardown:
    def __init__(self) -> None:
        self.errors: list[BaseException] = []

    def run(self, what: str, step: Callable[..., Any], *args: Any) -> None:
        try:
            step(*args)
        except BaseException as exc:  # noqa: BLE001 - the next steps must run; raised in raise_first
            log.error("session end: %s failed: %r", what, exc, exc_info=exc)
            self.errors.append(exc)

    def raise_first(self) -> None:
        """The first error of the teardown, unless another is already propagating (it says more)."""
        if self.errors and sys.exc_info()[1] is None:
            raise self.errors[0]


def stop_children(grace_s: float = GRACE_S) -> list[str]:
    """Terminate, then kill, every multiprocessing child still alive; returns their names."""
    children = [p for p in mp.active_children() if p.is_alive()]
    for child in children:
        log.warning("session end: child process %s (pid %s) still alive: stopping it", child.name, child.pid)
        child.terminate()
    deadline = time.monotonic() + grace_s
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            child.kill()  # camera processes ignore SIGTERM: they have finished or lost their files by now
            child.join(2)
    return [c.name for c in children]
