"""The player's keys: actions -> KeyboardEvent.key names (``Shift+`` for a shifted key), configurable.

``elicit code DATA --coder C1 --keys keys.yaml`` replaces any of them, e.g. ``onset: i`` on a laptop
without a convenient O; an unknown action or one key for two actions is refused with the reason.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from elicitation.folder import BadInput

# action -> (default key, what the help line says)
ACTIONS: dict[str, tuple[str, str]] = {
    "next": ("ArrowRight", "one frame forward"),
    "prev": ("ArrowLeft", "one frame back"),
    "next10": ("Shift+ArrowRight", "10 frames forward"),
    "prev10": ("Shift+ArrowLeft", "10 frames back"),
    "play": (" ", "play / pause at real time"),
    "half": ("h", "play / pause at half speed (the rough pass)"),
    "jump": ("g", "jump to a frame number or clock time"),
    "onset": ("o", "onset on this frame"),
    "apex": ("a", "apex on this frame"),
    "apex2": ("2", "apex-2 on this frame (held peak)"),
    "offset": ("f", "offset on this frame"),
    "save": ("Enter", "save the event"),
    "new": ("n", "new event (clear the form)"),
    "camera": ("c", "code on the other camera"),
    "view": ("v", "show the coded camera only / all cameras"),
    "zoom": ("z", "zoom the coded camera on the face: 1x / 2x / 4x (full resolution)"),
    "candidate": ("s", "next spotting candidate into the form"),
    "zoom_in": ("+", "timeline: zoom in, down to single frames (or the mouse wheel)"),
    "zoom_out": ("-", "timeline: zoom out"),
    "undo": ("u", "undo your last add, change or delete in this episode (also Ctrl+Z)"),
}


def key_label(key: str) -> str:
    shift = key.startswith("Shift+")
    base = key[6:] if shift else key
    name = {" ": "SPACE", "ArrowRight": "RIGHT", "ArrowLeft": "LEFT", "Enter": "ENTER"}.get(base, base.upper())
    return ("SHIFT+" if shift else "") + name


def load_keys(path: Path | None) -> dict[str, str]:
    """The default keys with those of a YAML mapping (action: key) applied."""
    keys = {action: default for action, (default, _help) in ACTIONS.items()}
    if path is None:
        return keys
    try:
        given = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise BadInput(f"{path}: keys file unreadable ({exc})") from None
    if not isinstance(given, dict):
        raise BadInput(f"{path}: a keys file maps actions to keys (for example 'onset: i')")
    for action, key in given.items():
        if action not in ACTIONS:
            raise BadInput(f"{path}: unknown action {action!r} (actions: {', '.join(ACTIONS)})")
        if not isinstance(key, str) or not key:
            raise BadInput(f"{path}: {action}: the key must be a non-empty string, got {key!r}")
        keys[action] = "Shift+" + key[6:] if key.lower().startswith("shift+") else key
    seen: dict[str, str] = {}
    for action, key in keys.items():
        if key in seen:
            raise BadInput(f"{path}: key {key!r} is given to both {seen[key]} and {action}")
        seen[key] = action
    return keys


def help_rows(keys: dict[str, str]) -> list[tuple[str, str]]:
    return [(key_label(keys[action]), text) for action, (_default, text) in ACTIONS.items()]
