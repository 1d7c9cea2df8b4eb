"""Protocol files: the procedure of a session, its texts and its clips (see protocols/casme.yaml).

The procedure is four lists of step names: ``before`` the episodes, ``before_each`` and
``after_each`` episode, ``after`` the episodes, and ``on_resume`` (shown when a session continues
after an interruption). A step name is a text screen from ``screens`` or one of the built-in
steps ``sync_flash``, ``rating`` and ``review``. Unknown keys, wrong types, missing fields,
unknown step names and unknown {placeholders} are refused with file, line and key.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elicitation.protocol.framing import FRAMING_FIELDS, FramingSettings
from elicitation.protocol.schema import (
    ADVANCES,
    AUDIO_FIELDS,
    BUILTIN_STEPS,
    DISPLAY_FIELDS,
    KEY_FIELDS,
    PARTICIPANT_KEYS,
    PENALTY_FIELDS,
    PLACEHOLDERS,
    PROTOCOL_FIELDS,
    RATING_FIELDS,
    REQUIRED_SCREENS,
    REVIEW_FIELDS,
    SCREEN_FIELDS,
    SYNC_FIELDS,
    Display,
    Keys,
    RatingSettings,
    ReviewSettings,
    Screen,
    SyncFlash,
)
from hardware.strict_yaml import Checker, ConfigError, load_yaml
from hardware.vision import FramingThresholds
from stimuli.manifest import Clip, Manifest, load_manifest


@dataclass(frozen=True)
class Episode:
    number: int  # 1-based position in the protocol (Table VI order for CASME)
    clip: Clip

    @property
    def label(self) -> str:
        return f"{self.number:02d}"


@dataclass
class Protocol:
    name: str
    path: Path
    sha256: str
    manifest: Manifest
    episodes: list[Episode]
    penalty_amount: float
    penalty_currency: str
    audio_required: bool
    overhead_s_per_episode: float
    display: Display
    keys: Keys
    sync_flash: SyncFlash
    rating: RatingSettings
    review: ReviewSettings
    screens: dict[str, Screen]
    before: list[str]
    before_each: list[str]
    after_each: list[str]
    after: list[str]
    on_resume: list[str]
    description: str = ""
    framing: FramingSettings = field(default_factory=FramingSettings)

    def text(self, screen: str, **values: Any) -> str:
        """A screen's text with its placeholders filled."""
        return self.screens[screen].text.format(**self.placeholders(**values))

    def placeholders(self, **values: Any) -> dict[str, Any]:
        base = {
            "amount": f"{self.penalty_amount:g}",
            "currency": self.penalty_currency,
            "episodes": len(self.episodes),
            "continue_key": self.keys.continue_.upper(),
            "episode": "",
            "penalties": 0,
            "deducted": "0",
        }
        base.update(values)
        return base


def load_protocol(path: str | Path) -> Protocol:
    path = Path(path)
    data = load_yaml(path)
    check = Checker(path)
    top = check.mapping(data, PROTOCOL_FIELDS, "protocol")
    lines = getattr(data, "key_lines", {})

    def section(key: str, schema: dict) -> dict[str, Any]:
        return check.mapping(top[key] or {}, schema, key, lines.get(key, 1))

    display, keys_raw = section("display", DISPLAY_FIELDS), section("keys", KEY_FIELDS)
    sync, rating, review = (
        section("sync_flash", SYNC_FIELDS),
        section("rating", RATING_FIELDS),
        section("review", REVIEW_FIELDS),
    )
    penalty, audio = section("penalty", PENALTY_FIELDS), section("audio", AUDIO_FIELDS)
    framing = section("framing", FRAMING_FIELDS)
    screens: dict[str, Screen] = {}
    raw_screens = top["screens"] if isinstance(top["screens"], dict) else {}
    for name, entry in raw_screens.items():
        line = getattr(raw_screens, "key_lines", {}).get(name, 0)
        values = check.mapping(entry, SCREEN_FIELDS, f"screens.{name}", line)
        if name in BUILTIN_STEPS:
            check.fail(line, f"screens.{name}: '{name}' is a built-in step and cannot be a screen name")
        if values["advance"] == "auto" and not values["duration_s"]:
            check.fail(line, f"screens.{name}: advance 'auto' needs duration_s")
        for key in ("title", "text", "hint"):
            key_line = getattr(entry, "key_lines", {}).get(key, line)
            _check_placeholders(check, values[key], f"screens.{name}.{key}", key_line)
        screens[str(name)] = Screen(name=str(name), **{k: values[k] for k in SCREEN_FIELDS})
    for name in REQUIRED_SCREENS:
        if name not in screens:
            check.fail(lines.get("screens", 1), f"screens: missing the '{name}' screen (the session shows it)")
    if framing["checkin"] not in screens and framing["checkin"] != FRAMING_FIELDS["checkin"].default:
        check.fail(lines.get("framing", 1), f"framing.checkin: no screen '{framing['checkin']}'")
    for key in ("prompt", "help", "incomplete"):
        _check_placeholders(check, rating[key], f"rating.{key}", lines.get("rating", 1))
    for key in ("text", "hint"):
        _check_placeholders(check, review[key], f"review.{key}", lines.get("review", 1))

    steps = {}
    for key, allowed in (
        ("before", {"sync_flash"}),
        ("before_each", set()),
        ("after_each", {"rating", "review"}),
        ("after", {"sync_flash"}),
        ("on_resume", {"sync_flash"}),
    ):
        steps[key] = _steps(check, top[key] or [], key, lines.get(key, 1), set(screens) | allowed)

    keys = Keys(**{("continue_" if k == "continue" else k): v for k, v in keys_raw.items()})
    taken = [keys.experimenter, keys.pause, keys.abort, keys.penalty]
    if len(set(taken)) < len(taken) or set(taken) & (PARTICIPANT_KEYS | {keys.continue_}):
        check.fail(
            lines.get("keys", 1),
            "keys: experimenter keys must differ from each other and from "
            f"the participant's keys ({', '.join(sorted(PARTICIPANT_KEYS | {keys.continue_}))})",
        )
    emotions = [str(e) for e in rating["emotions"] or []]
    if not emotions or len(set(emotions)) != len(emotions) or rating["none"] not in emotions:
        check.fail(
            lines.get("rating", 1),
            f"rating.emotions must list distinct emotions including the 'none' choice '{rating['none']}'",
        )

    manifest, episodes = None, []
    if top["stimuli"]:
        manifest_path = (path.parent / top["stimuli"]).resolve()
        try:
            manifest = load_manifest(manifest_path)
        except ConfigError as exc:
            check.errors.append(str(exc))
    clip_ids = top["episodes"] or []
    if manifest is not None:
        for number, clip_id in enumerate(clip_ids, start=1):
            if str(clip_id) not in manifest.clips:
                check.fail(
                    getattr(clip_ids, "line", lines.get("episodes", 1)),
                    f"episodes: clip '{clip_id}' is not in {manifest.path.name}",
                )
            else:
                episodes.append(Episode(number, manifest.clips[str(clip_id)]))
    if not clip_ids:
        check.fail(lines.get("episodes", 1), "episodes: lists no clip")
    check.raise_if_errors()
    assert manifest is not None
    return Protocol(
        name=top["name"],
        description=top["description"],
        path=path.resolve(),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        manifest=manifest,
        episodes=episodes,
        penalty_amount=float(penalty["amount"]),
        penalty_currency=penalty["currency"],
        audio_required=bool(audio["required"]),
        overhead_s_per_episode=top["overhead_s_per_episode"],
        display=Display(**display),
        keys=keys,
        sync_flash=SyncFlash(**sync),
        rating=RatingSettings(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in rating.items()}),
        review=ReviewSettings(**review),
        screens=screens,
        framing=FramingSettings(
            **{k: framing[k] for k in ("required", "checkin", "camera", "face_lost_min_s")},
            thresholds=FramingThresholds().updated(framing),
        ),
        **steps,
    )


def _steps(check: Checker, items: Any, key: str, line: int, allowed: set[str]) -> list[str]:
    line = getattr(items, "line", line)
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        check.fail(line, f"'{key}' must be a list of step names")
        return []
    for item in items:
        if item not in allowed:
            check.fail(
                line, f"{key}: unknown step '{item}' (screens and steps allowed here: {', '.join(sorted(allowed))})"
            )
    return list(items)


def _check_placeholders(check: Checker, text: Any, where: str, line: int) -> None:
    if not isinstance(text, str):
        return
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        check.fail(line, f"'{where}': {exc} (write {{{{ and }}}} for literal braces)")
        return
    for name in sorted(names - PLACEHOLDERS):
        check.fail(line, f"'{where}': unknown placeholder {{{name}}} (known: {', '.join(sorted(PLACEHOLDERS))})")


__all__ = ["ADVANCES", "ConfigError", "Episode", "Protocol", "load_protocol"]
