"""The ``lsl:`` block of a rig file: which Lab Streaming Layer streams a session sends and records.

```yaml
lsl:                          # optional; without it (the default) nothing is sent or recorded
  markers: true               # <prefix>_markers: every events.tsv row and recorder marker
  cameras: true               # <prefix>_<camera>: one sample per frame written
  name_prefix: casme          # stream names and source ids derive from it (stable across a resume)
  stall_s: 2.0                # a recorded stream silent this long has stopped (regular-rate streams)
  record:                     # other devices' streams, into <session>/lsl/<name>.tsv
    - {name: BioSemi, type: EEG, required: true}
    - {name: Tobii, type: Gaze, required: false}
```
Unknown keys, wrong types and missing fields are refused with file, line and key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hardware.lsl.outlets import CameraStreamSpec, MarkerOutlet
from hardware.strict_yaml import Checker, Field, positive

_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")
_STREAM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # names a file: no slash, no leading dot

LSL_FIELDS = {
    "markers": Field(bool, default=False),
    "cameras": Field(bool, default=False),
    "name_prefix": Field(str, default="casme"),
    "stall_s": Field(float, default=2.0, check=positive),
    "record": Field(list, default=[]),
}

RECORD_FIELDS = {
    "name": Field(str, required=True),
    "type": Field(str, default=""),
    "required": Field(bool, default=True),
}


@dataclass(frozen=True)
class StreamRequest:
    """A stream of another device to record: found by name (and type, when given)."""

    name: str
    type: str = ""
    required: bool = True

    def describe(self) -> str:
        return f"'{self.name}'" + (f" (type {self.type})" if self.type else "")


@dataclass(frozen=True)
class LslConfig:
    markers: bool = False
    cameras: bool = False
    name_prefix: str = "casme"
    stall_s: float = 2.0
    record: tuple[StreamRequest, ...] = field(default_factory=tuple)

    @property
    def enabled(self) -> bool:
        return self.markers or self.cameras or bool(self.record)

    @property
    def marker_stream(self) -> str:
        return f"{self.name_prefix}_markers"

    def camera_stream(self, camera: str) -> str:
        return f"{self.name_prefix}_{camera}"

    def source_id(self, stream: str) -> str:
        """Derived from the name only, so a resumed session's outlets are the same source to LabRecorder."""
        return f"casme-elicitation:{stream}"

    def camera_spec(self, camera: str, fps: float) -> CameraStreamSpec | None:
        """The camera's frame stream (None when ``cameras`` is off)."""
        name = self.camera_stream(camera)
        return CameraStreamSpec(name, self.source_id(name), camera, fps) if self.cameras else None

    def open_marker_outlet(self) -> MarkerOutlet | None:
        """The marker stream (None when ``markers`` is off); it is on the network from here on."""
        return MarkerOutlet(self.marker_stream, self.source_id(self.marker_stream)) if self.markers else None


def parse_lsl(check: Checker, data: Any, line: int = 0) -> LslConfig:
    """The rig's ``lsl`` mapping (None: all off); problems go to `check`."""
    if data is None:
        return LslConfig()
    values = check.mapping(data, LSL_FIELDS, "lsl", line)
    if not _PREFIX.fullmatch(values["name_prefix"]):
        check.fail(line, f"'lsl.name_prefix' must be a letter then letters, digits, _ or -, got "
                         f"{values['name_prefix']!r}")  # fmt: skip
    requests: list[StreamRequest] = []
    for i, entry in enumerate(values["record"] or []):
        where = f"lsl.record[{i}]"
        item = check.mapping(entry, RECORD_FIELDS, where, getattr(values["record"], "line", line))
        name = item["name"]
        if not isinstance(name, str):
            continue
        if not _STREAM.fullmatch(name):
            check.fail(getattr(entry, "line", line), f"'{where}.name' {name!r} must be letters, digits, _ . - "
                       "(it names the file lsl/<name>.tsv)")  # fmt: skip
        elif any(r.name == name for r in requests):
            check.fail(getattr(entry, "line", line), f"'{where}.name' {name!r} is listed twice")
        else:
            requests.append(StreamRequest(name, item["type"] or "", bool(item["required"])))
    return LslConfig(bool(values["markers"]), bool(values["cameras"]), values["name_prefix"],
                     float(values["stall_s"]), tuple(requests))  # fmt: skip
