"""--autopilot: seeded, plausible key presses for every prompt, so a session runs unattended.

The runner tells the autopilot when each screen first appears (its flip time); the autopilot plans
the presses a participant or experimenter would make and hands them out as they fall due. Rating
answers lean towards the clip's main emotion (metadata the participant never sees) with a few
"none" and second emotions, intensities around the paper's mean scores. The experimenter side
marks an occasional expression during a clip and, once per session, pauses and cancels an abort,
so a demo walks every path an experimenter can take.
"""

from __future__ import annotations

import random
from typing import Any

from elicitation.protocol import Keys, RatingSettings, ReviewSettings
from elicitation.screen import Key


class Autopilot:
    def __init__(self, seed: int, keys: Keys, rating: RatingSettings, review: ReviewSettings | None = None) -> None:
        self.rng = random.Random(seed)
        self.keys = keys
        self.rating = rating
        self.review_keys = (review or ReviewSettings()).keys  # the screens' own keys, from the protocol's settings
        self._plan: list[tuple[int, Key]] = []  # (layer, key): layer 1 answers an overlay
        self._overlay_since: float | None = None
        self._drilled: set[str] = set()  # experimenter paths already shown (pause, abort)
        self._opened: set[str] = set()  # overlays our own key presses opened

    # -- the KeySource interface -----------------------------------------------------------
    def due(self, now: float) -> list[Key]:
        # while a pause or abort question covers the screen, only its answer is given; the
        # underlying screen's presses wait and are shifted by the overlay's duration afterwards
        top = 1 if self._overlay_since is not None else 0
        ready = [k for layer, k in self._plan if k.t <= now and layer == top]
        self._plan = [(layer, k) for layer, k in self._plan if not (k.t <= now and layer == top)]
        for key in ready:  # an overlay we open ourselves is one we answer; the experimenter's are theirs
            if key.name == self.keys.pause:
                self._opened.add("pause")
            elif key.name == self.keys.abort:
                self._opened.add("abort_confirm")
        return ready

    def overlay_closed(self, now: float) -> None:
        if self._overlay_since is None:
            return
        shift = now - self._overlay_since
        self._plan = [(0, Key(k.name, k.t + shift, k.source)) for layer, k in self._plan if layer == 0]
        self._overlay_since = None

    # -- planning --------------------------------------------------------------------------
    def _press(self, name: str, at: float, layer: int = 0) -> None:
        self._plan.append((layer, Key(name, at, "autopilot")))

    def _gap(self, lo: float, hi: float) -> float:
        return self.rng.uniform(lo, hi)

    def on_screen(self, kind: str, onset: float, **info: Any) -> None:
        """A screen of this kind has just appeared at `onset` (clock time)."""
        if kind in ("pause", "abort_confirm"):
            if self._overlay_since is None:
                self._overlay_since = onset
            self._plan = [(layer, k) for layer, k in self._plan if layer == 0]
            if kind in self._opened:
                self._opened.discard(kind)
                answer = self.keys.pause if kind == "pause" else self.keys.cancel
                self._press(answer, onset + self._gap(0.8, 1.2), layer=1)
            return
        self._plan = []  # a new screen: presses planned for the previous one are stale
        if kind == "participant":
            self._press(self.keys.continue_, onset + info.get("min_s", 0.0) + self._gap(0.3, 0.9))
            if info.get("name") == "rest" and "pause" not in self._drilled:
                self._drilled.add("pause")
                self._press(self.keys.pause, onset + 0.2)
        elif kind == "experimenter":
            self._press(self.keys.experimenter, onset + self._gap(0.4, 1.0))
        elif kind == "review":
            self._plan_review(onset, info)
            if "abort" not in self._drilled and info.get("episode_number", 1) >= 2 and not info.get("later"):
                self._drilled.add("abort")
                self._press(self.keys.abort, onset + 0.2)
        elif kind == "episode":
            self._plan_penalties(onset, float(info.get("duration_s", 5.0)))
        elif kind == "rating":
            self._plan_rating(onset, info.get("main_emotions", []))

    def _plan_review(self, onset: float, info: dict[str, Any]) -> None:
        """Watch a moment, flag one movement (seeded category), finish; later: confirm the flags first."""
        keys, t = self.review_keys, onset + self._gap(1.2, 2.0)
        if info.get("later") and info.get("flags"):
            self._press(keys.confirm, t)
            t += self._gap(0.3, 0.6)
        elif info.get("categories"):
            self._press(keys.flag, t)
            self._press(str(self.rng.randint(1, int(info["categories"]))), t + self._gap(0.3, 0.6))
            t += 0.8
        self._press(keys.done, t + self._gap(0.3, 0.6))

    def _plan_penalties(self, onset: float, duration: float) -> None:
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            self._press(self.keys.penalty, onset + self.rng.uniform(0.2, 0.9) * duration)

    def answer(self, main_emotions: list[dict[str, Any]]) -> dict[str, int | None]:
        """The emotions to choose, with intensities (None for the 'none' choice)."""
        offered = [e for e in self.rating.emotions if e != self.rating.none]
        main = [m for m in main_emotions if m.get("emotion") in offered]
        if self.rng.random() < 0.12 or not offered:
            return {self.rating.none: None}
        picks: dict[str, int | None] = {}
        if main and self.rng.random() < 0.8:
            first = main[0]
            picks[first["emotion"]] = self._intensity(first.get("mean_score") or 3.5)
        else:
            picks[self.rng.choice(offered)] = self._intensity(2.5)
        if self.rng.random() < 0.3:
            other = self.rng.choice([e for e in offered if e not in picks])
            picks[other] = self._intensity(1.5)
        return picks

    def _intensity(self, mean: float) -> int:
        value = round(self.rng.gauss(mean, 1.2))
        return max(self.rating.scale_min, min(self.rating.scale_max, value))

    def _plan_rating(self, onset: float, main_emotions: list[dict[str, Any]]) -> None:
        picks, keys = self.answer(main_emotions), self.rating.keys
        t, cursor = onset + self._gap(0.8, 1.4), 0
        for emotion in self.rating.emotions:  # walk down the list as a person would
            if emotion not in picks:
                continue
            target = self.rating.emotions.index(emotion)
            while cursor < target:
                self._press(keys.down, t)
                t, cursor = t + self._gap(0.08, 0.2), cursor + 1
            intensity = picks[emotion]
            self._press(keys.choose if intensity is None else str(intensity), t)
            t += self._gap(0.2, 0.5)
        self._press(keys.done, t + self._gap(0.2, 0.5))
