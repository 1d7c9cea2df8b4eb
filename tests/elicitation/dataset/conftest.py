"""A coded session for the dataset tests: final.tsv, review.tsv and session.json, frames 17/18 ms apart."""

from __future__ import annotations

import json

import numpy as np
import pytest

from elicitation.coding import Event, FinalLog, proposals, resolve
from elicitation.folder import ReviewLog
from hardware.video import FrameTable

# Frame intervals alternate 17 and 18 ms (mean 17.5 ms, not 1/60 s): 29 intervals are 507 ms on the
# clock but 483 ms if counted as frames / 60, so a frame-count implementation selects the wrong ones.
N = 600
HOST = 50.0 + np.concatenate([[0.0], np.cumsum(np.where(np.arange(N - 1) % 2, 0.018, 0.017))])


def table(offset_s: float = 0.0) -> FrameTable:
    idx = np.arange(N, dtype=np.int64)
    return FrameTable(idx, idx, HOST + offset_s, np.full(N, np.nan), [f"ep_{i // 300}.mkv" for i in idx], idx % 300)


TABLES = {"gras": table(), "benq": table(0.004)}


def coded(event_id: str, onset: int, apex: int, offset: int, **more) -> Event:
    base = {"episode": "01", "kind": "micro", "camera": "gras", "action_units": "4", "emotion": "disgust"}
    return resolve(Event(event_id, onset=onset, apex=apex, offset=offset, **{**base, **more}), TABLES)


def ms(a: int, b: int) -> float:
    return (HOST[b] - HOST[a]) * 1000


@pytest.fixture
def session(tmp_path):
    events = [
        coded("under", 10, 20, 38),  # 28 intervals: 490 ms
        coded("over", 100, 120, 129),  # 29 intervals: 507 ms (483 ms as frames / 60)
        coded("fast", 200, 214, 240),  # 700 ms, onset 14 intervals = 245 ms: fast-onset
        coded("slow", 300, 315, 340),  # 700 ms, onset 15 intervals = 262 ms (250 ms as frames / 60)
        coded("swallow", 400, 402, 405, kind="irrelevant", category="swallowing", action_units="", emotion=""),
        coded("flagged", 450, 452, 460),
        coded("unconfirmed", 500, 502, 510),
    ]
    final = FinalLog(tmp_path, "C1", "C2", TABLES, arbiter="A1")
    for proposal in proposals(events, events, "gras", TABLES):
        final.decide(proposal, "agreed")
    final.close()
    review = ReviewLog(tmp_path / "review.tsv")
    for frame, action in ((455, "flag"), (455, "confirm"), (505, "flag")):
        review.add(episode="01", camera="gras", file="ep_1.mkv", file_frame=frame - 300, clock_time=float(HOST[frame]),
                   category="swallowing", action=action, source="session")  # fmt: skip
    review.close()
    (tmp_path / "session.json").write_text(json.dumps({"participant": "P07", "session": 1}))
    return tmp_path
