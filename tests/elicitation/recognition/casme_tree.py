"""A tiny released-CASME-layout tree made by the tests: subNN/EPxx_yy/img<N>.jpg beside a CASME II sheet.

Each class is a movement in a place of its own: a bright blob that rises and falls over the clip at a
class-specific position (disgust: nose, repression: mouth, surprise: brows, tense: eyes), over a noisy
grey picture whose texture differs per subject, with a random intensity and timing per sample. The
pictures hold no face, so the baseline crops nothing (the whole picture) and says so.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

PLACES = {"disgust": (48, 40), "repression": (48, 72), "surprise": (48, 16), "tense": (24, 30)}  # x, y in 96x96
HEADER = ["Subject", "Filename", "OnsetFrame", "ApexFrame", "OffsetFrame", "Action Units", "Estimated Emotion"]


def make_tree(
    root: Path, subjects: int = 3, per_class: int = 3, seed: int = 0, labels: dict | None = None
) -> list[list]:
    """Write the tree and coding.csv under root; returns the sheet's rows. `labels` renames classes in the sheet."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(1, subjects + 1):
        texture = rng.normal(110, 12, (96, 96))
        episode = 0
        for label, (cx, cy) in PLACES.items():
            for _ in range(per_class):
                episode += 1
                name = f"EP{episode:02d}_{s}"
                folder = root / f"sub{s:02d}" / name
                folder.mkdir(parents=True)
                onset = int(rng.integers(10, 50))
                length = int(rng.integers(7, 12))
                strength = rng.uniform(50, 90)
                yy, xx = np.mgrid[0:96, 0:96]
                blob = np.exp(-((xx - cx - rng.integers(-3, 4)) ** 2 + (yy - cy - rng.integers(-3, 4)) ** 2) / 60.0)
                for k in range(length):
                    level = np.sin(np.pi * k / (length - 1)) * strength
                    picture = texture + level * blob + rng.normal(0, 3, (96, 96))
                    cv2.imwrite(str(folder / f"img{onset + k}.jpg"), picture.clip(0, 255).astype(np.uint8))
                shown = (labels or {}).get(label, label)
                rows.append([f"{s:02d}", name, onset, onset + length // 2, onset + length - 1, "4", shown])
    lines = [",".join(HEADER)] + [",".join(str(v) for v in r) for r in rows]
    (root / "coding.csv").write_text("\n".join(lines) + "\n")
    return rows
