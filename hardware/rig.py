"""Rig files: which cameras a lab has, their backend and settings.

```yaml
name: sim
validation: {max_dropped: 0}      # optional, see hardware/thresholds.py
cameras:
  gras:                           # file-safe name: lower-case letters, digits, _
    backend: sim                  # sim | genicam | pyspin | iidc | uvc
    width: 640
    height: 480
    pixel_format: mono8           # mono8 | bgr24 | bayer_rggb8 ... | mjpeg
    fps: 60
    framing: {min_face_share: 0.2}  # optional: this camera's framing thresholds (hardware/vision/framing.py)
    class: B                      # optional: the dataset class (the paper's Class A/B); default the camera name
    reference: true               # optional, at most one camera: the one each movement is counted on
    # backend-specific keys follow, e.g. for sim: drop_frames, jitter_ms, drift_ppm ...
lsl: {markers: true, cameras: true}   # optional, see hardware/lsl/config.py (off by default)
```
Unknown keys, wrong types and missing fields are refused with file, line and key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from hardware.cameras import BACKENDS, CameraSettings, backend_module
from hardware.cameras.base import PIXEL_FORMATS, BackendUnavailable
from hardware.lsl import LslConfig, parse_lsl
from hardware.strict_yaml import Checker, ConfigError, Field, load_yaml, positive
from hardware.thresholds import THRESHOLD_FIELDS, Thresholds
from hardware.vision import THRESHOLD_FIELDS as FRAMING_FIELDS

RIGS_DIR = Path(__file__).parent / "rigs"
_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")  # fullmatch: "$" would allow a final newline

RIG_FIELDS = {
    "name": Field(str, required=True),
    "description": Field(str, default=""),
    "cameras": Field(dict, required=True),
    "validation": Field(dict, default=None),
    "lsl": Field(dict, default=None),  # hardware/lsl/config.py: streams sent and recorded (off by default)
}

CAMERA_FIELDS = {
    "backend": Field(str, required=True, choices=tuple(BACKENDS)),
    "width": Field(int, required=True, check=positive),
    "height": Field(int, required=True, check=positive),
    "pixel_format": Field(str, required=True, choices=tuple(PIXEL_FORMATS)),
    "fps": Field(float, required=True, check=positive),
    "validation": Field(dict, default=None),
    "framing": Field(dict, default=None),
    "description": Field(str, default=""),
    "class": Field(str, default=""),
    "reference": Field(bool, default=False),  # the camera each movement is counted on (elicitation.coding.counting)
}
_CLASS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")  # it names the dataset's top folders


@dataclass
class Rig:
    name: str
    path: Path
    cameras: dict[str, CameraSettings]
    thresholds: dict[str, Thresholds] = field(default_factory=dict)
    description: str = ""
    framing: dict[str, dict[str, float]] = field(default_factory=dict)  # camera -> its framing thresholds set
    lsl: LslConfig = field(default_factory=LslConfig)

    def camera_names(self) -> list[str]:
        return list(self.cameras)


def resolve_rig_path(rig: str | Path) -> Path:
    """A path to a YAML file, or the bare name of a rig shipped in hardware/rigs/."""
    path = Path(rig)
    if path.exists() or path.suffix in (".yaml", ".yml"):
        return path
    shipped = RIGS_DIR / f"{rig}.yaml"
    return shipped if shipped.exists() else path


def load_rig(rig: str | Path) -> Rig:
    path = resolve_rig_path(rig)
    data = load_yaml(path)
    check = Checker(path)
    top = check.mapping(data, RIG_FIELDS, "rig")
    base_thresholds = Thresholds().updated(
        check.mapping(top["validation"], THRESHOLD_FIELDS, "validation") if top["validation"] else {}
    )
    cameras: dict[str, CameraSettings] = {}
    thresholds: dict[str, Thresholds] = {}
    framing: dict[str, dict[str, float]] = {}
    raw_cameras = top["cameras"] or {}
    if isinstance(raw_cameras, dict) and not raw_cameras:
        check.fail(getattr(data, "line", 1), "rig: 'cameras' lists no camera")
    for cam_name, cam_data in raw_cameras.items() if isinstance(raw_cameras, dict) else []:
        line = getattr(raw_cameras, "key_lines", {}).get(cam_name, 0)
        if not _NAME.fullmatch(str(cam_name)):
            check.fail(
                line, f"camera name '{cam_name}' must be lower-case letters, digits and _ (it names files)"
            )
            continue
        schema = dict(CAMERA_FIELDS)
        backend_name = cam_data.get("backend") if isinstance(cam_data, dict) else None
        if backend_name in BACKENDS:
            try:
                schema.update(backend_module(backend_name).OPTIONS)
            except BackendUnavailable as exc:
                check.fail(line, f"camera '{cam_name}': {exc}")
        values = check.mapping(cam_data, schema, f"cameras.{cam_name}", line)
        if values["class"] and not _CLASS.fullmatch(values["class"]):
            where = getattr(cam_data, "key_lines", {}).get("class", line)
            check.fail(where, f"cameras.{cam_name}.class: {values['class']!r} must be letters, digits, _ or -")
        if check.errors:
            continue
        options = {k: v for k, v in values.items() if k not in CAMERA_FIELDS}
        cameras[cam_name] = CameraSettings(
            name=cam_name,
            backend=values["backend"],
            width=values["width"],
            height=values["height"],
            pixel_format=values["pixel_format"],
            fps=values["fps"],
            options=options,
            dataset_class=values["class"] or cam_name,
            reference=values["reference"],
        )
        if values["framing"]:
            checked = check.mapping(values["framing"], FRAMING_FIELDS, f"cameras.{cam_name}.framing", line)
            framing[cam_name] = {k: checked[k] for k in values["framing"] if k in FRAMING_FIELDS}
        own = values["validation"]
        thresholds[cam_name] = base_thresholds.updated(
            check.mapping(own, THRESHOLD_FIELDS, f"cameras.{cam_name}.validation") if own else {}
        )
    lsl = parse_lsl(check, top["lsl"], getattr(data, "key_lines", {}).get("lsl", 0))
    marked = [name for name, settings in cameras.items() if settings.reference]
    if len(marked) > 1:
        check.fail(getattr(data, "line", 1), f"rig: reference: true on {', '.join(marked)}; at most one camera")
    check.raise_if_errors()
    return Rig(
        name=top["name"], path=path, cameras=cameras, thresholds=thresholds, description=top["description"],
        framing=framing,
        lsl=lsl,
    )


__all__ = ["ConfigError", "Rig", "load_rig", "resolve_rig_path", "RIGS_DIR"]
