"""Stimulus manifests: which clips a protocol shows, what each should be, where the lab keeps them.

```yaml
name: casme
directory: casme              # where the clips are, relative to this file (or absolute)
clips:
  ep01:
    file: ep01.mp4
    main_emotions:            # metadata for analysis; never shown to the participant
      - {emotion: amusement, selection_rate: 0.69, mean_score: 3.27}
    duration_s: [50, 270]     # expected duration range
    sha256: null              # optional: refuse any other file
    width: 1280               # optional: expected frame size and rate
    height: 720
    fps: 25
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hardware.strict_yaml import Checker, ConfigError, Field, load_yaml, non_negative, positive

_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")  # every ID pattern is used with fullmatch:
_SHA = re.compile(r"[0-9a-f]{64}")  # "$" would allow a final newline

MANIFEST_FIELDS = {
    "name": Field(str, required=True),
    "description": Field(str, default=""),
    "directory": Field(str, required=True),
    "clips": Field(dict, required=True),
}


def _range(value: Any) -> str | None:
    ok = (
        len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        and 0 < value[0] <= value[1]
    )
    return None if ok else f"must be [min, max] seconds with 0 < min <= max, got {value!r}"


def _sha(value: Any) -> str | None:
    return None if _SHA.fullmatch(value) else "must be 64 lower-case hex digits"


CLIP_FIELDS = {
    "file": Field(str, required=True),
    "main_emotions": Field(list, required=True, doc="[] when no single emotion dominates"),
    "duration_s": Field(list, required=True, check=_range),
    "sha256": Field(str, check=_sha),
    "width": Field(int, check=positive),
    "height": Field(int, check=positive),
    "fps": Field(float, check=positive),
    "label": Field(str, default="", doc="text burned into a generated demo clip"),
    "note": Field(str, default=""),
}

EMOTION_FIELDS = {
    "emotion": Field(str, required=True),
    "selection_rate": Field(float, check=non_negative),
    "mean_score": Field(float, check=non_negative),
}


@dataclass(frozen=True)
class Clip:
    id: str
    path: Path
    duration_range: tuple[float, float]
    main_emotions: tuple[dict[str, Any], ...] = ()
    sha256: str | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    label: str = ""
    note: str = ""

    def metadata(self) -> dict[str, Any]:
        """What session.json records about the clip (never shown on screen)."""
        return {
            "clip": self.id,
            "file": self.path.name,
            "main_emotions": [dict(e) for e in self.main_emotions],
            "expected_duration_s": list(self.duration_range),
        }


@dataclass
class Manifest:
    name: str
    path: Path
    directory: Path
    clips: dict[str, Clip] = field(default_factory=dict)
    description: str = ""


def load_manifest(path: str | Path) -> Manifest:
    path = Path(path)
    data = load_yaml(path)
    check = Checker(path)
    top = check.mapping(data, MANIFEST_FIELDS, "manifest")
    directory = Path(top["directory"] or ".")
    if not directory.is_absolute():
        directory = path.parent / directory
    clips: dict[str, Clip] = {}
    raw = top["clips"] if isinstance(top["clips"], dict) else {}
    for clip_id, entry in raw.items():
        line = getattr(raw, "key_lines", {}).get(clip_id, 0)
        if not _ID.fullmatch(str(clip_id)):
            check.fail(line, f"clip id '{clip_id}' must be letters, digits, _ or - (at most 32)")
            continue
        values = check.mapping(entry, CLIP_FIELDS, f"clips.{clip_id}", line)
        emotions = []
        for item in values["main_emotions"] or []:
            item_line = getattr(values["main_emotions"], "line", line)
            emotions.append(check.mapping(item, EMOTION_FIELDS, f"clips.{clip_id}.main_emotions", item_line))
        if check.errors:
            continue
        file = Path(values["file"])
        if file.is_absolute() or ".." in file.parts:
            check.fail(line, f"clips.{clip_id}.file must be a name inside '{top['directory']}'")
            continue
        lo, hi = values["duration_s"]
        clips[str(clip_id)] = Clip(
            id=str(clip_id),
            path=directory / file,
            duration_range=(float(lo), float(hi)),
            main_emotions=tuple(emotions),
            sha256=values["sha256"],
            width=values["width"],
            height=values["height"],
            fps=values["fps"],
            label=values["label"] or "",
            note=values["note"] or "",
        )
    if isinstance(top["clips"], dict) and not top["clips"]:
        check.fail(getattr(data, "line", 1), "manifest: 'clips' lists no clip")
    check.raise_if_errors()
    return Manifest(
        name=top["name"], path=path, directory=directory, clips=clips, description=top["description"]
    )


__all__ = ["Clip", "ConfigError", "Manifest", "load_manifest"]
