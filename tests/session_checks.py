"""Checks of a finished session folder shared by the session tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from elicitation.folder import read_tsv
from hardware.cameras.sim import barcode
from hardware.video import iter_frames, read_frames_tsv


def load(folder: Path) -> tuple[dict, list[dict[str, str]]]:
    return json.loads((folder / "session.json").read_text()), read_tsv(folder / "events.tsv")


def check_episode_onsets(folder: Path, trial_types: tuple[str, ...] = ("episode",)) -> int:
    """For every episode onset in events.tsv and every camera: the first frame at or after the
    onset's clock_time is the first frame of that episode's file, the frame before it is in another
    file, and the barcode decoded from that frame is its camera_frame_id. Returns checks made."""
    state, events = load(folder)
    cameras = list(state["rig"]["cameras"])
    tables = {cam: read_frames_tsv(folder / "video" / f"{cam}_frames.tsv") for cam in cameras}
    checked = 0
    for row in events:
        if row["trial_type"] not in trial_types:
            continue
        t = float(row["clock_time"])
        entry = state["episodes"][row["episode"]]
        assert row["stimulus"] == entry["file"]
        attempt = next(a for a in entry["attempts"] if abs(a["onset_clock"] - t) < 1e-5)
        for cam in cameras:
            table = tables[cam]
            i = int(np.searchsorted(table.host_time, t, side="left"))  # first host_time >= t
            assert i < len(table) and table.host_time[i] >= t
            assert table.file[i] == attempt["files"][cam], (row, cam, table.file[i])
            assert table.file_frame[i] == 0
            assert i > 0 and table.host_time[i - 1] < t and table.file[i - 1] != table.file[i]
            first = next(iter_frames(folder / "video" / table.file[i], "gray"))
            assert barcode.read(first) == table.camera_frame_id[i]
            checked += 1
    return checked
