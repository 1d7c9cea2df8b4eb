"""Before --resume appends anything: every camera's frames.tsv against its videos, repaired.

A kill or a full disk can leave a torn last row and rows for frames the video never received. Both
are cut in place (hardware.video.check_table); each repair goes to session.json ``repairs`` with
its counts, and a warning. Videos are never touched; a video holding frames beyond its rows is only
flagged (those frames have no times). A table that cannot be read stops the resume (exit 1).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from elicitation.folder import SessionState, clean_video_files, utc_now
from elicitation.session import preflight as pf
from hardware.video import TableCheck, check_table

log = logging.getLogger("elicitation.session")


def check_recordings(folder: Path, data: dict[str, Any], repair: bool) -> dict[str, TableCheck]:
    """One TableCheck per camera of the rig whose frames.tsv exists."""
    video = Path(folder) / "video"
    checks = {}
    for camera in data.get("rig", {}).get("cameras", {}):
        path = video / f"{camera}_frames.tsv"
        if path.is_file():
            checks[camera] = check_table(path, clean_video_files(data, camera), repair=repair)
    return checks


def repair_for_resume(state: SessionState) -> pf.Check:
    checks = check_recordings(state.path.parent, state.data, repair=True)
    repairs = state.data.setdefault("repairs", [])
    found = []
    for camera, check in checks.items():
        if check.torn_bytes:
            repairs.append({"utc": utc_now(), "table": check.table, "torn_row_bytes_cut": check.torn_bytes})
        for f in check.files:
            if f.rows_dropped:
                repairs.append({
                    "utc": utc_now(), "table": check.table, "file": f.file, "rows_listed": f.rows + f.rows_dropped,
                    "frames_held": f.frames, "rows_dropped": f.rows_dropped,
                })  # fmt: skip
        for problem in check.problems():
            found.append(problem)
            state.warn(f"resume check, camera {camera}: {problem}", save=False)
            log.warning("resume check, camera %s: %s", camera, problem)
    state.save()
    damaged = [f"{c.table}: {c.damaged}" for c in checks.values() if c.damaged]
    if damaged:
        return pf.Check("recorded files", False, "; ".join(damaged) + " (cannot be appended to)")
    if found:
        return pf.Check("recorded files", True, "repaired or flagged (see session.json): " + "; ".join(found))
    return pf.Check("recorded files", True, f"{len(checks)} frame table(s) match their videos")
