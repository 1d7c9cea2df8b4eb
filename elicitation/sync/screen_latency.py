"""`elicit cameras sync-test RIG --flashes N --out DIR`: flashes on the screen, every camera records them.

The screen shows N full-screen white flashes on black at random intervals (seeded) while the rig records
into DIR. Each flash's onset and offset are flip times on the one clock (DIR/flashes.tsv); they are also
published to simulated cameras through hardware.screen_link, so a sim rig with ``screen_latency_ms``
sees them. Then hardware.synctest finds each flash in each camera's frames and writes DIR/sync.json and
DIR/sync.png. Exit 0 when every camera passes, 1 when a flash is missed or the latency is unstable.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from elicitation.errors import ElicitationError
from hardware.analysis import measure_camera, offsets_ms
from hardware.cameras.sim.screen_link import ENV, ScreenLink
from hardware.recording import Recorder
from hardware.rig import Rig

ON_S = 0.25  # how long each flash stays white
OFF_S = (0.7, 1.5)  # random dark gap before each flash (s)
SETTLE_S = 1.0  # black before the first flash and after the last


def show_flashes(flashes: int, seed: int, windowed: bool, link: ScreenLink, recorder: Recorder) -> list[tuple]:
    """(onset, offset) flip times of each flash."""
    from elicitation.protocol import Display as DisplaySettings
    from elicitation.screen import Display, FullScreen

    display = Display(DisplaySettings(), windowed=windowed)
    try:
        display.measure_refresh()
        white, black = FullScreen(display.win, [255, 255, 255]), FullScreen(display.win, [0, 0, 0])
        rng = np.random.default_rng(seed)
        half = display.period / 2
        black.draw()
        t = display.flip()
        link.append(t, 0.0)
        times = []
        gap = SETTLE_S
        for i in range(flashes):
            due = t + gap
            while t + half < due:
                black.draw()
                t = display.flip()
            white.draw()
            onset = display.flip()
            link.append(onset, 1.0)  # at once: simulated cameras hold each frame SCREEN_READOUT_S for this
            t = onset
            while t + half < onset + ON_S:
                white.draw()
                t = display.flip()
            black.draw()
            offset = t = display.flip()
            link.append(offset, 0.0)
            recorder.mark(f"flash {i + 1}", at=onset)
            times.append((onset, offset))
            gap = float(rng.uniform(*OFF_S))
        end = t + SETTLE_S
        while t < end:
            black.draw()
            t = display.flip()
        return times
    finally:
        display.close()


def run_sync_test(rig: Rig, flashes: int, out_dir: Path, seed: int, windowed: bool, console: Console) -> list[tuple]:
    link = ScreenLink.create()
    previous = os.environ.get(ENV)
    os.environ[ENV] = str(link.path)  # the camera processes are spawned now and inherit it
    recorder = Recorder(rig, out_dir)
    try:
        recorder.start()  # CamerasNotStarted (exit 3) stops every camera it started
        times = show_flashes(flashes, seed, windowed, link, recorder)
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
    results = [measure_camera(name, out_dir, onsets, s.fps) for name, s in rig.cameras.items()]
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
    for column in ("camera", "verdict", "found", "latency mean / sd (ms)", "min / max (ms)", "offset (ms)", "reasons"):
        table.add_column(column)
    for name, cam in report["cameras"].items():
        s, off = cam["latency_ms"], report["offsets_ms"][name]
        fmt = lambda v: "-" if v is None else f"{v:.1f}"  # noqa: E731
        table.add_row(name, "[green]PASS[/]" if cam["passed"] else "[red]FAIL[/]",
                      f"{cam['flashes_found']}/{report['flashes']}", f"{fmt(s['mean'])} / {fmt(s['sd'])}",
                      f"{fmt(s['min'])} / {fmt(s['max'])}", fmt(off), "\n".join(cam["reasons"]))  # fmt: skip
    console.print(table)
