"""The dashboard's buttons act exactly as the experimenter's keys in the frame loop, and events.tsv
records who pressed: pause/resume, abort with its question, expression seen, and the dashboard's state."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.console import Console

from elicitation.dashboard import LiveState
from elicitation.folder import EventLog, RatingsLog, SessionState, read_tsv
from elicitation.protocol import load_protocol
from elicitation.screen import Key, RemoteKeys
from elicitation.session import SessionAborted
from elicitation.session.context import SessionContext

DEMO = Path(__file__).resolve().parents[3] / "protocols" / "demo.yaml"


class Script:
    """Key input that hands out scripted keyboard keys and the dashboard's presses, one batch per frame."""

    def __init__(self, remote: RemoteKeys) -> None:
        self.remote = remote
        self.batches: list[list[Key]] = []
        self.autopilot = None

    def poll(self) -> list[Key]:
        keys = self.batches.pop(0) if self.batches else []
        return keys + self.remote.due(0.0)


class Recorder:
    def __init__(self) -> None:
        self.marks: list[str] = []
        self.warnings: dict = {}

    def mark(self, label: str, at: float | None = None) -> float:
        self.marks.append(label)
        return at or 0.0

    def health(self) -> dict:
        return {}


@pytest.fixture
def session(tmp_path):
    protocol = load_protocol(DEMO)
    remote = RemoteKeys()
    keys = Script(remote)
    flips = iter(range(1, 10_000))
    display = SimpleNamespace(flip=lambda shot=None: float(next(flips)) * 0.1)
    pages = SimpleNamespace(page=lambda *a, **k: SimpleNamespace(draw=lambda: None))
    board = LiveState()
    events = EventLog(tmp_path / "events.tsv", t0=0.0, on_row=board.add_event)
    ctx = SessionContext(
        protocol=protocol, display=display, keys=keys, recorder=Recorder(), state=SessionState.new(tmp_path),
        events=events, ratings=RatingsLog(tmp_path / "ratings.tsv"), pages=pages, console=Console(quiet=True),
        board=board,
    )  # fmt: skip
    return ctx, keys, remote, tmp_path / "events.tsv"


def press_in(remote: RemoteKeys, name: str):
    """A press from the page (another thread in the app): queued until the next frame polls."""
    return lambda: remote.press(name)


def run_with(ctx, keys, remote, script: list) -> None:
    """script: per frame, None, ('dash', key) or ('kbd', key)."""
    def action(item):
        if item is None:
            return None
        source, name = item
        if source == "dash":
            return press_in(remote, name)
        return lambda: keys.batches.append([Key(name, 0.0)])
    pending = [action(item) for item in script]

    original = keys.poll

    def poll():
        if pending:
            step = pending.pop(0)
            if step is not None:
                step()
        return original()

    keys.poll = poll
    while pending:
        ctx.frame(lambda: None)


def test_the_pause_button_pauses_and_resumes_like_the_key_with_the_dashboard_as_source(session):
    ctx, keys, remote, path = session
    k = ctx.protocol.keys
    run_with(ctx, keys, remote, [("dash", k.pause), None, ("dash", k.pause), None])
    (row,) = [r for r in read_tsv(path) if r["trial_type"] == "pause"]
    assert row["source"] == "dashboard" and float(row["duration"]) > 0
    assert ctx.recorder.marks == ["pause", "resume"]
    assert ctx.board.snapshot()["overlay"] is None and ctx.board.snapshot()["events"][-1]["trial_type"] == "pause"


def test_paused_on_the_keyboard_and_resumed_on_the_dashboard_names_both(session):
    ctx, keys, remote, path = session
    k = ctx.protocol.keys
    run_with(ctx, keys, remote, [("kbd", k.pause), None, ("dash", k.pause), None])
    (row,) = [r for r in read_tsv(path) if r["trial_type"] == "pause"]
    assert row["source"] == "keyboard/dashboard"


def test_abort_from_the_dashboard_asks_first_and_cancel_goes_on(session):
    ctx, keys, remote, path = session
    k = ctx.protocol.keys
    seen = []
    original = ctx.board.publish

    def spy(**fields):
        if "overlay" in fields:
            seen.append(fields["overlay"])
        original(**fields)

    ctx.board.publish = spy
    run_with(ctx, keys, remote, [("dash", k.abort), None, ("dash", k.cancel), None])
    (row,) = [r for r in read_tsv(path) if r["trial_type"] == "abort_cancelled"]
    assert row["source"] == "dashboard"
    assert "abort_confirm" in seen and seen[-1] is None
    with pytest.raises(SessionAborted):
        run_with(ctx, keys, remote, [("dash", k.abort), None, ("dash", k.confirm), None])
    assert [r["source"] for r in read_tsv(path) if r["trial_type"] == "abort"] == ["dashboard"]


def test_expression_seen_from_the_dashboard_is_a_penalty_mark_with_its_source(session):
    ctx, keys, remote, path = session
    ctx.episode = "01"
    run_with(ctx, keys, remote, [("dash", ctx.protocol.keys.penalty), ("kbd", ctx.protocol.keys.penalty), None])
    assert [r["source"] for r in read_tsv(path) if r["trial_type"] == "penalty_mark"] == ["dashboard", "keyboard"]
    assert [m["source"] for m in ctx.state.data["penalties"]["marks"]] == ["dashboard", "keyboard"]
