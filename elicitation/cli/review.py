"""`elicit review SESSION [--episode N]`: the participant reviews their recordings again after the session.

The paper has participants confirm their flags after the experiment. Each finished episode's recording
plays with its standing flags listed; the participant confirms them (C), removes one (X and its
number) or adds new ones (F). Everything is appended to review.tsv with source "later"; nothing
earlier is changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from elicitation.cli.console import err, out
from elicitation.cli.exits import exits
from elicitation.folder import BadInput, SessionState


class PlainLoop:
    """The review screen's frame loop outside a session: flip, poll keys, tell the autopilot."""

    def __init__(self, display: Any, keys: Any) -> None:
        self.display, self.keys = display, keys

    def frame(self, draw: Any, shot: str | None = None) -> tuple[float, list[Any]]:
        draw()
        return self.display.flip(shot), self.keys.poll()

    def announce(self, kind: str, onset: float, **info: Any) -> None:
        if self.keys.autopilot is not None:
            self.keys.autopilot.on_screen(kind, onset, **info)


def _episodes(state: SessionState, episode: int | None) -> list[tuple[str, dict[str, Any]]]:
    done = [(label, e) for label, e in state.data["episodes"].items() if e.get("status") == "done"]
    if episode is None:
        if not done:
            raise BadInput(f"{state.path.parent} has no finished episode to review")
        return done
    chosen = [(label, e) for label, e in done if e.get("number") == episode]
    if not chosen:
        raise BadInput(f"episode {episode} is not a finished episode of this session "
                       f"(finished: {', '.join(str(e.get('number')) for _, e in done) or 'none'})")  # fmt: skip
    return chosen


@exits
def review(
    session: Path = typer.Argument(..., help="The session folder (DATA/sub-<ID>/ses-<N>)."),
    episode: int = typer.Option(None, "--episode", help="Only this episode (its number, e.g. 3)."),
    windowed: bool = typer.Option(False, "--windowed", help="A window instead of the full screen."),
    autopilot: bool = typer.Option(False, "--autopilot", help="Confirm every flag automatically (tests, demos)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the autopilot."),
) -> None:
    """Review the session's recordings again: confirm, remove or add flags (appended to review.tsv)."""
    import hardware  # noqa: F401  (the one clock before PsychoPy)
    from elicitation.folder import ReviewLog, current_flags, read_review
    from elicitation.protocol import load_protocol
    from elicitation.review import ReviewClip, ReviewError, ReviewView, review_episode
    from elicitation.screen import Display, KeyInput
    from elicitation.session import Autopilot

    if not (session / "session.json").is_file():
        raise BadInput(f"{session} is not a session folder (no session.json)")
    state = SessionState.load(session)
    chosen = _episodes(state, episode)
    protocol = load_protocol(state.data["protocol"]["path"])  # a ConfigError names the file: exit 2
    cameras = state.data["rig"]["cameras"]
    camera = protocol.review.camera if protocol.review.camera in cameras else next(iter(cameras))
    display = Display(protocol.display, windowed=windowed)
    keys = KeyInput(Autopilot(seed, protocol.keys, protocol.rating, protocol.review) if autopilot else None)
    log = ReviewLog(session / "review.tsv")
    loop, view = PlainLoop(display, keys), ReviewView(display.win, protocol.display, protocol.review)
    try:
        for label, entry in chosen:
            flags = current_flags(read_review(session / "review.tsv"), label)
            try:
                clip = ReviewClip.from_session(session, camera, entry["video"][camera],
                                               cameras[camera]["pixel_format"])  # fmt: skip
            except (ReviewError, KeyError) as exc:
                err.print(f"[yellow]episode {label} skipped:[/] {exc}", highlight=False)
                continue
            title = protocol.review.title.format(**protocol.placeholders(episode=entry.get("number", label)))
            _, _, added = review_episode(loop, view, clip, log, label, title, "later", existing=flags)
            out.print(f"episode {label}: {len(flags)} flag(s) standing, {added} added", highlight=False)
    finally:
        log.close()
        display.close()
    out.print(f"review.tsv: {session / 'review.tsv'}", highlight=False)
