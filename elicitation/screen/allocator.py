"""The experiment process's C allocator: few malloc arenas, so a long session does not grow.

Every clip opens an ffpyplayer MediaPlayer whose read and decode threads (and ffmpeg's own frame
threads) are new threads; so is each self-review's decoder. glibc gives threads their own malloc
arenas, up to 8 per core, and an arena keeps the memory its threads freed (decoded frames of
megabytes) for its next users instead of returning it. Over a session each new player lands in
a fresh arena until the cap is reached: measured here with a PsychoPy window open, every
open-and-close of a MediaPlayer left 4 MB more resident, up to +64 MB after 20 players, and the
self-review's freed frames stayed resident in their arena (hundreds of MB between episodes).
With two arenas the threads share memory that was freed and the size between episodes stays flat
(bench/memory.py).

The limit only applies to arenas not yet made, and glibc fixes its cap once the process has more
than eight: so ``limit_arenas()`` runs before the window and the first clip exist. It does
nothing where the C library is not glibc (Windows, macOS), whose allocators work differently.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc <malloc.h>
ARENAS = 2  # the main arena (the render loop) and one shared by every other thread


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.gnu_get_libc_version.restype = ctypes.c_char_p
        libc.gnu_get_libc_version()
    except (OSError, AttributeError):
        return None  # not glibc (musl has no arenas to limit)
    return libc


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap the number of malloc arenas of this process; True if glibc accepted the cap."""
    libc = _glibc()
    if libc is None:
        log.debug("not glibc: malloc arenas left as they are")
        return False
    ok = bool(libc.mallopt(M_ARENA_MAX, arenas))
    if not ok:
        log.warning("mallopt(M_ARENA_MAX, %d) refused: memory may grow over a long session", arenas)
    return ok


def trim_memory() -> bool:
    """Return freed heap memory to the system now (glibc only); True if some was returned.

    For the moments between steps when large buffers were just let go (a self-review's decoded
    frames): an arena keeps such memory otherwise. It takes a few milliseconds, so never during a clip.
    """
    libc = _glibc()
    return bool(libc.malloc_trim(0)) if libc is not None else False
