"""Table VI of the paper, measured: the stimuli as the participants rated them (``elicit dataset norms``).

For each episode (a clip, identified by its clip id in session.json, else the ratings' stimulus):
- rated = the participants with at least one ratings.tsv row for it ("none" included: they answered);
- for each emotion, chose = the participants who chose it; rate of selection = chose / rated;
- its main emotion(s) are those chosen by at least a third of the raters (3 x chose >= rated, in
  integers, so 3 of 9 is in and 3 of 10 is not); "none" is an answer, not an emotion;
- mean score = the mean intensity (0-6) of those who chose it (score_n: how many gave one);
- an episode where no emotion reaches a third is "/" (the paper's episode 11).
A participant is counted once per episode: with several sessions, the first session (by folder name)
that rated it counts, the others are listed. Each row says how many participants it rests on.
Sessions whose ratings.tsv is missing, or that lack a rating of an episode they played to the end
(session.json status ``done``), or have rows cut short (left out) or with an intensity outside 0-6
(counted as chosen, without a score) are named, not fatal.
The measured main emotions are compared with the protocol's declared ``main_emotions`` (session.json).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elicitation.folder import BadInput, read_tsv

NONE = "none"
RULE = ("main emotion: chosen by at least a third of the participants who rated the episode (3 x chose >= rated); "
        "rate of selection = chose / rated; mean score = mean intensity (0-6) of those who chose it; "
        "'/' when no emotion reaches a third")  # fmt: skip


@dataclass
class Episode:
    key: str  # clip id, else stimulus
    labels: set[str] = field(default_factory=set)  # the episode labels it had in the sessions
    declared: list[str] = field(default_factory=list)
    raters: dict[str, dict[str, int | None]] = field(default_factory=dict)  # participant -> emotion -> intensity


def find_rated_sessions(root: Path) -> list[Path]:
    """Session folders at or under root: those with a session.json or a ratings.tsv."""
    root = Path(root)
    if not root.is_dir():
        raise BadInput(f"{root}: not a folder")
    found = {p.parent for name in ("session.json", "ratings.tsv") for p in root.rglob(name)}
    return sorted(found)


def _intensity(text: str | None) -> int | None:
    try:
        value = int(str(text))
    except ValueError:
        return None
    return value if 0 <= value <= 6 else None


def read_sessions(root: Path) -> tuple[dict[str, Episode], dict[str, Any]]:
    """Every session's ratings, by episode; and what was named (missing, partial, duplicates)."""
    root = Path(root)
    episodes: dict[str, Episode] = {}
    notes: dict[str, Any] = {"sessions": 0, "missing_ratings": [], "partial_ratings": {}, "bad_rows": [],
                             "repeat_participants": []}  # fmt: skip
    for session in find_rated_sessions(root):
        name = session.relative_to(root).as_posix() if session != root else session.name
        meta_path = session / "session.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        listed = meta.get("episodes") or {}
        participant = str(meta.get("participant") or session.parent.name)
        if not (session / "ratings.tsv").is_file():
            notes["missing_ratings"].append(name)
            continue
        notes["sessions"] += 1
        rows = read_tsv(session / "ratings.tsv")
        answered: dict[str, dict[str, int | None]] = {}
        for number, row in enumerate(rows, start=2):
            label, emotion = row.get("episode") or "", (row.get("emotion") or "").strip().lower()
            if not label or label == "n/a" or not emotion or row.get("intensity") is None:
                notes["bad_rows"].append(f"{name}/ratings.tsv:{number}: cut short or without episode or emotion "
                                         "(left out)")  # fmt: skip
                continue
            score = None if emotion == NONE else _intensity(row.get("intensity"))
            if emotion != NONE and score is None:
                notes["bad_rows"].append(f"{name}/ratings.tsv:{number}: intensity {row.get('intensity')!r} "
                                         "is not 0-6 (chosen, without a score)")  # fmt: skip
            answered.setdefault(label, {})[emotion] = score
        missing = [lb for lb, entry in sorted(listed.items()) if entry.get("status") == "done" and lb not in answered]
        if missing:
            notes["partial_ratings"][name] = missing
        for label, choices in sorted(answered.items()):
            entry = listed.get(label) or {}
            stimulus = next((r.get("stimulus") for r in rows if r.get("episode") == label), "") or label
            key = str(entry.get("clip") or stimulus)
            episode = episodes.setdefault(key, Episode(key))
            episode.labels.add(label)
            if not episode.declared and entry.get("main_emotions"):
                episode.declared = [str(m.get("emotion")) for m in entry["main_emotions"]]
            if participant in episode.raters:
                notes["repeat_participants"].append(f"{participant} {key}: {name} not counted (an earlier session)")
                continue
            episode.raters[participant] = choices
    return episodes, notes


def table_row(episode: Episode) -> dict[str, Any]:
    """The measured Table VI row of one episode (see the module docstring)."""
    rated = len(episode.raters)
    emotions = sorted({e for choices in episode.raters.values() for e in choices if e != NONE})
    measured = []
    for emotion in emotions:
        chosen = [c[emotion] for c in episode.raters.values() if emotion in c]
        scores = [s for s in chosen if s is not None]
        measured.append({"emotion": emotion, "chose": len(chosen), "rated": rated,
                         "selection_rate": len(chosen) / rated, "main": 3 * len(chosen) >= rated,
                         "mean_score": sum(scores) / len(scores) if scores else None,
                         "score_n": len(scores)})  # fmt: skip
    measured.sort(key=lambda m: (-m["chose"], m["emotion"]))
    main = [m["emotion"] for m in measured if m["main"]]
    return {"episode": episode.key, "labels": sorted(episode.labels), "participants": rated,
            "main": [m for m in measured if m["main"]], "emotions": measured, "declared": episode.declared,
            "differs": sorted(main) != sorted(episode.declared)}  # fmt: skip


def compute_norms(root: Path) -> dict[str, Any]:
    episodes, notes = read_sessions(root)
    if not episodes:
        raise BadInput(f"{root}: no session with a readable ratings.tsv"
                       + (f" (missing in {', '.join(notes['missing_ratings'])})" if notes["missing_ratings"] else ""))
    rows = [table_row(episodes[k]) for k in sorted(episodes, key=lambda k: (min(episodes[k].labels), k))]
    return {"format": "casme-elicitation stimulus norms v1", "rule": RULE, "episodes": rows,
            "differs_from_declared": [r["episode"] for r in rows if r["differs"]], **notes}  # fmt: skip
