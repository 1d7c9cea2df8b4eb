"""The experiment process caps its malloc arenas, so short-lived decoder threads cannot add new ones."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

# A fresh process (glibc fixes its arena cap once a process has more than eight arenas): twelve
# threads that each hold malloc'd memory at once, then the number of arenas malloc_info reports.
CHILD = textwrap.dedent("""
    import ctypes, os, sys, tempfile, threading
    if sys.argv[1] == "limit":
        from elicitation.screen.allocator import limit_arenas
        assert limit_arenas()
    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype = ctypes.c_void_p
    libc.fdopen.restype = ctypes.c_void_p
    start = threading.Barrier(12)
    def work():
        blocks = [libc.malloc(100_000) for _ in range(4)]
        start.wait()
    threads = [threading.Thread(target=work) for _ in range(12)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    fd, path = tempfile.mkstemp()
    fp = ctypes.c_void_p(libc.fdopen(fd, b"w"))
    libc.malloc_info(0, fp)
    libc.fclose(fp)
    print(open(path).read().count("<heap nr="))
    os.unlink(path)
""")


def arenas(mode: str) -> int:
    result = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc arenas are glibc's")
def test_limit_arenas_caps_the_arenas_of_new_threads() -> None:
    assert arenas("default") > 4  # twelve threads at once get arenas of their own
    assert arenas("limit") <= 2
