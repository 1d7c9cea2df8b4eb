"""Display benchmark: frame intervals while a clip plays, with the cameras off, recording, and recording
with the live dashboard open in Chromium, in one run.

    python bench/display.py --json [--rig sim] [--seconds 60] [--width 1280 --height 720] [--fullscreen]

Plays a generated test-pattern clip of --seconds (default 60; written to a temporary folder)
through the session's own display path (PsychoPy window, MovieStim with ffpyplayer, the same flip
and pacing), first with no camera running, then while the rig records into a temporary folder
(both deleted afterwards), then recording again with the session's dashboard served from a thread
of this process (as `elicit run` does: the frame loop publishes its state four times a second) and
open in a headless Debian Chromium (/usr/bin/chromium, polling the state and every camera's
picture as the page does; --no-dashboard-arm skips it). For each: flips, late flips (intervals
above 1.5 refresh periods, as ``win.recordFrameIntervals`` counts them) in total and per minute,
interval percentiles and the longest interval; and the cameras' own frame and drop counts while
recording. Late flips come in
bursts (a camera process's write, the machine's other work), so a few seconds say little: the
default minute per condition is the least that gives a rate to compare.

On a lab PC with vsync the intervals sit at the refresh period and a dropped flip is a frame the
participant saw twice: run it on the lab's screen, fullscreen, with the real rig. Under Xvfb there
is no vsync and OpenGL is software-rendered (llvmpipe): flips are paced by our loop at the
expected rate, so the numbers show CPU contention between drawing and recording, not a monitor.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import hardware  # noqa: E402,F401  (clock environment before PsychoPy)
from elicitation.dashboard import Buttons, LiveState, Pictures, dashboard_app  # noqa: E402
from elicitation.protocol import Display as DisplaySettings  # noqa: E402
from elicitation.protocol import Keys  # noqa: E402
from elicitation.screen import Display, RemoteKeys  # noqa: E402
from elicitation.web import WebServer, new_token  # noqa: E402
from hardware.recording import PreviewReader, Recorder  # noqa: E402
from hardware.rig import load_rig  # noqa: E402
from stimuli.demo import generate_clip  # noqa: E402
from stimuli.manifest import Clip  # noqa: E402


def make_clip(folder: Path, seconds: float, width: int, height: int) -> Path:
    """A demo test pattern of `seconds` at width x height, 25 fps, in `folder`."""
    clip = Clip(id="bench", path=folder / "bench.mp4", duration_range=(seconds - 1, seconds + 1), width=width,
                height=height, fps=25.0, label="Display bench")  # fmt: skip
    return generate_clip(clip, 0)  # clip_seconds(): one second past the minimum, i.e. `seconds`


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1000"]


class CountingPictures(Pictures):
    """Pictures that count what the page fetched (the dashboard was live, not just served)."""

    served = 0

    def picture(self, name: str):  # type: ignore[no-untyped-def]
        self.served += 1
        return super().picture(name)


@contextmanager
def dashboard_open(recorder: Recorder, browser: str) -> Iterator[tuple[LiveState, CountingPictures]]:
    """The session's dashboard for `recorder`, served from a thread here and open in headless Chromium."""
    live = LiveState("bench")
    pictures = CountingPictures({n: PreviewReader(m) for n, m in recorder.preview_names.items() if m})
    app = dashboard_app(token=new_token(), title="Session dashboard: bench", live=live, pictures=pictures,
                        buttons=Buttons(Keys(), RemoteKeys()))  # fmt: skip
    server = WebServer(app).start()
    profile = Path(tempfile.mkdtemp(prefix="bench-display-chromium-"))
    chromium = subprocess.Popen([browser, *CHROMIUM_ARGS, f"--user-data-dir={profile}", server.url],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while pictures.served < 2 * len(pictures.names) and time.monotonic() < deadline:
            live.publish(cameras=recorder.health())
            time.sleep(0.1)
        if pictures.served == 0:
            raise RuntimeError("Chromium did not load the dashboard within 30 s")
        yield live, pictures
    finally:
        chromium.terminate()
        try:
            chromium.wait(timeout=10)
        except subprocess.TimeoutExpired:
            chromium.kill()
            chromium.wait()
        server.stop()
        pictures.close()
        shutil.rmtree(profile, ignore_errors=True)


def play(display: Display, clip: Path, seconds: float, audio: bool = False,
         on_flip: Callable[[float], None] | None = None) -> dict:  # fmt: skip
    """Play `clip` for `seconds` (or to its end) exactly as an episode does; interval statistics."""
    from psychopy import visual

    win = display.win
    width, height = display.size
    movie = visual.MovieStim(win, str(clip), movieLib="ffpyplayer", units="pix", size=(width, width * 9 / 16),
                             loop=False, autoStart=False, noAudio=not audio)  # fmt: skip
    black = visual.Rect(win, width=width + 4, height=height + 4, fillColor=[0, 0, 0], colorSpace="rgb255",
                        lineWidth=0, units="pix")  # fmt: skip
    win.refreshThreshold = 1.5 * display.period
    win.frameIntervals, win.nDroppedFrames = [], 0
    win.recordFrameIntervals = True
    movie.play()
    first = None
    while not movie.isFinished:
        black.draw()
        movie.draw()
        t = display.flip()
        if on_flip is not None:
            on_flip(t)
        first = first or t
        if t - first >= seconds:
            break
    win.recordFrameIntervals = False
    movie.unload()
    ms = np.array(win.frameIntervals) * 1000
    minutes = float(ms.sum()) / 60000
    return {
        "seconds": round(minutes * 60, 1),
        "flips": int(len(ms) + 1),
        "dropped_flips": int(win.nDroppedFrames),
        "dropped_share": round(float(win.nDroppedFrames) / max(1, len(ms)), 4),
        "late_flips_per_min": round(win.nDroppedFrames / minutes, 2) if minutes > 0 else None,
        "interval_ms": {
            "p50": round(float(np.percentile(ms, 50)), 2),
            "p95": round(float(np.percentile(ms, 95)), 2),
            "p99": round(float(np.percentile(ms, 99)), 2),
            "max": round(float(ms.max()), 2),
        },
    }


def summarise(recorder: Recorder) -> dict:
    return {n: {"frames": s.get("frames_written"), "dropped": s.get("dropped"), "error": s.get("error")}
            for n, s in recorder.summaries.items()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--rig", default="sim", help="rig file or shipped rig name (default: sim)")
    parser.add_argument("--seconds", type=float, default=60.0, help="playback per condition (the clip's length)")
    parser.add_argument("--audio", action="store_true", help="play the clip's sound (a session does when it can)")
    parser.add_argument("--width", type=int, default=1280, help="the clip's frame width")
    parser.add_argument("--height", type=int, default=720, help="the clip's frame height")
    parser.add_argument("--fullscreen", action="store_true", help="the lab screen, not a 1280x720 window")
    parser.add_argument("--refresh-hz", type=float, default=60.0, help="the display's expected refresh rate")
    parser.add_argument("--chromium", default=CHROMIUM, help="the browser of the dashboard arm")
    parser.add_argument("--no-dashboard-arm", action="store_true", help="skip the arm with the dashboard open")
    args = parser.parse_args()

    if args.seconds < 2:
        parser.error("--seconds must be at least 2")
    if not args.audio:
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")  # as a session without sound output does
    clips = Path(tempfile.mkdtemp(prefix="bench-display-clip-"))
    clip = make_clip(clips, args.seconds, args.width, args.height)
    rig = load_rig(args.rig)
    display = Display(DisplaySettings(expected_refresh_hz=args.refresh_hz), windowed=not args.fullscreen)
    try:
        measured = display.measure_refresh()
        off = play(display, clip, args.seconds, args.audio)
        tmp = Path(tempfile.mkdtemp(prefix="bench-display-"))
        try:
            with Recorder(rig, tmp) as recorder:
                on = play(display, clip, args.seconds, args.audio)
            cameras = summarise(recorder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        dash: dict | None = None
        if not args.no_dashboard_arm:
            tmp = Path(tempfile.mkdtemp(prefix="bench-display-"))
            try:
                with Recorder(rig, tmp) as recorder, dashboard_open(recorder, args.chromium) as (live, pictures):
                    before = pictures.served

                    def publish(t: float) -> None:  # what SessionContext.frame does with a dashboard
                        if live.due(t):
                            live.publish(where="bench", cameras=recorder.health())

                    dash = play(display, clip, args.seconds, args.audio, on_flip=publish)
                    dash["pictures_served"] = pictures.served - before
                dash["cameras"] = summarise(recorder)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    finally:
        display.close()
        shutil.rmtree(clips, ignore_errors=True)
    result = {
        "clip": f"{args.seconds:g} s {args.width}x{args.height} at 25 fps",
        "display": {**display.info(), "measured_refresh_hz": measured},
        "paced_by": "vsync" if display.vsync else f"our loop at {args.refresh_hz:g} Hz (no vsync)",
        "recording_off": off,
        "recording_on": on,
        "cameras_while_on": cameras,
        "dropped_flips_on_minus_off": on["dropped_flips"] - off["dropped_flips"],
        "recording_with_dashboard": dash,
        "dropped_flips_dashboard_minus_on": None if dash is None else dash["dropped_flips"] - on["dropped_flips"],
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"display: {result['display']['size']} {result['paced_by']}, renderer {result['display']['gl_renderer']}")
    for name in ("recording_off", "recording_on", "recording_with_dashboard"):
        r = result[name]
        if r is None:
            continue
        i = r["interval_ms"]
        print(
            f"{name:24s} {r['seconds']:.0f} s  flips {r['flips']:5d}  late {r['dropped_flips']:4d} "
            f"({r['late_flips_per_min']}/min, {r['dropped_share']:.1%})  "
            f"interval p50 {i['p50']:.1f}  p95 {i['p95']:.1f}  p99 {i['p99']:.1f}  max {i['max']:.1f} ms"
        )
    for name, c in cameras.items():
        print(f"camera {name}: {c['frames']} frames, {c['dropped']} dropped {c['error'] or ''}")
    if dash is not None:
        print(f"dashboard arm: {dash['pictures_served']} pictures served to Chromium; cameras {dash['cameras']}")


if __name__ == "__main__":
    main()
