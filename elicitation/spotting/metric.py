"""The MEGC spotting metric (micro-expression grand challenge, 2019 on), exactly:

- a spotted interval is a true positive (TP) when its IoU with a coded interval is >= 0.5 (exactly 0.5
  counts), otherwise a false positive (FP); a coded interval no spotted one matched is a false negative (FN);
- IoU of inclusive frame intervals [onset, offset]: |A n B| / |A u B| in frames (elicitation.coding.iou);
- one-to-one: greedy by highest IoU first (ties: earlier coded onset, then earlier spotted onset), each
  interval used at most once, the same rule as the coders' agreement (elicitation.coding.agreement);
- TP, FP and FN are summed over all videos first; precision = TP / (TP + FP), recall = TP / (TP + FN),
  F1 = 2 P R / (P + R) from those sums (never a mean of per-video scores); 0 where a denominator is 0.
- micro and macro are evaluated separately: spotted intervals of a kind against coded intervals of that
  kind. **overall** is MEGC's: the sum of the micro and macro counts (the MEGC 2020 baseline's overall row:
  6558 = 5035 + 1523 predictions, 130 = 21 + 109 TP, 357 = 57 + 300 labels), so a spotted interval of the
  wrong kind is a FP (in its kind) and the coded interval it lies on a FN (in its kind).
- **type_blind**: all spotted against all coded, kinds ignored. Not MEGC's overall; only under this name.

A video is one (session, episode file, camera). The per-video log prints, for each video, its counts and
each match, then the pooled sums and scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from elicitation.coding import IOU_THRESHOLD, iou

KINDS = ("micro", "macro")


@dataclass(frozen=True)
class Interval:
    onset: int  # inclusive frame indices
    offset: int
    kind: str = "micro"
    label: str = ""  # an id for the log (event id, candidate number)

    def span(self) -> tuple[int, int]:
        return self.onset, self.offset


@dataclass(frozen=True)
class Match:
    spotted: Interval
    coded: Interval
    iou: float


@dataclass
class VideoResult:
    video: str
    tp: int
    fp: int
    fn: int
    matches: list[Match] = field(default_factory=list)
    false_positives: list[Interval] = field(default_factory=list)
    missed: list[Interval] = field(default_factory=list)


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}  # fmt: skip


@dataclass
class Evaluation:
    videos: list[VideoResult]

    @property
    def pooled(self) -> Scores:
        return Scores(sum(v.tp for v in self.videos), sum(v.fp for v in self.videos), sum(v.fn for v in self.videos))


def match_video(video: str, spotted: Iterable[Interval], coded: Iterable[Interval],
                threshold: float = IOU_THRESHOLD) -> VideoResult:  # fmt: skip
    """One video's TP, FP and FN under the one-to-one MEGC rule."""
    spots, codes = sorted(spotted, key=Interval.span), sorted(coded, key=Interval.span)
    pairs = [(iou(s.span(), c.span()), j, i) for i, s in enumerate(spots) for j, c in enumerate(codes)]
    pairs = [p for p in pairs if p[0] >= threshold]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_s: set[int] = set()
    used_c: set[int] = set()
    matches = []
    for value, j, i in pairs:
        if i in used_s or j in used_c:
            continue
        used_s.add(i)
        used_c.add(j)
        matches.append(Match(spots[i], codes[j], value))
    matches.sort(key=lambda m: m.coded.span())
    fps = [s for i, s in enumerate(spots) if i not in used_s]
    missed = [c for j, c in enumerate(codes) if j not in used_c]
    return VideoResult(video, len(matches), len(fps), len(missed), matches, fps, missed)


def evaluate(videos: Mapping[str, tuple[list[Interval], list[Interval]]], kind: str | None = None) -> Evaluation:
    """videos: name -> (spotted, coded). kind micro or macro keeps only that kind on both sides; None: every
    kind (type_blind)."""
    results = []
    for name in sorted(videos):
        spotted, coded = videos[name]
        if kind is not None:
            spotted = [s for s in spotted if s.kind == kind]
            coded = [c for c in coded if c.kind == kind]
        results.append(match_video(name, spotted, coded))
    return Evaluation(results)


def overall(micro: Evaluation, macro: Evaluation) -> Evaluation:
    """MEGC's overall: every video's micro and macro results side by side, so the pooled counts are their sums."""
    return Evaluation([replace(v, video=f"{v.video} [{kind}]") for kind, e in (("micro", micro), ("macro", macro))
                       for v in e.videos])  # fmt: skip


def evaluate_all(videos: Mapping[str, tuple[list[Interval], list[Interval]]]) -> dict[str, Evaluation]:
    """micro, macro, overall (micro + macro counts, MEGC) and type_blind (kinds ignored), each pooled."""
    micro, macro = evaluate(videos, "micro"), evaluate(videos, "macro")
    return {"micro": micro, "macro": macro, "overall": overall(micro, macro), "type_blind": evaluate(videos)}


def _interval(iv: Interval) -> str:
    return f"[{iv.onset}, {iv.offset}]" + (f" {iv.label}" if iv.label else "")


def log_lines(evaluation: Evaluation, title: str = "") -> list[str]:
    """The per-video log, then the pooled line (the sums the scores come from)."""
    lines = [f"== {title}"] if title else []
    for v in evaluation.videos:
        lines.append(f"video {v.video}: TP {v.tp} FP {v.fp} FN {v.fn}")
        lines += [f"  TP spotted {_interval(m.spotted)} ~ coded {_interval(m.coded)} IoU {m.iou:.3f}"
                  for m in v.matches]  # fmt: skip
        lines += [f"  FP spotted {_interval(s)}" for s in v.false_positives]
        lines += [f"  FN coded {_interval(c)}" for c in v.missed]
    s = evaluation.pooled
    lines.append(f"pooled over {len(evaluation.videos)} videos: TP {s.tp} FP {s.fp} FN {s.fn} "
                 f"precision {s.precision:.4f} recall {s.recall:.4f} F1 {s.f1:.4f}")  # fmt: skip
    return lines
