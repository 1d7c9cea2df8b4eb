"""One episode: the clip on screen, its onset and offset as flip times, and the recorder told.

At the onset flip (the first flip showing a frame of the clip) every camera continues into
``<camera>_ep<NN>.mkv`` from its first frame at or after that time, and a marker is written; at
the offset flip (the first flip without the clip) they continue into ``<camera>_after<NN>.mkv``,
so acquisition never stops between episodes. A replayed episode (after an interruption) writes
``_a<attempt>`` files; the interrupted attempt's files stay as they are.
"""

from __future__ import annotations

from typing import Any

from elicitation.protocol import Episode
from elicitation.session.context import SessionContext
from hardware.video import probe_media

SCREENSHOT_AFTER_S = 1.0  # the episode screenshot shows the clip a second in, not its first frame


def attempt_suffixes(label: str, attempt: int) -> tuple[str, str]:
    tail = "" if attempt == 1 else f"_a{attempt}"
    return f"ep{label}{tail}", f"after{label}{tail}"


def load_movie(ctx: SessionContext, episode: Episode) -> Any:
    """Open the clip before its episode starts (decoding starts now, not at the onset)."""
    from psychopy import visual

    info = probe_media(episode.clip.path)
    width, height = ctx.display.size
    max_h = height * ctx.protocol.display.movie_height
    w, h = info.width or width, info.height or height
    scale = min(width / w, max_h / h)
    return visual.MovieStim(
        ctx.display.win,
        str(episode.clip.path),
        movieLib="ffpyplayer",
        units="pix",
        size=(w * scale, h * scale),
        loop=False,
        autoStart=False,
        noAudio=not ctx.extras.get("audio_output", False),
    )


def play_episode(ctx: SessionContext, episode: Episode, movie: Any) -> dict[str, Any]:
    """Show the clip; returns the completed attempt record (also saved in session.json)."""
    label = episode.label
    entry = ctx.state.episode(label)
    number = len(entry["attempts"]) + 1
    suffix, after = attempt_suffixes(label, number)
    cameras = list(ctx.recorder.rig.cameras)
    ctx.where = f"episode {label}/{len(ctx.protocol.episodes):02d}"
    ctx.display.flip_stats()  # start this episode's flip record afresh
    black = ctx.pages.black

    def draw() -> None:
        black.draw()
        movie.draw()

    onset: float | None = None
    attempt: dict[str, Any] = {}
    movie.play()
    while not movie.isFinished:
        shot = "episode" if onset is not None and ctx.display.flip_times[-1] - onset >= SCREENSHOT_AFTER_S else None
        t, _ = ctx.frame(draw, shot=shot, media=movie)
        if onset is None:
            onset = t
            ctx.recorder.new_files(suffix, at=onset)
            ctx.recorder.mark(f"episode {label} onset", at=onset)
            attempt = {
                "attempt": number,
                "run": len(ctx.state.data["runs"]),
                "suffix": suffix,
                "status": "playing",
                "onset_clock": onset,
                "offset_clock": None,
                "files": {cam: f"{cam}_{suffix}.mkv" for cam in cameras},
            }
            entry["attempts"].append(attempt)
            entry["status"] = "playing"
            ctx.episode = label
            ctx.state.save(sync=False)  # the clip is on screen: no disk flush in the frame loop
            ctx.announce("episode", onset, duration_s=float(movie.duration))
            ctx.publish(clip={"onset": onset, "duration": float(movie.duration), "paused_s": 0.0})
    offset, _ = ctx.frame(black.draw)  # the first flip without the clip
    ctx.episode = None
    ctx.publish(clip=None)
    ctx.recorder.new_files(after, at=offset)
    ctx.recorder.mark(f"episode {label} offset", at=offset)
    ctx.events.add("episode", onset, duration=offset - onset, episode=label, stimulus=episode.clip.path.name)
    attempt.update(
        status="complete",
        offset_clock=offset,
        after_suffix=after,
        movie_duration_s=round(float(movie.duration), 3),
        display=ctx.display.flip_stats(),
    )
    entry["status"] = "played"
    entry["video"] = attempt["files"]
    ctx.state.save()
    movie.unload()
    return attempt
