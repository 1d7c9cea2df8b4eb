"""Names and priorities of the app's processes and threads, as the operating system sees them.

On 2 cores the cameras' read loops and their encoders must win every contest for the CPU: a read loop
that waits a few frame periods loses frames (the demo lost bursts of 40-230 in mid-episode). Work that
can wait (previews, the framing watch's face detection, the self-review's decoding, the dashboard)
lowers its own priority with ``lower_priority`` instead of asking for more for the cameras, which
would need privileges a lab PC does not give.

Every process and long-lived thread names itself with ``name_this_thread`` (Linux ``prctl(PR_SET_NAME)``,
at most 15 bytes), so ``top -H``, ``ps -L`` and ``bench/demo.py`` can say which one used the CPU.
Both are best effort: on a system without them nothing happens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import threading

log = logging.getLogger(__name__)

PR_SET_NAME = 15
COMM_BYTES = 15  # the kernel keeps 16 bytes, the last a NUL
BACKGROUND_NICE = 10  # previews, framing watch, dashboard: far below the cameras (nice 0)
REVIEW_DECODE_NICE = 5  # the participant watches it: below the cameras, above the background work

_libc: ctypes.CDLL | None = None


def _prctl() -> ctypes.CDLL | None:
    global _libc
    if _libc is None:
        name = ctypes.util.find_library("c")
        _libc = ctypes.CDLL(name, use_errno=True) if name else None
    return _libc


def name_this_thread(name: str) -> None:
    """Give the calling thread (the process, for its main thread) a name `ps -L` and psutil show."""
    libc = _prctl() if os.name == "posix" else None
    if libc is None:
        return
    raw = name.encode("ascii", "replace")[:COMM_BYTES]
    if libc.prctl(PR_SET_NAME, ctypes.c_char_p(raw), 0, 0, 0) != 0:
        log.debug("prctl(PR_SET_NAME, %r) failed: errno %d", raw, ctypes.get_errno())


def lower_priority(niceness: int = BACKGROUND_NICE) -> None:
    """Lower the calling thread's priority by `niceness` (Linux: per thread; elsewhere the whole process)."""
    if not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + niceness))
    except OSError:
        log.debug("could not lower the priority of thread %s", threading.current_thread().name, exc_info=True)
