"""``coding/<coder>.tsv``: one coder's actions (add, change, delete, done), and the codes they add up to.

The current codes are never stored, only derived by replaying the log, so every change a coder made
stays on record with its time. ``done`` closes an episode for that coder: later adds, changes or
deletes there are refused (after it, disagreements are settled by arbitration in final.tsv).

One writer: a log is written only by the process holding its lock (``coding/.<coder>.lock``, see
elicitation.folder.claim); a second writer for the same coder and session is refused with the holder's
pid and host, so two writers can never give two events one id. Replay reads any log: a line it cannot
apply (a torn line, an id added twice by writers before this rule, a change of an unknown event) is
reported in ``Replay.torn`` and skipped; a second ``add`` of an existing id keeps both, the later one as
``<id>#2`` (``#3`` ...), which later rows may name.

Independence: a coder sees another coder's events of an episode only when both have marked it done
(:func:`other_coder_events`), so nobody codes with the other's answer in view.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from elicitation.coding.events import CodingError, Event, check_coder, resolve, validate
from elicitation.coding.log_file import EVENT_COLUMNS, AppendOnlyTsv, TornLine, event_cells, event_from_cells, read_rows
from elicitation.folder import BadInput, create_private_dir
from elicitation.folder.claim import FolderLock, lock_file
from hardware.video import FrameTable

log = logging.getLogger(__name__)
ACTIONS = ("add", "change", "delete", "done")
COLUMNS = ("time_utc", "action", *EVENT_COLUMNS)


@dataclass
class Replay:
    events: dict[str, Event] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)
    torn: list[TornLine] = field(default_factory=list)
    actions: int = 0

    def episode_events(self, episode: str) -> list[Event]:
        return sorted((e for e in self.events.values() if e.episode == episode), key=lambda e: (e.onset, e.event_id))


def coding_path(session: Path, coder: str) -> Path:
    return Path(session) / "coding" / f"{check_coder(coder)}.tsv"


def lock_coder_log(session: Path, coder: str) -> FolderLock:
    """The one-writer lock of `coder`'s log in `session`; BadInput naming the holder if taken."""
    path = coding_path(session, coder)
    create_private_dir(path.parent)
    return lock_file(path.with_name(f".{coder}.lock"), f"a writer of coder {coder}'s log",
                     f"coder {coder}'s log {path} has a writer already")  # fmt: skip


def apply(state: Replay, action: str, event_id: str, episode: str, event: Event | None, where: str) -> None:
    """One action on the state; CodingError (naming `where`) if the log's rules forbid it."""
    if action not in ACTIONS:
        raise CodingError(f"{where}: action {action!r} is not one of {', '.join(ACTIONS)}")
    if episode in state.done:
        raise CodingError(f"{where}: episode {episode} is marked done; its codes can no longer change")
    if action == "done":
        state.done.add(episode)
    elif action == "add":
        if event_id in state.events:
            raise CodingError(f"{where}: event {event_id} exists already (use change)")
        state.events[event_id] = event  # type: ignore[assignment]
    elif event_id not in state.events:
        raise CodingError(f"{where}: no event {event_id} to {action}")
    elif action == "change":
        if state.events[event_id].episode != episode:
            raise CodingError(f"{where}: event {event_id} belongs to episode {state.events[event_id].episode}")
        state.events[event_id] = event  # type: ignore[assignment]
    else:
        del state.events[event_id]
    state.actions += 1


def _duplicate_id(state: Replay, event_id: str) -> str:
    n = 2
    while f"{event_id}#{n}" in state.events:
        n += 1
    return f"{event_id}#{n}"


def replay(path: Path) -> Replay:
    rows, torn = read_rows(path, COLUMNS)
    state = Replay(torn=list(torn))
    for number, row in rows:
        text = "\t".join(row.values())
        try:
            event = event_from_cells(row) if row["action"] in ("add", "change") else None
        except (BadInput, ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
            state.torn.append(TornLine(number, text, f"unreadable event ({exc})"))
            continue
        event_id = row["event_id"]
        if row["action"] == "add" and event is not None and event_id in state.events:
            event_id = _duplicate_id(state, event_id)  # two writers gave one id: keep both
            event = replace(event, event_id=event_id)
            state.torn.append(TornLine(number, text, f"event {row['event_id']} added twice: kept as {event_id}"))
        try:
            apply(state, row["action"], event_id, row["episode"], event, f"{path}:{number}")
        except CodingError as exc:
            state.torn.append(TornLine(number, text, f"not applied ({exc})"))
    for line in state.torn:
        log.warning("%s:%d: ignored a torn line (%s)", path, line.line, line.reason)
    return state


class CodingLog:
    """A coder's log in a session folder, replayed on opening; each action is checked, then appended."""

    def __init__(
        self,
        session: Path,
        coder: str,
        tables: dict[str, FrameTable] | None = None,
        categories: dict[str, str] | None = None,
        lock: FolderLock | None = None,
    ) -> None:
        """`lock`: the log's lock when the caller holds it already (lock_coder_log); else taken here."""
        self.coder = check_coder(coder)
        self.path = coding_path(session, coder)
        self.tables, self.categories = tables, categories
        self._own_lock = lock is None
        self._lock = lock_coder_log(session, coder) if lock is None else lock
        try:
            self.state = replay(self.path)
            self._file = AppendOnlyTsv(self.path, COLUMNS)
        except BaseException:
            self.release()
            raise

    @property
    def torn(self) -> list[TornLine]:
        return self.state.torn

    def _next_id(self) -> str:
        """<coder>-NNNN from the action count: never reuses the id of a deleted event."""
        n = self.state.actions + 1
        while f"{self.coder}-{n:04d}" in self.state.events:
            n += 1
        return f"{self.coder}-{n:04d}"

    def _record(self, action: str, event: Event | None, event_id: str = "", episode: str = "") -> None:
        if event is not None:
            event_id, episode = event.event_id, event.episode
        cells = event_cells(event) or {"event_id": event_id, "episode": episode}
        line = self._file.encode({"action": action, **cells})  # first: nothing changes if it cannot be
        saved = self._snapshot()
        apply(self.state, action, event_id, episode, event, f"{self.path}")
        try:
            self._file.write_row(line)
        except BaseException:
            self._restore(saved)  # not on disk, so not in the state either (no id used up)
            raise

    def _snapshot(self) -> tuple[Any, ...]:
        return dict(self.state.events), set(self.state.done), self.state.actions

    def _restore(self, saved: tuple[Any, ...]) -> None:
        self.state.events, self.state.done, self.state.actions = saved

    def _prepared(self, event: Event) -> Event:
        event = validate(replace(event, event_id=event.event_id or self._next_id()), self.categories)
        return resolve(event, self.tables) if self.tables is not None else event

    def add(self, event: Event) -> Event:
        event = self._prepared(event)
        self._record("add", event)
        return event

    def change(self, event: Event) -> Event:
        event = self._prepared(event)
        self._record("change", event)
        return event

    def delete(self, event_id: str) -> None:
        episode = self.state.events[event_id].episode if event_id in self.state.events else ""
        self._record("delete", None, event_id, episode)

    def done(self, episode: str) -> None:
        self._record("done", None, "", episode)

    def events(self, episode: str) -> list[Event]:
        return self.state.episode_events(episode)

    def release(self) -> None:
        if self._own_lock:
            self._lock.release()

    def close(self) -> None:
        self._file.close()
        self.release()


def other_coder_events(session: Path, me: str, other: str, episode: str) -> list[Event]:
    """`other`'s events of `episode`, only once both `me` and `other` marked it done."""
    mine, theirs = replay(coding_path(session, me)), replay(coding_path(session, check_coder(other)))
    waiting = [c for c, r in ((me, mine), (other, theirs)) if episode not in r.done]
    if waiting:
        raise CodingError(
            f"coder {other}'s codes of episode {episode} stay hidden until both coders marked it done "
            f"(not yet: {', '.join(waiting)})"
        )
    return theirs.episode_events(episode)
