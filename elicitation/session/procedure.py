"""The order of a session: ``before`` steps, each episode with its ``before_each`` and
``after_each`` steps, then ``after`` steps, with progress saved in session.json after every step.

Resuming continues at the first episode that is not done. An episode whose clip played to the end
is not shown again: only its unfinished after-steps (rating, review, rest) run. An episode whose
clip was interrupted is shown again from the start, as a new attempt with its own files.
"""

from __future__ import annotations

import logging

from elicitation.protocol import Episode
from elicitation.review import ReviewRequest
from elicitation.session.context import SessionContext
from elicitation.session.episode import load_movie, play_episode
from elicitation.session.record import prune_missing_files
from elicitation.session.steps import ReviewStep, run_rating, run_screen, run_sync_flash

log = logging.getLogger(__name__)


def init_episodes(ctx: SessionContext) -> None:
    """The episodes' entries in session.json: clip metadata (never shown), status, attempts."""
    for episode in ctx.protocol.episodes:
        ctx.state.data["episodes"][episode.label] = {
            **episode.clip.metadata(),
            "number": episode.number,
            "status": "pending",  # pending -> playing -> played -> done
            "steps_done": [],
            "attempts": [],
            "video": None,
        }
    ctx.state.data["progress"] = {"before": False, "after": False}
    ctx.state.save()


def run_procedure(ctx: SessionContext, review_step: ReviewStep, resumed: bool) -> None:
    p, state = ctx.protocol, ctx.state
    progress = state.data["progress"]
    if not progress["before"]:
        if p.framing.checkin not in p.before:  # no check-in screen: the checks are taken at the start
            _checkin(ctx)
        _steps(ctx, p.before, "start", review_step)
        progress["before"] = True
        state.save()
    elif resumed:
        _checkin(ctx)
        _steps(ctx, p.on_resume, "resume", review_step)
    last = p.episodes[-1]
    for episode in p.episodes:
        entry = state.episode(episode.label)
        if entry["status"] == "done":
            continue
        if entry["status"] == "pending":
            movie = load_movie(ctx, episode)
            _steps(ctx, p.before_each, "ready", review_step, episode)
            play_episode(ctx, episode, movie)
            prune_missing_files(ctx.state, ctx.recorder.out_dir, set(ctx.recorder.errors))  # failed: no file
            ctx.state.save()
            log.info("episode %s played", episode.label)
        for name in p.after_each:
            skip = name in p.screens and p.screens[name].skip_after_last and episode is last
            if name in entry["steps_done"] or skip:
                continue
            _step(ctx, name, "", review_step, episode)
            entry["steps_done"].append(name)
            state.save()
        entry["status"] = "done"
        state.save()
    ctx.where = "end"
    _steps(ctx, p.after, "end", review_step)
    progress["after"] = True
    state.save()


def _steps(ctx: SessionContext, names: list[str], which: str, review_step: ReviewStep,
           episode: Episode | None = None) -> None:  # fmt: skip
    for name in names:
        _step(ctx, name, which, review_step, episode)


def _step(ctx: SessionContext, name: str, which: str, review_step: ReviewStep, episode: Episode | None) -> None:
    if episode is not None:
        ctx.where = f"{name} {episode.label}/{len(ctx.protocol.episodes):02d}"
    elif which:
        ctx.where = f"{which}: {name}"
    log.info("step %s%s", name, f" (episode {episode.label})" if episode else "")
    if name == "sync_flash":
        run_sync_flash(ctx, which or "start")
    elif name == "rating":
        assert episode is not None
        run_rating(ctx, episode)
    elif name == "review":
        assert episode is not None
        review_step(ctx, review_request(ctx, episode))
    else:
        run_screen(ctx, name, episode)
        if name == ctx.protocol.framing.checkin:
            _checkin(ctx)


def _checkin(ctx: SessionContext) -> None:
    if ctx.framing is not None:
        ctx.framing.checkin(ctx)


def review_request(ctx: SessionContext, episode: Episode) -> ReviewRequest:
    entry = ctx.state.episode(episode.label)
    attempt = next(a for a in reversed(entry["attempts"]) if a["status"] == "complete")
    video_dir = ctx.recorder.out_dir
    cameras = list(ctx.recorder.rig.cameras)
    wanted = ctx.protocol.review.camera if ctx.protocol.review.camera in cameras else cameras[0]
    files = {cam: video_dir / name for cam, name in attempt["files"].items()}  # only files that exist
    camera, note = wanted, ""
    if wanted not in files:  # the review camera was lost: review on another one, if any recorded
        camera = next(iter(files), wanted)
        note = f"camera {wanted} was lost: " + (f"the review shows camera {camera}" if files else "nothing to review")
    return ReviewRequest(
        episode=episode,
        camera=camera,
        video_files=files,
        note=note,
        frames_tsv={cam: video_dir / f"{cam}_frames.tsv" for cam in cameras},
        onset_clock=attempt["onset_clock"],
        offset_clock=attempt["offset_clock"],
        session_dir=ctx.state.path.parent,
    )
