"""The session's Lab Streaming Layer (rig file ``lsl:``, hardware/lsl/): preflight, markers, inlets.

- Preflight: liblsl's clock must be ours (within 1 ms), each stream to record is looked for by
  name (and type) and reported with its nominal rate; a missing ``required`` one stops the
  session before anything is created (exit 1, with its name), a missing optional one is a warning.
- Markers: every events.tsv row is also a marker sample as it is written, stamped with its
  clock_time (a flip time), through the recorder's marker outlet (which sends the recorder's own
  markers too); the camera processes send one sample per frame written.
- Inlets: the streams are recorded into ``lsl/<name>.tsv`` by their own process from before the
  cameras start to after they stop. Twice a second the frame loop takes in its reports without
  waiting: a stream that stops is a console warning and a session.json warning; everything else
  goes on and what it sent is kept. session.json ``lsl`` holds the outlets, and per run each
  recorded stream's metadata, time corrections, sample counts, stops and resumptions.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rich.console import Console

from elicitation.folder import EventLog, SessionState
from elicitation.session.preflight import Check
from hardware.lsl import LslConfig, MarkerOutlet, StreamRecorder, clock_offset, find_stream, library_text
from hardware.lsl import StreamSummary as Summary
from hardware.rig import Rig

log = logging.getLogger(__name__)
CLOCK_TOLERANCE_S = 0.001
POLL_EVERY_S = 0.5


def check_lsl(rig: Rig, timeout_s: float = 2.0) -> list[Check]:
    """Preflight checks of the rig's LSL set-up (none when it has no ``lsl`` block)."""
    config = rig.lsl
    if not config.enabled:
        return []
    offset = clock_offset()
    checks = [Check("lsl clock", abs(offset) <= CLOCK_TOLERANCE_S,
                    f"{library_text()}: local_clock() - CLOCK_MONOTONIC = {offset * 1e6:+.1f} us"
                    f" (at most {CLOCK_TOLERANCE_S * 1e3:g} ms)")]  # fmt: skip
    for request in config.record:
        found = find_stream(request, timeout_s)
        name = f"lsl stream {request.name}"
        if found:
            s = Summary.of(found[0])
            more = f"; {len(found)} match, the first is recorded" if len(found) > 1 else ""
            detail = f"{s.type or 'no type'}, {s.channels} x {s.channel_format} at {s.rate_text()} nominal"
            checks.append(Check(name, True, f"{detail}, from {s.hostname}{more}", warning=len(found) > 1))
        elif request.required:
            checks.append(Check(name, False, f"{request.describe()} not found on the network in {timeout_s:g} s "
                                "(required: start its device or its LSL app)"))  # fmt: skip
        else:
            checks.append(Check(name, True, f"{request.describe()} not found (optional: recorded if it appears)",
                                warning=True))  # fmt: skip
    return checks


class MarkedEventLog(EventLog):
    """events.tsv whose every row also goes out on the LSL marker stream, stamped with its clock_time."""

    def __init__(self, path: Path, t0: float, outlet: MarkerOutlet | None) -> None:
        super().__init__(path, t0)
        self.outlet = outlet

    def add(self, trial_type: str, clock_time: float, duration: float | None = None, episode: str | None = None,
            stimulus: str | None = None, source: str | None = None) -> None:  # fmt: skip
        super().add(trial_type, clock_time, duration, episode, stimulus, source)
        if self.outlet is not None:
            payload = {"source": "events", "trial_type": trial_type, "episode": episode, "stimulus": stimulus,
                       "duration": duration, "onset": round(clock_time - self.t0, 6)}  # fmt: skip
            if source is not None:
                payload["input"] = source  # keyboard / dashboard / autopilot
            self.outlet.push(payload, clock_time)


class SessionLsl:
    def __init__(self, config: LslConfig, folder: Path, state: SessionState, console: Console) -> None:
        self.config, self.state, self.console = config, state, console
        self.inlets = StreamRecorder(config.record, folder / "lsl", config.stall_s) if config.record else None
        self.where = ""
        self._next_poll = 0.0

    def start(self, cameras: list[str]) -> None:
        c, before = self.config, self.state.data.get("lsl")
        if not c.enabled and before is None:
            return  # LSL off: session.json has no lsl block
        self.state.data["lsl"] = {
            "library": library_text(),
            "markers": {"name": c.marker_stream, "source_id": c.source_id(c.marker_stream)} if c.markers else None,
            "cameras": {cam: {"name": c.camera_stream(cam), "source_id": c.source_id(c.camera_stream(cam))}
                        for cam in cameras} if c.cameras else {},
            "record": [vars(r) for r in c.record],
        }  # fmt: skip
        now = self.state.data["lsl"]
        if before and (before["markers"], before["cameras"]) != (now["markers"], now["cameras"]):
            self._warn("LSL: this run's stream names differ from the session's start (rig lsl block changed): "
                       "LabRecorder sees new streams")  # fmt: skip
        if self.inlets is not None:
            found = self.inlets.start()
            missing = [r.name for r in c.record if r.name not in found]
            for name in missing:
                self._warn(f"LSL stream {name} was not found at the start; it is recorded if it appears")
        self.state.save()

    def event_log(self, path: Path, t0: float, outlet: MarkerOutlet | None) -> EventLog:
        return MarkedEventLog(path, t0, outlet) if self.config.markers else EventLog(path, t0)

    def check(self, now: float, where: str = "") -> None:
        """Take in the inlet process's reports (never waits); called from the frame loop."""
        if self.inlets is None or now < self._next_poll:
            return
        self._next_poll = now + POLL_EVERY_S
        for kind, name, info in self.inlets.poll():
            if kind == "stopped":
                self._warn(f"LSL stream {name} stopped during the session at {where or 'n/a'} ({info['why']}); its "
                           f"{info['samples']} samples are kept in lsl/, recording of the rest goes on")  # fmt: skip
            elif kind == "resumed":
                self.console.print(f"[green]LSL stream {name} is back[/]", highlight=False)
                log.info("LSL stream %s resumed", name)
            elif kind == "warning":
                self._warn(f"LSL stream {name}: {info}")
            elif kind == "opened":
                log.info("LSL stream %s recorded (time correction %+.6f s)", name, info["time_correction_s"])

    def _warn(self, message: str) -> None:
        log.warning("%s", message)
        self.console.print(f"[bold yellow]{message}[/]", highlight=False)
        self.state.warn(message, save=False)

    def stop(self) -> None:
        """Finish the stream files and note each stream in this run of session.json (saved by the caller)."""
        if self.inlets is None:
            return
        self.check(float("inf"), self.where)
        streams: dict[str, Any] = self.inlets.stop()
        for name, entry in streams.items():
            for t_clock, offset in entry.get("time_corrections", [])[:1]:
                log.info("LSL stream %s: time correction %+.6f s at clock %.3f", name, offset, t_clock)
        if self.state.data["runs"]:
            self.state.current_run()["lsl_streams"] = streams
