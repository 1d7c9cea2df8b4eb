"""Face detector benchmark: dlib's HOG against scikit-image's LBP cascade, on the frames the previews carry.

    python bench/face_detector.py --json [--frames 60]

Both run in one process through hardware.vision.detect_face (the production path: the preview frame,
at most 480 px wide, searched at most DETECT_HEIGHT tall), on:

- ``sim_mono_640x480`` / ``sim_bgr_1280x720``: frames of the sim camera with its face option
  (the astronaut swaying 3 px over the moving pattern, barcode on top), taken every 0.1 s;
- ``casme_640x480``: astronaut.png scaled so the face is about 280x340 px in a 640x480 grey frame,
  as CASME II's, at shifted positions, gains 0.6-1.3 and sensor noise;
- ``no_face``: the sim camera's frames during ``face_away`` (the pattern and the barcode only).

A hit is a box whose centre lies inside the true face box (sim: FaceLayer.face_box; casme: the
scaled position of the face); a false alarm is any box on a no-face frame. CPU ms per frame is
time.process_time per call (median). The choice in hardware/vision/detect.py (DETECTOR) follows it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from skimage import data  # noqa: E402

from hardware.cameras import CameraSettings, create_camera  # noqa: E402
from hardware.cameras.sim.face import FaceLayer  # noqa: E402
from hardware.vision import DETECTORS, detect_face  # noqa: E402

PREVIEW_WIDTH = 480
ASTRONAUT_FACE = (160, 50, 130, 160)  # x, y, w, h of the whole face (brow to chin) in astronaut.png


def to_preview(frame: np.ndarray) -> tuple[np.ndarray, float]:
    factor = PREVIEW_WIDTH / frame.shape[1]
    size = (PREVIEW_WIDTH, round(frame.shape[0] * factor))
    return cv2.resize(frame, size, interpolation=cv2.INTER_AREA), factor


def sim_frames(width: int, height: int, fmt: str, count: int, away: bool) -> list[tuple[np.ndarray, tuple | None]]:
    face = {"image": "astronaut", "movement_px": 3, "face_away": [[0, 1e6]] if away else []}
    settings = CameraSettings("cam", "sim", width, height, fmt, 60.0, {"paced": False, "face": face})
    cam = create_camera(settings)
    cam.open()
    cam.configure(settings)
    cam.start()
    layer = FaceLayer(width, height, 3 if fmt == "bgr24" else 1, movement_px=3)
    out = []
    while len(out) < count:
        frame = cam.read()
        if frame.frame_id % 6 == 0:
            preview, factor = to_preview(frame.pixels)
            truth = None if away else layer.face_box(frame.frame_id / 60)
            out.append((preview, None if truth is None else tuple(v * factor for v in truth)))
    cam.close()
    return out


def casme_frames(count: int) -> list[tuple[np.ndarray, tuple]]:
    rng = np.random.default_rng(0)
    grey = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2GRAY)
    fx, fy, fw, fh = ASTRONAUT_FACE
    scale = 280 / fw  # the face 280 px wide (and about 340 tall), as in CASME II's 640x480 frames
    big = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
    out = []
    for _ in range(count):
        dx, dy = (int(v) for v in rng.integers(-40, 41, 2))
        cx, cy = round((fx + fw / 2) * scale) + dx, round((fy + fh / 2) * scale) + dy
        x0, y0 = max(0, cx - 320), max(0, cy - 240)
        frame = np.zeros((480, 640), np.uint8)
        crop = big[y0 : y0 + 480, x0 : x0 + 640]
        frame[: crop.shape[0], : crop.shape[1]] = crop
        gain = rng.uniform(0.6, 1.3)
        frame = (frame * gain + rng.normal(0, 4, frame.shape)).clip(0, 255).astype(np.uint8)
        truth = (fx * scale - x0, fy * scale - y0, fw * scale, fh * scale)
        preview, factor = to_preview(frame)
        out.append((preview, tuple(v * factor for v in truth)))
    return out


def score(name: str, frames: list[tuple[np.ndarray, tuple | None]]) -> dict:
    detect_face(frames[0][0], name)  # the model is loaded once, outside the timing
    hits = alarms = 0
    times = []
    for image, truth in frames:
        t0 = time.process_time()
        box = detect_face(image, name)
        times.append(1000 * (time.process_time() - t0))
        if truth is None:
            alarms += box is not None
        elif box is not None:
            cx, cy = box.centre
            hits += truth[0] <= cx <= truth[0] + truth[2] and truth[1] <= cy <= truth[1] + truth[3]
    faces = sum(t is not None for _, t in frames)
    out = {"frames": len(frames), "cpu_ms_per_frame_median": round(statistics.median(times), 1),
           "preview_size": f"{frames[0][0].shape[1]}x{frames[0][0].shape[0]}"}  # fmt: skip
    if faces:
        out["hit_rate"] = round(hits / faces, 3)
    else:
        out["false_alarm_rate"] = round(alarms / len(frames), 3)
    return out


def run(count: int) -> dict:
    sets = {
        "sim_mono_640x480": sim_frames(640, 480, "mono8", count, False),
        "sim_bgr_1280x720": sim_frames(1280, 720, "bgr24", count, False),
        "casme_640x480": casme_frames(count),
        "no_face": sim_frames(640, 480, "mono8", count // 2, True) + sim_frames(1280, 720, "bgr24", count // 2, True),
    }
    return {name: {label: score(name, frames) for label, frames in sets.items()} for name in DETECTORS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--frames", type=int, default=60, help="frames per set")
    args = parser.parse_args()
    result = {"load_average": os.getloadavg(), "detectors": run(args.frames)}
    if not args.json:
        print(__doc__)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
