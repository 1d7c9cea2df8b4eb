"""The process that records other devices' LSL streams (started by hardware/lsl/inlets.py).

It never shares a thread (or the GIL) with the PsychoPy loop. For each requested stream it opens
an inlet (looking again every few seconds for one not yet found), pulls whatever has arrived every
20 ms, adds liblsl's current time correction for that stream (logged whenever it moves by more
than 0.2 ms) and appends the rows to ``<name>.tsv``. A regular-rate stream silent for ``stall_s``
(or an irregular one no longer visible on the network) is reported "stopped", once; if samples come
again it is "resumed" (liblsl reconnects to the same source id by itself). Reports go to the parent
as ``(kind, stream, payload)`` tuples; nothing here waits on the parent.
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from hardware.lsl.config import StreamRequest
from hardware.lsl.discovery import StreamSummary, find_stream
from hardware.lsl.liblsl import pylsl
from hardware.lsl.tsv import StreamTsvWriter, column_names
from hardware.scheduling import name_this_thread

POLL_S = 0.02
LOOK_AGAIN_S = 3.0
CORRECTION_LOG_S = 0.0002


@dataclass
class _Stream:
    request: StreamRequest
    inlet: Any = None
    writer: StreamTsvWriter | None = None
    summary: StreamSummary | None = None
    correction: float = 0.0
    corrections: list[list[float]] = field(default_factory=list)  # [clock time, offset s]
    last_arrival: float = 0.0
    last_sample: float | None = None
    first_sample: float | None = None
    stopped: bool = False
    next_look: float = 0.0
    source: str = ""


def run(requests: list[StreamRequest], folder: str, stall_s: float, events: Any, control: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the session stops us in order
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a closed terminal: the session stops us in order
    name_this_thread("lsl-inlets")
    out = Path(folder)
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    streams = [_Stream(r) for r in requests]
    for s in streams:
        _open(s, out, events, timeout=1.0)
    events.put(("ready", "", [s.request.name for s in streams if s.inlet is not None]))
    running = True
    while running:
        try:
            running = not (control.poll(0) and control.recv()[0] == "stop")
        except (EOFError, OSError):  # the session is gone: finish the files
            running = False
        now = time.monotonic()
        for s in streams:
            if s.inlet is None:
                if now >= s.next_look:
                    _open(s, out, events, timeout=0.1)
                continue
            _pull(s, events, now)
            _watch(s, events, now, stall_s)
        time.sleep(POLL_S)
    for s in streams:
        if s.inlet is not None:
            _pull(s, events, time.monotonic())  # what has arrived by now is kept
            s.writer.close()  # type: ignore[union-attr]
        events.put(("summary", s.request.name, _summary(s)))


def _open(s: _Stream, out: Path, events: Any, timeout: float) -> None:
    lsl = pylsl()
    s.next_look = time.monotonic() + LOOK_AGAIN_S
    found = find_stream(s.request, timeout)
    if not found:
        return
    if len(found) > 1:
        events.put(("warning", s.request.name, f"{len(found)} streams match {s.request.describe()}; recording "
                    f"the one from {found[0].hostname()}"))  # fmt: skip
    inlet = lsl.StreamInlet(found[0], max_buflen=360, recover=True)
    try:
        full = inlet.info(timeout=2.0)
        inlet.open_stream(timeout=2.0)
        s.correction = inlet.time_correction(timeout=2.0)
    except Exception as exc:  # noqa: BLE001 - the device vanished while we connected: look again later
        events.put(("warning", s.request.name, f"could not open: {exc}"))
        return
    s.inlet, s.summary = inlet, StreamSummary.of(full)
    s.source = full.source_id() or full.uid()
    columns = column_names(full.get_channel_labels(), full.channel_count())
    s.writer = StreamTsvWriter(out / f"{s.request.name}.tsv", columns)
    s.last_arrival = time.monotonic()
    s.corrections.append([round(s.last_arrival, 6), s.correction])
    events.put(("opened", s.request.name, {**s.summary.as_dict(), "channel_labels": columns,
                                           "file": s.writer.path.name, "time_correction_s": s.correction,
                                           "xml": full.as_xml()}))  # fmt: skip


def _pull(s: _Stream, events: Any, now: float) -> None:
    try:
        correction = s.inlet.time_correction(timeout=0.0)
        if abs(correction - s.correction) > CORRECTION_LOG_S:
            s.corrections.append([round(now, 6), correction])
        s.correction = correction
    except Exception:  # noqa: BLE001 - no fresh estimate (the source is away): keep the last one
        pass
    while True:
        try:
            samples, times = s.inlet.pull_chunk(timeout=0.0, max_samples=4096)
        except Exception as exc:  # noqa: BLE001 - a lost, unrecoverable stream
            _stop(s, events, f"lost: {exc}")
            return
        if not times:
            return
        s.writer.write(samples, times, s.correction)  # type: ignore[union-attr]
        s.last_arrival = now
        s.first_sample = s.first_sample if s.first_sample is not None else times[0] + s.correction
        s.last_sample = times[-1] + s.correction
        if s.stopped:
            s.stopped = False
            events.put(("resumed", s.request.name, {"clock": now, "samples": s.writer.rows}))  # type: ignore[union-attr]
        if len(times) < 4096:
            return


def _watch(s: _Stream, events: Any, now: float, stall_s: float) -> None:
    if s.stopped or now - s.last_arrival < stall_s:
        return
    if s.summary is not None and s.summary.nominal_srate > 0:
        _stop(s, events, f"no sample for {now - s.last_arrival:.1f} s (nominal {s.summary.rate_text()})")
        return
    if now >= s.next_look:  # an irregular stream may be silent: stopped only when it is gone
        s.next_look = now + LOOK_AGAIN_S
        prop = "source_id" if s.summary and s.summary.source_id else "uid"
        if not pylsl().resolve_byprop(prop, s.source, 1, 0.3):
            _stop(s, events, "no longer visible on the network")


def _stop(s: _Stream, events: Any, why: str) -> None:
    s.stopped = True
    rows = s.writer.rows if s.writer else 0
    events.put(("stopped", s.request.name, {"clock": time.monotonic(), "why": why, "samples": rows,
                                            "last_sample_clock": s.last_sample}))  # fmt: skip


def _summary(s: _Stream) -> dict[str, Any]:
    return {
        "found": s.inlet is not None,
        "samples": s.writer.rows if s.writer else 0,
        "file": s.writer.path.name if s.writer else None,
        "first_sample_clock": s.first_sample,
        "last_sample_clock": s.last_sample,
        "stopped": s.stopped,
        "time_corrections": s.corrections,
    }
