"""Test outlets and inlets on loopback (real liblsl): a 200 Hz sine and a marker sent at known times, a listener."""

from __future__ import annotations

import math
import threading
import time
import uuid

import pylsl


def unique(stem: str) -> str:
    """Stream names no other test run on this machine uses (LSL sees every process's outlets)."""
    return f"{stem}-{uuid.uuid4().hex[:8]}"


class SineOutlet:
    """A 200 Hz, 2-channel sine sent in real time by a thread; `sent` keeps every (timestamp, values)."""

    def __init__(self, name: str, rate: float = 200.0, stype: str = "EXG") -> None:
        info = pylsl.StreamInfo(name, stype, 2, rate, pylsl.cf_float32, f"test-src-{name}")
        info.set_channel_labels(["sine", "cosine"])
        self.outlet: pylsl.StreamOutlet | None = pylsl.StreamOutlet(info)
        self.rate, self.sent = rate, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> SineOutlet:
        self._thread.start()
        return self

    def _run(self) -> None:
        start, n = time.monotonic(), 0
        while not self._stop.is_set():
            due = start + n / self.rate
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(min(0.005, wait))
                continue
            phase = 2 * math.pi * 5 * n / self.rate
            values = [math.sin(phase), math.cos(phase)]
            self.outlet.push_sample(values, timestamp=due)  # type: ignore[union-attr]
            self.sent.append((due, values))
            n += 1

    def stop(self, destroy: bool = True) -> None:
        """Stop sending; destroy: the outlet disappears from the network (a device switched off)."""
        self._stop.set()
        self._thread.join()
        if destroy:
            self.outlet = None


class MarkerSender:
    def __init__(self, name: str) -> None:
        info = pylsl.StreamInfo(name, "Markers", 1, pylsl.IRREGULAR_RATE, pylsl.cf_string, f"test-src-{name}")
        self.outlet = pylsl.StreamOutlet(info)
        self.sent: list[tuple[float, str]] = []

    def send(self, text: str) -> None:
        at = time.monotonic()
        self.outlet.push_sample([text], timestamp=at)
        self.sent.append((at, text))


class Listener:
    """A test inlet: waits for a stream by name, then keeps every sample with its time stamp."""

    def __init__(self, name: str) -> None:
        self.name, self.samples, self.times = name, [], []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        inlet = None
        while inlet is None and not self._stop.is_set():
            found = pylsl.resolve_byprop("name", self.name, 1, 0.2)
            if found:
                inlet = pylsl.StreamInlet(found[0], max_buflen=360)
                inlet.open_stream(timeout=5.0)
        while not self._stop.is_set() or (inlet is not None and inlet.samples_available()):
            samples, times = inlet.pull_chunk(timeout=0.1) if inlet is not None else ([], [])
            self.samples += samples
            self.times += times  # on one PC the sender's time stamps are ours (test_clock.py)

    def stop(self) -> None:
        time.sleep(0.5)  # what is in flight arrives
        self._stop.set()
        self._thread.join(timeout=10)
