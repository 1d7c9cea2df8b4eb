"""The participant's self-review (paper III.B, III.C step 3): watch your own recording, flag movements.

After each episode the participant sees their frontal recording of it (the protocol's review camera),
can pause, step frame by frame, replay, and flag the frame on screen with a category (blowing the
nose, swallowing, ...). Each flag is a review.tsv row naming the file, the frame in it and that
frame's host_time. ``elicit review`` runs the same screen later: existing flags are listed and can be
confirmed (C) or removed (X then the flag's number); both are appended rows, never edits.

The screen runs through a ``Loop`` (the session's SessionContext, or a plain loop for the later
review): frame(draw, shot) -> (flip time, keys) and announce(kind, onset, **info) for the autopilot.
"""

from __future__ import annotations

from typing import Any, Protocol

from elicitation.folder import ReviewLog
from elicitation.protocol import ReviewKeys
from elicitation.review.player import Player, ReviewClip
from elicitation.review.request import ReviewRequest
from elicitation.screen import trim_memory
from hardware import clock

_KEYS = ReviewKeys()  # declared once, in the protocol's settings (the autopilot presses the same)
PLAY, BACK, FORWARD, REPLAY, FLAG, DONE, CONFIRM, REMOVE = (_KEYS.play, _KEYS.back, _KEYS.forward, _KEYS.replay,
                                                            _KEYS.flag, _KEYS.done, _KEYS.confirm, _KEYS.remove)


class Loop(Protocol):
    def frame(self, draw: Any, shot: str | None = None) -> tuple[float, list[Any]]: ...

    def announce(self, kind: str, onset: float, **info: Any) -> None: ...


class ReviewView:
    """Title and instruction above, the recording in the middle, progress, status and keys below."""

    def __init__(self, win: Any, display: Any, review: Any) -> None:
        from psychopy import visual

        w, h = (int(v) for v in win.size)
        self.win, self.review, self.h = win, review, h
        text = {"win": win, "units": "pix", "font": display.font, "color": display.text_color, "colorSpace": "rgb255"}
        size = display.text_height * h
        self.title = visual.TextStim(pos=(0, h * 0.44), height=size * 1.1, bold=True, **text)
        self.text = visual.TextStim(pos=(0, h * 0.36), height=size * 0.75, wrapWidth=w * 0.85, **text)
        self.status = visual.TextStim(pos=(0, -h * 0.36), height=size * 0.8, **text)
        self.help = visual.TextStim(pos=(0, -h * 0.45), height=size * 0.7, wrapWidth=w * 0.95, **text)
        self.menu = visual.TextStim(pos=(0, 0), height=size, wrapWidth=w * 0.6, alignText="left", **text)
        self.menu_box = visual.Rect(win, width=w * 0.66, height=h * 0.5, fillColor=[20, 20, 20],
                                    lineColor=display.accent_color, colorSpace="rgb255", units="pix",
                                    opacity=0.92)  # fmt: skip
        self.bar_bg = visual.Rect(win, width=w * 0.7, height=6, pos=(0, -h * 0.31), fillColor=[70, 70, 70],
                                  lineWidth=0, colorSpace="rgb255", units="pix")  # fmt: skip
        self.bar = visual.Rect(win, width=1, height=6, pos=(0, -h * 0.31), fillColor=display.accent_color,
                               lineWidth=0, colorSpace="rgb255", units="pix")  # fmt: skip
        self.video_box = (w * 0.9, h * 0.52)
        self.image = visual.ImageStim(win, units="pix", pos=(0, 0), interpolate=True)
        self._shown_index = -2

    def draw(self, player: Player, title: str, status: str, hint: str, menu: str | None) -> None:
        from PIL import Image

        if player.image is not None and player.index != self._shown_index:
            ih, iw = player.image.shape[:2]
            scale = min(self.video_box[0] / iw, self.video_box[1] / ih)
            self.image.image = Image.fromarray(player.image)
            self.image.size = (iw * scale, ih * scale)
            self._shown_index = player.index
        if player.image is not None:
            self.image.draw()
        self.title.text, self.text.text = title, self.review.text
        self.status.text, self.help.text = status, hint
        fraction = max(player.index, 0) / max(len(player.clip) - 1, 1)
        full = self.bar_bg.width
        self.bar.width, self.bar.pos = max(full * fraction, 1), (-full / 2 + full * fraction / 2, self.bar_bg.pos[1])
        for stim in (self.title, self.text, self.bar_bg, self.bar, self.status, self.help):
            stim.draw()
        if menu:
            self.menu.text = menu
            self.menu_box.draw()
            self.menu.draw()


def review_episode(loop: Loop, view: ReviewView, clip: ReviewClip, log: ReviewLog, episode: str, title: str,
                   source: str, existing: list[dict[str, str]] | None = None,
                   note: str = "") -> tuple[float, float, int]:  # fmt: skip
    """Runs the review screen until DONE; returns (onset, end, flags added). `note` starts the status line."""
    review = view.review
    names, labels = list(review.categories), list(review.categories.values())
    player = Player(clip)
    player.update(clock.now())  # the first frame (ffmpeg starts in well under a second)
    later = existing is not None
    choosing = removing = False
    message, onset, added = note, None, 0

    def row(index: int, category: str, action: str, note: str = "") -> dict[str, Any]:
        return {"episode": episode, "camera": clip.camera, "file": clip.video.name, "file_frame": index,
                "clock_time": float(clip.host_time[index]), "category": category, "note": note,
                "action": action, "source": source}  # fmt: skip

    try:
        while True:
            menu = None
            if choosing:
                menu = review.choose + "\n\n" + "\n".join(f"{i + 1}  {label}" for i, label in enumerate(labels))
            elif removing and existing:
                menu = "Remove which flag? (X: cancel)\n\n" + "\n".join(
                    f"{i + 1}  frame {f['file_frame']}: {review.categories.get(f['category'], f['category'])}"
                    for i, f in enumerate(existing))  # fmt: skip
            seconds = max(player.index, 0) / max(len(clip) - 1, 1) * (clip.host_time[-1] - clip.host_time[0])
            state = "playing" if player.playing and not player.ended else "paused" if not player.ended else "end"
            status = f"{seconds:5.1f} s   frame {max(player.index, 0) + 1}/{len(clip)}   {state}   {message}"
            if later:
                status += f"   flags: {len(existing or [])}"
            hint = review.later_hint if later else review.hint
            shot = "review" if menu else None  # the screenshot shows the flag menu over a frame
            t, keys = loop.frame(lambda s=status, h=hint, m=menu: view.draw(player, title, s, h, m), shot=shot)
            if onset is None:
                onset = t
                loop.announce("review", onset, categories=len(names), later=later, flags=len(existing or []),
                              episode_number=int(episode) if episode.isdigit() else 1)  # fmt: skip
            player.update(t)
            for key in keys:
                name = key.name
                if choosing:
                    if name.isdigit() and 1 <= int(name) <= len(names) and player.index >= 0:
                        log.add(**row(player.index, names[int(name) - 1], "flag"))
                        added, message, choosing = added + 1, f"flagged: {labels[int(name) - 1]}", False
                    elif name == FLAG:
                        choosing = False
                elif removing:
                    if name.isdigit() and existing and 1 <= int(name) <= len(existing):
                        gone = existing.pop(int(name) - 1)
                        log.add(**row(int(gone["file_frame"]), gone["category"], "remove"))
                        message, removing = f"removed flag at frame {gone['file_frame']}", False
                    elif name == REMOVE:
                        removing = False
                elif name == PLAY:
                    player.toggle(t)
                elif name in (BACK, FORWARD):
                    player.step(-1 if name == BACK else 1)
                elif name == REPLAY:
                    player.replay(t)
                elif name == FLAG:
                    if player.playing:
                        player.toggle(t)  # stop on the moment being flagged
                    choosing = True
                elif later and name == CONFIRM and existing:
                    for flag in existing:
                        log.add(**row(int(flag["file_frame"]), flag["category"], "confirm"))
                    message = f"{len(existing)} flag(s) confirmed"
                elif later and name == REMOVE and existing:
                    removing = True
                elif name == DONE:
                    return onset, key.t, added
    finally:
        player.close()


def run_review(ctx: Any, request: ReviewRequest) -> None:
    """The session's review step (SessionContext as the loop); replaces the placeholder screen."""
    from elicitation.review.player import ReviewError

    p, episode = ctx.protocol, request.episode
    camera = request.camera
    if request.note:
        ctx.state.warn(f"review of episode {episode.label}: {request.note}")
    if camera not in request.video_files:  # no camera recorded this episode: say so, and go on
        onset = show_notice(ctx, p.display, f"{request.note}.\nThe session goes on without this review.")
        ctx.events.add("review_skipped", onset, episode=episode.label, stimulus=episode.clip.path.name)
        return
    pixel_format = ctx.recorder.rig.cameras[camera].pixel_format
    try:
        clip = ReviewClip.from_session(request.session_dir, camera, request.video_files[camera].name, pixel_format)
    except ReviewError as exc:
        ctx.state.warn(f"review of episode {episode.label} skipped: {exc}")
        return
    view = ctx.extras.get("review_view")
    if view is None:
        view = ctx.extras["review_view"] = ReviewView(ctx.display.win, p.display, p.review)
    log = ReviewLog(request.session_dir / "review.tsv")
    try:
        title = p.review.title.format(**p.placeholders(episode=episode.number))
        onset, end, _ = review_episode(ctx, view, clip, log, episode.label, title, "session", note=request.note)
    finally:
        log.close()
        trim_memory()  # the review's decoded frames (hundreds of MB) go back to the system, not kept
    ctx.events.add("review", onset, duration=end - onset, episode=episode.label, stimulus=episode.clip.path.name)


NOTICE_S = 4.0


def show_notice(loop: Any, display: Any, text: str, seconds: float = NOTICE_S) -> float:
    """A message on the participant's screen for `seconds` (no key needed); returns its onset."""
    from psychopy import visual

    win = loop.display.win
    w, h = (int(v) for v in win.size)
    stim = visual.TextStim(win, text=text, units="pix", height=display.text_height * h, wrapWidth=w * 0.8,
                           font=display.font, color=display.text_color, colorSpace="rgb255")  # fmt: skip
    onset, _ = loop.frame(stim.draw, shot="review_notice")
    t = onset
    while t - onset < seconds:
        t, _ = loop.frame(stim.draw)
    return onset
