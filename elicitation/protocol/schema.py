"""The keys a protocol file may hold, their types and defaults, and the settings objects they fill."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from hardware.strict_yaml import Field, non_negative, positive

ADVANCES = ("participant", "experimenter", "auto")
BUILTIN_STEPS = {"sync_flash", "rating", "review"}
PLACEHOLDERS = {"amount", "currency", "episode", "episodes", "penalties", "deducted", "continue_key"}
PARTICIPANT_KEYS = {"up", "down", "left", "right", "return", "space", *"0123456"}  # experimenter keys must differ
DEFAULT_EMOTIONS = ["amusement", "disgust", "fear", "sadness", "anger", "surprise", "tense", "none"]
_KEY = re.compile(r"[a-z0-9_]{1,16}")  # fullmatch: "$" would allow a final newline


def _rgb(value: Any) -> str | None:
    ok = len(value) == 3 and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255 for v in value)
    return None if ok else f"must be [r, g, b] with 0-255 integers, got {value!r}"


def _size(value: Any) -> str | None:
    ok = len(value) == 2 and all(isinstance(v, int) and v >= 200 for v in value)
    return None if ok else f"must be [width, height] in pixels (at least 200), got {value!r}"


def _fraction(value: Any) -> str | None:
    return None if 0 < value <= 1 else f"must be in (0, 1], got {value}"


def _key(value: Any) -> str | None:
    return None if _KEY.fullmatch(value) else f"must be a key name such as 'space', 'p' or 'f5', got {value!r}"


PROTOCOL_FIELDS = {
    "name": Field(str, required=True),
    "description": Field(str, default=""),
    "stimuli": Field(str, required=True, doc="manifest file, relative to the protocol"),
    "episodes": Field(list, required=True, doc="clip ids in presentation order"),
    "penalty": Field(dict, required=True),
    "audio": Field(dict, default=None),
    "overhead_s_per_episode": Field(float, default=90.0, check=non_negative),
    "display": Field(dict, default=None),
    "keys": Field(dict, default=None),
    "sync_flash": Field(dict, default=None),
    "rating": Field(dict, default=None),
    "review": Field(dict, default=None),
    "framing": Field(dict, default=None),
    "screens": Field(dict, required=True),
    "before": Field(list, required=True),
    "before_each": Field(list, default=[]),
    "after_each": Field(list, required=True),
    "after": Field(list, required=True),
    "on_resume": Field(list, default=[]),
}

PENALTY_FIELDS = {"amount": Field(float, required=True, check=non_negative), "currency": Field(str, required=True)}

AUDIO_FIELDS = {
    "required": Field(bool, default=True, doc="refuse to start without sound output if the clips have sound"),
}

DISPLAY_FIELDS = {
    "background": Field(list, default=[24, 24, 24], check=_rgb),
    "text_color": Field(list, default=[230, 230, 230], check=_rgb),
    "accent_color": Field(list, default=[110, 180, 255], check=_rgb),
    "font": Field(str, default="DejaVu Sans"),
    "text_height": Field(float, default=0.042, check=_fraction, doc="fraction of the screen height"),
    "wrap_width": Field(float, default=0.72, check=_fraction, doc="fraction of the screen width"),
    "movie_height": Field(float, default=1.0, check=_fraction, doc="largest movie height, fraction of screen"),
    "expected_refresh_hz": Field(float, default=60.0, check=positive),
    "refresh_tolerance_hz": Field(float, default=2.0, check=positive),
    "window_size": Field(list, default=[1280, 720], check=_size, doc="with --windowed"),
}

KEY_FIELDS = {
    "continue": Field(str, default="space", check=_key, doc="participant: next screen"),
    "experimenter": Field(str, default="e", check=_key, doc="experimenter: next screen"),
    "pause": Field(str, default="p", check=_key),
    "abort": Field(str, default="escape", check=_key),
    "penalty": Field(str, default="m", check=_key, doc="experimenter: expression seen"),
    "confirm": Field(str, default="y", check=_key),
    "cancel": Field(str, default="n", check=_key),
}

SYNC_FIELDS = {
    "flashes": Field(int, default=3, check=positive),
    "on_s": Field(float, default=0.2, check=positive),
    "off_s": Field(float, default=0.6, check=positive),
}

RATING_FIELDS = {
    "emotions": Field(list, default=DEFAULT_EMOTIONS),
    "none": Field(str, default="none", doc="the choice that excludes all others"),
    "labels": Field(dict, default={}, doc="emotion -> text shown (translation)"),
    "scale_min": Field(int, default=0, check=non_negative),
    "scale_max": Field(int, default=6, check=positive),
    "low_label": Field(str, default="weakest"),
    "high_label": Field(str, default="strongest"),
    "title": Field(str, default="How did you feel?"),
    "prompt": Field(str, default="Which emotions did you feel during this clip? Choose all that apply."),
    "help": Field(str, default="UP/DOWN: move   SPACE: choose   0-6 or LEFT/RIGHT: intensity   ENTER: done"),
    "incomplete": Field(str, default="Choose at least one answer and give each chosen emotion an intensity."),
}

REVIEW_FIELDS = {
    "camera": Field(str, default="", doc="the frontal camera the participant reviews"),
    "title": Field(str, default="Review of your recording"),
    "text": Field(str, default="Flag every movement that was not an expression."),
    "hint": Field(str, default="SPACE play/pause   LEFT/RIGHT step   R replay   F flag   ENTER done"),
    "choose": Field(str, default="What was it? Press its number (F: cancel)"),
    "later_hint": Field(str, default="C confirm all   X remove one   F flag   SPACE play/pause   ENTER done"),
    "categories": Field(
        dict,
        default={
            "blowing_nose": "Blowing the nose",
            "swallowing": "Swallowing",
            "inhaling": "Inhaling",
            "eyesight_change": "Looking away",
            "other": "Other",
        },
    ),  # fmt: skip
}

SCREEN_FIELDS = {
    "title": Field(str, default=""),
    "text": Field(str, required=True),
    "hint": Field(str, default="", doc="shown once the screen can be advanced"),
    "advance": Field(str, default="participant", choices=ADVANCES),
    "min_s": Field(float, default=0.0, check=non_negative),
    "duration_s": Field(float, default=None, check=positive),
    "console": Field(str, default="", doc="printed for the experimenter when the screen appears"),
    "fixation": Field(bool, default=False, doc="draw a fixation cross under the text"),
    "skip_after_last": Field(bool, default=False, doc="in after_each: not after the last episode"),
}
REQUIRED_SCREENS = ("pause", "abort_confirm")  # the session shows them: a lab translates them too


def _default(table: dict[str, Field], key: str) -> Any:
    """A dataclass default taken from the field table: every default is declared once, in the tables above."""
    value = table[key].default
    if isinstance(value, (list, dict)):
        return field(default_factory=lambda: copy.deepcopy(value))
    return value


@dataclass(frozen=True)
class Screen:
    name: str
    text: str
    title: str = _default(SCREEN_FIELDS, "title")
    hint: str = _default(SCREEN_FIELDS, "hint")
    advance: str = _default(SCREEN_FIELDS, "advance")
    min_s: float = _default(SCREEN_FIELDS, "min_s")
    duration_s: float | None = _default(SCREEN_FIELDS, "duration_s")
    console: str = _default(SCREEN_FIELDS, "console")
    fixation: bool = _default(SCREEN_FIELDS, "fixation")
    skip_after_last: bool = _default(SCREEN_FIELDS, "skip_after_last")


@dataclass(frozen=True)
class Display:
    background: list[int] = _default(DISPLAY_FIELDS, "background")
    text_color: list[int] = _default(DISPLAY_FIELDS, "text_color")
    accent_color: list[int] = _default(DISPLAY_FIELDS, "accent_color")
    font: str = _default(DISPLAY_FIELDS, "font")
    text_height: float = _default(DISPLAY_FIELDS, "text_height")
    wrap_width: float = _default(DISPLAY_FIELDS, "wrap_width")
    movie_height: float = _default(DISPLAY_FIELDS, "movie_height")
    expected_refresh_hz: float = _default(DISPLAY_FIELDS, "expected_refresh_hz")
    refresh_tolerance_hz: float = _default(DISPLAY_FIELDS, "refresh_tolerance_hz")
    window_size: list[int] = _default(DISPLAY_FIELDS, "window_size")


@dataclass(frozen=True)
class Keys:
    continue_: str = _default(KEY_FIELDS, "continue")
    experimenter: str = _default(KEY_FIELDS, "experimenter")
    pause: str = _default(KEY_FIELDS, "pause")
    abort: str = _default(KEY_FIELDS, "abort")
    penalty: str = _default(KEY_FIELDS, "penalty")
    confirm: str = _default(KEY_FIELDS, "confirm")
    cancel: str = _default(KEY_FIELDS, "cancel")


@dataclass(frozen=True)
class SyncFlash:
    flashes: int = _default(SYNC_FIELDS, "flashes")
    on_s: float = _default(SYNC_FIELDS, "on_s")
    off_s: float = _default(SYNC_FIELDS, "off_s")


@dataclass(frozen=True)
class RatingKeys:
    """Keys of the rating screen (fixed: the participant's keys, PARTICIPANT_KEYS)."""

    up: str = "up"
    down: str = "down"
    choose: str = "space"
    done: str = "return"


@dataclass(frozen=True)
class ReviewKeys:
    """Keys of the self-review screen (fixed: shown in review.hint and review.later_hint)."""

    play: str = "space"
    back: str = "left"
    forward: str = "right"
    replay: str = "r"
    flag: str = "f"
    done: str = "return"
    confirm: str = "c"
    remove: str = "x"


@dataclass(frozen=True)
class RatingSettings:
    emotions: tuple[str, ...] = tuple(RATING_FIELDS["emotions"].default)
    none: str = _default(RATING_FIELDS, "none")
    labels: dict[str, str] = _default(RATING_FIELDS, "labels")
    scale_min: int = _default(RATING_FIELDS, "scale_min")
    scale_max: int = _default(RATING_FIELDS, "scale_max")
    low_label: str = _default(RATING_FIELDS, "low_label")
    high_label: str = _default(RATING_FIELDS, "high_label")
    title: str = _default(RATING_FIELDS, "title")
    prompt: str = _default(RATING_FIELDS, "prompt")
    help: str = _default(RATING_FIELDS, "help")
    incomplete: str = _default(RATING_FIELDS, "incomplete")
    keys: RatingKeys = field(default_factory=RatingKeys)

    def label(self, emotion: str) -> str:
        return str(self.labels.get(emotion, emotion.capitalize()))


@dataclass(frozen=True)
class ReviewSettings:
    camera: str = _default(REVIEW_FIELDS, "camera")
    title: str = _default(REVIEW_FIELDS, "title")
    text: str = _default(REVIEW_FIELDS, "text")
    hint: str = _default(REVIEW_FIELDS, "hint")
    choose: str = _default(REVIEW_FIELDS, "choose")
    later_hint: str = _default(REVIEW_FIELDS, "later_hint")
    categories: dict[str, str] = _default(REVIEW_FIELDS, "categories")  # name in review.tsv -> label on screen
    keys: ReviewKeys = field(default_factory=ReviewKeys)
