"""Self-review playback benchmark: a 4-minute 640x480 lossless recording played on the review screen's path.

    xvfb-run -a python bench/review.py --json [--minutes 4] [--play-s 30]

Writes a synthetic session recording (the recorder's encoder: x264 -qp 0 in Matroska, plus frames.tsv),
then plays it two ways in one run, each drawing every shown frame with PsychoPy at 60 Hz:
- ours: elicitation.review.Player (ffmpeg decodes ahead in a thread, frames shown at their
  recorded times);
- naive: decoding on the render path (the next frame is read from ffmpeg when it is due).
For each: seconds from opening to the first frame on screen, the share of due frames that were shown,
and how far the frame on screen lagged behind the one due (p50, p99, max in ms). As in a session, the
simulated rig records meanwhile (both cameras, into the temporary folder); --no-record plays on an idle
machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import hardware  # noqa: E402,F401
from hardware import clock  # noqa: E402
from hardware.cameras.base import Frame, StreamFormat  # noqa: E402
from hardware.cameras.sim import barcode  # noqa: E402
from hardware.video import (
    FramesTsvWriter,  # noqa: E402
    VideoWriter,  # noqa: E402
    iter_frames,  # noqa: E402
)

FPS = 60.0


def make_recording(folder: Path, minutes: float) -> tuple[str, np.ndarray]:
    video = folder / "video"
    video.mkdir(parents=True)
    name, n = "gras_ep01.mkv", int(minutes * 60 * FPS)
    writer, table = (
        VideoWriter(video / name, StreamFormat(640, 480, "mono8", FPS)),
        FramesTsvWriter(video / "gras_frames.tsv"),
    )
    rng = np.random.default_rng(1)
    base = rng.integers(60, 200, (480, 640 + 256), dtype=np.uint8)
    times = 1000.0 + np.arange(n) / FPS
    for i in range(n):
        pixels = np.array(base[:, (i * 3) % 256 : (i * 3) % 256 + 640])
        barcode.write(pixels, i)
        writer.write(Frame(pixels=pixels, frame_id=i, host_time=float(times[i])))
        table.write(i, float(times[i]), None, name, i)
    writer.close()
    table.close()
    return name, times


def play(win, stim, next_due, play_s: float) -> dict:
    """Draw at 60 Hz for play_s seconds; next_due(elapsed) -> (index due, index shown, image or None)."""
    from PIL import Image

    shown, lags, period = set(), [], 1 / FPS
    start = clock.now()
    while (elapsed := clock.now() - start) < play_s:
        due, index, image = next_due(elapsed)
        if image is not None:
            stim.image = Image.fromarray(image)
        stim.draw()
        win.flip()
        if index >= 0:
            shown.add(index)
            lags.append(max(0, due - index) * period * 1000)
        time.sleep(max(0.0, start + (len(lags) + 1) * period - clock.now()))
    due_total = int(play_s * FPS)
    lag = np.array(lags or [0.0])
    return {"shown_fraction": round(len(shown) / due_total, 3), "lag_ms": {
        "p50": round(float(np.percentile(lag, 50)), 1), "p99": round(float(np.percentile(lag, 99)), 1),
        "max": round(float(lag.max()), 1)}}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--minutes", type=float, default=4.0)
    parser.add_argument("--play-s", type=float, default=30.0)
    parser.add_argument("--no-record", action="store_true", help="do not record the sim rig meanwhile")
    args = parser.parse_args()
    from psychopy import visual

    from elicitation.review import Player, ReviewClip

    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        name, times = make_recording(folder, args.minutes)
        encode_s = time.perf_counter() - t
        recorder = None
        if not args.no_record:
            from hardware.recording import Recorder
            from hardware.rig import load_rig

            recorder = Recorder(load_rig("sim"), folder / "rec")
            recorder.start()
        win = visual.Window((1280, 720), units="pix", color=[0, 0, 0], waitBlanking=False, checkTiming=False)
        stim = visual.ImageStim(win, size=(640, 480), units="pix")
        results: dict = {"recording": {"minutes": args.minutes, "frames": len(times), "encode_s": round(encode_s, 1)},
                         "cameras_recording_meanwhile": recorder is not None}  # fmt: skip

        t = clock.now()
        player = Player(ReviewClip.from_session(folder, "gras", name, "mono8"))
        player.update(clock.now())
        first = clock.now() - t
        t_play = clock.now()

        def ours(elapsed: float) -> tuple[int, int, np.ndarray | None]:
            before = player.index
            player.update(t_play + elapsed)
            return int(elapsed * FPS), player.index, player.image if player.index != before else None

        results["ours"] = {"first_frame_s": round(first, 3), **play(win, stim, ours, args.play_s)}
        player.close()

        t = clock.now()
        frames = iter_frames(folder / "video" / name, "gray")
        state = {"index": 0, "image": next(frames)}
        first = clock.now() - t

        def naive(elapsed: float) -> tuple[int, int, np.ndarray | None]:
            due, new = int(elapsed * FPS), None
            while state["index"] < due:  # decode on the render path until the due frame
                state["image"], state["index"] = next(frames), state["index"] + 1
                new = state["image"]
            return due, state["index"], new

        results["naive"] = {"first_frame_s": round(first, 3), **play(win, stim, naive, args.play_s)}
        frames.close()
        win.close()
        if recorder is not None:
            results["cameras"] = {n: {"frames": s.get("frames_written"), "dropped": s.get("dropped")}
                                  for n, s in recorder.stop().items()}  # fmt: skip
    print(json.dumps(results, indent=2) if args.json else results)


if __name__ == "__main__":
    main()
