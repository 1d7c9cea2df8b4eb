"""Framing checks on a camera picture: is there a face, is it centred and large enough, lit, in focus.

``check_framing(frame, thresholds, reference_focus)`` runs on a (preview) frame; every measure is
taken on the face box, in pixels of the frame it was given, so it works at any preview size:

- ``face``     a face is found (hardware.vision.detect),
- ``size``     the face box's height over the frame's height >= min_face_share. CASME II's faces are
               about 280x340 px in 640x480; a detector boxes the inner face (brows to chin), about
               0.4 of the frame height there; 0.3 leaves room for a participant sitting a little back,
- ``centred``  the box centre within max_offset_share of the frame centre (of width and of height),
- ``light``    the face's mean grey in [min_mean, max_mean], at most max_clipped_share of its pixels
               clipped (>= CLIPPED) and at most max_crushed_share crushed (<= CRUSHED), taken on the
               box's central LIGHT_INNER (of its width and height): the skin. The box's edges hold hair and
               background, which on real faces crushed 4-15 % of the whole box while its centre had
               under 1 % (WolfgangLanger_Pexels.mp4, bench/real_faces.py),
- ``focus``    variance of the Laplacian on the face >= min_focus_ratio x the value taken at check-in
               (reference_focus), or >= min_focus when there is no reference yet.

Thresholds are a FramingThresholds; the protocol's ``framing:`` section and a rig camera's ``framing:``
override its defaults (elicitation/protocol/schema.py builds its keys from these fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from hardware.strict_yaml import Field, non_negative
from hardware.vision.detect import Box, detect_face, to_gray

CLIPPED = 250  # grey levels at or above: clipped highlights
CRUSHED = 5  # at or below: crushed shadows
LIGHT_INNER = 0.6  # the light is measured on this central share of the face box (width and height)
CHECKS = ("face", "size", "centred", "light", "focus")


@dataclass(frozen=True)
class FramingThresholds:
    min_face_share: float = 0.3  # face box height / frame height
    max_offset_share: float = 0.15  # |box centre - frame centre| / frame size, each axis
    min_mean: float = 60.0  # mean grey on the face, 0-255
    max_mean: float = 200.0
    max_clipped_share: float = 0.02  # share of face pixels >= CLIPPED
    max_crushed_share: float = 0.02  # share of face pixels <= CRUSHED
    min_focus_ratio: float = 0.5  # focus / focus at check-in
    min_focus: float = 20.0  # variance of the Laplacian, when there is no check-in value

    def updated(self, values: dict[str, Any]) -> FramingThresholds:
        known = {f.name for f in fields(self)}
        return replace(self, **{k: float(v) for k, v in values.items() if k in known and v is not None})


THRESHOLD_FIELDS = {f.name: Field(float, default=f.default, check=non_negative) for f in fields(FramingThresholds)}


@dataclass(frozen=True)
class Check:
    ok: bool
    value: float | None
    text: str


@dataclass(frozen=True)
class Framing:
    face: Box | None
    mean_light: float | None
    clipped_share: float | None
    crushed_share: float | None
    focus: float | None
    checks: dict[str, Check] = field(default_factory=dict)
    width: int = 0  # of the frame the box is in
    height: int = 0

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks.values())

    @property
    def failed(self) -> list[str]:
        return [name for name, c in self.checks.items() if not c.ok]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (session.json, the dashboard)."""
        box = None if self.face is None else {"x": self.face.x, "y": self.face.y, "w": self.face.w, "h": self.face.h}
        return {
            "ok": self.ok, "face": box, "width": self.width, "height": self.height,
            "mean_light": self.mean_light, "clipped_share": self.clipped_share,
            "crushed_share": self.crushed_share, "focus": self.focus,
            "checks": {n: {"ok": c.ok, "value": c.value, "text": c.text} for n, c in self.checks.items()},
        }


def focus_measure(gray: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian (sharper picture, larger value)."""
    g = gray.astype(np.float32)
    lap = g[1:-1, :-2] + g[1:-1, 2:] + g[:-2, 1:-1] + g[2:, 1:-1] - 4 * g[1:-1, 1:-1]
    return float(lap.var()) if lap.size else 0.0


def check_framing(
    frame: np.ndarray, thresholds: FramingThresholds | None = None, reference_focus: float | None = None
) -> Framing:
    t = thresholds or FramingThresholds()
    gray = to_gray(frame)
    height, width = gray.shape[:2]
    box = detect_face(gray)
    if box is None:
        missing = Check(False, None, "no face")
        checks = {"face": Check(False, 0.0, "no face found")} | {n: missing for n in CHECKS[1:]}
        return Framing(None, None, None, None, None, checks, width, height)
    face = gray[box.y : box.y + box.h, box.x : box.x + box.w]
    share = box.h / height
    cx, cy = box.centre
    offset = max(abs(cx - width / 2) / width, abs(cy - height / 2) / height)
    skin = _inner(face, LIGHT_INNER)
    mean = float(skin.mean())
    clipped = float((skin >= CLIPPED).mean())
    crushed = float((skin <= CRUSHED).mean())
    focus = focus_measure(face)
    checks = {
        "face": Check(True, 1.0, f"face {box.w}x{box.h} px"),
        "size": Check(share >= t.min_face_share, share,
                      f"face {share:.0%} of the height (at least {t.min_face_share:.0%})"),
        "centred": Check(offset <= t.max_offset_share, offset,
                         f"centre {offset:.0%} off (at most {t.max_offset_share:.0%})"),
        "light": _light(mean, clipped, crushed, t),
        "focus": _focus(focus, reference_focus, t),
    }
    return Framing(box, mean, clipped, crushed, focus, checks, width, height)


def _inner(face: np.ndarray, share: float) -> np.ndarray:
    h, w = face.shape[:2]
    dy, dx = round(h * (1 - share) / 2), round(w * (1 - share) / 2)
    return face[dy : h - dy, dx : w - dx] if h - 2 * dy > 0 and w - 2 * dx > 0 else face


def _light(mean: float, clipped: float, crushed: float, t: FramingThresholds) -> Check:
    problems = []
    if mean < t.min_mean:
        problems.append(f"too dark (mean {mean:.0f} < {t.min_mean:.0f})")
    if mean > t.max_mean:
        problems.append(f"too bright (mean {mean:.0f} > {t.max_mean:.0f})")
    if clipped > t.max_clipped_share:
        problems.append(f"{clipped:.1%} clipped (at most {t.max_clipped_share:.1%})")
    if crushed > t.max_crushed_share:
        problems.append(f"{crushed:.1%} crushed (at most {t.max_crushed_share:.1%})")
    text = "; ".join(problems) or f"mean {mean:.0f}, {clipped:.1%} clipped, {crushed:.1%} crushed"
    return Check(not problems, mean, text)


def _focus(focus: float, reference: float | None, t: FramingThresholds) -> Check:
    if reference:
        ratio = focus / reference
        return Check(ratio >= t.min_focus_ratio, focus,
                     f"focus {focus:.0f}, {ratio:.0%} of check-in {reference:.0f} (at least {t.min_focus_ratio:.0%})")
    return Check(focus >= t.min_focus, focus, f"focus {focus:.0f} (at least {t.min_focus:.0f}; no check-in value)")
