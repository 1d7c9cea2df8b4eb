"""A simulated four-class database for the recognition baseline: a test set that can show it works.

SYNTHETIC: one photograph (the sim face) warped at known times, not participants. Each class is a sim
expression kind whose action units are the ones the class is coded from (hardware.cameras.sim.expressions;
elicitation.spotting.synthetic.UNITS and EMOTION): disgust ``brow_lower`` (AU4+9), repression
``lip_corner_depress`` (AU15), surprise ``brow_raise`` (AU1+2), tense ``lid_tighten`` (AU7).

``simulate_classes(out, subjects, per_class, seed)``:

- every simulated subject gets its own rig, drawn from ``seed``: one mono8 sim camera at 60 fps with a frame
  size from SIZES (so a different face scale), a head sway of 0.3-1 px, its own background, expression
  intensity (3-5 px at the apex) and timing (onset 80-140 ms, total 260-440 ms, each movement within 10 % of
  them); ``per_class`` movements of each class in a shuffled order, one a second;
- each subject is recorded through the sim camera and the lossless encoder (one episode file per movement,
  elicitation.spotting.synthetic.simulate) and coded from the synthetic truth (coding/final.tsv, with action
  units and emotion), into SESSIONS (default ``OUT-sessions`` beside OUT), with a participants.tsv row whose
  consent covers release (dataset build exports nobody else; age and sex are n/a: nobody took part);
- ``dataset build`` writes OUT (the pseudonym map beside it), which ``elicit dataset baseline OUT`` reads;
- SESSIONS/simulated.json records every subject's drawn rig and movements.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.batch import atomic_write
from elicitation.dataset import Built, build, default_pseudonyms
from elicitation.folder import BadInput, add_participant, create_private_dir, make_participant
from elicitation.spotting.synthetic import EMOTION, simulate
from hardware.rig import load_rig

CLASSES = {"disgust": "brow_lower", "repression": "lip_corner_depress", "surprise": "brow_raise",
           "tense": "lid_tighten"}  # fmt: skip
SIZES = ((480, 360), (640, 480), (800, 600))
FPS = 60.0
EVERY_S = 1.0  # one movement a second: the longest (about 480 ms) is over well before the next
MARGIN_S = 0.1  # of still face before and after each movement in its episode file
CONSENT = "research,release"


@dataclass(frozen=True)
class SimulatedSubject:
    participant: str
    width: int
    height: int
    sway_px: float  # the face's slow head movement (face: movement_px)
    pixels: float  # this subject's expression intensity at the apex
    onset_ms: float  # this subject's typical timing
    total_ms: float
    background_seed: int


@dataclass(frozen=True)
class Simulated:
    built: Built
    sessions: Path
    subjects: list[SimulatedSubject]


def draw_subject(number: int, rng: np.random.Generator) -> SimulatedSubject:
    width, height = SIZES[(number - 1) % len(SIZES)]
    onset = float(rng.uniform(80, 140))
    return SimulatedSubject(
        f"sim{number:02d}", width, height, round(float(rng.uniform(0.3, 1.0)), 2),
        round(float(rng.uniform(3.0, 5.0)), 2), round(onset, 1), round(float(rng.uniform(260, 440)), 1),
        int(rng.integers(1, 1000)),
    )  # fmt: skip


def movements(subject: SimulatedSubject, per_class: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """per_class movements of each class for one subject, shuffled, one every EVERY_S from 1 s."""
    kinds = [kind for kind in CLASSES.values() for _ in range(per_class)]
    out = []
    for n, index in enumerate(rng.permutation(len(kinds))):
        onset, total = (float(v * rng.uniform(0.9, 1.1)) for v in (subject.onset_ms, subject.total_ms))
        out.append({"at_s": 1.0 + n * EVERY_S, "kind": kinds[index], "onset_ms": round(onset, 1),
                    "total_ms": round(max(total, onset + 70), 1),
                    "pixels": round(float(subject.pixels * rng.uniform(0.9, 1.1)), 2)})  # fmt: skip
    return out


def _rig_file(path: Path, subject: SimulatedSubject, shown: list[dict[str, Any]]) -> Path:
    camera = {
        "backend": "sim",
        "width": subject.width,
        "height": subject.height,
        "pixel_format": "mono8",
        "fps": FPS,
        "seed": subject.background_seed,
        "face": {"image": "astronaut", "movement_px": subject.sway_px},
        "expressions": {"movements": shown},
    }
    # JSON is YAML: the rig is read back through the strict rig loader like any lab's rig file
    atomic_write(path, json.dumps({"name": f"simulated_{subject.participant}", "cameras": {"cam": camera}},
                                  indent=1) + "\n")  # fmt: skip
    return path


def _episodes(shown: list[dict[str, Any]]) -> list[tuple[str, float, float]]:
    return [(f"{n:02d}", round(m["at_s"] - MARGIN_S, 4), round(m["at_s"] + m["total_ms"] / 1000 + MARGIN_S, 4))
            for n, m in enumerate(shown, start=1)]  # fmt: skip


def default_sessions(out: Path) -> Path:
    out = Path(out).absolute()
    return out.parent / f"{out.name}-sessions"


def simulate_classes(
    out: Path, subjects: int = 4, per_class: int = 3, seed: int = 1, *, sessions: Path | None = None,
    pseudonyms: Path | None = None,
) -> Simulated:  # fmt: skip
    """Record, code and build the simulated database (see the module docstring); BadInput before anything is
    recorded when an argument or a target is unusable."""
    if subjects < 2 or per_class < 1:
        raise BadInput(f"a LOSO set needs at least 2 subjects and 1 movement per class, got {subjects}, {per_class}")
    if not set(CLASSES.values()) <= set(EMOTION) or any(EMOTION[k] != c for c, k in CLASSES.items()):
        raise BadInput("the simulated classes and the synthetic truth's emotions disagree")  # a programming slip
    out = Path(out)
    sessions = Path(sessions) if sessions is not None else default_sessions(out)
    pseudonyms = Path(pseudonyms) if pseudonyms is not None else default_pseudonyms(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BadInput(f"{out} exists and is not an empty folder: a dataset is never written over another")
    if sessions.exists():
        raise BadInput(f"{sessions} exists: recordings are never overwritten")
    if pseudonyms.exists():
        raise BadInput(f"{pseudonyms} exists: the pseudonym map is never overwritten")
    rng = np.random.default_rng(seed)
    create_private_dir(sessions / "rigs")
    drawn, record = [], []
    for number in range(1, subjects + 1):
        subject = draw_subject(number, rng)
        shown = movements(subject, per_class, rng)
        rig = load_rig(_rig_file(sessions / "rigs" / f"{subject.participant}.yaml", subject, shown))
        simulate(sessions, rig, _episodes(shown), subject.participant)
        add_participant(sessions, make_participant(subject.participant, None, None, CONSENT))
        drawn.append(subject)
        record.append({**asdict(subject), "movements": shown})
    record_text = {"synthetic": True, "seed": seed, "per_class": per_class, "fps": FPS, "classes": CLASSES,
                   "subjects": record}  # fmt: skip
    atomic_write(sessions / "simulated.json", json.dumps(record_text, indent=1) + "\n")
    built = build(sessions, out, pseudonyms=pseudonyms)
    return Simulated(built, sessions, drawn)
