"""Dataset export throughput: `dataset build`'s decoder against a naive one-seek-per-picture baseline.

    python bench/dataset.py --json [--seconds 30] [--events 12]

Writes a synthetic coded session in a temporary folder: one 640x480 gray camera at 60 fps through the
recorder's encoder (x264 -qp 0 in Matroska, keyframes every 250 frames, as sessions have them), its
frames.tsv and session.json, and --events movements of 300-450 ms coded by two coders and agreed in
final.tsv (all admitted by the rule). Then, in one run:
- ours: elicitation.dataset.build (each sample's frame range decoded from one seek);
- naive: the same pictures, each found by its own seek to the keyframe before it and decoding forward
  in the same open file (the way a "read frame N" API works), encoded and written the same way.
Prints pictures, seconds and pictures (frames) per second for each, the ratio, and checks that both
wrote the same bytes. Reports the machine's load averages: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from bench.review import make_recording  # noqa: E402
from elicitation.coding import Event, FinalLog, proposals, resolve  # noqa: E402
from elicitation.dataset import build, make_plan  # noqa: E402
from elicitation.dataset.frames_export import encode, picture_name, write_private  # noqa: E402
from hardware.video import read_frames_tsv  # noqa: E402

FPS = 60.0
FILE = "gras_ep01.mkv"


def make_session(session: Path, seconds: float, events: int) -> None:
    name, times = make_recording(session, seconds / 60)  # the review bench's synthetic 640x480 episode
    assert name == FILE
    video, n = session / "video", len(times)
    meta = {"participant": "B1", "session": 1, "episodes": {"01": {"clip": "bench", "video": {"gras": FILE}}},
            "rig": {"name": "bench", "cameras": {"gras": {"pixel_format": "mono8", "fps": FPS}}}}  # fmt: skip
    (session / "session.json").write_text(json.dumps(meta))
    tables = {"gras": read_frames_tsv(video / "gras_frames.tsv")}
    starts = np.linspace(10, n - 40, events).astype(int)
    coded = [Event(f"e{k}", "01", "micro", "gras", int(s), int(s) + 6, int(s) + 18 + k % 9, action_units="4",
                   emotion="disgust") for k, s in enumerate(starts)]  # fmt: skip
    coded = [resolve(e, tables) for e in coded]
    final = FinalLog(session, "C1", "C2", tables, arbiter="A1")
    for proposal in proposals(coded, coded, "gras", tables):
        final.decide(proposal, proposal.decided)
    final.close()


def naive_export(data: Path, out: Path) -> int:
    """Every picture by its own seek to the keyframe before it, then decoding forward to it (one open file)."""
    import av

    plan, count = make_plan(data, allow_far=True), 0
    for job in plan.jobs:
        with av.open(str(job.video_dir / job.pictures[0].file)) as container:  # one file per sample here
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            rate, base = Fraction(stream.average_rate), Fraction(stream.time_base)
            for picture in job.pictures:
                container.seek(int(picture.file_frame / rate / base), stream=stream, backward=True)
                for frame in container.decode(stream):
                    if round(frame.pts * base * rate) == picture.file_frame:
                        image = frame.to_ndarray(format="gray")
                        write_private(out, f"{job.folder}/{picture_name(picture, False)}", encode(image, False))
                        count += 1
                        break
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the synthetic recording")
    parser.add_argument("--events", type=int, default=12, help="coded movements (all selected)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-dataset-"))
    try:
        data = folder / "data"
        make_session(data / "sub-B1" / "ses-1", args.seconds, args.events)
        start = time.perf_counter()
        built = build(data, folder / "ours", allow_far=True)
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        naive = naive_export(data, folder / "naive")
        naive_s = time.perf_counter() - start
        mine = json.loads((folder / "ours" / "manifest.json").read_text())["files"]
        same = all((folder / "naive" / f["path"]).read_bytes() == (folder / "ours" / f["path"]).read_bytes()
                   for f in mine if f["path"].endswith(".jpg"))  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = {
        "pictures": built.pictures,
        "naive_pictures": naive,
        "ours_s": round(ours_s, 3),
        "naive_s": round(naive_s, 3),
        "ours_frames_per_s": round(built.pictures / ours_s, 1),
        "naive_frames_per_s": round(naive / naive_s, 1),
        "ratio_ours_to_naive": round((built.pictures / ours_s) / (naive / naive_s), 2),
        "same_bytes": same,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
    }
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
