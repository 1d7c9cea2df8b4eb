"""Coders' workbench benchmark: frame-exact pictures by index from a 3-minute episode, ours against naive.

    python bench/coding.py --json [--minutes 3] [--samples 200] [--naive-samples 6]
    python bench/coding.py --json --page [--page-only] [--page-data DATA] [--page-seconds 4]

Records a 640x480 mono8 and a 1280x720 bgr24 episode with the sim camera (unpaced) through the
recorder's encoder (hardware.video.VideoWriter: x264 -qp 0 into Matroska, a keyframe every second), and a
1280x720 MJPEG one as the BenQ delivers it (stored as it arrives: every frame a keyframe),
and the same frames once more with x264's own keyframe interval (250 frames) for the size it costs
(also on --noise-s seconds with +-2 sensor noise per pixel: the sim pattern alone is unusually compressible).
Then, in one run, what the workbench does per picture (decode by index + JPEG for the browser):
- ours (hardware.video.IndexedReader): a one-frame step forward (from random places), a step back,
  a jump to a random frame, and playback (consecutive frames as fast as they come: frames/s);
- naive: every request decodes from the start of the file up to the frame (a fresh decoder each
  time: what a reader without a keyframe index does); a step and a jump cost the same there.
Every picture's sim barcode is checked against the frame asked for. Latencies in ms (p50, p95).
With ``--page``, "playback as the page shows it" is added (bench/coding_page.py): pictures per second at
640x480 and 1280x720 and the key-to-picture time of a step and a jump, measured in headless Chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import av  # noqa: E402
import numpy as np  # noqa: E402

from bench.coding_page import page_section  # noqa: E402
from elicitation.web import jpeg  # noqa: E402
from hardware.cameras.base import CameraSettings, Frame, StreamFormat  # noqa: E402
from hardware.cameras.sim import barcode, create  # noqa: E402
from hardware.video import IndexedReader, VideoWriter  # noqa: E402

FPS = 60.0
SIZES = (("640x480 mono8", 640, 480, "mono8"), ("1280x720 bgr24", 1280, 720, "bgr24"),
         ("1280x720 mjpeg", 1280, 720, "mjpeg"))  # fmt: skip


def record(
    folder: Path, name: str, width: int, height: int, pixel_format: str, frames: int, noise: int = 0
) -> dict[str, Path]:
    """The sim camera's frames through both keyframe intervals; noise: +-that much per pixel and frame
    (sensor noise: the sim pattern alone only slides, which inter frames compress unusually well)."""
    camera = create(CameraSettings(name, "sim", width, height, pixel_format, FPS, {"paced": False}))
    camera.open()
    camera.configure(CameraSettings(name, "sim", width, height, pixel_format, FPS, {"paced": False}))
    fmt = StreamFormat(width, height, pixel_format, FPS)
    writers = {"ours": VideoWriter(folder / f"{name}.mkv", fmt)}
    if pixel_format != "mjpeg":  # MJPEG is stored as it arrives: no keyframe interval to compare
        writers["x264 default"] = VideoWriter(folder / f"{name}_default.mkv", fmt, None)
    camera.start()
    rng = np.random.default_rng(0)
    for _ in range(frames):
        frame = camera.read()
        if noise:
            shaken = frame.pixels.astype(np.int16) + rng.integers(-noise, noise + 1, frame.pixels.shape)
            frame = Frame(shaken.clip(0, 255).astype(np.uint8), frame.frame_id, frame.host_time)
        for writer in writers.values():
            writer.write(frame)
    camera.stop()
    camera.close()
    for writer in writers.values():
        writer.close()
    return {label: writer.path for label, writer in writers.items()}


def pct(values: list[float]) -> dict[str, float]:
    a = np.array(values) * 1000
    return {
        "p50_ms": round(float(np.percentile(a, 50)), 2),
        "p95_ms": round(float(np.percentile(a, 95)), 2),
        "n": len(values),
    }


def served(reader: IndexedReader, index: int) -> float:
    start = time.perf_counter()
    picture = reader.frame(index)
    jpeg(picture, 90)
    elapsed = time.perf_counter() - start
    assert barcode.read(picture) == index, f"frame {index} is not the picture served"
    return elapsed


def naive(path: Path, index: int) -> float:
    start = time.perf_counter()
    with av.open(str(path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i == index:
                picture = frame.to_ndarray(format="bgr24")
                jpeg(picture, 90)
                break
    elapsed = time.perf_counter() - start
    assert barcode.read(picture) == index
    return elapsed


def measure(path: Path, frames: int, samples: int, rng: random.Random) -> dict:
    with IndexedReader(path) as reader:
        steps, backs, jumps = [], [], []
        for _ in range(samples // 10):
            at = rng.randrange(frames - 12)
            reader.frame(at)
            for k in range(1, 11):
                steps.append(served(reader, at + k))
            backs.append(served(reader, at + 9))
        for _ in range(samples):
            jumps.append(served(reader, rng.randrange(frames)))
        run = min(1200, frames // 2)
        at = rng.randrange(frames - run - 1)
        reader.frame(at)
        start = time.perf_counter()
        for k in range(1, run + 1):
            served(reader, at + k)
        playback = run / (time.perf_counter() - start)
    return {"step": pct(steps), "step_back": pct(backs), "jump": pct(jumps), "playback_fps": round(playback, 1)}


def _targets(entry: dict) -> None:
    entry["targets_met"] = {"step_p95<=40ms": entry["ours"]["step"]["p95_ms"] <= 40,
                            "jump_p95<=250ms": entry["ours"]["jump"]["p95_ms"] <= 250,
                            "playback>=60fps": entry["ours"]["playback_fps"] >= FPS}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--naive-samples", type=int, default=6)
    parser.add_argument("--noise-s", type=float, default=20.0, help="seconds recorded with sensor noise (size only)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--page", action="store_true", help="add playback as the page shows it (Chromium)")
    parser.add_argument("--page-only", action="store_true", help="only playback as the page shows it")
    parser.add_argument("--page-data", type=Path, help="DATA with a demo session (default: record one)")
    parser.add_argument("--page-seconds", type=float, default=4.0, help="seconds played per camera")
    parser.add_argument("--page-samples", type=int, default=40, help="steps and jumps timed in the page")
    args = parser.parse_args()
    if args.page_only:
        section = page_section(args.page_data, args.page_seconds, args.page_samples)
        print(json.dumps({"playback as the page shows it": section}, indent=2))
        return
    frames = int(args.minutes * 60 * FPS)
    rng = random.Random(7)
    results: dict = {"minutes": args.minutes, "frames": frames, "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="bench-coding-") as tmp:
        for label, width, height, pixel_format in SIZES:
            paths = record(Path(tmp), label.replace(" ", "_"), width, height, pixel_format, frames)
            entry: dict = {"size_mb": {k: round(p.stat().st_size / 1e6, 1) for k, p in paths.items()}}
            if pixel_format == "mjpeg":
                entry["ours"] = measure(paths["ours"], frames, args.samples, rng)
                _targets(entry)
                results[label] = entry
                continue
            entry["size_cost"] = round(entry["size_mb"]["ours"] / entry["size_mb"]["x264 default"], 3)
            noisy = record(
                Path(tmp), f"{label.replace(' ', '_')}_noise", width, height, pixel_format, int(args.noise_s * FPS), 2
            )
            entry["size_cost_with_sensor_noise_2"] = round(
                noisy["ours"].stat().st_size / noisy["x264 default"].stat().st_size, 3
            )
            for path in noisy.values():
                path.unlink()
            entry["ours"] = measure(paths["ours"], frames, args.samples, rng)
            entry["ours_with_x264_default_keyframes"] = {
                "jump": measure(paths["x264 default"], frames, args.samples // 2, rng)["jump"]
            }
            naive_times = [naive(paths["ours"], rng.randrange(frames)) for _ in range(args.naive_samples)]
            entry["naive"] = {
                "step_or_jump": pct(naive_times),
                "playback_fps": round(1 / float(np.mean(naive_times)), 2),
            }
            entry["ratio_naive_over_ours"] = {
                "step_p95": round(entry["naive"]["step_or_jump"]["p95_ms"] / entry["ours"]["step"]["p95_ms"], 1),
                "jump_p95": round(entry["naive"]["step_or_jump"]["p95_ms"] / entry["ours"]["jump"]["p95_ms"], 1),
            }
            _targets(entry)
            results[label] = entry
    results["load_after"] = os.getloadavg()
    if args.page:
        results["playback as the page shows it"] = page_section(args.page_data, args.page_seconds, args.page_samples)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for label, _w, _h, _f in SIZES:
            print(label, results[label])
        if args.page:
            print("playback as the page shows it", results["playback as the page shows it"])


if __name__ == "__main__":
    main()
