"""Bring a camcorder's own recording into a session (`elicit import VIDEO --session SESSION --camera NAME`).

The camcorder (e.g. the BenQ recording to its card) ran on its own clock. The session's sync flashes
(events.tsv rows of trial_type ``sync_flash``, whose clock_time are flip times) put it on the one clock:
hardware.analysis (camcorder alignment) finds them in the video and fits offset and drift. The video is copied into
``video/<camera>_import<ext>`` and ``video/<camera>_frames.tsv`` is written in the recorder's format, so the
imported camera looks like any recorded one. session.json gets an ``imports`` entry with the alignment.
Nothing in the session is overwritten: a camera name already in use is refused.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from elicitation.folder import BadInput, SessionState, utc_now
from hardware.analysis import Alignment, align_video, write_frames

_CAMERA = re.compile(r"[a-z][a-z0-9_]{0,31}")  # the rig's camera-name rule (the whole name: fullmatch)


def _target_paths(session: Path, state: SessionState, camera: str, video: Path) -> tuple[Path, Path]:
    if not _CAMERA.fullmatch(camera):
        raise BadInput(f"camera name {camera!r}: use lower-case letters, digits and _, starting with a letter")
    rig_cameras = state.data.get("rig", {}).get("cameras", {})
    if camera in rig_cameras:
        raise BadInput(f"camera {camera!r} is one of the session's rig cameras ({', '.join(rig_cameras)}); "
                       "give the imported camera its own name, e.g. benq_card")  # fmt: skip
    folder = session / "video"
    copy, table = folder / f"{camera}_import{video.suffix.lower()}", folder / f"{camera}_frames.tsv"
    for path in (copy, table):
        if path.exists():
            raise BadInput(f"{path} exists: camera {camera!r} was imported already (nothing is overwritten)")
    return copy, table


def import_video(video: Path, session: Path, camera: str, fps: float | None = None) -> tuple[Alignment, Path, Path]:
    """Align, copy, write the table and record the import. Raises BadInput, FlashInputError, FlashSyncError."""
    video, session = Path(video), Path(session)
    if not video.is_file():
        raise BadInput(f"{video}: no such file")
    state = SessionState.load(session)
    events = session / "events.tsv"
    if not events.is_file():
        raise BadInput(f"{session} has no events.tsv: the session never reached its sync flashes")
    copy, table = _target_paths(session, state, camera, video)
    alignment = align_video(video, events, fps)  # refuses before anything is written
    tmp = copy.with_name(f".{copy.name}.part")
    shutil.copyfile(video, tmp)
    os.chmod(tmp, 0o600)
    tmp.replace(copy)  # the copy appears whole or not at all
    write_frames(alignment, copy, table)
    state.data.setdefault("imports", []).append({
        "camera": camera, "file": copy.name, "frames_tsv": table.name, "source": video.name,
        "imported_utc": utc_now(), "alignment": alignment.report(),
    })  # fmt: skip
    state.save()
    return alignment, copy, table

