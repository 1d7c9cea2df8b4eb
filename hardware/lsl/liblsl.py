"""pylsl, loaded once per process, and the one fact we rely on: liblsl's clock is ours.

liblsl stamps samples with ``lsl_local_clock()`` (std::chrono::steady_clock, CLOCK_MONOTONIC on
Linux), so on one PC its time *is* the project's clock (``time.monotonic()``) and no mapping is
needed; ``clock_offset()`` measures it (tests/hardware/lsl/test_clock.py) and the preflight refuses
a difference over 1 ms. Other PCs' streams are mapped onto it by liblsl's time correction.

liblsl logs at INFO level to stderr; unless the lab has its own lsl_api.cfg (which we never
override) it is told to log errors only, so the experimenter's console stays readable.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from types import ModuleType

_configured = False
QUIET_CONFIG = "[log]\nlevel = -2\n"  # loguru verbosity: -2 = errors only


def _lab_config_exists() -> bool:
    if os.environ.get("LSLAPICFG"):
        return True
    places = (Path("lsl_api.cfg"), Path.home() / "lsl_api" / "lsl_api.cfg", Path("/etc/lsl_api/lsl_api.cfg"))
    return any(p.is_file() for p in places)


def pylsl() -> ModuleType:
    """The pylsl module, configured before its first use in this process."""
    global _configured
    import pylsl as module

    if not _configured:
        _configured = True
        if not _lab_config_exists() and hasattr(module, "set_config_content"):
            module.set_config_content(QUIET_CONFIG)
    return module


def local_clock() -> float:
    return float(pylsl().local_clock())


def clock_offset(samples: int = 200) -> float:
    """Median of ``local_clock() - time.monotonic()`` (seconds), each read between two monotonic reads."""
    lsl = pylsl()
    diffs = []
    for _ in range(samples):
        before = time.monotonic()
        theirs = lsl.local_clock()
        after = time.monotonic()
        diffs.append(theirs - (before + after) / 2)
    return statistics.median(diffs)


def library_text() -> str:
    lsl = pylsl()
    version = lsl.library_version()
    return f"liblsl {version // 100}.{version % 100} (protocol {lsl.protocol_version()})"
