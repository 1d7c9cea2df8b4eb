"""Check the lab's clips against their manifest: present, decodable, right duration, size, rate, hash.

Every clip is decoded completely with the bundled ffmpeg (``-xerror`` stops at the first broken
packet), so a truncated download or a damaged file is found before a participant sits down, not
half-way through an episode.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hardware.video import ffmpeg_exe
from stimuli.manifest import Clip

_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_SIZE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_FPS = re.compile(r"([\d.]+) fps")
_PROGRESS = re.compile(r"frame=\s*(\d+).*?time=\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
FPS_TOLERANCE = 0.01


@dataclass
class Probe:
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    has_audio: bool = False
    frames: int = 0
    decoded_s: float | None = None
    error: str = ""


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


def probe(path: Path, decode: bool = True) -> Probe:
    """Header facts of a movie file and, with decode, a full decode of its first video stream."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)]
    if decode:
        cmd += ["-xerror", "-map", "0:v:0", "-f", "null", "-"]
    result = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    text = result.stderr.replace("\r", "\n")
    info = Probe()
    if m := _DURATION.search(text):
        info.duration_s = int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3])
    for line in text.splitlines():
        if "Stream #0:" in line and "Video:" in line and info.width is None:
            if m := _SIZE.search(line.split("Video:", 1)[1]):
                info.width, info.height = int(m[1]), int(m[2])
            if m := _FPS.search(line):
                info.fps = float(m[1])
        elif "Stream #0:" in line and "Audio:" in line:
            info.has_audio = True
    if not decode:
        if info.width is None:
            info.error = _last_line(text) or "no video stream"
        return info
    progress = _PROGRESS.findall(text)
    if progress:
        frames, h, m_, s = progress[-1]
        info.frames, info.decoded_s = int(frames), int(h) * 3600 + int(m_) * 60 + float(s)
    if result.returncode != 0 or info.frames == 0:
        info.error = _last_line(text) or f"ffmpeg exited with code {result.returncode}"
    return info


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("frame=")]
    return lines[-1][:200] if lines else ""


def check_clip(clip: Clip, decode: bool = True) -> ClipCheck:
    """One clip against its manifest entry."""
    result = ClipCheck(clip=clip.id, file=str(clip.path), ok=False)
    if not clip.path.is_file():
        result.problems.append(f"missing: {clip.path.name}")
        return result
    info = probe(clip.path, decode=decode)
    result.width, result.height, result.fps, result.has_audio = info.width, info.height, info.fps, info.has_audio
    result.duration_s = info.decoded_s if info.decoded_s else info.duration_s
    if info.error:
        result.problems.append(f"does not decode: {info.error}")
    lo, hi = clip.duration_range
    if result.duration_s is None:
        result.problems.append("duration unknown")
    elif not lo <= result.duration_s <= hi:
        result.problems.append(f"lasts {result.duration_s:.1f} s, expected {lo:g}-{hi:g} s")
    if clip.width and clip.height and (info.width, info.height) != (clip.width, clip.height):
        result.problems.append(f"size {info.width}x{info.height}, expected {clip.width}x{clip.height}")
    if clip.fps and (info.fps is None or abs(info.fps - clip.fps) > FPS_TOLERANCE):
        result.problems.append(f"{info.fps} fps, expected {clip.fps:g}")
    result.sha256 = sha256_of(clip.path)
    if clip.sha256 and result.sha256 != clip.sha256:
        result.problems.append(f"sha256 {result.sha256[:12]}... differs from the manifest's {clip.sha256[:12]}...")
    result.ok = not result.problems
    return result


def verify_clips(clips: Iterable[Clip], decode: bool = True) -> list[ClipCheck]:
    return [check_clip(clip, decode) for clip in clips]


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
