"""`elicit import-footage`: any footage becomes a session folder in the recorder's format, frame-exact by
index, with its real timing; bad footage is refused with its reason and leaves nothing behind."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import numpy as np
import pytest

from elicitation.folder import BadInput
from elicitation.footage import FootageError, import_footage, parse_episodes
from elicitation.footage.stream_copy import STORED as COPIED
from elicitation.footage.stream_copy import digest, replace_with_copy
from elicitation.report.data import load_session
from elicitation.workbench import open_session
from hardware.cameras.sim import barcode
from hardware.video import IndexedReader, read_frames_tsv
from tests.conftest import run_elicit
from tests.elicitation.footage.media import mjpeg_avi, picture, picture_folder, rotated, vfr_mkv


def _decoded_ids(session: Path, camera: str = "footage") -> list[tuple[int, int]]:
    """(camera_frame_id, barcode of the picture decoded by its file and file_frame) for every row."""
    table = read_frames_tsv(session / "video" / f"{camera}_frames.tsv")
    out, readers = [], {}
    for i in range(len(table)):
        file = table.file[i]
        readers.setdefault(file, IndexedReader(session / "video" / file))
        out.append((int(table.camera_frame_id[i]), barcode.read(readers[file].frame(int(table.file_frame[i])))))
    for reader in readers.values():
        reader.close()
    return out


def test_a_video_becomes_a_session_frame_exact_with_its_timestamps(tmp_path: Path) -> None:
    source = mjpeg_avi(tmp_path / "clip.avi", frames=50, fps=25)
    result = run_elicit("import-footage", str(source), "--participant", "P07", "--out", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    session = tmp_path / "data" / "sub-P07" / "ses-1"
    table = read_frames_tsv(session / "video" / "footage_frames.tsv")
    assert list(table.frame) == list(range(50)) and set(table.file) == {"footage_ep01.mkv"}
    assert np.allclose(table.host_time, np.arange(50) / 25, atol=1e-6)
    assert [a == b for a, b in _decoded_ids(session)] == [True] * 50
    meta = json.loads((session / "session.json").read_text())
    imported = meta["imported"]
    assert (imported["source"], imported["codec"], imported["frames"], imported["fps_declared"]) == (
        "clip.avi", "mjpeg", 50, 25.0)  # fmt: skip
    assert imported["fps_measured"] == pytest.approx(25.0)
    assert str(tmp_path) not in (session / "session.json").read_text()  # the source's name only, no path
    assert meta["episodes"]["01"]["video"] == {"footage": "footage_ep01.mkv"} and meta["status"] == "completed"
    for path in [tmp_path / "data" / "sub-P07", *session.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_a_variable_frame_rate_keeps_its_real_times(tmp_path: Path) -> None:
    times = [0, 33, 66, 120, 150, 200, 210, 260, 300, 333]
    session = import_footage(vfr_mkv(tmp_path / "vfr.mkv", times), tmp_path / "data", "P1")
    table = read_frames_tsv(session / "video" / "footage_frames.tsv")
    assert np.allclose(table.host_time, np.array(times) / 1000, atol=1e-6)
    assert all(a == b for a, b in _decoded_ids(session))
    imported = json.loads((session / "session.json").read_text())["imported"]
    assert imported["fps_measured"] == pytest.approx(9 / 0.333) and imported["fps_declared"] != imported["fps_measured"]
    given = import_footage(tmp_path / "vfr.mkv", tmp_path / "data", "P1", fps=10)  # --fps: index / fps instead
    assert np.allclose(read_frames_tsv(given / "video" / "footage_frames.tsv").host_time, np.arange(10) / 10)


def test_rotation_metadata_is_applied_and_recorded(tmp_path: Path) -> None:
    source = rotated(mjpeg_avi(tmp_path / "clip.avi", frames=5), tmp_path / "phone.mp4", 90)
    session = import_footage(source, tmp_path / "data", "P1")
    assert json.loads((session / "session.json").read_text())["imported"]["rotation_applied"] == 90
    with IndexedReader(session / "video" / "footage_ep01.mkv") as reader:
        stored = reader.frame(0)
    upright = np.rot90(picture(0), 1)  # 90 degrees counter-clockwise, as players show it
    assert stored.shape == upright.shape
    assert np.abs(stored.astype(int) - upright).mean() < 3  # MJPEG: near, not equal


def test_episode_ranges_become_episode_files_and_events(tmp_path: Path) -> None:
    source = mjpeg_avi(tmp_path / "clip.avi", frames=50, fps=25)
    session = import_footage(source, tmp_path / "data", "P1", episodes=["2:1.2:2.0", "1:0:0.4"], camera="cam")
    table = read_frames_tsv(session / "video" / "cam_frames.tsv")
    ids = list(table.camera_frame_id)
    assert ids == list(range(10)) + list(range(30, 50))  # [0, 0.4) s and [1.2, 2.0) s at 25 fps
    assert table.file.count("cam_ep01.mkv") == 10 and table.file.count("cam_ep02.mkv") == 20
    assert all(a == b for a, b in _decoded_ids(session, "cam"))
    events = (session / "events.tsv").read_text().splitlines()
    assert [line.split("\t")[2:4] for line in events[1:]] == [["episode", "01"], ["episode", "02"]]
    assert float(events[2].split("\t")[0]) == pytest.approx(1.2)
    assert [(g.key, g.files) for g in open_session(session).segments] == [  # the workbench's episode list
        ("01", {"cam": "cam_ep01.mkv"}), ("02", {"cam": "cam_ep02.mkv"})]  # fmt: skip
    report = load_session(session)  # `elicit report` reads it: rates within episodes, the frames left out as gaps
    assert report.problems == [] and report.complete
    assert (report.cameras[0].measured_fps, report.cameras[0].runs, report.cameras[0].dropped) == (
        pytest.approx(25.0), 2, 20)  # fmt: skip


def test_a_folder_of_numbered_pictures_with_fps(tmp_path: Path) -> None:
    folder = picture_folder(tmp_path / "006_1", [3, 4, 5, 7, 8])  # gray, 401 wide; picture 6 is missing
    session = import_footage(folder, tmp_path / "data", "6", fps=200)
    table = read_frames_tsv(session / "video" / "footage_frames.tsv")
    assert list(table.camera_frame_id) == [3, 4, 5, 7, 8]
    assert np.allclose(table.host_time, np.array([0, 1, 2, 4, 5]) / 200)
    with IndexedReader(session / "video" / "footage_ep01.mkv") as reader:
        assert (reader.frame(3) == picture(7, 401, 241, gray=True)).all()  # lossless, pixel for pixel
    meta = json.loads((session / "session.json").read_text())
    assert meta["imported"]["video"] == "006_1" and meta["rig"]["cameras"]["footage"]["pixel_format"] == "mono8"
    with pytest.raises(FootageError, match="needs --fps"):
        import_footage(folder, tmp_path / "data", "6")


def test_a_second_import_is_the_next_session(tmp_path: Path) -> None:
    source = mjpeg_avi(tmp_path / "clip.avi", frames=3)
    first = import_footage(source, tmp_path / "data", "P1")
    second = import_footage(source, tmp_path / "data", "P1")
    assert (first.name, second.name) == ("ses-1", "ses-2")


@pytest.mark.parametrize(
    ("make", "args", "reason", "cli"),
    [
        (lambda d: (d / "notes.mp4").write_text("not a video"), [], "not a video", True),
        ("cut", [], "cut short", True),
        (lambda d: d.joinpath("empty").mkdir(), ["--fps", "30"], "no numbered pictures", False),
        (lambda d: mjpeg_avi(d / "empty.avi", frames=0), [], "has no frames", False),
        (lambda d: mjpeg_avi(d / "clip.avi", frames=3), ["--participant", "Jane Doe"], "participant ID", False),
        (lambda d: mjpeg_avi(d / "clip.avi", frames=30), ["--episodes", "1:5:6"], "holds no frame", False),
        (lambda d: mjpeg_avi(d / "clip.avi", frames=3), ["--episodes", "1:0:2", "--episodes", "2:1:3"], "overlap",
         False),
    ],
)  # fmt: skip
def test_bad_footage_is_refused_with_its_reason_and_leaves_nothing(tmp_path: Path, make, args, reason, cli) -> None:
    """Through the CLI (exit 2, one line, no traceback) or in process (the BadInput the CLI maps to 2)."""
    if make == "cut":
        whole = mjpeg_avi(tmp_path / "whole.avi", frames=40).read_bytes()
        (tmp_path / "cut.avi").write_bytes(whole[: len(whole) // 2])
    else:
        make(tmp_path)
    source = next(p for p in sorted(tmp_path.iterdir()) if p.name != "whole.avi")
    given = args if "--participant" in args else ["--participant", "P1", *args]
    if cli:
        result = run_elicit("import-footage", str(source), *given, "--out", str(tmp_path / "data"))
        assert result.returncode == 2, result.stdout + result.stderr
        assert reason in result.stderr and "Traceback" not in result.stderr
    else:
        pairs = list(zip(given[::2], given[1::2], strict=True))
        options = dict(pairs)
        fps = float(options["--fps"]) if "--fps" in options else None
        with pytest.raises(BadInput, match=reason):
            import_footage(source, tmp_path / "data", options["--participant"], fps=fps,
                           episodes=[v for k, v in pairs if k == "--episodes"])  # fmt: skip
    assert not (tmp_path / "data").exists()


def test_episode_specs_are_checked_before_anything_is_read() -> None:
    assert [e.label for e in parse_episodes(["3:4:5", "1:0:1.5"])] == ["01", "03"]
    for bad in (["x:0:1"], ["1:2:1"], ["1:0:1", "01:2:3"]):
        with pytest.raises(FootageError):
            parse_episodes(bad)


def test_a_stream_the_reader_indexes_exactly_is_copied_else_re_encoded(tmp_path: Path) -> None:
    source = mjpeg_avi(tmp_path / "clip.avi", frames=30)
    copied = import_footage(source, tmp_path / "data", "P1")
    assert json.loads((copied / "session.json").read_text())["imported"]["stored"] == COPIED
    assert all(a == b for a, b in _decoded_ids(copied))
    ranged = import_footage(source, tmp_path / "data", "P1", episodes=["1:0:0.5"])  # a cut: never copied
    assert json.loads((ranged / "session.json").read_text())["imported"]["stored"].startswith("re-encoded")
    stored = ranged / "video" / "footage_ep01.mkv"
    before = stored.read_bytes()
    wrong = [digest(picture(n + 1)) for n in range(30)]  # digests of other pictures: the check must fail
    assert not replace_with_copy(source, stored, wrong, "bgr24")
    assert stored.read_bytes() == before and sorted(p.name for p in stored.parent.iterdir()) == [
        "footage_ep01.mkv", "footage_frames.tsv"]  # fmt: skip
