"""The participant's screen: one PsychoPy window, flips that return times on the one clock, pacing
when the display has no vertical sync (Xvfb), and screenshots of the back buffer.

Every stimulus time in the session comes from ``flip()``: PsychoPy's own flip timestamp
(``win.timeOnFlip``) converted with ``hardware.clock.flip_to_clock``, never the time a function
was called.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from elicitation.protocol import Display as DisplaySettings
from elicitation.screen.allocator import limit_arenas
from hardware import clock

log = logging.getLogger(__name__)

# A measured "refresh rate" above this is a display without vsync (Xvfb, or vsync off in the driver).
NO_VSYNC_HZ = 250.0
# OpenGL renderers that draw on the CPU into memory: no monitor, so no vertical sync.
SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast", "software rasterizer")


def gl_renderer() -> str:
    """GL_RENDERER of the current OpenGL context ("unknown" if it cannot be read)."""
    from pyglet import gl

    try:
        return str(gl.gl_info.get_renderer())
    except Exception:  # noqa: BLE001 - no context: treat the renderer as unknown
        return "unknown"


class Screenshots:
    """One PNG per distinct screen name, numbered in the order they first appear."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.taken: dict[str, Path] = {}

    def wants(self, name: str) -> bool:
        return name not in self.taken

    def capture(self, win: Any, name: str) -> None:
        # The back buffer, after drawing and before the flip: the front buffer reads back black
        # under Xvfb, and the back buffer is exactly what the next flip shows.
        image = win.getMovieFrame(buffer="back")
        win.movieFrames.clear()
        path = self.folder / f"{len(self.taken) + 1:02d}_{name}.png"
        image.save(path)
        self.taken[name] = path


class Display:
    def __init__(self, settings: DisplaySettings, windowed: bool, screenshots: Path | None = None) -> None:
        limit_arenas()  # before PsychoPy's GL threads and the first clip's decoder threads (allocator.py)
        from psychopy import logging as plog
        from psychopy import visual

        plog.console.setLevel(plog.ERROR)  # PsychoPy's own chatter stays out of the experimenter's console
        self.settings = settings
        size = tuple(settings.window_size) if windowed else None
        self.win = visual.Window(
            size=size or (1024, 768),
            fullscr=not windowed,
            color=settings.background,
            colorSpace="rgb255",
            units="pix",
            allowGUI=windowed,
            waitBlanking=True,
            checkTiming=False,
        )
        self.win.mouseVisible = False
        self.size = tuple(int(v) for v in self.win.size)
        self.fullscreen = not windowed
        self.period = 1.0 / settings.expected_refresh_hz
        self.vsync = True  # until measure_refresh() finds otherwise
        self.renderer = "unknown"
        self.measured_hz: float | None = None
        self.screenshots = Screenshots(screenshots) if screenshots else None
        self._stamp: dict[str, float] = {}
        self._next = 0.0  # the next flip's slot when we pace (no vsync)
        self._swap_s = 0.0  # how long a flip takes, averaged
        self.flip_times: list[float] = []  # of the current episode, for its flip statistics

    def measure_refresh(self) -> float | None:
        """The display's refresh rate, or None if it is not stable enough to measure."""
        rate = self.win.getActualFrameRate(nIdentical=20, nMaxFrames=240, nWarmUpFrames=20, threshold=1)
        self.measured_hz = None if rate is None else float(rate)
        self.renderer = gl_renderer()
        # A software renderer (Xvfb's llvmpipe) has no vsync even when a loaded machine makes its flips
        # look like a plausible refresh rate (242 Hz was measured here on 2 busy cores).
        software = any(name in self.renderer.lower() for name in SOFTWARE_RENDERERS)
        if self.measured_hz is None or self.measured_hz > NO_VSYNC_HZ or software:
            self.vsync = False  # flips return at once: pace them ourselves at the expected rate
        return self.measured_hz

    def flip(self, shot: str | None = None) -> float:
        """Show what was drawn; return the flip time on the one clock."""
        if shot and self.screenshots is not None and self.screenshots.wants(shot):
            self.screenshots.capture(self.win, shot)
        if not self.vsync:
            # Without vsync a flip returns at once; an unpaced loop would spin at ~1 kHz and take the
            # CPU the camera processes need. Flips are put on a grid of refresh periods, like a
            # real display's, starting the swap early by what a swap has been taking.
            now = clock.now()
            self._next = max(self._next + self.period, now)
            if self._next - self._swap_s > now:
                time.sleep(self._next - self._swap_s - now)
        called = clock.now()
        self.win.timeOnFlip(self._stamp, "t")
        self.win.flip()
        flipped = clock.flip_to_clock(self._stamp["t"])
        self._swap_s = 0.9 * self._swap_s + 0.1 * max(0.0, flipped - called)
        self.flip_times.append(flipped)
        return flipped

    def flip_stats(self) -> dict[str, Any]:
        """Flip count and late flips (> 1.5 periods) since the last call; resets the record."""
        times, self.flip_times = np.array(self.flip_times), []
        if len(times) < 2:
            return {"flips": int(len(times))}
        intervals = np.diff(times)
        return {
            "flips": int(len(times)),
            "late_flips": int(np.sum(intervals > 1.5 * self.period)),
            "max_interval_ms": round(float(intervals.max() * 1000), 2),
        }

    def info(self) -> dict[str, Any]:
        return {
            "size": list(self.size),
            "fullscreen": self.fullscreen,
            "measured_refresh_hz": None if self.measured_hz is None else round(self.measured_hz, 2),
            "expected_refresh_hz": self.settings.expected_refresh_hz,
            "vsync": self.vsync,
            "gl_renderer": gl_renderer(),
        }

    def close(self) -> None:
        try:
            self.win.close()
        except Exception:  # noqa: BLE001 - closing must not hide the real error
            log.debug("closing the window failed", exc_info=True)
