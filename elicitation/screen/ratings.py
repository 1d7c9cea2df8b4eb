"""The rating after each episode: which emotions were felt (several may be chosen) and how strongly
(scale_min..scale_max, 0-6 in the paper), operated with the keyboard alone.

Keys: UP/DOWN move; SPACE chooses or unchooses the highlighted emotion; a digit or LEFT/RIGHT sets
its intensity (and chooses it); ENTER finishes once every chosen emotion has an intensity.
Choosing "none" unchooses everything else and the reverse. ``RatingState`` is the logic (tested
without a window); ``RatingView`` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elicitation.protocol import Display as DisplaySettings
from elicitation.protocol import RatingSettings
from elicitation.screen.pages import dim


@dataclass
class Choice:
    intensity: int | None = None
    rt_choice: float | None = None
    rt_intensity: float | None = None


class RatingState:
    def __init__(self, settings: RatingSettings, onset: float) -> None:
        self.settings = settings
        self.emotions = list(settings.emotions)
        self.onset = onset
        self.cursor = 0
        self.chosen: dict[str, Choice] = {}
        self.message = ""
        self.done_at: float | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def key(self, name: str, t: float) -> None:
        """Apply one key press made at clock time t."""
        if self.done:
            return
        emotion = self.emotions[self.cursor]
        lo, hi = self.settings.scale_min, self.settings.scale_max
        self.message = ""
        if name == "up":
            self.cursor = max(0, self.cursor - 1)
        elif name == "down":
            self.cursor = min(len(self.emotions) - 1, self.cursor + 1)
        elif name == "space":
            if emotion in self.chosen:
                del self.chosen[emotion]
            else:
                self._choose(emotion, t)
        elif name.isdigit() and emotion != self.settings.none:
            if lo <= int(name) <= hi:
                self._set_intensity(emotion, int(name), t)
        elif name in ("left", "right") and emotion != self.settings.none:
            current = self.chosen.get(emotion, Choice()).intensity
            start = (lo + hi) // 2
            step = -1 if name == "left" else 1
            value = start if current is None else min(hi, max(lo, current + step))
            self._set_intensity(emotion, value, t)
        elif name == "return":
            if self.problem() is None:
                self.done_at = t
            else:
                self.message = self.settings.incomplete

    def _choose(self, emotion: str, t: float) -> None:
        none = self.settings.none
        if emotion == none:
            self.chosen.clear()
        else:
            self.chosen.pop(none, None)
        self.chosen[emotion] = Choice(rt_choice=t - self.onset)

    def _set_intensity(self, emotion: str, value: int, t: float) -> None:
        if emotion not in self.chosen:
            self._choose(emotion, t)
        choice = self.chosen[emotion]
        choice.intensity, choice.rt_intensity = value, t - self.onset

    def problem(self) -> str | None:
        if not self.chosen:
            return "nothing chosen"
        missing = [e for e, c in self.chosen.items() if e != self.settings.none and c.intensity is None]
        return f"no intensity for {', '.join(missing)}" if missing else None

    def result(self) -> dict[str, Any]:
        """Choices in list order, with response times in seconds from the screen's onset."""
        choices = [
            {"emotion": e, "intensity": c.intensity, "rt_choice": c.rt_choice, "rt_intensity": c.rt_intensity}
            for e in self.emotions
            if (c := self.chosen.get(e)) is not None
        ]
        rt_done = None if self.done_at is None else self.done_at - self.onset
        return {"choices": choices, "rt_done": rt_done}


class RatingView:
    """Title, prompt, one row per emotion (tick box, label, intensity boxes), help line."""

    def __init__(self, win: Any, display: DisplaySettings, rating: RatingSettings, prompt: str, help_: str) -> None:
        from psychopy import visual

        self.display, self.rating = display, rating
        width, height = win.size
        th = display.text_height * height
        text = {"font": display.font, "colorSpace": "rgb255", "units": "pix"}
        shape = {"colorSpace": "rgb255", "units": "pix"}
        self.static = [
            visual.TextStim(win, text=rating.title, height=th * 1.35, pos=(0, height * 0.41), bold=True,
                            color=display.accent_color, wrapWidth=width * 0.9, **text),
            visual.TextStim(win, text=prompt, height=th * 0.8, pos=(0, height * 0.32), wrapWidth=width * 0.8,
                            color=display.text_color, **text),
            visual.TextStim(win, text=help_, height=th * 0.62, pos=(0, -height * 0.45), wrapWidth=width * 0.95,
                            color=dim(display.text_color, 0.6), **text),
        ]  # fmt: skip
        n_steps = rating.scale_max - rating.scale_min + 1
        step_x = min(width * 0.05, height * 0.075)
        first_x = width * 0.04
        self.row_y = [height * (0.19 - 0.066 * i) for i in range(len(rating.emotions))]
        for label, x in ((rating.low_label, first_x), (rating.high_label, first_x + (n_steps - 1) * step_x)):
            self.static.append(visual.TextStim(win, text=label, height=th * 0.55, pos=(x, height * 0.245),
                                               color=dim(display.text_color, 0.6), **text))  # fmt: skip
        self.rows = []
        for emotion, y in zip(rating.emotions, self.row_y, strict=True):
            row = {
                "band": visual.Rect(win, width=width * 0.72, height=height * 0.058, pos=(width * 0.02, y),
                                    fillColor=dim(display.background, 2.2), lineWidth=0, **shape),
                "box": visual.Rect(win, width=th * 0.7, height=th * 0.7, pos=(-width * 0.30, y), lineWidth=2,
                                   lineColor=display.text_color, fillColor=display.background, **shape),
                "label": visual.TextStim(win, text=rating.label(emotion), height=th * 0.85, anchorHoriz="left",
                                         alignText="left", pos=(-width * 0.27, y), color=display.text_color,
                                         wrapWidth=width * 0.3, **text),
                "cells": [],
            }  # fmt: skip
            if emotion != rating.none:
                for i in range(n_steps):
                    x = first_x + i * step_x
                    row["cells"].append((
                        visual.Rect(win, width=step_x * 0.8, height=height * 0.048, pos=(x, y), lineWidth=1,
                                    lineColor=dim(display.text_color, 0.5), fillColor=display.background, **shape),
                        visual.TextStim(win, text=str(rating.scale_min + i), height=th * 0.7, pos=(x, y),
                                        color=display.text_color, **text),
                    ))  # fmt: skip
            self.rows.append(row)
        self.message = visual.TextStim(win, text="", height=th * 0.7, pos=(0, -height * 0.375),
                                       wrapWidth=width * 0.8, color=[255, 190, 90], **text)  # fmt: skip
        self._message_text = ""

    def draw(self, state: RatingState) -> None:
        d = self.display
        picked_fill = dim(d.accent_color, 0.6)  # dark enough for the light digit on it
        for stim in self.static:
            stim.draw()
        for i, (emotion, row) in enumerate(zip(self.rating.emotions, self.rows, strict=True)):
            if i == state.cursor:
                row["band"].draw()
            choice = state.chosen.get(emotion)
            row["box"].fillColor = picked_fill if choice is not None else d.background
            row["box"].draw()
            row["label"].draw()
            for value, (cell, digit) in enumerate(row["cells"], start=self.rating.scale_min):
                picked = choice is not None and choice.intensity == value
                cell.fillColor = picked_fill if picked else d.background
                cell.lineColor = d.accent_color if picked else dim(d.text_color, 0.5)
                cell.draw()
                digit.draw()
        if state.message != self._message_text:
            self.message.text = self._message_text = state.message
        if state.message:
            self.message.draw()
