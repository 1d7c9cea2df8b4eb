"""Sim screen benchmark: CPU per frame of a simulated camera that sees the screen, blend-every-frame vs lit views.

    python bench/sim_screen.py --json [--frames 60] [--width 1280 --height 720 --pixel-format bgr24]

A sim camera with ``screen_latency_ms`` turns its room dark or lit by the screen on every frame. The naive
way (the code before lit views, kept here as the baseline) blends each frame in uint16 and floats; the
camera now makes each screen level's lit room once and copies a window of it per frame. Both run here
in one process on the same frames, the screen alternating black and white through a real ScreenLink
every 10 frames. CPU time (time.process_time) per frame is counted, so the camera's 50 ms hand-over
sleep does not count; a 60 fps camera has 16.7 ms per frame for everything, the recording included.
Both ways must give identical frames (checked on every frame, barcode rows aside).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from hardware import clock  # noqa: E402
from hardware.cameras import CameraSettings, create_camera  # noqa: E402
from hardware.cameras.sim.screen_link import ENV, ScreenLink  # noqa: E402

PERIOD_MS = 1000 / 60


def naive(pattern: np.ndarray, frame_id: int, width: int, lit: float) -> np.ndarray:
    """The screen-seeing path before lit views: copy the window, blend it."""
    offset = (frame_id * 3) % 256
    pixels = np.array(pattern[:, offset : offset + width])
    return (pixels.astype(np.uint16) * (1 - lit) // 2 + lit * 235).astype(np.uint8)


def run(frames: int, width: int, height: int, pixel_format: str) -> dict:
    link = ScreenLink.create()
    os.environ[ENV] = str(link.path)
    try:
        settings = CameraSettings("cam", "sim", width, height, pixel_format, 60.0,
                                  {"screen_latency_ms": 0.0, "paced": False})  # fmt: skip
        cam = create_camera(settings)
        cam.open()
        cam.configure(settings)
        cam.start()
        pattern = cam._pattern  # noqa: SLF001 - the same room the baseline blends
        assert pattern is not None
        new_cpu = old_cpu = 0.0
        mismatches = 0
        for i in range(frames):
            if i % 10 == 0:
                link.append(clock.now(), float((i // 10) % 2))
            t0 = time.process_time()
            frame = cam.read()
            new_cpu += time.process_time() - t0
            lit = link.state_at(frame.host_time)
            t0 = time.process_time()
            old = naive(pattern, frame.frame_id, width, lit)
            old_cpu += time.process_time() - t0
            mismatches += int(not np.array_equal(old[16:], frame.pixels[16:]))
        cam.stop()
        cam.close()
    finally:
        link.close()
        os.environ.pop(ENV, None)
    old_ms, new_ms = 1000 * old_cpu / frames, 1000 * new_cpu / frames
    return {
        "frames": frames,
        "blend_every_frame_cpu_ms_per_frame": round(old_ms, 3),
        "lit_views_cpu_ms_per_frame": round(new_ms, 3),
        "blend_over_lit_views": round(old_ms / max(new_ms, 1e-6), 1),
        "blend_share_of_frame_period": round(old_ms / PERIOD_MS, 2),
        "lit_views_share_of_frame_period": round(new_ms / PERIOD_MS, 3),
        "frames_differing": mismatches,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--pixel-format", default="bgr24", choices=("bgr24", "mono8"))
    args = parser.parse_args()
    result = {"camera": f"{args.width}x{args.height} {args.pixel_format}", "load_average": os.getloadavg(),
              **run(args.frames, args.width, args.height, args.pixel_format)}  # fmt: skip
    if not args.json:
        print(__doc__)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
