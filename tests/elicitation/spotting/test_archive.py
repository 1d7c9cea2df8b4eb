"""`elicit spot` over an archive: Dask and serial runs write identical files, finished tasks are skipped,
a failing task is reported with its inputs and the others finish, flags mark candidates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from elicitation.coding import final_path, replay_final
from elicitation.spotting.marks import mark
from elicitation.spotting.output import read_candidates
from elicitation.spotting.run import spot_archive
from tests.conftest import run_elicit

SESSION = Path("sub-sim01") / "ses-1"


def _copy(small_set: Path, where: Path) -> Path:
    shutil.copytree(small_set, where)
    return where


def _files(session: Path) -> dict[str, bytes]:
    folder = session / "spotting"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_truth_is_a_final_tsv_on_both_cameras(small_set: Path) -> None:
    events, torn = replay_final(final_path(small_set / SESSION))
    assert torn == [] and len(events) == 2
    for _decided, event in events.values():
        assert event.kind == "micro" and set(event.frames) == {"gras", "uvc"}
        assert event.frames["gras"]["onset"].frame == event.frames["uvc"]["onset"].frame
    onsets = sorted(e.onset for _d, e in events.values())
    assert onsets == [49, 121]  # 0.8 s and 2.0 s at 60 fps: the first frames after the start showing movement


def test_dask_and_serial_runs_write_identical_files(small_set: Path, tmp_path: Path) -> None:
    serial, dask = _copy(small_set, tmp_path / "serial"), _copy(small_set, tmp_path / "dask")
    report_s, _ = spot_archive(serial, workers=0)
    report_d, _ = spot_archive(dask, workers=2)
    assert report_s.ok and report_d.ok and report_d.where.startswith("LocalCluster")
    files = _files(serial / SESSION)
    assert {"gras.tsv", "gras.json", "uvc.tsv", "uvc.json"} <= set(files)
    assert files == _files(dask / SESSION)
    rows = read_candidates(serial / SESSION, "gras")
    assert len(rows) == 2 and all(r["kind"] == "micro" and r["flag"] == "" for r in rows)
    header = json.loads(files["gras.json"])
    assert header["parameters"]["fps"] == 60.0 and header["parameters"]["k"] == 9
    assert header["software"].startswith("casme-elicitation")


def test_cli_skips_finished_tasks_reports_a_failing_one_and_marks_face_lost(small_set: Path, tmp_path: Path) -> None:
    data = _copy(small_set, tmp_path / "data")
    session = data / SESSION
    (session / "video" / "uvc_ep01.mkv").write_bytes(b"not a video")
    t = json.loads((session / "session.json").read_text())  # face_lost over the first movement (clock time)
    first = min(e.frames["gras"]["onset"].host_time for _d, e in replay_final(final_path(session))[0].values())
    (session / "events.tsv").write_text("onset\tduration\ttrial_type\tepisode\tstimulus\tclock_time\n"
                                        f"0.5\t0.5\tface_lost\t01\tn/a\t{first - 0.1:.6f}\n")  # fmt: skip
    assert t["synthetic"] is True
    first_run = run_elicit("spot", str(data), "--workers", "0")
    assert first_run.returncode == 3, first_run.stderr
    assert "task failed:" in first_run.stderr
    assert "camera=uvc" in first_run.stderr and "file=uvc_ep01.mkv" in first_run.stderr
    assert "1 task(s) run" in first_run.stdout and "1 failed" in first_run.stdout
    flags = [r["flag"] for r in read_candidates(session, "gras")]
    assert len(flags) == 2 and "face_lost" in flags[0] and flags[1] == ""
    again = run_elicit("spot", str(data), "--workers", "0")
    assert again.returncode == 3 and "1 already done (skipped" in again.stdout
    evaluated = run_elicit("spot", "evaluate", str(data))
    assert evaluated.returncode == 0, evaluated.stderr
    assert "1 flagged candidate(s) left out" in evaluated.stdout
    assert "video sub-sim01/ses-1/gras/gras_ep01.mkv: TP 1 FP 0 FN 1" in evaluated.stdout


def test_cli_refuses_bad_input(tmp_path: Path) -> None:
    assert run_elicit("spot", str(tmp_path / "missing")).returncode == 2
    assert run_elicit("spot", "evaluate", str(tmp_path)).returncode == 2
    assert run_elicit("spot", str(tmp_path), "--workers", "-1").returncode == 2


def test_mark_names_review_flags_and_face_lost() -> None:
    assert mark(10.0, 10.3, [(10.6, "blink")], [], False) == "review flag blink at clock 10.600"
    assert mark(10.0, 10.3, [(11.0, "blink")], [], False) == ""
    assert "face_lost" in mark(10.0, 10.3, [], [(10.2, 12.0)], False)
    assert mark(10.0, 10.3, [], [(10.4, 12.0)], False) == ""
    assert mark(10.0, 10.3, [], [], True) == "no face found in part of it"


def test_truth_command_rewrites_the_same_final_events_for_a_session(small_set: Path, tmp_path: Path) -> None:
    data = _copy(small_set, tmp_path / "data")
    session = data / SESSION
    before = {k: (e.onset, e.apex, e.offset) for k, (_d, e) in replay_final(final_path(session))[0].items()}
    refused = run_elicit("spot", "truth", str(session), "--rig", str(small_set.parent / "rig.yaml"))
    assert refused.returncode == 2 and "never overwritten" in refused.stderr
    shutil.rmtree(session / "coding")
    made = run_elicit("spot", "truth", str(session), "--rig", str(small_set.parent / "rig.yaml"))
    assert made.returncode == 0, made.stderr
    after = {k: (e.onset, e.apex, e.offset) for k, (_d, e) in replay_final(final_path(session))[0].items()}
    assert after == before and len(after) == 2
