"""Check the lab's clips against their manifest: present, a video, decodable, right duration, size, rate, hash.

Every clip is decoded completely with the bundled ffmpeg (hardware.video.decode_media: video and audio, every
error ffmpeg reports fails the clip), and the decoded video must reach the duration the header declares, so a
truncated download or a damaged file is found before a participant sits down, not half-way through an
episode. What a decode found is cached (stimuli/verify_cache.py) by path, size, mtime_ns and the manifest's
sha256: an unchanged clip is not decoded again; a changed one is. Every problem names the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hardware.video import DecodeResult, MediaInfo, decode_media, probe_media
from stimuli.manifest import Clip
from stimuli.verify_cache import VerifyCache

FPS_TOLERANCE = 0.01
SHORT_FRAMES = 2  # a video stream may end this many frames (plus SHORT_SLACK_S) before the header's duration
SHORT_SLACK_S = 0.05  # audio often outlasts the video by an AAC frame or two


@dataclass
class ClipCheck:
    clip: str
    file: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    has_audio: bool = False
    sha256: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _facts(clip: Clip, decode: bool, cache: VerifyCache | None) -> tuple[MediaInfo, DecodeResult | None, str]:
    """Header, decode and sha256 of the clip's file: from the cache when the file is unchanged."""
    cached = cache.get(clip.path, clip.sha256) if cache is not None and decode else None
    if cached is not None:
        info = MediaInfo(**{**cached["info"], "path": clip.path})
        return info, DecodeResult(**cached["decode"]), cached["sha256"]
    info = probe_media(clip.path)
    decoded = decode_media(clip.path) if decode and info.has_video and not info.is_image else None
    digest = sha256_of(clip.path)
    if cache is not None and decoded is not None:
        header = {k: v for k, v in asdict(info).items() if k != "path"}
        cache.put(clip.path, {"info": header, "decode": asdict(decoded), "sha256": digest}, clip.sha256)
    return info, decoded, digest


def check_clip(clip: Clip, decode: bool = True, cache: VerifyCache | None = None) -> ClipCheck:
    """One clip against its manifest entry."""
    path = clip.path
    result = ClipCheck(clip=clip.id, file=str(path), ok=False)
    if not path.is_file():
        result.problems.append(f"{path}: missing")
        return result
    info, decoded, result.sha256 = _facts(clip, decode, cache)
    result.width, result.height, result.fps, result.has_audio = info.width, info.height, info.fps, info.has_audio
    problems = result.problems
    if not info.container:
        problems.append(f"{path}: not readable as a video (ffmpeg: {info.error})")
    elif not info.has_video or info.is_image:
        what = f"{info.container.split(',')[0]} {info.video_codec}".strip()
        problems.append(f"{path}: not a video (ffmpeg reads it as {what or 'no video stream'})")
    else:
        result.duration_s = info.duration_s
        if decoded is not None:
            problems += _decode_problems(path, info, decoded)
            if info.fps and decoded.frames:
                result.duration_s = decoded.frames / info.fps
        problems += _manifest_problems(clip, result)
    if clip.sha256 and result.sha256 != clip.sha256:
        problems.append(f"{path}: sha256 {result.sha256[:12]}... differs from the manifest's {clip.sha256[:12]}...")
    result.ok = not problems
    return result


def _decode_problems(path: Path, info: MediaInfo, decoded: DecodeResult) -> list[str]:
    problems = []
    if decoded.errors:
        more = f" (+{len(decoded.errors) - 1} more)" if len(decoded.errors) > 1 else ""
        problems.append(f"{path}: does not decode: {decoded.errors[0][:200]}{more}")
    elif decoded.frames == 0:
        problems.append(f"{path}: does not decode: no video frame")
    if info.duration_s and info.fps and decoded.frames:
        video_s = decoded.frames / info.fps
        if video_s < info.duration_s - SHORT_FRAMES / info.fps - SHORT_SLACK_S:
            short = round(info.duration_s * info.fps) - decoded.frames
            problems.append(f"{path}: the video stream ends at {video_s:.2f} s, {short} frames before the "
                            f"{info.duration_s:.2f} s its header declares (cut short?)")  # fmt: skip
    return problems


def _manifest_problems(clip: Clip, result: ClipCheck) -> list[str]:
    path, problems = clip.path, []
    lo, hi = clip.duration_range
    if result.duration_s is None:
        problems.append(f"{path}: duration unknown (the header declares none)")
    elif not lo <= result.duration_s <= hi:
        problems.append(f"{path}: lasts {result.duration_s:.1f} s, expected {lo:g}-{hi:g} s")
    if clip.width and clip.height and (result.width, result.height) != (clip.width, clip.height):
        problems.append(f"{path}: size {result.width}x{result.height}, expected {clip.width}x{clip.height}")
    if clip.fps and (result.fps is None or abs(result.fps - clip.fps) > FPS_TOLERANCE):
        shown = "no frame rate in the header" if result.fps is None else f"{result.fps:g} fps"
        problems.append(f"{path}: {shown}, expected {clip.fps:g} fps")
    return problems


def verify_clips(clips: Iterable[Clip], decode: bool = True, use_cache: bool = True) -> list[ClipCheck]:
    """Every clip checked; with ``use_cache`` an unchanged clip's decode is taken from the cache."""
    cache = VerifyCache() if use_cache and decode else None
    try:
        return [check_clip(clip, decode, cache) for clip in clips]
    finally:
        if cache is not None:
            cache.save()


def results_table(results: list[ClipCheck], title: str = "Stimuli"):
    """A rich Table of verify results (imported lazily: rich is only needed for display)."""
    from rich.table import Table

    table = Table(title=title)
    for column in ("clip", "verdict", "duration", "size", "fps", "audio", "sha256", "problems"):
        table.add_column(column, overflow="fold")
    for r in results:
        table.add_row(
            r.clip,
            "[green]OK[/]" if r.ok else "[red]FAIL[/]",
            "-" if r.duration_s is None else f"{r.duration_s:.1f} s",
            f"{r.width}x{r.height}" if r.width else "-",
            "-" if r.fps is None else f"{r.fps:g}",
            "yes" if r.has_audio else "no",
            (r.sha256 or "-")[:12],
            "\n".join(r.problems),
        )
    return table
