"""Demo clips are generated with the bundled ffmpeg; verify finds every way a lab's clip can be wrong."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from hardware.video import iter_frames
from stimuli import demo
from stimuli.manifest import load_manifest
from stimuli.verify import check_clip
from tests.conftest import REPO, run_elicit


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("clips")
    text = (REPO / "stimuli" / "demo.yaml").read_text().replace("directory: demo", f"directory: {folder}")
    (folder / "manifest.yaml").write_text(text)
    demo.generate(load_manifest(folder / "manifest.yaml"))
    return folder / "manifest.yaml"


def test_generated_demo_clips_verify_move_and_have_sound(generated):
    manifest = load_manifest(generated)
    for clip in manifest.clips.values():
        result = check_clip(clip)
        assert result.ok, result.problems
        assert result.has_audio and (result.width, result.height, result.fps) == (640, 360, 30.0)
        assert 5 <= result.duration_s <= 10
    frames = list(iter_frames(manifest.clips["demo1"].path, "gray"))
    assert len(frames) == 180 and np.abs(frames[0].astype(int) - frames[60]).mean() > 5  # a moving pattern


def test_verify_reports_missing_truncated_wrong_hash_size_and_duration(generated, tmp_path):
    clip = load_manifest(generated).clips["demo1"]
    assert check_clip(replace(clip, path=tmp_path / "nope.mp4")).problems == [f"{tmp_path / 'nope.mp4'}: missing"]
    broken = tmp_path / "broken.mp4"
    data = clip.path.read_bytes()
    broken.write_bytes(data[: len(data) // 3])  # an interrupted download
    assert not check_clip(replace(clip, path=broken)).ok
    wrong = check_clip(replace(clip, sha256="0" * 64, width=1280, duration_range=(60.0, 240.0)))
    assert any("sha256" in p for p in wrong.problems)
    assert any("size 640x360, expected 1280x360" in p for p in wrong.problems)
    assert any("lasts 6.0 s, expected 60-240 s" in p for p in wrong.problems)


def test_cli_verify_exit_codes(generated, tmp_path):
    ok = run_elicit("stimuli", "verify", str(generated))
    assert ok.returncode == 0 and "all 3 clips OK" in ok.stdout
    missing = load_manifest(generated).clips["demo2"].path
    moved = tmp_path / missing.name
    missing.rename(moved)
    try:
        bad = run_elicit("stimuli", "verify", str(generated))
    finally:
        moved.rename(missing)
    assert bad.returncode == 1 and "1 of 3 clip(s) failed" in bad.stderr and "demo2" in bad.stderr


def test_without_drawtext_the_frames_are_drawn_here_and_piped(generated, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "has_drawtext", lambda: False)
    clip = replace(load_manifest(generated).clips["demo3"], path=tmp_path / "fallback.mp4")
    demo.generate_clip(clip, 2)
    result = check_clip(clip)
    assert result.ok and result.has_audio, result.problems
    frames = list(iter_frames(clip.path, "gray"))
    assert np.abs(frames[0].astype(int) - frames[60]).mean() > 5
