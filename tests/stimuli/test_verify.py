"""stimuli.verify on bad clips made here with the bundled ffmpeg, and its decode cache."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import stimuli.verify as verify
from hardware.video import ffmpeg_exe
from stimuli.manifest import Clip
from stimuli.verify_cache import VerifyCache, default_path


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "casme-elicitation" / "clip-verify.json"


def make_clip(path: Path, video_s: float = 6.0, audio_s: float = 6.0, faststart: bool = True) -> Path:
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y",
           "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=30:duration={video_s}",
           "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={audio_s}",
           "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac",
           *(["-movflags", "+faststart"] if faststart else []), "-f", "mp4", str(path)]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True)
    return path


def clip_of(path: Path, **over) -> Clip:
    return Clip(id="ep01", path=path, duration_range=(5.0, 7.0), width=320, height=180, fps=30.0, **over)


def truncate(path: Path, share: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * share)])


@pytest.fixture
def counted(monkeypatch) -> list[Path]:
    calls: list[Path] = []
    real = verify.decode_media

    def counting(path: Path, audio: bool = True):
        calls.append(Path(path))
        return real(path, audio)

    monkeypatch.setattr(verify, "decode_media", counting)
    return calls


def test_a_good_clip_passes(tmp_path):
    result = verify.check_clip(clip_of(make_clip(tmp_path / "ok.mp4")))
    assert result.ok, result.problems
    assert result.duration_s == pytest.approx(6.0) and result.has_audio


def test_a_clip_cut_to_90_percent_fails_naming_the_file(tmp_path):
    path = make_clip(tmp_path / "cut.mp4")
    truncate(path, 0.9)  # the header (moov first) still says 6.0 s; the stream decodes to about 5.3 s
    result = verify.check_clip(clip_of(path))
    assert not result.ok
    assert any(p.startswith(f"{path}: does not decode:") for p in result.problems), result.problems


def test_a_video_stream_that_ends_early_fails_even_without_decode_errors(tmp_path):
    path = make_clip(tmp_path / "short.mp4", video_s=5.0, audio_s=6.0)  # the container lasts 6.0 s
    result = verify.check_clip(clip_of(path))
    assert result.problems == [f"{path}: the video stream ends at 5.00 s, 30 frames before the 6.00 s its "
                               "header declares (cut short?)"]  # fmt: skip


def test_a_truncated_clip_without_its_header_names_the_file_and_no_none(tmp_path):
    path = make_clip(tmp_path / "headless.mp4", faststart=False)  # moov at the end: cut off with the tail
    truncate(path, 0.9)
    result = verify.check_clip(clip_of(path))
    assert not result.ok and result.problems[0].startswith(f"{path}: not readable as a video (ffmpeg: ")
    assert all(str(path) in p for p in result.problems)
    assert not any("None" in p for p in result.problems), result.problems


def test_a_png_renamed_mp4_is_not_a_video(tmp_path):
    png = tmp_path / "still.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1",
                    "-f", "image2", "-c:v", "png", str(png)], check=True, capture_output=True)  # fmt: skip
    result = verify.check_clip(clip_of(png))
    assert result.problems == [f"{png}: not a video (ffmpeg reads it as png_pipe png)"]


def test_missing_clip_names_its_path(tmp_path):
    assert verify.check_clip(clip_of(tmp_path / "nope.mp4")).problems == [f"{tmp_path / 'nope.mp4'}: missing"]


def test_an_unchanged_clip_is_decoded_once_a_changed_one_again(tmp_path, counted, private_cache):
    path = make_clip(tmp_path / "ok.mp4")
    first = verify.verify_clips([clip_of(path)])
    again = verify.verify_clips([clip_of(path)])
    assert len(counted) == 1 and first == again and again[0].ok
    assert default_path() == private_cache and private_cache.is_file()
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # touched
    verify.verify_clips([clip_of(path)])
    assert len(counted) == 2
    truncate(path, 0.9)  # modified: a different file behind the same name
    assert not verify.verify_clips([clip_of(path)])[0].ok and len(counted) == 3
    verify.verify_clips([clip_of(path, sha256=verify.sha256_of(path))])  # the manifest now pins a hash
    assert len(counted) == 4


def test_a_corrupt_cache_is_ignored_and_rebuilt(tmp_path, counted, private_cache):
    path = make_clip(tmp_path / "ok.mp4")
    private_cache.parent.mkdir(parents=True)
    private_cache.write_text('{"version": 1, "clips": {')  # a half-written file
    assert verify.verify_clips([clip_of(path)])[0].ok and len(counted) == 1
    data = json.loads(private_cache.read_text())
    assert list(data["clips"]) == [str(path.resolve())]
    assert VerifyCache().get(path) is not None
    verify.verify_clips([clip_of(path)])
    assert len(counted) == 1


def test_an_unwritable_cache_costs_a_decode_not_the_check(tmp_path, counted, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # its "directory" is a file: mkdir fails
    path = make_clip(tmp_path / "ok.mp4")
    assert verify.verify_clips([clip_of(path)])[0].ok and verify.verify_clips([clip_of(path)])[0].ok
    assert len(counted) == 2
