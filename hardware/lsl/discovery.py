"""Which LSL streams the network shows: for ``elicit lsl list`` and the preflight."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from hardware.lsl.config import StreamRequest
from hardware.lsl.liblsl import pylsl

FORMATS = {1: "float32", 2: "double64", 3: "string", 4: "int32", 5: "int16", 6: "int8", 7: "int64"}


@dataclass(frozen=True)
class StreamSummary:
    name: str
    type: str
    channels: int
    nominal_srate: float  # 0: irregular
    channel_format: str
    source_id: str
    hostname: str
    uid: str

    @classmethod
    def of(cls, info: Any) -> StreamSummary:
        return cls(info.name(), info.type(), info.channel_count(), info.nominal_srate(),
                   FORMATS.get(info.channel_format(), str(info.channel_format())), info.source_id(),
                   info.hostname(), info.uid())  # fmt: skip

    def rate_text(self) -> str:
        return "irregular" if self.nominal_srate == 0 else f"{self.nominal_srate:g} Hz"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_streams(wait_s: float = 1.0) -> list[StreamSummary]:
    """Every stream visible within `wait_s`, sorted by name then host."""
    found = [StreamSummary.of(info) for info in pylsl().resolve_streams(wait_time=wait_s)]
    return sorted(found, key=lambda s: (s.name, s.hostname, s.source_id))


def predicate(request: StreamRequest) -> str:
    """An XPath predicate for liblsl's resolver (quotes in a name cannot occur: the rig refuses them)."""
    pred = f"name='{request.name}'"
    return pred + (f" and type='{request.type}'" if request.type else "")


def find_stream(request: StreamRequest, timeout_s: float = 2.0) -> list[Any]:
    """The StreamInfos matching a request (waits up to `timeout_s` for the first)."""
    return list(pylsl().resolve_bypred(predicate(request), 1, timeout_s))
