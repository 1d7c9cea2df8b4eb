"""Two coders' codes of a session, side by side: the episodes both marked done, their agreement, the
reference camera, and the arbitration proposals (elicitation.coding does the arithmetic).

Only episodes *both* coders marked done enter agreement and arbitration: until then a coder may still
change their codes, and neither may see the other's (the independence rule).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from elicitation.coding import (
    CodingError,
    Event,
    Proposal,
    agreement,
    check_coder,
    coding_path,
    proposals,
    replay,
    write_agreement,
)
from elicitation.workbench.sessions import Session


@dataclass
class PairOfCoders:
    coders: tuple[str, str]
    first: list[Event]
    second: list[Event]
    done: list[str]  # episodes both marked done
    pending: dict[str, list[str]]  # episode -> coders who have not marked it done yet
    camera: str


def pair(session: Session, coder_1: str, coder_2: str, camera: str | None = None) -> PairOfCoders:
    c1, c2 = check_coder(coder_1), check_coder(coder_2)
    if c1 == c2:
        raise CodingError(f"coder {c1} given twice: agreement needs two different coders")
    replays = []
    for coder in (c1, c2):
        path = coding_path(session.path, coder)
        if not path.is_file():
            known = (
                sorted(p.stem for p in path.parent.glob("*.tsv") if p.stem != "final") if path.parent.is_dir() else []
            )
            raise CodingError(
                f"unknown coder {coder}: {session.name} has no {path.name} (coders: {', '.join(known) or 'none'})"
            )
        replays.append(replay(path))
    r1, r2 = replays
    done = sorted(r1.done & r2.done)
    every = {e.episode for e in [*r1.events.values(), *r2.events.values()]} | r1.done | r2.done
    pending = {ep: [c for c, r in ((c1, r1), (c2, r2)) if ep not in r.done] for ep in sorted(every - set(done))}
    first = [e for e in r1.events.values() if e.episode in done]
    second = [e for e in r2.events.values() if e.episode in done]
    if camera is None:
        counts = Counter(e.camera for e in [*first, *second])
        camera = counts.most_common(1)[0][0] if counts else session.cameras[0]
    elif camera not in session.tables:
        raise CodingError(f"camera {camera!r} is not in {session.name} ({', '.join(session.cameras)})")
    return PairOfCoders((c1, c2), first, second, done, pending, camera)


def report(session: Session, p: PairOfCoders) -> dict[str, Any]:
    out = agreement(p.first, p.second, p.camera)
    out["session"] = session.name
    out["coders"] = {"coder_1": p.coders[0], "coder_2": p.coders[1]}
    out["episodes_done_by_both"] = p.done
    out["episodes_pending"] = p.pending
    return out


def write_report(session: Session, p: PairOfCoders) -> tuple[Path, dict[str, Any]]:
    data = report(session, p)
    return write_agreement(session.path / "coding" / "agreement.json", data), data


def session_proposals(session: Session, p: PairOfCoders) -> list[Proposal]:
    return proposals(p.first, p.second, p.camera, session.tables)


def summary(data: dict[str, Any]) -> str:
    def fmt(value: Any) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    c = data["counts"]
    return (
        f"{data['session']}: {data['coders']['coder_1']} vs {data['coders']['coder_2']} on {data['camera']}, "
        f"{len(data['episodes_done_by_both'])} episode(s) done by both: matched {c['matched']}, "
        f"only {data['coders']['coder_1']} {c['only_1']}, only {data['coders']['coder_2']} {c['only_2']}; "
        f"F1 {fmt(data['f1'])}, frame agreement {fmt(data['frame_agreement']['value'])}, "
        f"AU agreement {fmt(data['au_agreement']['value'])}, emotion kappa {fmt(data['emotion_kappa']['value'])} "
        f"(over {data['emotion_kappa']['n']} labelled pair(s))"
    )
