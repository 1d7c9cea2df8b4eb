"""Memory benchmark: the experiment process's resident size between episodes of a long session.

    python bench/memory.py --json [--episodes 10] [--seconds 180] [--width 1280 --height 720] [--rig sim]

Generates one clip of S seconds (a demo test pattern at the given size, 25 fps) into a temporary
folder, writes a protocol like protocols/demo.yaml with N episodes of it, and runs the session as a
user would (``python -m elicitation run ... --autopilot --windowed``, under the current display: use
``xvfb-run -a``). While it runs, the psutil RSS of the experiment process (the PsychoPy one, not the
camera processes) is sampled every 0.2 s; session.log tells where the session is. Reported per
episode: the RSS when its "ready" screen starts (the previous episode's rating, review and rest are
over, this clip is loaded) and the peak RSS from then to the next episode's ready screen; and the
growth: the highest between-episode RSS (a ready screen, or the rest screen after a review) from
episode 2 on, minus the RSS at episode 2's ready screen (episode 1 also pays for first-use
allocations: fonts, shaders, the codec, the review view).

Everything is deleted afterwards unless --keep is given. Exit code 1 when the growth exceeds
--limit-mb (default 50), so the bench can gate a change.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402  (installed; pyproject.toml does not declare it yet)
import yaml  # noqa: E402

from stimuli.demo import generate_clip  # noqa: E402
from stimuli.manifest import load_manifest  # noqa: E402

MB = 1024 * 1024
_STEP = re.compile(r"step (\w+)(?: \(episode (\d+)\))?")
_PLAYED = re.compile(r"episode (\d+) played")


def write_inputs(folder: Path, episodes: int, seconds: float, width: int, height: int) -> Path:
    """One generated clip, a manifest listing it once per episode, a demo-like protocol; the protocol path."""
    clips = {
        f"clip{n:02d}": {"file": "long.mp4", "label": "Memory bench", "main_emotions": [{"emotion": "amusement"}],
                         "duration_s": [seconds - 1, seconds + 1], "width": width, "height": height, "fps": 25}
        for n in range(1, episodes + 1)
    }  # fmt: skip
    manifest = folder / "stimuli.yaml"
    manifest.write_text(yaml.safe_dump({"name": "bench", "directory": "clips", "clips": clips}, sort_keys=False))
    clip = next(iter(load_manifest(manifest).clips.values()))
    generate_clip(clip, 0)  # clip_seconds(): one second past the minimum, i.e. `seconds`
    protocol = yaml.safe_load((REPO / "protocols" / "demo.yaml").read_text())
    protocol.update(name="memory-bench", stimuli="stimuli.yaml", episodes=list(clips))
    path = folder / "protocol.yaml"
    path.write_text(yaml.safe_dump(protocol, sort_keys=False))
    return path


def run(protocol: Path, out: Path, rig: str, timeout_s: float, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run the session; samples of (elapsed s, RSS bytes) and the times session.log names each step."""
    cmd = [sys.executable, "-m", "elicitation", "run", str(protocol), "--participant", "P01", "--rig", rig,
           "--out", str(out), "--autopilot", "--windowed"]  # fmt: skip
    log_path = out / "sub-P01" / "ses-1" / "session.log"
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    me = psutil.Process(proc.pid)
    t0, seen, samples, marks = time.monotonic(), 0, [], []
    try:
        while proc.poll() is None:
            now = time.monotonic() - t0
            if now > timeout_s:
                proc.terminate()
                raise RuntimeError(f"the session did not finish in {timeout_s:.0f} s")
            try:
                samples.append((now, me.memory_info().rss))
            except psutil.Error:
                break
            if log_path.is_file():
                lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
                marks += [(now, line) for line in lines[seen:]]
                seen = len(lines)
            time.sleep(0.2)
    finally:
        _, err = proc.communicate(timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"the session ended with exit code {proc.returncode}: {err.strip()[-800:]}")
    return {"samples": samples, "marks": marks}


def rss_at(samples: list[tuple[float, int]], t: float) -> int:
    return next((rss for ts, rss in samples if ts >= t), samples[-1][1])


def after_review(marks: list[tuple[float, str]]) -> dict[int, float]:
    """Episode -> when the step after its review began (its rest screen; the end's flashes after the last)."""
    after: dict[int, float] = {}
    reviewing: int | None = None
    for t, line in marks:
        if "step " not in line:
            continue
        m = _STEP.search(line)
        if reviewing is not None:
            after[reviewing], reviewing = t, None
        if m and m.group(1) == "review":
            reviewing = int(m.group(2))
    return after


def per_episode(samples: list[tuple[float, int]], marks: list[tuple[float, str]], n: int) -> list[dict[str, Any]]:
    ready = {
        int(m.group(2)): t for t, line in marks if (m := _STEP.search(line)) and m.group(1) == "ready" and m.group(2)
    }
    played = {int(m.group(1)): t for t, line in marks if (m := _PLAYED.search(line))}
    after = after_review(marks)
    end = samples[-1][0]
    rows = []
    for k in range(1, n + 1):
        start, stop = ready[k], ready.get(k + 1, end)
        window = [rss for ts, rss in samples if start <= ts < stop] or [rss_at(samples, start)]
        rows.append({
            "episode": k,
            "rss_ready_mb": round(rss_at(samples, start) / MB, 1),
            "rss_played_mb": round(rss_at(samples, played[k]) / MB, 1),
            "peak_mb": round(max(window) / MB, 1),
        })  # fmt: skip
        if k in after:
            rows[-1]["rss_after_review_mb"] = round(rss_at(samples, after[k]) / MB, 1)
    return rows


def measure(episodes: int, seconds: float, width: int, height: int, rig: str, folder: Path,
            env: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    """Run the session in `folder`; the per-episode rows and the growth figures."""
    folder.mkdir(parents=True, exist_ok=True)
    protocol = write_inputs(folder, episodes, seconds, width, height)
    recorded = run(protocol, folder / "data", rig, 120 + episodes * (seconds + 60) * 3, env)
    rows = per_episode(recorded["samples"], recorded["marks"], episodes)
    between = [r["rss_ready_mb"] for r in rows[1:]] + [r["rss_after_review_mb"] for r in rows[1:] if
                                                       "rss_after_review_mb" in r]  # fmt: skip
    return {
        "episodes": episodes,
        "clip": f"{seconds:g} s {width}x{height}",
        "rig": rig,
        "per_episode": rows,
        "growth_mb_from_episode2": round(max(between) - rows[1]["rss_ready_mb"], 1),
        "peak_growth_mb_episode2_to_last": round(max(r["peak_mb"] for r in rows[1:]) - rows[1]["peak_mb"], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--episodes", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=180.0, help="clip length")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--rig", default="sim", help="rig file or shipped rig name (default: sim)")
    parser.add_argument("--limit-mb", type=float, default=50.0, help="allowed growth from episode 2 on")
    parser.add_argument("--keep", type=Path, help="keep the clip, protocol and session in this folder")
    args = parser.parse_args()
    if args.episodes < 3 or args.seconds < 2:
        parser.error("needs at least 3 episodes of at least 2 s")

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        result = measure(args.episodes, args.seconds, args.width, args.height, args.rig, folder)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    result.update(limit_mb=args.limit_mb, load_average=[round(v, 2) for v in psutil.getloadavg()])
    growth = result["growth_mb_from_episode2"]
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for r in result["per_episode"]:
            print(
                f"episode {r['episode']:2d}: ready {r['rss_ready_mb']:7.1f} MB  played {r['rss_played_mb']:7.1f} MB"
                f"  after review {r.get('rss_after_review_mb', float('nan')):7.1f} MB  peak {r['peak_mb']:7.1f} MB"
            )
        print(f"growth from episode 2: {growth} MB (peak {result['peak_growth_mb_episode2_to_last']} MB), "
              f"limit {args.limit_mb:g} MB, load {result['load_average']}")  # fmt: skip
    return 1 if growth > args.limit_mb else 0


if __name__ == "__main__":
    sys.exit(main())
