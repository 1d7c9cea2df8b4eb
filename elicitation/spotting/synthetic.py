"""A synthetic spotting set: sim cameras with known expressions recorded straight to episode files, and
their truth as coding/final.tsv. SYNTHETIC: a photograph warped at known times, not a participant.

``simulate(out, rig, episodes)`` runs every camera of the rig (sim backend, with ``face:`` and
``expressions:``) unpaced through the real sim camera and the real lossless encoder, one file
``video/<camera>_ep<label>.mkv`` per episode window [start_s, end_s) of camera time, and
``video/<camera>_frames.tsv``. Its host_time is the clock at the start plus the camera's own time (the
camera ran faster than real time, so this is the time the frame would have had at its fps).
session.json holds the rig snapshot as the recorder writes it (each camera's settings: dataset build reads them).
``write_truth`` (also for a session the recorder made with such a rig: ``elicit spot truth SESSION --rig RIG``)
turns each micro movement inside one episode file into a final event (coders ``sim`` and ``truth``, decided
``accepted-unmatched``, with its kind's action units and emotion: UNITS, EMOTION), coded on the first camera
and resolved on every camera by host_time, as arbitrated codes are: onset the first frame showing the movement
(amplitude > 0), apex the frame nearest its apex time, offset the last frame showing it.
``coding/synthetic.json`` lists every movement and distractor with its frames per camera.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from elicitation.batch import atomic_write
from elicitation.coding import Event, FinalLog, Proposal, resolve
from elicitation.folder import BadInput, create_private_dir
from hardware import clock
from hardware.cameras import create_camera
from hardware.cameras.sim import Movement, schedule
from hardware.rig import Rig
from hardware.video import FramesTsvWriter, FrameTable, VideoWriter, read_frames_tsv

# each micro kind's action units and the emotion a coder would estimate from them (CASME II's AU -> emotion:
# AU1+2 surprise, AU12 happiness, AU4+9 disgust, AU15 repression, AU7 tense)
UNITS = {"brow_raise": "1+2", "lip_pull": "12", "brow_lower": "4+9", "lip_corner_depress": "15", "lid_tighten": "7"}
EMOTION = {"brow_raise": "surprise", "lip_pull": "happiness", "brow_lower": "disgust",
           "lip_corner_depress": "repression", "lid_tighten": "tense"}  # fmt: skip


def _record_camera(settings: Any, video: Path, episodes: list[tuple[str, float, float]], t0: float) -> None:
    from dataclasses import replace

    camera = create_camera(replace(settings, options={**settings.options, "paced": False}))
    camera.open()
    fmt = camera.configure(replace(settings, options={**settings.options, "paced": False}))
    tsv = FramesTsvWriter(video / f"{settings.name}_frames.tsv")
    camera.start()
    try:
        for label, start, end in episodes:
            writer = VideoWriter(video / f"{settings.name}_ep{label}.mkv", fmt)
            file_frame = 0
            while True:
                frame = camera.read()
                t = float(frame.camera_time if frame.camera_time is not None else frame.frame_id / settings.fps)
                if t < start:
                    continue
                if t >= end:
                    break
                writer.write(frame)
                tsv.write(frame.frame_id, t0 + t, t, writer.path.name, file_frame)
                file_frame += 1
            writer.close()
    finally:
        camera.stop()
        camera.close()
        tsv.close()


def simulate(out: Path, rig: Rig, episodes: list[tuple[str, float, float]], participant: str = "sim01") -> Path:
    """Record the synthetic session; returns its folder (out/sub-<participant>/ses-1)."""
    for name, settings in rig.cameras.items():
        if settings.backend != "sim" or not settings.options.get("expressions"):
            raise BadInput(f"camera '{name}': a synthetic set needs sim cameras with face: and expressions:")
    session = Path(out) / f"sub-{participant}" / "ses-1"
    video = session / "video"
    if video.exists():
        raise BadInput(f"{session} exists; recordings are never overwritten")
    create_private_dir(video)
    t0 = clock.now()
    for settings in rig.cameras.values():
        _record_camera(settings, video, episodes, t0)
    # the rig snapshot as the recorder writes it (session.setup): dataset build reads each camera's settings there
    cameras = {name: vars(settings) for name, settings in rig.cameras.items()}
    state = {"participant": participant, "session": 1, "synthetic": True,
             "rig": {"name": rig.name, "path": str(rig.path), "cameras": cameras},
             "episodes": {label: {"video": {c: f"{c}_ep{label}.mkv" for c in rig.cameras}, "window_s": [a, b]}
                          for label, a, b in episodes}}  # fmt: skip
    atomic_write(session / "session.json", json.dumps(state, indent=1) + "\n")
    write_truth(session, rig)
    return session


def _frames_of(m: Movement, table: FrameTable, fps: float) -> dict[str, Any] | None:
    """Onset, apex, offset rows of a movement on one camera (None if it is not within one file)."""
    t = table.camera_frame_id / fps
    shown = [i for i in range(len(table)) if m.amplitude(float(t[i])) > 0]
    if not shown or table.file[shown[0]] != table.file[shown[-1]]:
        return None
    apex_t = m.times()[1]
    apex = min(shown, key=lambda i: abs(float(t[i]) - apex_t))
    return {"file": table.file[shown[0]], "onset": int(table.frame[shown[0]]), "apex": int(table.frame[apex]),
            "offset": int(table.frame[shown[-1]])}  # fmt: skip


def write_truth(session: Path, rig: Rig) -> Path:
    """coding/final.tsv (the micro movements) and coding/synthetic.json (everything) of a synthetic session."""
    session = Path(session)
    tables = {c: read_frames_tsv(session / "video" / f"{c}_frames.tsv") for c in rig.cameras}
    reference = next(iter(rig.cameras))
    plans = {c: schedule(s.options["expressions"]) for c, s in rig.cameras.items()}
    if any(p != plans[reference] for p in plans.values()):
        raise BadInput("the sim cameras film one face: give them the same expressions")
    fps = {c: s.fps for c, s in rig.cameras.items()}
    file_episode = {f"{c}_ep{label}.mkv": label for label in _labels(session) for c in rig.cameras}
    final = FinalLog(session, "sim", "truth", tables, arbiter="schedule")
    listed = []
    try:
        for n, m in enumerate(plans[reference], start=1):
            where = {c: _frames_of(m, tables[c], fps[c]) for c in rig.cameras}
            listed.append({"kind": m.kind, "micro": m.micro, "times_s": list(m.times()), "pixels": m.pixels,
                           "change": m.change, "frames": where})  # fmt: skip
            ref = where[reference]
            if not m.micro or ref is None or ref["file"] not in file_episode:
                continue  # a distractor, or a movement outside one episode file (between clips)
            event = Event(event_id=f"sim{n}", episode=file_episode[ref["file"]], kind="micro", camera=reference,
                          onset=ref["onset"], apex=ref["apex"], offset=ref["offset"], action_units=UNITS[m.kind],
                          emotion=EMOTION[m.kind], note=f"synthetic {m.kind} {m.pixels:.1f} px")  # fmt: skip
            event = resolve(event, tables)
            final.decide(Proposal(event.event_id, event, None, None, "accepted-unmatched"), "accepted-unmatched")
    finally:
        final.close()
    path = session / "coding" / "synthetic.json"
    atomic_write(path, json.dumps({"synthetic": True, "movements": listed}, indent=1) + "\n")
    return path


def _labels(session: Path) -> list[str]:
    data = json.loads((session / "session.json").read_text(encoding="utf-8"))
    return sorted(data.get("episodes", {}))
