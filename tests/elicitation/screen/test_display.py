"""The participant's screen, in a child process on an X display: a played clip shows its real
frames (PsychoPy 2025.2-2026.1.1 drew black squares), and a real keyboard drives the rating with
key times on the one clock."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.xdisplay import display_env

MOVIE = """
import hardware, json, numpy as np
from psychopy import visual
from elicitation.screen.display import Display
from elicitation.protocol.schema import Display as Settings
from hardware.video.reader import iter_frames
from stimuli import demo
path = demo.generate()[0]
d = Display(Settings(window_size=[640, 360]), windowed=True)
movie = visual.MovieStim(d.win, str(path), movieLib="ffpyplayer", units="pix", size=(640, 360), loop=False,
                         autoStart=False)
movie.play()
while movie.movieTime < 1.5:
    movie.draw(); d.flip()
movie.draw()
shown = np.asarray(d.win.getMovieFrame(buffer="back"), dtype=float)  # what the next flip shows
at = movie.movieTime
d.close()
decoded = [f[:, :, ::-1].astype(float) for f in iter_frames(path, "bgr24")]  # BGR -> RGB
near = range(max(0, int(at * 30) - 4), min(len(decoded), int(at * 30) + 4))
print(json.dumps({"mean": shown.mean(), "best_diff": min(np.abs(shown - decoded[i]).mean() for i in near),
                  "first_diff": np.abs(shown - decoded[0]).mean()}))
"""

KEYS = """
import hardware, json, threading, time
from hardware import clock
from elicitation.screen.display import Display
from elicitation.screen.keys import KeyInput
from elicitation.protocol.loader import load_protocol
from elicitation.screen.ratings import RatingState
from Xlib import X, XK, display as xdisplay
from Xlib.ext import xtest
p = load_protocol("protocols/demo.yaml")
d = Display(p.display, windowed=True)
keys = KeyInput()
sent = []
def typist():
    x = xdisplay.Display()
    time.sleep(0.5)
    for name in ("Down", "space", "4", "Return"):
        code = x.keysym_to_keycode(XK.string_to_keysym(name))
        before = clock.now()
        xtest.fake_input(x, X.KeyPress, code); x.sync()
        sent.append((before, clock.now()))
        time.sleep(0.1)
        xtest.fake_input(x, X.KeyRelease, code); x.sync()
threading.Thread(target=typist, daemon=True).start()
state = RatingState(p.rating, onset=d.flip())
got = []
while not state.done and clock.now() - state.onset < 10:
    d.flip()
    time.sleep(0.25)  # poll rarely: a key stamped at the poll would be up to 0.25 s late
    for key in keys.poll():
        got.append([key.name, key.t]); state.key(key.name, key.t)
d.close()
print(json.dumps({"result": state.result(), "got": got, "sent": sent, "backend": keys.backend}))
"""


def _run(code: str) -> dict:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                            env=display_env(), timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_played_movie_frame_is_the_clip_not_black():
    out = _run(MOVIE)
    assert out["mean"] > 40  # black would be ~0
    # the frame on screen is the decoded frame at the movie's time (within a few frames), not a
    # stale first frame: the demo pattern moves, so the first frame differs clearly
    assert out["best_diff"] < 2 and out["first_diff"] > 5, out


def test_the_keyboard_drives_the_rating_with_key_times_on_the_one_clock():
    pytest.importorskip("Xlib", reason="python-xlib injects key presses through XTEST")
    out = _run(KEYS)
    assert out["backend"] == "ptb"
    assert [c["emotion"] for c in out["result"]["choices"]] == ["disgust"]
    assert out["result"]["choices"][0]["intensity"] == 4
    assert [name for name, _ in out["got"]] == ["down", "space", "4", "return"]
    for (_, t), (before, after) in zip(out["got"], out["sent"], strict=True):
        # the key's own time, not the time we polled; 50 ms of slack for a loaded machine's event thread
        assert before - 0.005 <= t <= after + 0.05
