"""`elicit cameras sync-test RIG --flashes N --out DIR`: flashes on the screen, every camera records them.

The screen shows N full-screen white flashes on black at random intervals (seeded) while the rig records
into DIR. Each flash's onset and offset are flip times on the one clock (DIR/flashes.tsv); they are also
published to simulated cameras through hardware.screen_link, so a sim rig with ``screen_latency_ms``
sees them. The flash train is elicitation.screen.flashes, the one the session's sync flashes use. Then
hardware.analysis finds each flash in each camera's frames, counts the frames each camera dropped while the
flashes were shown and writes DIR/sync.json and DIR/sync.png. Exit 0 when every camera passes, 1 when a
camera dropped frames, a flash is missed or the latency is unstable.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from elicitation.errors import ElicitationError
from hardware.analysis import measure_camera, offsets_ms
from hardware.cameras import backend_module
from hardware.cameras.sim.screen_link import ENV, ScreenLink
from hardware.recording import Recorder
from hardware.rig import Rig

ON_S = 0.25  # how long each flash stays white
OFF_S = (0.7, 1.5)  # random dark gap before each flash (s)
SETTLE_S = 1.0  # black before the first flash and after the last


def flash_screen(flashes: int, seed: int, windowed: bool, link: ScreenLink, recorder: Recorder) -> list[tuple]:
    """(onset, offset) flip times of each flash (elicitation.screen.flashes), each change published to link."""
    from elicitation.protocol import Display as DisplaySettings
    from elicitation.screen import Display, FlashPlan, FullScreen, show_flashes

    display = Display(DisplaySettings(), windowed=windowed)
    try:
        display.measure_refresh()
        white, black = FullScreen(display.win, [255, 255, 255]), FullScreen(display.win, [0, 0, 0])

        def frame(draw: Callable[[], None], shot: str | None) -> float:
            draw()
            return display.flip(shot)

        def marked(i: int, onset: float, offset: float) -> None:
            recorder.mark(f"flash {i + 1}", at=onset)

        plan = FlashPlan.seeded(flashes, ON_S, OFF_S, SETTLE_S, seed)
        return show_flashes(frame, white, black, display.period, plan, on_change=link.append, on_flash=marked)
    finally:
        display.close()


def run_sync_test(rig: Rig, flashes: int, out_dir: Path, seed: int, windowed: bool, console: Console) -> list[tuple]:
    link = ScreenLink.create()
    previous = os.environ.get(ENV)
    os.environ[ENV] = str(link.path)  # the camera processes are spawned now and inherit it
    recorder = Recorder(rig, out_dir)
    try:
        recorder.start()  # CamerasNotStarted (exit 3) stops every camera it started
        times = flash_screen(flashes, seed, windowed, link, recorder)
    finally:
        if recorder.started_at is not None:
            recorder.stop()
        link.close()
        if previous is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = previous
    with (out_dir / "flashes.tsv").open("w", encoding="utf-8") as fh:
        fh.write("flash\tclock_time\toffset_clock_time\n")
        fh.writelines(f"{i + 1}\t{on:.6f}\t{off:.6f}\n" for i, (on, off) in enumerate(times))
    if recorder.errors:  # a latency of a camera that died is no measurement: exit 3, files kept
        raise SyncTestError(f"a camera failed during the sync test ({'; '.join(recorder.errors.values())}); "
                            f"the recording and flashes.tsv are in {out_dir}")  # fmt: skip
    return times


class SyncTestError(ElicitationError):
    """Raised when the sync test cannot be judged: a camera failed while the flashes were shown."""


def analyse(rig: Rig, out_dir: Path, times: list[tuple], limits: dict[str, float | None]) -> dict[str, Any]:
    from hardware.analysis import plot_sync

    onsets = np.array([on for on, _ in times])
    until = times[-1][1] if times else None
    results = [
        measure_camera(name, out_dir, onsets, s.fps, until, getattr(backend_module(s.backend), "FRAME_IDS", True))
        for name, s in rig.cameras.items()
    ]
    passed = {r.name: r.judge(len(onsets), limits.get("max_sd_ms"), limits.get("max_range_ms")) for r in results}
    report = {
        "rig": rig.name,
        "flashes": len(onsets),
        "passed": all(passed.values()),
        "limits": limits,
        "offsets_ms": offsets_ms(results),
        "cameras": {
            r.name: {
                "latency_ms": r.stats(),
                "flashes_found": len(r.found),
                "frames": r.frames,
                "dropped": r.dropped,
                "dropped_total": r.dropped_total,
                "per_flash_ms": r.latencies_ms,
                "period_ms": r.period_ms,
                "passed": passed[r.name],
                "reasons": r.reasons,
            }  # fmt: skip
            for r in results
        },
    }
    (out_dir / "sync.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    plot_sync(results, out_dir / "sync.png")
    return report


def print_report(report: dict[str, Any], console: Console) -> None:
    table = Table(title=f"Screen-to-camera sync, rig '{report['rig']}' ({report['flashes']} flashes)")
    columns = ("camera", "verdict", "found", "dropped", "latency mean / sd (ms)", "min / max (ms)", "offset (ms)",
               "reasons")  # fmt: skip
    for column in columns:
        table.add_column(column)
    for name, cam in report["cameras"].items():
        s, off = cam["latency_ms"], report["offsets_ms"][name]
        fmt = lambda v: "-" if v is None else f"{v:.1f}"  # noqa: E731
        table.add_row(name, "[green]PASS[/]" if cam["passed"] else "[red]FAIL[/]",
                      f"{cam['flashes_found']}/{report['flashes']}", str(cam["dropped"]),
                      f"{fmt(s['mean'])} / {fmt(s['sd'])}", f"{fmt(s['min'])} / {fmt(s['max'])}", fmt(off),
                      "\n".join(cam["reasons"]))  # fmt: skip
    console.print(table)
