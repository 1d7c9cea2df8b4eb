"""The steps of a procedure other than the clip itself: text screens, sync flashes, the rating,
and the self-review hook.

Each step goes through ``SessionContext.frame`` (so pause, abort and the status line work
everywhere) and writes one events.tsv row whose onset is the step's first flip. A screen's
duration runs to the key press (or timeout) that ended it; flashes end at the flip that removed
them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from elicitation.protocol import Episode
from elicitation.review import ReviewRequest
from elicitation.screen import FlashPlan, RatingState, RatingView, show_flashes
from elicitation.session.context import SessionContext


def run_screen(ctx: SessionContext, name: str, episode: Episode | None = None) -> None:
    """A text screen from the protocol, until its advance condition is met."""
    p = ctx.protocol
    screen = p.screens[name]
    values: dict[str, Any] = {"penalties": ctx.state.penalty_count()}
    values["deducted"] = f"{values['penalties'] * p.penalty_amount:g}"
    if episode is not None:
        values["episode"] = episode.number
    filled = p.placeholders(**values)
    page = ctx.pages.page(
        name, screen.title.format(**filled), screen.text.format(**filled), screen.hint.format(**filled), screen.fixation
    )
    if screen.console:
        ctx.console.print(f"[bold]{name}[/]: {screen.console.format(**filled)}", highlight=False)
    onset: float | None = None
    end: float | None = None
    can_leave = screen.min_s <= 0
    while end is None:
        t, keys = ctx.frame(lambda show=can_leave: page.draw(show_hint=show), shot=name if can_leave else None)
        if onset is None:
            onset = t
            ctx.announce(screen.advance, onset, min_s=screen.min_s, name=name)
        can_leave = t - onset >= screen.min_s
        if screen.advance == "auto" and t - onset >= (screen.duration_s or 0):
            end = t
        for key in keys:
            if key.name == p.keys.experimenter or (
                screen.advance == "participant" and key.name == p.keys.continue_ and key.t - onset >= screen.min_s
            ):
                end = key.t
                break
    ctx.events.add(name, onset, duration=end - onset, episode=episode.label if episode else None)


def run_sync_flash(ctx: SessionContext, which: str) -> None:
    """Full-screen white flashes on black (elicitation.screen.flashes); onset and offset are flip times."""
    sf = ctx.protocol.sync_flash

    def frame(draw: Callable[[], None], shot: str | None) -> float:
        return ctx.frame(draw, shot=shot)[0]

    def written(i: int, onset: float, offset: float) -> None:
        ctx.events.add("sync_flash", onset, duration=offset - onset, stimulus=f"white_flash_{which}_{i + 1}")
        ctx.recorder.mark(f"sync_flash {which} {i + 1} on", at=onset)
        ctx.recorder.mark(f"sync_flash {which} {i + 1} off", at=offset)

    plan = FlashPlan.regular(sf.flashes, sf.on_s, sf.off_s)
    show_flashes(frame, ctx.pages.white, ctx.pages.black, ctx.display.period, plan, on_flash=written,
                 shot="sync_flash")  # fmt: skip


def run_rating(ctx: SessionContext, episode: Episode) -> None:
    p = ctx.protocol
    view = ctx.extras.get("rating_view")
    if view is None:
        view = RatingView(ctx.display.win, p.display, p.rating, p.rating.prompt, p.rating.help)
        ctx.extras["rating_view"] = view
    state: RatingState | None = None
    while state is None or not state.done:
        shown = state or RatingState(p.rating, 0.0)  # the first frame: nothing chosen yet
        shot = "rating" if state is not None and state.problem() is None else None  # an answered screen
        t, keys = ctx.frame(lambda s=shown: view.draw(s), shot=shot)
        if state is None:
            state = RatingState(p.rating, onset=t)
            ctx.announce("rating", t, main_emotions=list(episode.clip.main_emotions))
        for key in keys:
            state.key(key.name, key.t)
    answer = state.result()
    ctx.ratings.add(episode.label, episode.clip.path.name, answer, state.onset)
    ctx.events.add("rating", state.onset, duration=answer["rt_done"], episode=episode.label,
                   stimulus=episode.clip.path.name)  # fmt: skip


# -- self-review (elicitation/review/step.py implements the step) --------------------------

ReviewStep = Callable[[SessionContext, ReviewRequest], None]
