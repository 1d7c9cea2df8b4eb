"""Arbitration: proposals from two coders' codes, and ``coding/final.tsv``, the codes the dataset uses.

Proposals (one per matched pair or unmatched event, see agreement.match):
- a matched pair with equal frames is proposed as ``agreed``; with different frames as ``averaged``:
  each point the rounded mean of the two coders' frames (the paper: "the average of the two coders'
  numbers was taken"), halves rounded up, on the reference camera, then resolved on every camera;
  an apex2 only one coder gave is left open;
- AU, emotion or kind disagreements stay open: the arbiter decides (chosen-1, chosen-2 or edited);
- an unmatched event is proposed for accept (``accepted-unmatched``) or reject.
final.tsv is append-only like a coder's log (fsync per row, 0600): one row per decision, naming how
it was decided (DECISIONS), the source events and who decided (``arbiter``: an ID like a coder's, refused
when it is one of the two coders unless the lab allows it); a later decision on the same movement is a
``change`` row, a rejection a ``reject`` row. Replaying it gives the final events. The final event's note
keeps both coders' notes (``C1: ... / C2: ...``) unless the arbiter wrote another.
The ``arbiter`` column came later (issue 22): a final.tsv begun without it keeps its header (files are
never rewritten), its rows since carry the arbiter as one extra last cell, and older rows read as "".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from elicitation.coding.agreement import match
from elicitation.coding.events import LIMITS, CodingError, Event, check_coder, clean_text, on_camera, resolve, validate
from elicitation.coding.log_file import EVENT_COLUMNS, AppendOnlyTsv, TornLine, event_cells, event_from_cells, read_rows
from hardware.video import FrameTable

DECISIONS = ("agreed", "averaged", "chosen-1", "chosen-2", "edited", "accepted-unmatched", "rejected-unmatched")
FIRST_COLUMNS = ("time_utc", "action", "decided", "coder_1", "coder_2", "source_1", "source_2", *EVENT_COLUMNS)
LATER_COLUMNS = ("arbiter",)  # added after final.tsv files existed: see read_rows
COLUMNS = (*FIRST_COLUMNS, *LATER_COLUMNS)
NOTE_LIMIT = 2 * LIMITS["note"] + 64  # room for both coders' notes with their IDs


@dataclass(frozen=True)
class Proposal:
    key: str  # the final event's id: the source ids joined by "+"
    first: Event | None
    second: Event | None
    suggested: Event | None  # frames agreed or averaged; None for an unmatched event
    decided: str  # what accepting the suggestion records: agreed, averaged or accepted-unmatched
    open: list[str] = field(default_factory=list)  # what the arbiter must still decide


def half_up(a: int, b: int) -> int:
    return (a + b + 1) // 2


def _pair_proposal(a: Event, b: Event, camera: str, tables: dict[str, FrameTable]) -> Proposal:
    pa, pb = on_camera(a, camera), on_camera(b, camera)
    open_ = []
    if ("apex2" in pa) != ("apex2" in pb):
        open_.append(f"apex2 given by coder {1 if 'apex2' in pa else 2} only")
    both = [p for p in ("onset", "apex", "apex2", "offset") if p in pa and p in pb]
    frames = {p: half_up(pa[p], pb[p]) for p in both}
    for name in ("kind", "action_units", "emotion", "category"):
        if getattr(a, name) != getattr(b, name):
            open_.append(f"{name} differs: {getattr(a, name) or '(none)'!r} vs {getattr(b, name) or '(none)'!r}")
    key = f"{a.event_id}+{b.event_id}"
    suggested = resolve(
        replace(a, event_id=key, camera=camera, onset=frames["onset"], apex=frames["apex"],
                apex2=frames.get("apex2"), offset=frames["offset"], note="", frames={}),
        tables,
    )  # fmt: skip
    same = all(pa[p] == pb[p] for p in both)
    return Proposal(key, a, b, suggested, "agreed" if same else "averaged", open_)


def proposals(first: list[Event], second: list[Event], camera: str, tables: dict[str, FrameTable]) -> list[Proposal]:
    pairs, only_1, only_2 = match(first, second, camera)
    out = [_pair_proposal(p.first, p.second, camera, tables) for p in pairs]
    out += [
        Proposal(e.event_id, e, None, None, "accepted-unmatched", ["only coder 1: accept or reject"]) for e in only_1
    ]
    out += [
        Proposal(e.event_id, None, e, None, "accepted-unmatched", ["only coder 2: accept or reject"]) for e in only_2
    ]
    return sorted(out, key=lambda p: ((p.first or p.second).episode, (p.first or p.second).onset))  # type: ignore[union-attr]


def check_arbiter(arbiter: str, coders: tuple[str, str], allow_coder_arbiter: bool = False) -> str:
    """An arbiter ID follows the coder-ID rule; one of the two coders arbitrates only when the lab allows it."""
    try:
        check_coder(arbiter)
    except CodingError:
        raise CodingError(
            f"arbiter ID {arbiter!r} refused: letters and digits only, at most 16 (for example A1)"
        ) from None
    if arbiter in coders and not allow_coder_arbiter:
        raise CodingError(
            f"arbiter {arbiter} is one of the two coders ({coders[0]}, {coders[1]}): arbitration decides between "
            "two coders' codes, so someone else arbitrates (or the lab allows it: --allow-coder-arbiter)"
        )
    return arbiter


def coders_note(proposal: Proposal, coders: tuple[str, str]) -> str:
    """Both coders' notes, each named by its coder (``C1: ... / C2: ...``); "" when neither wrote one."""
    notes = [(c, e.note) for c, e in zip(coders, (proposal.first, proposal.second), strict=True) if e and e.note]
    return clean_text(" / ".join(f"{c}: {note}" for c, note in notes))


def final_path(session: Path) -> Path:
    return Path(session) / "coding" / "final.tsv"


def final_rows(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[TornLine]]:
    """final.tsv's whole rows (with or without the later arbiter column) and its torn lines."""
    return read_rows(path, FIRST_COLUMNS, LATER_COLUMNS)


def replay_final(path: Path) -> tuple[dict[str, tuple[str, Event]], list[TornLine]]:
    """final id -> (how it was decided, event); rejected movements are absent."""
    rows, torn = final_rows(path)
    events: dict[str, tuple[str, Event]] = {}
    for _number, row in rows:
        if row["action"] == "reject":
            events.pop(row["event_id"], None)
        else:
            events[row["event_id"]] = (row["decided"], event_from_cells(row))
    return events, torn


def final_decisions(path: Path) -> dict[str, str]:
    """final id -> how it was last decided, rejections included (what the arbitration page shows)."""
    rows, _torn = final_rows(path)
    return {row["event_id"]: row["decided"] for _number, row in rows}


class FinalLog:
    def __init__(
        self,
        session: Path,
        coder_1: str,
        coder_2: str,
        tables: dict[str, FrameTable],
        *,
        arbiter: str,
        allow_coder_arbiter: bool = False,
    ) -> None:
        self.coders = (check_coder(coder_1), check_coder(coder_2))
        self.arbiter = check_arbiter(arbiter, self.coders, allow_coder_arbiter)
        self.tables = tables
        self.path = final_path(session)
        self.events, self.torn = replay_final(self.path)
        self._file = AppendOnlyTsv(self.path, COLUMNS)

    def decide(
        self, proposal: Proposal, decided: str, edited: Event | None = None, note: str | None = None
    ) -> Event | None:
        """Record a decision; returns the final event (None for a rejection). Its note is `note` when the
        arbiter wrote one, else both coders' notes (coders_note)."""
        if decided not in DECISIONS:
            raise CodingError(f"decision {decided!r} is not one of {', '.join(DECISIONS)}")
        matched = proposal.first is not None and proposal.second is not None
        allowed = {"agreed", "averaged", "chosen-1", "chosen-2", "edited"} if matched else {
            "accepted-unmatched", "rejected-unmatched", "edited"}  # fmt: skip
        if decided not in allowed or (decided in ("agreed", "averaged") and decided != proposal.decided):
            raise CodingError(f"proposal {proposal.key}: {decided} does not apply (proposed: {proposal.decided})")
        if decided in ("agreed", "averaged") and proposal.open:
            raise CodingError(f"proposal {proposal.key}: still open: {'; '.join(proposal.open)}")
        event = {"agreed": proposal.suggested, "averaged": proposal.suggested, "chosen-1": proposal.first,
                 "chosen-2": proposal.second, "accepted-unmatched": proposal.first or proposal.second,
                 "rejected-unmatched": None, "edited": edited}[decided]  # fmt: skip
        if decided == "edited":
            if edited is None:
                raise CodingError(f"proposal {proposal.key}: an edited decision needs the edited event")
            event = resolve(validate(edited), self.tables)
        if note is not None and len(clean_text(note)) > NOTE_LIMIT:
            raise CodingError(
                f"proposal {proposal.key}: the note has {len(clean_text(note))} characters, at most {NOTE_LIMIT}"
            )
        if event is not None:
            kept = coders_note(proposal, self.coders) if note is None else clean_text(note)
            event = replace(event, event_id=proposal.key, note=kept)
        action = "reject" if event is None else ("change" if proposal.key in self.events else "add")
        sources = {"source_1": proposal.first.event_id if proposal.first else "",
                   "source_2": proposal.second.event_id if proposal.second else ""}  # fmt: skip
        cells = event_cells(event) or {"event_id": proposal.key, "episode": (proposal.first or proposal.second).episode}  # type: ignore[union-attr]
        self._file.append({"action": action, "decided": decided, "coder_1": self.coders[0],
                           "coder_2": self.coders[1], **sources, **cells, "arbiter": self.arbiter})  # fmt: skip
        if event is None:
            self.events.pop(proposal.key, None)
        else:
            self.events[proposal.key] = (decided, event)
        return event

    def close(self) -> None:
        self._file.close()
