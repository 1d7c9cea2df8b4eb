"""The demo session's episode 01, copied and coded by two coders through the coding data layer.

Movements on the gras camera, each chosen from the frames' clock times (the rule's own input):
``under`` 455-480 ms, ``over`` 520-545 ms with a slow onset (one or two frames either side of 500 ms:
on the other camera, resolved to the nearest frames in time, each end may move half a frame),
``fast`` 650-750 ms with an onset of 200-230 ms, ``slow`` (same length, onset 300-350 ms),
``swallow`` (kind irrelevant) and ``flagged`` (short, holding the participant's flag of episode 01,
which the test confirms in review.tsv).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from elicitation.coding import CodingLog, Event, FinalLog, proposals
from elicitation.folder import ReviewLog, read_review
from hardware.video import FrameTable, read_frames_tsv

CAMERAS = ("gras", "uvc")
EXPECTED = {"under": "total", "fast": "fast-onset"}  # the rule admits these two, on both cameras


def copy_episode(demo: Path, to: Path, episode: str = "01") -> Path:
    """session.json, review.tsv, the episode's videos and the frames tables (not the other episodes' videos)."""
    import json

    to.mkdir(parents=True)
    (to / "video").mkdir()
    for name in ("session.json", "review.tsv"):
        shutil.copy2(demo / name, to / name)
    files = json.loads((demo / "session.json").read_text())["episodes"][episode]["video"]
    for camera in CAMERAS:
        shutil.copy2(demo / "video" / files[camera], to / "video" / files[camera])
        shutil.copy2(demo / "video" / f"{camera}_frames.tsv", to / "video" / f"{camera}_frames.tsv")
    return to


def _within(t: np.ndarray, start: int, low_ms: float, high_ms: float) -> int | None:
    """The first frame whose clock time is within (low, high) ms after `start`'s (None across a gap)."""
    ms = (t - t[start]) * 1000
    hits = np.flatnonzero((ms > low_ms) & (ms < high_ms))
    return int(hits[0]) if len(hits) else None


# what each movement must be on the other camera too, in ms: (total low, total high, onset low, onset high)
OTHER = {"under": (440, 500, 0, 250), "over": (500, 560, 250, 1e9), "fast": (500, 1e9, 0, 250),
         "slow": (500, 1e9, 250, 1e9)}  # fmt: skip


def _holds_on(other: FrameTable, t: np.ndarray, name: str, start: int, apex: int, end: int) -> bool:
    """Whether the movement, resolved on the other camera (nearest frames in time), keeps its side of the
    rule there: under load the demo's cameras drop frames, and a gap moves a resolved end far."""
    near = [other.host_time[int(np.argmin(np.abs(other.host_time - t[r])))] for r in (start, apex, end)]
    total, onset = (near[2] - near[0]) * 1000, (near[1] - near[0]) * 1000
    low, high, onset_low, onset_high = OTHER[name]
    return low < total < high and onset_low < onset <= onset_high


def plan_events(table: FrameTable, file: str, flag_frame: int, other: FrameTable) -> list[Event]:
    """Frame indices of the six movements inside `file`, none overlapping the flag but `flagged`."""
    rows = table.rows_in_file(file)
    t = table.host_time
    free = [int(r) for r in rows[5:-5] if abs(int(r) - flag_frame) > 50]
    events, cursor = [], free[0]

    def event(name: str, onset: int, apex: int, offset: int, **more) -> None:
        base = {"episode": "01", "kind": "micro", "camera": "gras", "action_units": "4+7", "emotion": "disgust"}
        events.append(Event(name, onset=int(table.frame[onset]), apex=int(table.frame[apex]),
                            offset=int(table.frame[offset]), **{**base, **more}))  # fmt: skip

    for name, total, onset in (("under", (455, 480), (100, 200)), ("over", (520, 545), (300, 350)),
                               ("fast", (650, 750), (200, 230)), ("slow", (650, 750), (300, 350))):  # fmt: skip
        for start in (r for r in free if r >= cursor):  # a later start where the timing has a gap
            end, apex = _within(t, start, *total), _within(t, start, *onset)
            if (end is not None and apex is not None and end <= free[-1] and abs(end - flag_frame) > 50
                    and _holds_on(other, t, name, start, apex, end)):  # fmt: skip
                break
        else:
            raise AssertionError(f"the demo episode has no room for {name}")
        event(name, start, apex, end)
        cursor = end + 3
    start = next(r for r in free if r >= cursor)
    event("swallow", start, start + 2, start + 6, kind="irrelevant", category="swallowing", action_units="",
          emotion="")  # fmt: skip
    event("flagged", flag_frame - 3, flag_frame, flag_frame + 5)
    return events


def code_episode(session: Path) -> dict[str, Event]:
    """Both coders code the same movements; the arbiter accepts each agreed proposal. Returns final events."""
    tables = {camera: read_frames_tsv(session / "video" / f"{camera}_frames.tsv") for camera in CAMERAS}
    flag = next(r for r in read_review(session / "review.tsv") if r["episode"] == "01" and r["action"] == "flag")
    in_file = tables["gras"].rows_in_file(flag["file"])
    planned = plan_events(tables["gras"], flag["file"], int(in_file[int(flag["file_frame"])]), tables["uvc"])
    logs = [CodingLog(session, coder, tables) for coder in ("C1", "C2")]
    coded: list[list[Event]] = [[], []]
    for log, mine in zip(logs, coded, strict=True):
        for event in planned:
            mine.append(log.add(event))
        log.done("01")
        log.close()
    final = FinalLog(session, "C1", "C2", tables, arbiter="A1")
    events = {}
    for proposal in proposals(coded[0], coded[1], "gras", tables):
        event = final.decide(proposal, proposal.decided)
        assert event is not None and proposal.first is not None
        events[proposal.first.event_id] = event  # the planned name: the coders kept it as the event id
    final.close()
    review = ReviewLog(session / "review.tsv")
    review.add(**{**flag, "action": "confirm", "source": "later", "time_utc": ""})
    review.close()
    return events
