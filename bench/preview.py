"""Preview benchmark: the sim rig recorded with previews on and off, in one run.

    python bench/preview.py --json [--seconds 20] [--rounds 2] [--rig sim]

Each round records the rig twice, previews off then on (the order alternates between rounds, so a
change in the machine's load hits both arms). With previews on, this process reads every camera's
preview 10 times a second as the dashboard and the face-lost watch do. Per camera: frames written,
dropped frames (the target is 0 in both arms), CPU percent of one core of its acquisition process
alone (the read loop, the writer thread feeding ffmpeg and the preview thread: psutil cpu_times; the
ffmpeg encoder child does the same work in both arms and is reported apart), and the difference
on - off. Target: previews add at most 5 % of one core per camera.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardware import clock  # noqa: E402
from hardware.recording import PreviewReader, Recorder  # noqa: E402
from hardware.rig import load_rig  # noqa: E402


def _cpu(pid: int, children: bool) -> float:
    try:
        proc = psutil.Process(pid)
        procs = proc.children(recursive=True) if children else [proc]
        return sum(p.cpu_times().user + p.cpu_times().system for p in procs)
    except psutil.NoSuchProcess:
        return 0.0


def record(rig, seconds: float, out: Path, previews: bool) -> dict:
    rec = Recorder(rig, out, previews=previews)
    rec.start()
    pids = rec.camera_pids()
    readers = {name: PreviewReader(shm) for name, shm in rec.preview_names.items()}
    start = {n: (_cpu(p, False), _cpu(p, True)) for n, p in pids.items()}
    t0 = clock.now()
    seen = {name: 0 for name in readers}
    first: dict[str, int] = {}
    while clock.now() - t0 < seconds:
        for name, reader in readers.items():
            frame = reader.latest()
            seen[name] = frame.seq if frame is not None else 0
            first.setdefault(name, seen[name])
        time.sleep(0.1)
    elapsed = clock.now() - t0
    end = {n: (_cpu(p, False), _cpu(p, True)) for n, p in pids.items()}
    torn = {name: reader.torn_reads for name, reader in readers.items()}
    for reader in readers.values():
        reader.close()
    summaries = rec.stop()
    return {
        name: {
            "frames_written": summaries[name]["frames_written"],
            "dropped": summaries[name]["dropped"],
            "cpu_percent": round(100 * (end[name][0] - start[name][0]) / elapsed, 2),
            "encoder_cpu_percent": round(100 * (end[name][1] - start[name][1]) / elapsed, 1),
            **({"previews_published": seen[name] - first.get(name, 0), "torn_reads": torn[name]} if previews else {}),
        }
        for name in pids
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--seconds", type=float, default=20.0, help="per recording")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--rig", default="sim")
    args = parser.parse_args()
    rig = load_rig(args.rig)
    runs: dict[str, list[dict]] = {"off": [], "on": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):
            for arm in ("off", "on") if i % 2 == 0 else ("on", "off"):
                runs[arm].append(record(rig, args.seconds, Path(tmp) / f"{arm}{i}", previews=arm == "on"))
    cameras = {}
    for name in rig.cameras:
        off = [r[name] for r in runs["off"]]
        on = [r[name] for r in runs["on"]]
        off_cpu = statistics.median(r["cpu_percent"] for r in off)
        on_cpu = statistics.median(r["cpu_percent"] for r in on)
        cameras[name] = {
            "dropped_off": sum(r["dropped"] for r in off),
            "dropped_on": sum(r["dropped"] for r in on),
            "cpu_percent_off": off_cpu,
            "cpu_percent_on": on_cpu,
            "previews_add_percent_of_a_core": round(on_cpu - off_cpu, 2),
            "within_target_5": on_cpu - off_cpu <= 5.0,
            "previews_per_second": round(statistics.median(r["previews_published"] for r in on) / args.seconds, 1),
        }
    result = {"seconds": args.seconds, "rounds": args.rounds, "load_average": os.getloadavg(),
              "cameras": cameras, "runs": runs}  # fmt: skip
    if not args.json:
        print(__doc__)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
