"""UVC benchmark: CPU per second of 720p60 recording, MJPEG passthrough vs decode + lossless re-encode, in one run.

    python bench/uvc.py --json [--seconds 10]

Both runs record one UVC camera (1280x720 MJPG at 60 fps) through the Recorder (its own process plus the
ffmpeg it feeds), with the stand-in for cv2.VideoCapture's V4L2 backend (tests/fakes/videocapture.py; no
device here). The stand-in serves a pool of pre-encoded JPEGs, so producing frames costs ~nothing, while
decoding them (the bgr24 run) is done with cv2.imdecode exactly as OpenCV's V4L2 backend does it.
- passthrough: pixel_format mjpeg, the JPEG bytes are copied into the MKV (ffmpeg -c:v copy);
- decode:      pixel_format bgr24, OpenCV decodes every frame, stored losslessly (libx264rgb -qp 0).
CPU seconds are counted for the camera process and its children from the moment recording runs.
Target: passthrough under 10 % of one core.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardware import clock  # noqa: E402
from hardware.cameras.uvc import camera as uvc  # noqa: E402
from hardware.recording import Recorder  # noqa: E402
from hardware.rig import load_rig  # noqa: E402

TARGET_PERCENT = 10.0


def _tree_cpu(pid: int) -> float:
    try:
        proc = psutil.Process(pid)
        return sum(p.cpu_times().user + p.cpu_times().system for p in [proc, *proc.children(recursive=True)])
    except psutil.NoSuchProcess:
        return 0.0


def _rig(folder: Path, pixel_format: str) -> Path:
    path = folder / f"{pixel_format}.yaml"
    path.write_text(
        "name: bench\ncameras:\n  benq:\n    backend: uvc\n    width: 1280\n    height: 720\n"
        f"    pixel_format: {pixel_format}\n    fps: 60\n    warmup_s: 1.0\n"
    )
    return path


def run(pixel_format: str, seconds: float, folder: Path) -> dict:
    rec = Recorder(load_rig(_rig(folder, pixel_format)), folder / pixel_format)
    rec.start()
    pid = rec.camera_pids()["benq"]
    time.sleep(1.0)  # let the encoder settle
    cpu0, t0 = _tree_cpu(pid), clock.now()
    time.sleep(seconds)
    cpu1, elapsed = _tree_cpu(pid), clock.now() - t0
    health = rec.health()["benq"]
    summary = rec.stop()["benq"]
    size = sum(f.stat().st_size for f in (folder / pixel_format).glob("*.mkv"))
    cpu_per_s = (cpu1 - cpu0) / elapsed
    return {
        "cpu_seconds_per_second": round(cpu_per_s, 3),
        "percent_of_one_core": round(100 * cpu_per_s, 1),
        "fps_last_second": health.fps,
        "frames_written": summary["frames_written"],
        "dropped": summary["dropped"],
        "error": summary["error"],
        "file_megabytes_per_second": round(size / 1e6 / (seconds + 1.0), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    os.environ[uvc.ENV_FACTORY] = "tests.fakes.videocapture:webcam_pooled"  # inherited by camera processes
    with tempfile.TemporaryDirectory() as tmp:
        passthrough = run("mjpeg", args.seconds, Path(tmp))
        decode = run("bgr24", args.seconds, Path(tmp))
    ratio = decode["cpu_seconds_per_second"] / max(passthrough["cpu_seconds_per_second"], 1e-9)
    result = {
        "stream": "1280x720 MJPG 60 fps",
        "seconds": args.seconds,
        "cpu_count": psutil.cpu_count(),
        "passthrough": passthrough,
        "decode_reencode": decode,
        "decode_over_passthrough": round(ratio, 1),
        "target_passthrough_percent": TARGET_PERCENT,
        "passthrough_meets_target": passthrough["percent_of_one_core"] < TARGET_PERCENT,
    }
    if not args.json:
        print(__doc__)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
