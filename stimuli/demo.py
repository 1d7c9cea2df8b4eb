"""Generate the demo clips of a manifest (stimuli/demo.yaml) with the ffmpeg imageio-ffmpeg ships.

Each clip: a moving test pattern (lavfi ``testsrc2``), a tone (``sine``) and the clip's label
burned in with ``drawtext``. If an ffmpeg build lacks drawtext, the frames are drawn here with
numpy + OpenCV and piped in instead. Files are written under a temporary name and renamed when
complete, so a half-written clip never passes for a good one.
"""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

import numpy as np

from hardware.video import ffmpeg_exe
from stimuli.errors import ClipGenerationError
from stimuli.manifest import Clip, Manifest, load_manifest

DEMO_MANIFEST = Path(__file__).with_name("demo.yaml")
_ENCODE = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k"]


def clip_seconds(clip: Clip) -> float:
    """Demo clips are short: one second past the minimum of their range."""
    lo, hi = clip.duration_range
    return min(hi, lo + 1.0)


@cache
def has_drawtext() -> bool:
    result = subprocess.run([ffmpeg_exe(), "-hide_banner", "-filters"], capture_output=True, text=True)
    return " drawtext " in result.stdout


def _font_file() -> str:
    import matplotlib  # ships DejaVu Sans, so no system font or fontconfig set-up is needed

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'").replace("%", "\\%")


def generate_clip(clip: Clip, index: int, force: bool = False) -> Path:
    """Write one demo clip (index varies pattern and tone); return its path."""
    if clip.path.exists() and not force:
        return clip.path
    clip.path.parent.mkdir(parents=True, exist_ok=True)
    width, height, fps = clip.width or 640, clip.height or 360, clip.fps or 30.0
    seconds = clip_seconds(clip)
    tone = 330 + 110 * index
    label = clip.label or clip.id
    tmp = clip.path.with_name(f".{clip.path.stem}.partial{clip.path.suffix}")
    audio = ["-f", "lavfi", "-i", f"sine=frequency={tone}:sample_rate=48000:duration={seconds}"]
    if has_drawtext():
        text_height = max(16, height // 9)
        draw = (
            f"hue=h={index * 70},"
            f"drawtext=fontfile='{_escape(_font_file())}':text='{_escape(label)}':fontsize={text_height}:"
            "fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=12:x=(w-tw)/2:y=(h-th)/2"
        )
        cmd = [
            ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={fps:g}:duration={seconds}",
            *audio, "-vf", draw, *_ENCODE, "-shortest", "-f", "mp4", str(tmp),
        ]  # fmt: skip
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise ClipGenerationError(f"ffmpeg could not make {clip.path.name}: {result.stderr.strip()[-400:]}")
    else:
        _pipe_frames(tmp, audio, width, height, fps, seconds, label, index)
    tmp.replace(clip.path)
    return clip.path


def _pipe_frames(
    out: Path, audio: list[str], width: int, height: int, fps: float, seconds: float, label: str, index: int
) -> None:
    """Fallback without drawtext: moving colour bands and the label, drawn with numpy and OpenCV."""
    import cv2

    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{width}x{height}", "-r", f"{fps:g}", "-i", "pipe:0",
        *audio, *_ENCODE, "-shortest", "-f", "mp4", str(out),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    x = np.arange(width)[None, :]
    y = np.arange(height)[:, None]
    scale = height / 400
    size, _ = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, 2)
    for n in range(int(round(seconds * fps))):
        phase = n / fps * 2.0
        img = np.empty((height, width, 3), np.uint8)
        for c in range(3):
            img[:, :, c] = (127 + 100 * np.sin(x / 40.0 + phase + c * 2.1 + index) * np.cos(y / 50.0)).astype(
                np.uint8
            )
        org = ((width - size[0]) // 2, (height + size[1]) // 2)
        cv2.rectangle(img, (org[0] - 12, org[1] - size[1] - 12), (org[0] + size[0] + 12, org[1] + 12), 0, -1)
        cv2.putText(img, label, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), 2, cv2.LINE_AA)
        proc.stdin.write(img.tobytes())
    proc.stdin.close()
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.wait() != 0:
        raise ClipGenerationError(f"ffmpeg could not make {out.name}: {err.strip()[-400:]}")


def generate(manifest: Manifest | None = None, force: bool = False) -> list[Path]:
    """Make every clip of the manifest that is missing (all of them with force)."""
    manifest = manifest or load_manifest(DEMO_MANIFEST)
    return [generate_clip(clip, i, force) for i, clip in enumerate(manifest.clips.values())]


def missing(manifest: Manifest | None = None) -> list[Clip]:
    manifest = manifest or load_manifest(DEMO_MANIFEST)
    return [clip for clip in manifest.clips.values() if not clip.path.exists()]
