"""LSL benchmark: the demo session with the LSL outlets off and on, in one run.

    xvfb-run -a python3 bench/lsl.py --json [--rig sim] [--pairs 1]

Runs `elicit run protocols/demo.yaml --autopilot --windowed` on the rig (default: the simulated
one; its preflight rate check lenient in both runs, so a loaded machine runs them), once as it
is and once with its ``lsl: {markers: true, cameras: true}`` on, while this process is the lab's
LabRecorder: an inlet on the marker stream and on every camera stream, pulling every
sample. ``--pairs N`` alternates off/on N times (the machine's other load drifts). Per run: camera
frames written and dropped (session.json summary), flips and dropped flips (intervals over 1.5
refresh periods while the clips played, session.json per episode), and for the on runs the LSL
samples received; then the cost of one push of a camera sample and of a marker (microseconds, with a
consumer connected). Both sessions go to a temporary folder, deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hardware.lsl.liblsl import pylsl  # noqa: E402
from hardware.rig import resolve_rig_path  # noqa: E402


class Consumer:
    """LabRecorder's part: one inlet per named stream, every sample pulled."""

    def __init__(self, names: list[str]) -> None:
        self.counts = dict.fromkeys(names, 0)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in names]
        for t in self._threads:
            t.start()

    def _run(self, name: str) -> None:
        lsl, inlet = pylsl(), None
        while inlet is None and not self._stop.is_set():
            found = lsl.resolve_byprop("name", name, 1, 0.2)
            inlet = lsl.StreamInlet(found[0], max_buflen=360) if found else None
            if inlet is not None:
                inlet.open_stream(timeout=5.0)  # subscribed now, not at the first pull
        while inlet is not None and not self._stop.is_set():
            _, times = inlet.pull_chunk(timeout=0.2)
            self.counts[name] += len(times)

    def stop(self) -> dict[str, int]:
        time.sleep(0.5)
        self._stop.set()
        for t in self._threads:
            t.join(timeout=5)
        return self.counts


def session(rig: Path, data: Path, participant: str) -> dict:
    args = [sys.executable, "-m", "elicitation", "run", "protocols/demo.yaml", "--participant", participant,
            "--rig", str(rig), "--out", str(data), "--autopilot", "--windowed"]  # fmt: skip
    result = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=900)
    folder = data / f"sub-{participant}" / "ses-1"
    if not (folder / "session.json").is_file():  # the preflight refused (e.g. a camera's rate under load)
        return {"exit_code": result.returncode, "error": (result.stderr.strip().splitlines() or ["?"])[-1]}
    state = json.loads((folder / "session.json").read_text())
    displays = [a.get("display", {}) for e in state["episodes"].values() for a in e["attempts"]]
    cameras = state["summary"]["cameras"]
    return {
        "exit_code": result.returncode,
        "frames": {n: c["frames"] for n, c in cameras.items()},
        "dropped_frames": sum(c["dropped"] for c in cameras.values()),
        "flips": sum(d.get("flips", 0) for d in displays),
        "dropped_flips": sum(d.get("late_flips", 0) for d in displays),
        "max_flip_interval_ms": max((d.get("max_interval_ms", 0) for d in displays), default=None),
    }


def push_cost(prefix: str, n: int = 20000) -> dict[str, float]:
    """Microseconds per push of a camera sample and of a marker (what the writer thread and the frame loop
    pay), with a consumer connected; the frame period at 60 fps is 16 667 us."""
    from hardware.lsl import CameraOutlet, CameraStreamSpec, MarkerOutlet

    camera = CameraOutlet(CameraStreamSpec(f"{prefix}_pushcam", f"{prefix}_pushcam", "cam", 60.0))
    marker = MarkerOutlet(f"{prefix}_pushmarks", f"{prefix}_pushmarks")
    consumer = Consumer([f"{prefix}_pushcam", f"{prefix}_pushmarks"])
    time.sleep(1.0)
    start = time.perf_counter()
    for i in range(n):
        camera.push(i, i, 0, time.monotonic())
    per_camera = (time.perf_counter() - start) / n * 1e6
    start = time.perf_counter()
    for i in range(n // 10):
        marker.push({"source": "events", "trial_type": "episode", "episode": f"{i % 17:02d}"}, time.monotonic())
    per_marker = (time.perf_counter() - start) / (n // 10) * 1e6
    time.sleep(1.0)  # in flight
    received = consumer.stop()
    return {"camera_sample_us": round(per_camera, 2), "marker_us": round(per_marker, 2),
            "received": sum(received.values()), "pushed": n + n // 10}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--rig", default="sim", help="rig file or shipped rig name (default: sim)")
    parser.add_argument("--pairs", type=int, default=1, help="off/on pairs, alternated (default 1)")
    args = parser.parse_args()
    base = yaml.safe_load(resolve_rig_path(args.rig).read_text())
    # the same lenient preflight rate check in both conditions: a loaded machine must not refuse the run
    base["validation"] = {**(base.get("validation") or {}), "max_rate_error_pct": 60.0}
    prefix = f"bench_{uuid.uuid4().hex[:6]}"
    results: dict[str, list[dict]] = {"off": [], "on": []}
    with tempfile.TemporaryDirectory(prefix="bench-lsl-") as tmp:
        root = Path(tmp)
        off_rig, on_rig = root / "off.yaml", root / "on.yaml"
        off_rig.write_text(yaml.safe_dump({k: v for k, v in base.items() if k != "lsl"}, sort_keys=False))
        on = {**base, "lsl": {"markers": True, "cameras": True, "name_prefix": prefix}}
        on_rig.write_text(yaml.safe_dump(on, sort_keys=False))
        names = [f"{prefix}_markers", *(f"{prefix}_{cam}" for cam in base["cameras"])]
        for i in range(args.pairs):
            results["off"].append(session(off_rig, root / f"off{i}", f"off{i}"))
            consumer = Consumer(names)
            run = session(on_rig, root / f"on{i}", f"on{i}")
            run["lsl_samples_received"] = consumer.stop()
            results["on"].append(run)
    results["push_cost"] = push_cost(prefix)  # type: ignore[assignment]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"LSL push cost: {results['push_cost']}")
        for kind, runs in results.items():
            if kind == "push_cost":
                continue
            for r in runs:
                if "error" in r:
                    print(f"LSL {kind:3}: the session did not run: {r['error']}")
                    continue
                print(f"LSL {kind:3}: dropped frames {r['dropped_frames']}, dropped flips {r['dropped_flips']} of "
                      f"{r['flips']}, frames {r['frames']}, LSL samples {r.get('lsl_samples_received', '-')}")
    return 0 if all(r["exit_code"] == 0 for kind in ("off", "on") for r in results[kind]) else 1


if __name__ == "__main__":
    sys.exit(main())
