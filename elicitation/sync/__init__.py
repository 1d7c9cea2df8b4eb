"""The screen-to-camera latency test and the camcorder import, the experiment's two uses of sync flashes."""

from __future__ import annotations

from elicitation.sync.camcorder_import import import_video
from elicitation.sync.screen_latency import SyncTestError, analyse, print_report, run_sync_test

__all__ = [
    "SyncTestError",
    "analyse",
    "import_video",
    "print_report",
    "run_sync_test",
]
