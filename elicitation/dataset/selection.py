"""Which coded movements are micro-expressions: the CASME paper's rule, with the reason for each sample.

The paper (section II): selected are movements whose total duration (onset -> offset) is at most
500 ms, and also longer ones whose onset duration (onset -> apex) is at most 250 ms ("fast-onset").
Durations are differences of the frames' times (host_time on the one clock, or frame / fps for an
imported sheet), never frame counts. DURATION_CONVENTION fixes what a duration is: with
ADD_FRAME_PERIOD False it is time(last) - time(first), the time between the two frames' exposures; set
it True to count the last frame's own period too (frame count x period, as some sheets do).
A duration is rounded to the microsecond (DURATION_DECIMALS = 3 decimals of a ms) before a limit is
compared, so a span of exactly the limit passes: an imported sheet's times are frame / fps, and at 200
fps onset 114, offset 214 would otherwise be 500.0000000000001 ms (about 2.4 % of exact-limit spans at 200
fps fail that way); at 60 fps onset 16, apex 31 would be 250.00000000000003 ms. host_time durations are
rounded the same way (the clock's frames.tsv times have microsecond resolution).
Excluded, with the reason: kind irrelevant (coded so, with its review category), movements the
participant flagged and confirmed as irrelevant, and samples without the times a rule needs.
A ``dataset build`` (export of the selected clips) calls :func:`select` and uses ``selected``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from elicitation.dataset.samples import Sample

ADD_FRAME_PERIOD = False
DURATION_DECIMALS = 3  # of a millisecond: durations to the microsecond
DURATION_CONVENTION = (
    "time(offset) - time(onset) + one frame period" if ADD_FRAME_PERIOD else "time(offset) - time(onset)"
) + ", in ms rounded to the microsecond (3 decimals) before a limit is compared (exactly the limit passes)"
TOTAL = "total"  # arm names, as written in stats.json
FAST_ONSET = "fast-onset"


@dataclass(frozen=True)
class Limits:
    total_ms: float = 500.0
    onset_ms: float = 250.0


@dataclass(frozen=True)
class Selected:
    sample: Sample
    arm: str  # TOTAL or FAST_ONSET
    total_ms: float
    onset_ms: float | None


@dataclass(frozen=True)
class Excluded:
    sample: Sample
    reason: str


@dataclass
class Selection:
    limits: Limits
    selected: list[Selected] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)


def _ms(start: float, end: float, period: float | None) -> float:
    extra = (period or 0.0) if ADD_FRAME_PERIOD else 0.0
    return round((end - start + extra) * 1000.0, DURATION_DECIMALS)


def total_ms(sample: Sample) -> float:
    return _ms(sample.onset_s, sample.offset_s, sample.frame_period_s)


def onset_ms(sample: Sample) -> float | None:
    return None if sample.apex_s is None else _ms(sample.onset_s, sample.apex_s, sample.frame_period_s)


def judge(sample: Sample, limits: Limits) -> Selected | Excluded:
    if sample.kind == "irrelevant":
        return Excluded(sample, f"coded irrelevant ({sample.category or 'no category'})")
    if sample.flag:
        return Excluded(sample, sample.flag)
    total, onset = total_ms(sample), onset_ms(sample)
    if total <= limits.total_ms:
        return Selected(sample, TOTAL, total, onset)
    if onset is None:
        return Excluded(sample, f"total {total:.1f} ms > {limits.total_ms:g} ms and no apex for the fast-onset rule")
    if onset <= limits.onset_ms:
        return Selected(sample, FAST_ONSET, total, onset)
    return Excluded(
        sample, f"total {total:.1f} ms > {limits.total_ms:g} ms and onset {onset:.1f} ms > {limits.onset_ms:g} ms"
    )


def select(samples: list[Sample], limits: Limits | None = None) -> Selection:
    limits = limits or Limits()
    selection = Selection(limits)
    for sample in samples:
        verdict = judge(sample, limits)
        (selection.selected if isinstance(verdict, Selected) else selection.excluded).append(verdict)  # type: ignore[arg-type]
    return selection
