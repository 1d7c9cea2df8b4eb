"""Thread names and priorities (hardware.scheduling): what `ps -L` and bench/demo.py see."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from hardware.scheduling import lower_priority, name_this_thread

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")


def _in_a_thread(work) -> dict:
    seen: dict = {}

    def body() -> None:
        tid = threading.get_native_id()
        work()
        seen["comm"] = Path(f"/proc/self/task/{tid}/comm").read_text().strip()
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, tid)

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    return seen


def test_a_thread_names_itself_and_the_name_is_cut_to_the_kernels_15_bytes() -> None:
    assert _in_a_thread(lambda: name_this_thread("write gras"))["comm"] == "write gras"
    assert _in_a_thread(lambda: name_this_thread("a-very-long-thread-name"))["comm"] == "a-very-long-thr"


def test_lowering_a_threads_priority_leaves_the_rest_of_the_process_alone() -> None:
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen = _in_a_thread(lambda: lower_priority(7))
    assert seen["nice"] == min(19, mine + 7)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine
