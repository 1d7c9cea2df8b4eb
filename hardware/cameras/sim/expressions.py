"""Known facial movements on the sim face (hardware.cameras.sim.face): a synthetic ground truth for spotting.

Rig option of a sim camera that also has ``face:`` (checked strictly)::

    expressions:
      movements: [{at_s: 2.0, kind: brow_raise, onset_ms: 100, total_ms: 300, pixels: 3}]
      random: {count: 10, start_s: 1.0, every_s: 1.5, seed: 1, kinds: [brow_raise, lip_pull]}
      distractors:
        - {kind: head_translation, at_s: 9.0, duration_s: 2.0, pixels: 16}
        - {kind: brightness, at_s: 12.0, duration_s: 0.3, change: 0.25}
        - {kind: long_movement, at_s: 14.0, duration_s: 1.5, pixels: 3}

- a movement (micro-expression) is a smooth local warp of the face of ``pixels`` frame pixels at its apex,
  one of MICRO_KINDS: ``brow_raise`` (AU1+2, both brows up: surprise), ``lip_pull`` (AU12, both lip corners
  out and up), ``brow_lower`` (AU4+9, brows down and inward and the nose wings up: disgust),
  ``lip_corner_depress`` (AU15, lip corners down: repression) and ``lid_tighten`` (AU7, lower lids up:
  tense); it rises over ``onset_ms`` (sin^2) and falls back over the rest of ``total_ms`` (cos^2);
- ``random`` adds ``count`` movements, one every ``every_s`` from ``start_s``, kind (one of ``kinds``,
  default RANDOM_KINDS), onset 80-150 ms, total 200-500 ms and 2-4 pixels drawn from ``seed`` (the issue's
  ranges);
- distractors, none of them a micro-expression: ``head_translation`` (the head slides ``pixels`` right and
  half that down and back over ``duration_s``), ``brightness`` (the whole frame's gain goes to 1 + ``change``
  and back; -0.3 dims the light by 30 %), ``long_movement`` (a brow raise rising and falling smoothly
  over ``duration_s``).

Times are seconds since the camera started (its frame id / fps), the face layer's time. ``schedule`` gives
the truth: each movement's onset, apex and offset times; a frame shows a movement when
``amplitude(t) > 0``. The warp is built once per kind (``ExpressionLayer.__init__``); a frame inside a
movement costs one cv2.remap of the face patch, other frames nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

MICRO_KINDS = ("brow_raise", "lip_pull", "brow_lower", "lip_corner_depress", "lid_tighten")
RANDOM_KINDS = ("brow_raise", "lip_pull")  # random's default: the draws (and so every seed's plan) stay as they were
DISTRACTOR_KINDS = ("head_translation", "brightness", "long_movement")
# feature points in the astronaut head crop (hardware.cameras.sim.face.HEAD_CROP pixels: brows at row 77,
# eyes' centres at (72, 87) and (115, 88), nose wings at row 110, lip corners at row 128) and the
# displacement each gets at the apex, in units of the movement's pixels
_POINTS = {
    "brow_raise": [((72, 78), (0.0, -1.0)), ((116, 78), (0.0, -1.0))],
    "lip_pull": [((74, 128), (-0.8, -0.6)), ((113, 128), (0.8, -0.6))],
    # corrugator (AU4) pulls the brows down and together, more at their inner ends; AU9 lifts the nose wings
    "brow_lower": [((70, 78), (0.3, 0.6)), ((84, 80), (0.5, 0.7)), ((104, 80), (-0.5, 0.7)),
                   ((118, 78), (-0.3, 0.6)), ((85, 109), (0.0, -0.7)), ((104, 109), (0.0, -0.7))],
    "lip_corner_depress": [((74, 129), (-0.2, 1.0)), ((113, 129), (0.2, 1.0))],
    # orbicularis oculi (AU7) raises the lower lids (and narrows the eyes a little from above)
    "lid_tighten": [((72, 93), (0.0, -1.0)), ((115, 94), (0.0, -1.0)), ((72, 83), (0.0, 0.3)),
                    ((115, 84), (0.0, 0.3))],
}  # fmt: skip
_SIGMA = 7.0  # crop pixels: the warp's reach around a feature point
_KEYS = {
    "movements": {"at_s": float, "kind": str, "onset_ms": float, "total_ms": float, "pixels": float},
    "random": {"count": int, "start_s": float, "every_s": float, "seed": int, "kinds": list},
    "distractors": {"kind": str, "at_s": float, "duration_s": float, "pixels": float, "change": float},
}


@dataclass(frozen=True)
class Movement:
    kind: str  # one of MICRO_KINDS or DISTRACTOR_KINDS
    start_s: float
    onset_s: float  # rise time
    total_s: float
    pixels: float = 0.0
    change: float = 0.0  # brightness only

    @property
    def micro(self) -> bool:
        return self.kind in MICRO_KINDS

    def amplitude(self, t: float) -> float:
        """0..1: the share of the full movement shown at time t."""
        tau = t - self.start_s
        if tau <= 0 or tau >= self.total_s:
            return 0.0
        if self.kind in ("head_translation", "brightness"):
            return math.sin(math.pi * tau / self.total_s) ** 2
        if tau < self.onset_s:
            return math.sin(0.5 * math.pi * tau / self.onset_s) ** 2
        return math.cos(0.5 * math.pi * (tau - self.onset_s) / (self.total_s - self.onset_s)) ** 2

    def times(self) -> tuple[float, float, float]:
        """Onset, apex and offset times (seconds since the camera started)."""
        return self.start_s, self.start_s + self.onset_s, self.start_s + self.total_s


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_entry(entry: Any, section: str) -> str | None:
    keys = _KEYS[section]
    if not isinstance(entry, dict):
        return f"{section}: each entry must be a mapping, got {entry!r}"
    for key, value in entry.items():
        if key not in keys:
            return f"{section}: unknown key '{key}' (allowed: {', '.join(keys)})"
        if keys[key] is list:
            if not isinstance(value, list) or not value or any(k not in MICRO_KINDS for k in value):
                return f"{section}: '{key}' must be a non-empty list of {', '.join(MICRO_KINDS)}, got {value!r}"
            continue
        ok = (
            isinstance(value, str)
            if keys[key] is str
            else _number(value) and (keys[key] is float or float(value).is_integer())
        )
        if not ok:
            return f"{section}: key '{key}' has the wrong type: {value!r}"
        if keys[key] is not str and value < 0 and key != "change":
            return f"{section}: key '{key}' must be >= 0, got {value!r}"
    return None


def check_options(value: Any) -> str | None:
    """The strict check of a rig's ``expressions:`` mapping (an error text, or None when it is right)."""
    if not isinstance(value, dict):
        return f"must be a mapping with movements, random and/or distractors, got {value!r}"
    for key in value:
        if key not in _KEYS:
            return f"has unknown key '{key}' (allowed: {', '.join(_KEYS)})"
    for entry in value.get("movements", []) if isinstance(value.get("movements", []), list) else [None]:
        problem = _check_entry(entry, "movements")
        if problem is None and entry.get("kind", "brow_raise") not in MICRO_KINDS:
            problem = f"movements: kind '{entry['kind']}' is not one of {', '.join(MICRO_KINDS)}"
        if problem is None and not 0 < entry.get("onset_ms", 100) < entry.get("total_ms", 300):
            problem = f"movements: need 0 < onset_ms < total_ms, got {entry!r}"
        if problem:
            return problem
    if "random" in value and (problem := _check_entry(value["random"], "random")):
        return problem
    if "random" in value and value["random"].get("every_s", 1.5) <= 0.6:
        return "random: every_s must be > 0.6 (movements must not overlap)"
    for entry in value.get("distractors", []) if isinstance(value.get("distractors", []), list) else [None]:
        problem = _check_entry(entry, "distractors")
        if problem is None and entry.get("kind") not in DISTRACTOR_KINDS:
            problem = f"distractors: kind {entry.get('kind')!r} is not one of {', '.join(DISTRACTOR_KINDS)}"
        if problem is None and entry.get("duration_s", 0) <= 0:
            problem = f"distractors: duration_s must be > 0, got {entry!r}"
        if problem:
            return problem
    return None


def schedule(options: dict[str, Any]) -> list[Movement]:
    """Every movement and distractor the options describe, in order of start time."""
    out = [
        Movement(m.get("kind", "brow_raise"), float(m["at_s"]), m.get("onset_ms", 100) / 1000,
                 m.get("total_ms", 300) / 1000, float(m.get("pixels", 3)))
        for m in options.get("movements", [])
    ]  # fmt: skip
    rnd = options.get("random")
    if rnd:
        rng = np.random.default_rng(int(rnd.get("seed", 0)))
        kinds = tuple(rnd.get("kinds", RANDOM_KINDS))
        for n in range(int(rnd.get("count", 0))):
            onset = float(rng.uniform(0.08, 0.15))
            total = float(rng.uniform(max(0.2, onset + 0.07), 0.5))
            kind = kinds[int(rng.integers(len(kinds)))]
            start = float(rnd.get("start_s", 1.0)) + n * float(rnd.get("every_s", 1.5))
            out.append(Movement(kind, round(start, 4), onset, total, float(rng.uniform(2.0, 4.0))))
    for d in options.get("distractors", []):
        duration = float(d["duration_s"])
        out.append(Movement(d["kind"], float(d["at_s"]), duration / 2, duration, float(d.get("pixels", 3)),
                            float(d.get("change", 0.25))))  # fmt: skip
    return sorted(out, key=lambda m: m.start_s)


class ExpressionLayer:
    """Draws the face (a ``FaceLayer``) with the scheduled movements, shifts and gain at time t."""

    def __init__(self, face: Any, options: dict[str, Any]) -> None:
        self.face = face
        self.movements = schedule(options)
        h, w = face.patch.shape[:2]
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        self._grid = (xs, ys)
        self._fields: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for kind, points in _POINTS.items():
            fx, fy = np.zeros((h, w), np.float32), np.zeros((h, w), np.float32)
            sigma = _SIGMA * face.scale
            for (px, py), (ux, uy) in points:
                weight = np.exp(-((xs - px * face.scale) ** 2 + (ys - py * face.scale) ** 2) / (2 * sigma**2))
                fx += ux * weight
                fy += uy * weight
            self._fields[kind] = (fx, fy)

    def _active(self, t: float) -> list[tuple[Movement, float]]:
        return [(m, a) for m in self.movements if (a := m.amplitude(t)) > 0]

    def active(self, t: float) -> bool:
        """Whether any movement or distractor shows at time t (the picture then differs from the plain face)."""
        return any(m.amplitude(t) > 0 for m in self.movements)

    def warped_patch(self, active: list[tuple[Movement, float]]) -> np.ndarray | None:
        """The face patch with the local movements shown at their amplitudes (None: no local movement)."""
        local = [(m, a) for m, a in active if m.micro or m.kind == "long_movement"]
        if not local:
            return None
        xs, ys = self._grid
        map_x, map_y = xs.copy(), ys.copy()
        for m, a in local:
            fx, fy = self._fields["brow_raise" if m.kind == "long_movement" else m.kind]
            map_x -= fx * (a * m.pixels)  # backward map: the pixel at x shows what was at x - d(x)
            map_y -= fy * (a * m.pixels)
        return cv2.remap(self.face.patch, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

    def draw(self, frame: np.ndarray, t: float, level: float | None = None) -> None:
        """Paste the face as it is at time t into frame, in place (nothing while the face is away)."""
        active = self._active(t)
        face = self.face
        patch = self.warped_patch(active)
        shift = [(m.pixels * a, m.pixels * a / 2) for m, a in active if m.kind == "head_translation"]
        if shift and face.visible(t) and level is None:
            x, y = face.offset(t)
            src = face.patch if patch is None else patch
            ph, pw = src.shape[:2]
            x = min(max(x + round(sum(s[0] for s in shift)), 0), frame.shape[1] - pw)
            y = min(max(y + round(sum(s[1] for s in shift)), 0), frame.shape[0] - ph)
            frame[y : y + ph, x : x + pw] = src
        else:  # a face lit by the sim screen link does not translate (the screen's light is the test there)
            face.draw(frame, t, level, patch)
        gain = 1.0 + sum(m.change * a for m, a in active if m.kind == "brightness")
        if gain != 1.0:
            cv2.convertScaleAbs(frame, frame, alpha=gain)
