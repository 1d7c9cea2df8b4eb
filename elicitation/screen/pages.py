"""What the participant sees besides the clips and the rating: text pages, the fixation cross,
full-screen flashes. Stimuli are built once and reused (building text is slow, drawing is cheap).

Layout is relative to the window size, so the same protocol looks the same on a lab monitor and
in a demo window: a title, the body text, and a hint line at the bottom once the screen can be
left.
"""

from __future__ import annotations

from typing import Any

from elicitation.protocol import Display as DisplaySettings


def dim(rgb: list[int], factor: float) -> list[int]:
    return [int(round(c * factor)) for c in rgb]


class Page:
    """A text page: optional title, body, optional hint, optional fixation cross."""

    def __init__(
        self, win: Any, settings: DisplaySettings, title: str, body: str, hint: str = "", fixation: bool = False
    ) -> None:
        from psychopy import visual

        width, height = win.size
        th = settings.text_height * height
        wrap = settings.wrap_width * width
        common = {"font": settings.font, "colorSpace": "rgb255", "units": "pix", "wrapWidth": wrap}
        self.title = None
        if title:
            self.title = visual.TextStim(
                win, text=title, height=th * 1.35, pos=(0, height * 0.36), bold=True,
                color=settings.accent_color, **common,
            )  # fmt: skip
        align = "left" if "\u2022" in body else "center"  # bullet lists read better flush left
        if title:  # the body hangs under the title, whatever its length
            place = {"pos": (0, height * 0.25), "anchorVert": "top"}
        else:
            place = {"pos": (0, height * 0.12 if fixation else 0), "anchorVert": "center"}
        self.body = visual.TextStim(
            win, text=body, height=th, color=settings.text_color, alignText=align, anchorHoriz="center",
            **place, **common,
        )  # fmt: skip
        self.hint = None
        if hint:
            self.hint = visual.TextStim(
                win, text=hint, height=th * 0.75, pos=(0, -height * 0.40),
                color=dim(settings.text_color, 0.6), **common,
            )  # fmt: skip
        self.cross = None
        if fixation:
            arm = height * 0.035
            self.cross = visual.ShapeStim(
                win, vertices="cross", size=(arm * 2, arm * 2), pos=(0, -height * 0.12), lineWidth=0,
                fillColor=settings.text_color, colorSpace="rgb255", units="pix",
            )  # fmt: skip

    def draw(self, show_hint: bool = True) -> None:
        if self.title is not None:
            self.title.draw()
        self.body.draw()
        if self.cross is not None:
            self.cross.draw()
        if show_hint and self.hint is not None:
            self.hint.draw()


class FullScreen:
    """A plain full-screen colour (sync flashes, the black surround of a clip)."""

    def __init__(self, win: Any, rgb: list[int]) -> None:
        from psychopy import visual

        width, height = win.size
        self.rect = visual.Rect(
            win, width=width + 4, height=height + 4, fillColor=rgb, lineWidth=0, colorSpace="rgb255", units="pix"
        )

    def draw(self) -> None:
        self.rect.draw()


class Pages:
    """Caches one Page per (screen, text) so a screen's stimuli are made once per session."""

    def __init__(self, win: Any, settings: DisplaySettings) -> None:
        self.win = win
        self.settings = settings
        self._cache: dict[tuple[str, str, str, str], Page] = {}
        self.white = FullScreen(win, [255, 255, 255])
        self.black = FullScreen(win, [0, 0, 0])

    def page(self, name: str, title: str, body: str, hint: str = "", fixation: bool = False) -> Page:
        key = (name, title, body, hint)
        if key not in self._cache:
            if len(self._cache) > 64:  # texts with changing numbers (clip 3 of 17 ...) come and go
                self._cache.clear()
            self._cache[key] = Page(self.win, self.settings, title, body, hint, fixation)
        return self._cache[key]
