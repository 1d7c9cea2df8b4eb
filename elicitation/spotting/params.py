"""Spotting parameters: durations in seconds, turned into frames from the camera's fps (never hard-coded frames).

At 60 fps: k 9 frames, micro-expressions up to 30 frames; at 200 fps (a CASME II-like camera) k 30 and
up to 100 frames. ``Parameters.from_fps(fps, **overrides)`` accepts any field by name.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from elicitation.folder import BadInput

FLOW_METHODS = ("farneback", "dis")


@dataclass(frozen=True)
class Seconds:
    """The durations the frame parameters come from."""

    k_s: float = 0.15  # the compared frames are k apart: about half a micro-expression
    detect_every_s: float = 0.25  # face detection this often; tracked by the head's flow in between
    max_micro_s: float = 0.5  # longer candidates are macro (the CASME definition of a micro-expression)
    max_s: float = 4.0  # the longest candidate looked for (macro-expressions up to 4 s)
    min_s: float = 0.1  # shorter candidates are dropped
    separation_s: float = 0.25  # two peaks closer than this are one candidate (the higher)


@dataclass(frozen=True)
class Parameters:
    fps: float
    k: int
    detect_every: int
    max_micro: int
    max_frames: int
    min_frames: int
    separation: int
    grid: int = 6  # the face is cut into grid x grid blocks (MEGC baseline MDMD: 6x6)
    face_size: int = 144  # the face box is resized to face_size x face_size pixels before the flow
    top_blocks: int = 4  # the feature is the mean of the strongest blocks' movement
    min_flow: float = 0.25  # pixels (of face_size): weaker peaks are not candidates
    noise_factor: float = 5.0  # ... nor peaks below noise_factor x the episode's median feature
    extent: float = 0.15  # onset and offset: where the displacement falls below this share of the apex's
    flow: str = "farneback"  # or DIS (medium preset): cheaper, but it missed 3 of 20 weak movements at 720p

    @classmethod
    def from_fps(cls, fps: float, seconds: Seconds | None = None, **overrides: Any) -> Parameters:
        if not fps or fps <= 0:
            raise BadInput(f"spotting needs the camera's fps, got {fps!r}")
        s = seconds or Seconds()

        def frames(value: float) -> int:
            return max(1, round(value * fps))

        params = cls(fps=float(fps), k=frames(s.k_s), detect_every=frames(s.detect_every_s),
                     max_micro=frames(s.max_micro_s), max_frames=frames(s.max_s), min_frames=frames(s.min_s),
                     separation=frames(s.separation_s))  # fmt: skip
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise BadInput(f"unknown spotting parameter(s): {', '.join(sorted(unknown))}")
        params = replace(params, **overrides)
        if params.flow not in FLOW_METHODS:
            raise BadInput(f"flow must be one of {', '.join(FLOW_METHODS)}, got {params.flow!r}")
        if params.grid < 2 or params.face_size < params.grid * 8:
            raise BadInput(f"grid {params.grid} and face_size {params.face_size}: need grid >= 2, blocks >= 8 px")
        return params

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
