"""Recording benchmark: our recorder against a naive single-process cv2.VideoWriter loop, in one run.

    python bench/recording.py --json [--seconds 20]

Both record the simulated rig (gras 640x480 mono8 + uvc 1280x720 MJPEG as a UVC camera delivers it, 60 fps;
``--rig sim-colour`` has uvc as 1280x720 bgr24, the heaviest stream: lossless colour x264rgb). Simulated
cameras behave like real ones: they hold a few frames, and a reader that falls behind loses frames.
- ours (paced):   the Recorder, one process per camera, x264 lossless into MKV;
- ours (unpaced): the same pipeline fed as fast as the writers take frames -> realtime_factor;
- naive:          one loop reading both cameras and writing both with cv2.VideoWriter (FFV1, lossless; MJPEG
                  frames decoded first, as such a loop must).
Per stream: frames expected, frames written, dropped, CPU percent (of one core).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardware import clock  # noqa: E402
from hardware.cameras import create_camera  # noqa: E402
from hardware.recording import Recorder  # noqa: E402
from hardware.rig import load_rig  # noqa: E402


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its children (the ffmpeg encoder)."""
    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
        return sum(p.cpu_times().user + p.cpu_times().system for p in procs)
    except psutil.NoSuchProcess:
        return 0.0


def run_ours(rig, seconds: float, out: Path, unpaced: bool) -> dict:
    if unpaced:
        cameras = {n: replace(s, options={**s.options, "paced": False}) for n, s in rig.cameras.items()}
        rig = replace(rig, cameras=cameras)
    rec = Recorder(rig, out, backpressure=unpaced)
    rec.start()
    pids = rec.camera_pids()
    t0 = clock.now()
    time.sleep(seconds)
    elapsed = clock.now() - t0
    health = rec.health()
    cpu = {n: _tree_cpu(pid) for n, pid in pids.items()}
    summaries = rec.stop()
    result = {}
    for name, settings in rig.cameras.items():
        written = health[name].written
        stream = {
            "frames_expected": round(seconds * settings.fps),
            "frames_written": summaries[name]["frames_written"],
            "dropped": summaries[name]["dropped"],
            "cpu_percent": round(100 * cpu[name] / elapsed, 1),
        }
        if unpaced:
            stream = {"frames_written": written, "realtime_factor": round(written / elapsed / settings.fps, 2)}
        result[name] = stream
    return result


def run_naive(rig, seconds: float, out: Path) -> dict:
    import cv2
    import numpy as np

    cams, writers, last_ids, dropped, written = {}, {}, {}, {}, {}
    for name, settings in rig.cameras.items():
        cam = create_camera(settings)
        cam.open()
        cam.configure(settings)
        colour = settings.pixel_format in ("bgr24", "mjpeg")
        fourcc = cv2.VideoWriter_fourcc(*"FFV1")
        size = (settings.width, settings.height)
        writers[name] = cv2.VideoWriter(str(out / f"{name}.mkv"), fourcc, settings.fps, size, colour)
        cams[name], last_ids[name], dropped[name], written[name] = cam, -1, 0, 0
    for cam in cams.values():
        cam.start()
    process = psutil.Process()
    cpu0 = process.cpu_times()
    t0 = clock.now()
    while clock.now() - t0 < seconds:
        for name, cam in cams.items():
            frame = cam.read()
            dropped[name] += frame.frame_id - last_ids[name] - 1
            last_ids[name] = frame.frame_id
            pixels = frame.pixels
            if pixels is None:  # MJPEG: a naive loop decodes to write
                pixels = cv2.imdecode(np.frombuffer(frame.data, np.uint8), cv2.IMREAD_COLOR)
            writers[name].write(pixels)
            written[name] += 1
    elapsed = clock.now() - t0
    cpu1 = process.cpu_times()
    for writer in writers.values():
        writer.release()
    cpu = 100 * (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / elapsed
    return {
        name: {
            "frames_expected": round(seconds * settings.fps),
            "frames_written": written[name],
            "dropped": dropped[name],
            "cpu_percent": round(cpu, 1),  # one loop for both streams: the same process figure
        }
        for name, settings in rig.cameras.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rig", default="sim")
    args = parser.parse_args()
    rig = load_rig(args.rig)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for sub in ("paced", "unpaced", "naive"):
            (base / sub).mkdir()
        ours = run_ours(rig, args.seconds, base / "paced", unpaced=False)
        unpaced = run_ours(rig, min(args.seconds, 10.0), base / "unpaced", unpaced=True)
        for name in ours:
            ours[name]["realtime_factor"] = unpaced[name]["realtime_factor"]
        naive = run_naive(rig, args.seconds, base / "naive")
    result = {"seconds": args.seconds, "ours": ours, "naive": naive}
    if not args.json:
        print(__doc__)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
