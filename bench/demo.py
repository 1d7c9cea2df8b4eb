"""The README's first command, measured: `elicit demo` run N times, drops and CPU per process and thread.

    python bench/demo.py --json [--runs 3] [--rig sim-real-face|sim]

Each run starts `xvfb-run -a python -m elicitation demo --out TMP --no-open` and, while it runs, samples
every process of its tree (Xvfb included) and every thread of each, 4 times a second (psutil; thread names
are those the app gives them with hardware.scheduling.name_this_thread). Per run it prints:
- each camera's frames and dropped frames (session.json summary) and whether the dashboard answered
  (its printed link fetched once with the token: HTTP 200);
- CPU per process group, in seconds and in percent of one core over the run's wall time: each camera's
  process (`cam <name>`: read loop, writer thread, preview thread), its ffmpeg encoder (`ffmpeg <name>`),
  the experiment (PsychoPy's frame loop, the dashboard server, the review's decoding), its ffmpeg
  decoders (the review; the clip player), Xvfb, the framing watch;
- the busiest threads, by name;
- per camera, the longest intervals between consecutive frames in frames.tsv, with the events.tsv step
  (trial_type) under way at that time: where a burst of drops would line up.

Nothing else should run on the machine: the load average before each run is printed with it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import psutil

SAMPLE_S = 0.25
LINK = re.compile(r"dashboard: (http://127\.0\.0\.1:\d+/\?token=\S+)")


def label(proc: psutil.Process, root_pid: int) -> str:
    """The group a process's CPU is counted in."""
    name = proc.name()
    if name.startswith("ffmpeg"):  # imageio-ffmpeg's binary: ffmpeg-linux-x86_64-v7...
        args = proc.cmdline()
        out = args[-1] if args else ""
        if out.endswith(".mkv"):
            return f"ffmpeg {Path(out).name.split('_')[0]} (encoder)"
        return "ffmpeg (decoders: review, clips)"
    if name.startswith("cam ") or name in ("Xvfb", "framing-watch", "lsl-inlets"):
        return name
    args = " ".join(proc.cmdline())
    if "-m elicitation" in args:
        return "experiment (PsychoPy, dashboard, review)"
    return "other" if proc.pid != root_pid else "xvfb-run"


def thread_name(pid: int, tid: int) -> str:
    try:
        return Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip()
    except OSError:
        return "?"


def sample(root: psutil.Process, procs: dict, threads: dict) -> None:
    """Last seen cumulative CPU of every process and thread of the tree (a process that ended keeps its last)."""
    try:
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for proc in tree:
        try:
            with proc.oneshot():
                times = proc.cpu_times()
                group = label(proc, root.pid)  # again each time: a process names itself after it starts
                procs[proc.pid] = (group, times.user + times.system)
                for t in proc.threads():
                    name = f"{group} / {thread_name(proc.pid, t.id)}"
                    threads[(proc.pid, t.id)] = (name, t.user_time + t.system_time)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue


def longest_gaps(session: Path, camera: str, count: int = 3) -> list[dict]:
    """The longest frame-to-frame intervals of a camera, with the protocol step under way then."""
    with open(session / "video" / f"{camera}_frames.tsv", newline="") as f:
        times = [float(r["host_time"]) for r in csv.DictReader(f, delimiter="\t")]
    with open(session / "events.tsv", newline="") as f:
        steps = [(float(r["clock_time"]), r["duration"], r["trial_type"]) for r in csv.DictReader(f, delimiter="\t")]
    gaps = sorted(((b - a, a) for a, b in zip(times[:-1], times[1:], strict=True)), reverse=True)[:count]
    out = []
    for gap, at in gaps:
        during = [t for start, dur, t in steps if start <= at and (dur == "n/a" or at <= start + float(dur))]
        out.append({"ms": round(gap * 1000, 1), "at_s": round(at - times[0], 2), "during": during[-1:] or ["?"]})
    return out


def run_demo(rig: str | None, folder: Path) -> dict:
    load = [round(v, 2) for v in os.getloadavg()]
    log = open(folder / "demo.log", "w+")  # noqa: SIM115 - read back at the end
    cmd = ["xvfb-run", "-a", sys.executable, "-m", "elicitation", "demo", "--out", str(folder / "data"), "--no-open"]
    if rig:
        cmd += ["--rig", rig]
    started = time.monotonic()
    root = psutil.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[1])
    procs: dict[int, tuple[str, float]] = {}
    threads: dict[tuple[int, int], tuple[str, float]] = {}
    dashboard = None
    while root.poll() is None:
        sample(root, procs, threads)
        if dashboard is None:
            log.seek(0)
            found = LINK.search(log.read())
            if found:
                try:
                    with urllib.request.urlopen(found.group(1), timeout=5) as answer:
                        dashboard = answer.status
                except OSError as exc:
                    dashboard = f"not served: {exc}"
        time.sleep(SAMPLE_S)
    wall = time.monotonic() - started
    session = folder / "data" / "sub-demo" / "ses-1"
    summary = json.loads((session / "session.json").read_text())["summary"]
    groups: dict[str, float] = defaultdict(float)
    for group, cpu in procs.values():
        groups[group] += cpu
    by_name: dict[str, float] = defaultdict(float)
    for name, cpu in threads.values():
        by_name[name] += cpu
    busiest = sorted(by_name.items(), key=lambda t: -t[1])[:14]
    cameras = summary["cameras"]
    return {
        "load_average_before": load,
        "exit_code": root.returncode,
        "wall_s": round(wall, 1),
        "dashboard_http": dashboard,
        "cameras": {n: {"frames": c["frames"], "dropped": c["dropped"], "longest_gaps": longest_gaps(session, n)}
                    for n, c in cameras.items()},  # fmt: skip
        "cpu_percent_of_a_core": {g: round(100 * s / wall, 1) for g, s in sorted(groups.items(), key=lambda i: -i[1])},
        "busiest_threads_percent": {name: round(100 * s / wall, 1) for name, s in busiest},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rig", default=None, help="default: the demo's own (sim-real-face when its clip is cached)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    runs = []
    for k in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
            runs.append(run_demo(args.rig, Path(tmp)))
        if not args.json:
            drops = ", ".join(f"{n} {c['dropped']} of {c['frames']}" for n, c in runs[-1]["cameras"].items())
            print(f"run {k + 1}: dropped {drops}; load before {runs[-1]['load_average_before']}", file=sys.stderr)
    result = {"rig": args.rig or "the demo's default", "cores": os.cpu_count(), "runs": runs,
              "all_runs_dropped_nothing": all(c["dropped"] == 0 for r in runs for c in r["cameras"].values())}
    print(json.dumps(result, indent=1 if args.json else None))


if __name__ == "__main__":
    main()
