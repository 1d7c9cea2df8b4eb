"""`elicit import-footage`: footage -> a session folder ``DATA/sub-<ID>/ses-<N>/`` the rest of the app reads.

What is written, as the recorder writes it (README "Recordings and their files"):
- ``video/<camera>_epNN.mkv``: one file per episode (the whole source is episode 01, or one per
  ``--episodes`` range), re-encoded losslessly with the recorder's encoder (x264 qp 0, a keyframe a
  second), or for a whole video the source's own stream when the reader indexes it frame-exactly
  (stream_copy.py), so the workbench and the dataset export decode any frame exactly by its index;
- ``video/<camera>_frames.tsv``: a row per stored frame; ``camera_frame_id`` is the source's own counter
  (a picture's number, a video frame's index), ``host_time`` seconds from the source's first frame (the
  container's timestamps; pictures and ``--fps``: index / fps), ``camera_time`` the container timestamp;
- ``events.tsv``: an ``episode`` row per episode; ``session.json``: status completed, the rig's one
  camera, the episodes and their files, and ``imported`` (the source's name only, never its path).
Everything is built in a hidden folder beside ses-<N> and renamed into place when complete: a refused or
failed import leaves nothing behind (nor the sub-<ID> or DATA folders it created).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from elicitation.folder import EventLog, SessionState, check_participant, create_private_dir, utc_now
from elicitation.footage.source import FootageError, Picture, SourceInfo, read_source
from elicitation.footage.stream_copy import STORED as COPIED
from elicitation.footage.stream_copy import digest, replace_with_copy
from hardware.cameras.base import Frame, StreamFormat
from hardware.video import FramesTsvWriter, VideoWriter

CAMERA = re.compile(r"[a-z][a-z0-9_]{0,15}")
_LABEL = re.compile(r"\d{1,3}")
VIDEO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
STORED = "re-encoded losslessly (x264 qp 0, a keyframe a second: hardware.video.encoder)"


@dataclass(frozen=True)
class Episode:
    label: str  # "01": the recorder's episode names
    start_s: float  # seconds from the source's first frame, inclusive
    end_s: float  # exclusive


def parse_episodes(specs: list[str]) -> list[Episode]:
    """``LABEL:START_S:END_S`` ranges; FootageError for a malformed, empty, repeated or overlapping one."""
    out: list[Episode] = []
    for spec in specs:
        parts = spec.split(":")
        try:
            if len(parts) != 3 or not _LABEL.fullmatch(parts[0]):
                raise ValueError
            episode = Episode(f"{int(parts[0]):02d}", float(parts[1]), float(parts[2]))
        except ValueError:
            raise FootageError(f"--episodes {spec!r}: give LABEL:START_S:END_S, LABEL 1-3 digits (01:0:12.5)") from None
        if not 0 <= episode.start_s < episode.end_s:
            raise FootageError(f"--episodes {spec!r}: needs 0 <= start < end")
        out.append(episode)
    out.sort(key=lambda e: e.start_s)
    labels = [e.label for e in out]
    if len(set(labels)) != len(labels):
        raise FootageError(f"--episodes: a label is given twice ({', '.join(labels)})")
    for a, b in zip(out, out[1:], strict=False):
        if b.start_s < a.end_s:
            raise FootageError(f"--episodes: episodes {a.label} and {b.label} overlap")
    return out


def _next_session(sub: Path) -> int:
    numbers = [int(p.name[4:]) for p in sub.glob("ses-*") if p.name[4:].isdigit()] if sub.is_dir() else []
    return max(numbers, default=0) + 1


class _Episodes:
    """The writers of one import: a video file per episode, one frames.tsv."""

    def __init__(self, video: Path, camera: str, fps: float, episodes: list[Episode]) -> None:
        self.video, self.camera, self.fps, self.episodes = video, camera, fps, episodes
        self.table = FramesTsvWriter(video / f"{camera}_frames.tsv")
        self.writers: dict[str, VideoWriter] = {}
        self.times: dict[str, list[float]] = {}

    def label_of(self, t: float) -> str | None:
        return next((e.label for e in self.episodes if e.start_s <= t < e.end_s), None)

    def write(self, picture: Picture, info: SourceInfo) -> None:
        label = self.label_of(picture.time_s)
        if label is None:
            return
        if label not in self.writers:
            fmt = StreamFormat(info.width, info.height, info.pixel_format, self.fps)
            self.writers[label] = VideoWriter(self.video / f"{self.camera}_ep{label}.mkv", fmt)
            self.times[label] = []
        writer = self.writers[label]
        self.table.write(picture.number, picture.time_s, picture.camera_time, writer.path.name, writer.frames)
        writer.write(Frame(picture.pixels, picture.number, picture.time_s, picture.camera_time))
        self.times[label].append(picture.time_s)
        self.table.flush_if_due(time.monotonic())

    def abort(self) -> None:
        """After a failure: end every encoder (the files go with the folder)."""
        for closing in (self.table.close, *(w.close for w in self.writers.values())):
            try:
                closing()
            except Exception:  # noqa: BLE001 - already failing: the first error is the one reported
                continue

    def close(self) -> None:
        try:
            self.table.close()
        finally:
            for writer in self.writers.values():
                writer.close()
                os.chmod(writer.path, 0o600)


def _session_json(folder: Path, participant: str, number: int, camera: str, info: SourceInfo, fps: float,
                  measured: float | None, frames: int, written: _Episodes) -> None:  # fmt: skip
    files = {label: w.path.name for label, w in written.writers.items()}
    episodes = {label: {"status": "done", "video": {camera: files[label]}, "frames": len(written.times[label]),
                        "first_frame_s": written.times[label][0], "last_frame_s": written.times[label][-1], "clip": ""}
                for label in sorted(files)}  # fmt: skip
    imported: dict[str, Any] = {
        "source": info.name, "kind": info.kind, "container": info.container, "codec": info.codec,
        "width": info.width, "height": info.height, "pixel_format": info.pixel_format,
        "rotation_applied": info.rotation,
        "fps_declared": info.fps_declared, "fps_measured": measured, "fps_stored": fps, "frames": frames,
        "frames_stored": sum(len(t) for t in written.times.values()), "stored": STORED, "utc": utc_now(),
        "time_definition": "host_time: seconds from the source's first frame (video: its presentation timestamps; "
                           "pictures or --fps: (number or index) / fps); fps_measured = (frames - 1) / (last - first)",
        **info.extra,
    }  # fmt: skip
    camera_entry = {"backend": "import", "fps": fps, "width": info.width, "height": info.height,
                    "pixel_format": info.pixel_format, "dataset_class": camera}  # fmt: skip
    # one run per episode: the report measures rates within runs, not across the time between episodes
    runs = [{"run": n, "status": "completed", "t0_clock": 0.0, "first_suffix": f"ep{label}",
             "cameras": {camera: {"error": None,
                                  "files": [{"file": files[label], "frames": len(written.times[label])}]}}}
            for n, label in enumerate(sorted(files), start=1)]  # fmt: skip
    SessionState.new(folder, participant=participant, session=number, status="completed", ended_utc=utc_now(),
                     t0_clock=0.0, imported=imported, rig={"name": "imported", "cameras": {camera: camera_entry}},
                     episodes=episodes, runs=runs)  # fmt: skip


def _events(folder: Path, written: _Episodes, fps: float) -> None:
    log = EventLog(folder / "events.tsv", t0=0.0)
    try:
        for label, times in sorted(written.times.items(), key=lambda kv: kv[1][0]):
            log.add("episode", times[0], duration=times[-1] - times[0] + 1 / fps, episode=label)
    finally:
        log.close()


def import_footage(source: Path, data: Path, participant: str, *, camera: str = "footage", fps: float | None = None,
                   episodes: list[str] | None = None, video: str | None = None) -> Path:  # fmt: skip
    """Import SOURCE as a new session of PARTICIPANT under DATA; returns the session folder. ``video`` names the
    video for label sheets (session.json ``imported.video``; default the source's name without its suffix)."""
    check_participant(participant)
    source = Path(source)
    video = video or (source.name if source.is_dir() else source.stem)
    if not VIDEO_NAME.fullmatch(video):
        raise FootageError(f"--video {video!r}: letters, digits, _ . - only (at most 64), as a label sheet names it")
    if not CAMERA.fullmatch(camera):
        raise FootageError(f"--camera {camera!r}: lower-case letters, digits and _, starting with a letter, at most 16")
    ranges = parse_episodes(episodes) if episodes else [Episode("01", 0.0, float("inf"))]
    if fps is not None and not fps > 0:
        raise FootageError(f"--fps must be a positive frame rate, got {fps}")
    info, pictures = read_source(source, fps)
    info.extra["video"] = video
    data = Path(data)
    sub = data / f"sub-{participant}"
    created = next((p for p in (data, sub) if not p.exists()), None)  # the first folder this import creates
    number = _next_session(sub)
    final, work = sub / f"ses-{number}", sub / f".ses-{number}.importing"
    if work.exists():
        raise FootageError(f"{work} exists: another import is running, or one was killed (remove it)")
    written: _Episodes | None = None
    try:
        create_private_dir(work / "video")
        count, first, last = 0, 0.0, 0.0
        copyable = info.kind == "video" and not episodes and fps is None  # stream_copy's conditions, then rotation
        digests: list[bytes] = []
        for picture in pictures:
            if copyable:
                digests.append(digest(picture.pixels))
            if written is None:
                rate = fps or info.fps_declared or 30.0
                written = _Episodes(work / "video", camera, rate, ranges)
            written.write(picture, info)
            first, last, count = (picture.time_s if count == 0 else first), picture.time_s, count + 1
        assert written is not None  # read_source refuses a source without frames
        done, written = written, None
        done.close()
        written = done
        empty = [e.label for e in ranges if e.label not in written.times]
        if empty:
            raise FootageError(f"{info.name}: episode {', '.join(empty)} holds no frame (the source's frames run "
                               f"from 0 to {last:.3f} s)")  # fmt: skip
        if copyable and info.rotation == 0 and replace_with_copy(source, done.writers["01"].path, digests,
                                                                 info.pixel_format):  # fmt: skip
            info.extra["stored"] = COPIED
        measured = (count - 1) / (last - first) if count > 1 and last > first else None
        _session_json(work, participant, number, camera, info, written.fps, measured, count, written)
        _events(work, written, written.fps)
        os.rename(work, final)
    except BaseException:
        if written is not None:
            written.abort()
        shutil.rmtree(work, ignore_errors=True)
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise
    return final
