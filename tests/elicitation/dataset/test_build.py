"""`elicit dataset build` on the demo session coded through the coding data layer: the rule's samples,
pictures that decode to the barcodes of the frames the sheet names, a sheet openpyxl and pandas read,
a manifest that matches the files, private permissions, and `dataset stats` on the result."""

from __future__ import annotations

import csv
import hashlib
import json
import stat

import cv2
import numpy as np
import pytest

from elicitation.folder import add_participant, make_participant
from hardware.cameras.sim import barcode
from hardware.video import iter_frames, read_frames_tsv
from tests.conftest import run_elicit
from tests.elicitation.dataset.demo_coding import CAMERAS, EXPECTED, code_episode, copy_episode


@pytest.fixture(scope="module")
def coded(demo_session, tmp_path_factory):
    """(data root, final events by planned name, frames tables) of the coded copy of episode 01."""
    result, folder, _ = demo_session
    assert result.returncode == 0, result.stderr
    root = tmp_path_factory.mktemp("coded") / "data"
    session = copy_episode(folder, root / "sub-demo" / "ses-1")
    events = code_episode(session)
    add_participant(root, make_participant("demo", 23, "female", "research,release"))
    tables = {c: read_frames_tsv(session / "video" / f"{c}_frames.tsv") for c in CAMERAS}
    return root, events, tables


@pytest.fixture(scope="module")
def built(coded, tmp_path_factory):
    root, _, _ = coded
    out = tmp_path_factory.mktemp("built") / "casme"
    # --allow-far-frames: a demo recorded at load may drop uvc frames (test_far_frames.py tests the refusal)
    result = run_elicit("dataset", "build", str(root), "--out", str(out), "--allow-far-frames")
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result


def _ms(table, a: int, b: int) -> float:
    return (table.host_time[b] - table.host_time[a]) * 1000


def _sheet(out):
    with (out / "coding.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_coded_movements_lie_where_the_rule_needs_them(coded):
    _, events, tables = coded
    gras = tables["gras"]
    for camera in CAMERAS:
        refs = {name: e.frames[camera] for name, e in events.items()}
        total = {n: (r["offset"].host_time - r["onset"].host_time) * 1000 for n, r in refs.items()}
        onset = {n: (r["apex"].host_time - r["onset"].host_time) * 1000 for n, r in refs.items()}
        assert 440 < total["under"] < 500 < total["over"] < 560 and onset["over"] > 250
        assert total["fast"] > 500 and onset["fast"] <= 250 and onset["slow"] > 250
    assert _ms(gras, events["under"].onset, events["under"].offset) == pytest.approx(
        (events["under"].time("offset") - events["under"].time("onset")) * 1000
    )


def test_build_selects_exactly_the_samples_the_rule_admits(coded, built):
    _, events, tables = coded
    out, result = built
    rows = _sheet(out)
    got = {(r["Camera"], int(r["OnsetFrame"]), int(r["OffsetFrame"]), r["Selection arm"]) for r in rows}
    want = {(c, events[n].frames[c]["onset"].frame, events[n].frames[c]["offset"].frame, arm)
            for n, arm in EXPECTED.items() for c in CAMERAS}  # fmt: skip
    assert got == want
    for row in rows:
        table = tables[row["Camera"]]
        assert float(row["Total duration ms"]) == pytest.approx(
            _ms(table, int(row["OnsetFrame"]), int(row["OffsetFrame"])), abs=1e-3)  # fmt: skip
        assert float(row["Onset duration ms"]) == pytest.approx(
            _ms(table, int(row["OnsetFrame"]), int(row["ApexFrame"])), abs=1e-3)  # fmt: skip
        assert (row["Class"], row["Subject"], row["Clip"], row["Session"]) == (
            {"uvc": "A", "gras": "B"}[row["Camera"]], "1", "demo1", "1")  # fmt: skip
        assert row["Action Units"] == "4+7" and row["Estimated Emotion"] == "disgust"
    # the same movement has the same name in both classes, numbered in onset order
    names = {(r["Camera"], int(r["OnsetFrame"])): r["Filename"] for r in rows}
    assert names == {(c, events[n].frames[c]["onset"].frame): f"EP01_0{k}" for k, n in ((1, "under"), (2, "fast"))
                     for c in CAMERAS}  # fmt: skip
    with (out / "excluded.csv").open(newline="") as fh:
        excluded = list(csv.DictReader(fh))
    by_onset = {(r["Camera"], int(r["OnsetFrame"])): r["Reason"] for r in excluded}
    for camera in CAMERAS:
        reason = {n: by_onset.pop((camera, events[n].frames[camera]["onset"].frame)) for n in
                  ("over", "slow", "swallow", "flagged")}  # fmt: skip
        assert reason["swallow"] == "coded irrelevant (swallowing)"
        assert reason["flagged"].startswith("participant flagged") and reason["flagged"].endswith("confirmed it")
        assert "> 500 ms and onset" in reason["over"] and "> 500 ms and onset" in reason["slow"]
    assert by_onset == {}  # nothing else excluded: the unconfirmed flags of the demo mark nothing
    assert result.stdout.startswith("4 samples")


def test_every_picture_decodes_to_the_barcode_of_the_frame_it_is_named_after(coded, built):
    _, _, tables = coded
    out, _ = built
    for row in _sheet(out):
        folder = out / row["Class"] / f"sub{int(row['Subject']):02d}" / row["Filename"]
        frames = sorted(int(p.stem[3:]) for p in folder.glob("img*.jpg"))
        onset, apex, offset = (int(row[c]) for c in ("OnsetFrame", "ApexFrame", "OffsetFrame"))
        assert frames == list(range(onset, offset + 1)) and apex in frames and int(row["Pictures"]) == len(frames)
        table = tables[row["Camera"]]
        for frame in frames:
            image = cv2.imread(str(folder / f"img{frame}.jpg"), cv2.IMREAD_UNCHANGED)
            assert image.ndim == (2 if row["Camera"] == "gras" else 3)
            assert barcode.read(image) == table.camera_frame_id[frame], (folder, frame)


def test_the_sheet_opens_with_openpyxl_and_pandas(built):
    import pandas as pd
    from openpyxl import load_workbook

    out, _ = built
    book = load_workbook(out / "coding.xlsx", read_only=True)
    cells = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert cells[0][:7] == ("Subject", "Filename", "OnsetFrame", "ApexFrame", "OffsetFrame", "Action Units",
                            "Estimated Emotion")  # fmt: skip
    assert len(cells) == 5 and isinstance(cells[1][2], int) and isinstance(cells[1][8], float)
    frame = pd.read_excel(out / "coding.xlsx", engine="openpyxl")
    from_csv = pd.read_csv(out / "coding.csv")
    assert list(frame.columns) == list(from_csv.columns) and len(frame) == 4
    assert frame["OnsetFrame"].tolist() == from_csv["OnsetFrame"].tolist()
    assert set(frame["Selection arm"]) == {"total", "fast-onset"}


def test_manifest_lists_every_file_with_its_sha256_and_files_are_private(built):
    out, _ = built
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
    pictures = sum(int(r["Pictures"]) for r in _sheet(out))
    assert set(listed) == on_disk and len(on_disk) == pictures + 3 and manifest["counts"]["pictures"] == pictures
    for path, entry in listed.items():
        data = (out / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
    assert manifest["software"]["casme-elicitation"] not in ("", "not installed")
    assert manifest["duration_convention"].startswith("time(offset) - time(onset), in ms rounded to the microsecond")
    for path in [out, *out.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    pseudonyms = out.parent / "casme-pseudonyms.csv"
    assert pseudonyms.read_text().splitlines() == ["Subject,Participant", "sub01,demo"]
    assert stat.S_IMODE(pseudonyms.stat().st_mode) == 0o600
    assert "demo" not in (out / "coding.csv").read_text().replace("demo1", "")  # the sheet names no participant


def test_dataset_stats_runs_on_the_built_folder(built, tmp_path):
    out, _ = built
    result = run_elicit("dataset", "stats", str(out), "--out", str(tmp_path / "stats"))
    assert result.returncode == 0, result.stderr
    stats = json.loads((tmp_path / "stats" / "stats.json").read_text())
    counts = stats["counts"]  # 2 movements filmed on both cameras: 4 rows, each movement counted once
    assert (counts["samples"], counts["movements"], counts["selected"], counts["selected_samples"]) == (4, 2, 2, 4)
    assert stats["fits"]["onset"]["n"] == 2 and sum(r["n"] for r in stats["emotions"]) == 2
    sheet = _sheet(out)
    assert sorted(r["Counted"] for r in sheet) == ["0", "0", "1", "1"]
    assert len({r["Movement"] for r in sheet}) == 2 and all(r["Camera"] == "gras" for r in sheet if r["Counted"] == "1")
    assert {c: (v["upper_limit"]["n"], v["all"]["n"]) for c, v in stats["classes"].items()} == {
        "A": (1, 2), "B": (1, 2)}  # fmt: skip


def test_step_2_lossless_pictures_are_the_decoded_frames_exactly(coded, tmp_path):
    from elicitation.dataset import build

    root, events, tables = coded
    done = []
    result = build(root, tmp_path / "png", step=2, lossless=True, on_picture=done.append)
    assert result.samples == 4 and sum(done) == result.pictures
    fast = events["fast"].frames["gras"]
    folder = tmp_path / "png" / "B" / "sub01" / "EP01_02"
    frames = sorted(int(p.stem[3:]) for p in folder.glob("img*.png"))
    onset, apex, offset = fast["onset"].frame, fast["apex"].frame, fast["offset"].frame
    assert frames == sorted(set(range(onset, offset + 1, 2)) | {apex, offset})
    file = fast["onset"].file
    rows = tables["gras"].rows_in_file(file)
    wanted = {int(tables["gras"].file_frame[f]): f for f in frames}
    video = root / "sub-demo" / "ses-1" / "video" / file
    for index, pixels in enumerate(iter_frames(video, "gray")):  # ffmpeg's own decode, frame by frame
        if index in wanted:
            assert np.array_equal(cv2.imread(str(folder / f"img{wanted[index]}.png"), cv2.IMREAD_UNCHANGED), pixels)
        if index > max(wanted):
            break
    assert len(rows) > max(wanted)


def _with_bad_codes(root, to):
    """A copy of the coded data whose final.tsv gains three hand-edited rows: apex after offset, offset beyond
    the recording, an episode label that would climb out of OUT (a final.tsv is a text file: what the coding
    layer would refuse can still be in it)."""
    import shutil

    shutil.copytree(root, to)
    final = to / "sub-demo" / "ses-1" / "coding" / "final.tsv"
    lines = final.read_text().splitlines()
    header = lines[0].split("\t")
    row = dict(zip(header, next(line for line in lines[1:] if "\tunder+under\t" in line).split("\t"), strict=True))
    frames = json.loads(row["frames"])
    late = {
        **frames,
        "gras": {
            **frames["gras"],
            "apex": {**frames["gras"]["offset"], "frame": frames["gras"]["offset"]["frame"] + 3},
        },
    }
    beyond = {**frames, "uvc": {**frames["uvc"], "offset": {**frames["uvc"]["offset"], "frame": 999999}}}
    for event_id, refs, episode in (("bad-1", late, "01"), ("bad-2", beyond, "01"), ("bad-3", frames, "../up")):
        cells = {**row, "event_id": event_id, "frames": json.dumps(refs), "episode": episode}
        lines.append("\t".join(cells[c] for c in header))
    final.write_text("\n".join(lines) + "\n")
    return frames


def test_malformed_codes_are_refused_row_by_row_before_anything_is_written(coded, tmp_path):
    root, _, _ = coded
    frames = _with_bad_codes(root, tmp_path / "data")
    out = tmp_path / "out"
    result = run_elicit("dataset", "build", str(tmp_path / "data"), "--out", str(out), "--allow-far-frames")
    assert result.returncode == 2, result.stdout + result.stderr
    offset = frames["gras"]["offset"]["frame"]
    lines = result.stderr.splitlines()
    assert any(f"event bad-1 on gras: offset frame {offset} before apex frame {offset + 3}" in line for line in lines)
    assert any("event bad-2 on uvc: offset frame 999999 is outside the camera's frames 0.." in line for line in lines)
    assert any("event bad-3 on gras: episode '../up' cannot name a folder" in line for line in lines)
    assert "4 problem(s) in the codes: nothing was written" in result.stderr  # bad-3 on both cameras
    assert not out.exists() and not (tmp_path / "out-pseudonyms.csv").exists()


def test_a_non_empty_out_folder_bad_step_and_no_sessions_are_refused(coded, tmp_path):
    root, _, _ = coded
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("older release")
    result = run_elicit("dataset", "build", str(root), "--out", str(out))
    assert result.returncode == 2 and "exists and is not an empty folder" in result.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"] and not (tmp_path / "out-pseudonyms.csv").exists()
    result = run_elicit("dataset", "build", str(root), "--out", str(tmp_path / "new"), "--step", "0")
    assert result.returncode == 2 and "--step must be 1 or more" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_elicit("dataset", "build", str(empty), "--out", str(tmp_path / "new"))
    assert result.returncode == 2 and "no session folder with coding/final.tsv" in result.stderr
    result = run_elicit("dataset", "build", str(root), "--out", str(tmp_path / "new"), "--pseudonyms",
                        str(tmp_path / "new" / "map.csv"))  # fmt: skip
    assert result.returncode == 2 and "stays out of the released folder" in result.stderr
    assert not (tmp_path / "new").exists()


def test_a_video_cut_short_is_read_from_its_start_and_a_missing_frame_fails_with_exit_3(coded, tmp_path):
    import shutil

    root, events, _ = coded
    shutil.copytree(root, tmp_path / "data")
    under, fast = events["under"].frames["gras"], events["fast"].frames["gras"]
    video = tmp_path / "data" / "sub-demo" / "ses-1" / "video" / fast["onset"].file
    keep = (under["offset"].file_frame + fast["onset"].file_frame) // 2  # a crash cut the file between the two
    frames = sum(1 for _ in iter_frames(video))
    video.write_bytes(video.read_bytes()[: video.stat().st_size * keep // frames])  # no cues: cannot seek
    result = run_elicit("dataset", "build", str(tmp_path / "data"), "--out", str(tmp_path / "out"),
                        "--allow-far-frames")  # fmt: skip
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"ends before frame {fast['onset'].file_frame}" in result.stderr
    assert "is incomplete (no manifest.json)" in result.stderr
    assert not (tmp_path / "out" / "manifest.json").exists()
    exported = sorted(int(p.stem[3:]) for p in (tmp_path / "out" / "B" / "sub01" / "EP01_01").glob("img*.jpg"))
    assert exported == list(range(under["onset"].frame, under["offset"].frame + 1))


def test_only_participants_whose_consent_covers_release_are_exported(coded, tmp_path):
    import shutil

    from elicitation.dataset import make_plan, session_items

    root, _, _ = coded
    assert make_plan(root).jobs  # demo consented to release
    data = tmp_path / "data"
    shutil.copytree(root, data)
    add_participant(data, make_participant("demo", 23, "female", "research,publication"), replace=True)
    plan = make_plan(data)
    assert plan.jobs == [] and plan.subjects == {}
    reasons = {row["Reason"] for row in plan.excluded}
    assert reasons == {"consent (research, publication) does not cover release: not exported"}
    every = session_items(data / "sub-demo" / "ses-1")  # every sample, on both cameras, listed
    assert len(plan.excluded) == len(every) and all(row["Subject"] is None for row in plan.excluded)
    assert plan.consent["left_out_participants"] == 1 and plan.consent["exported_participants"] == 0
    (data / "participants.tsv").unlink()
    plan = make_plan(data)
    assert plan.jobs == [] and {row["Reason"] for row in plan.excluded} == {
        "no consent recorded in participants.tsv (none found at or above DATA): not exported"}  # fmt: skip
    out = tmp_path / "out"
    result = run_elicit("dataset", "build", str(data), "--out", str(out), "--allow-far-frames")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["consent"]["left_out_participants"] == 1 and manifest["counts"]["samples"] == 0
    with (out / "excluded.csv").open(newline="") as fh:
        assert all("not exported" in row["Reason"] for row in csv.DictReader(fh))
