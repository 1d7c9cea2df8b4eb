"""An imported video read like a recorded session: the workbench's episodes and frame-exact pictures, `elicit
spot` and `spot evaluate` against a long-video sheet's codes, and `dataset build`.

The footage is a synthetic session's episode file (sim camera, astronaut warped at known times, each
picture barcoded with the sim camera's frame id): imported as a plain video, its truth written as a SAMM
long-video sheet, so the spotter's result on the imported session can be checked against the truth."""

from __future__ import annotations

import csv
from pathlib import Path

import cv2
import numpy as np
import pytest
from starlette.testclient import TestClient

from elicitation.coding import final_path, replay_final
from elicitation.dataset import build
from elicitation.folder import add_participant, make_participant
from elicitation.footage import import_footage, import_sheet
from elicitation.spotting.evaluate import evaluate_root
from elicitation.spotting.run import spot_archive
from elicitation.spotting.synthetic import simulate
from elicitation.workbench import Workbench, build_app
from hardware.cameras.sim import barcode
from hardware.rig import load_rig
from hardware.video import read_frames_tsv
from tests.conftest import sim_camera, write_rig
from tests.elicitation.dataset.sheets import write_csv
from tests.elicitation.footage.test_sheets import SAMM_LONG

FACE = {"image": "astronaut", "movement_px": 3}
TOKEN = "t"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, Path]:
    """(DATA with the imported session and its sheet codes, the synthetic source session)."""
    root = tmp_path_factory.mktemp("pipeline")
    rig = write_rig(root / "rig.yaml", {"gras": sim_camera(640, 480, "mono8", face=FACE, expressions={"movements": [
        {"at_s": 0.8, "kind": "brow_raise", "onset_ms": 100, "total_ms": 300, "pixels": 3},
        {"at_s": 2.0, "kind": "lip_pull", "onset_ms": 120, "total_ms": 400, "pixels": 3},
    ]})})  # fmt: skip
    source = simulate(root / "sim", load_rig(rig), [("01", 0.0, 3.0)])
    data = root / "data"
    import_footage(source / "video" / "gras_ep01.mkv", data, "7", camera="face")
    truth, _ = replay_final(final_path(source))
    rows = [SAMM_LONG]  # the truth as a SAMM long-video sheet: frame numbers = frame index in the video file
    for n, (_d, e) in enumerate(sorted(truth.values(), key=lambda v: v[1].onset), start=1):
        refs = e.frames["gras"]
        rows.append(["007", f"gras_ep01_{n}", 1, refs["onset"].file_frame, refs["apex"].file_frame,
                     refs["offset"].file_frame, "", "Micro - 1/2", e.action_units, ""])  # fmt: skip
    written, issues = import_sheet(write_csv(root / "samm.csv", rows), "samm", data)
    assert sum(written.values()) == 2 and issues == []
    return data, source


def test_the_workbench_lists_the_episode_and_serves_each_frame_exactly(imported: tuple[Path, Path]) -> None:
    data, source = imported
    sim_ids = read_frames_tsv(source / "video" / "gras_frames.tsv").camera_frame_id
    with TestClient(build_app(Workbench(data, "C1"), TOKEN), headers={"X-Token": TOKEN}) as client:
        assert "episode 01" in client.get("/s/0").text
        episode = client.get("/api/s/0/e/01").json()
        assert "error" not in episode
        for frame in (0, 1, 97, 179):
            answer = client.get(f"/s/0/frame/face/{frame}")
            picture = cv2.imdecode(np.frombuffer(answer.content, np.uint8), cv2.IMREAD_UNCHANGED)
            assert barcode.read(picture) == sim_ids[int(answer.headers["x-camera-frame-id"])]


def test_spot_and_evaluate_score_the_spotter_on_the_sheet_codes(imported: tuple[Path, Path]) -> None:
    data, _source = imported
    report, written = spot_archive(data, workers=0)
    assert report.ok and [p.name for p in written if p.suffix == ".tsv"] == ["face.tsv"]
    results, _facts = evaluate_root(data)
    micro = results["micro"].pooled
    assert (micro.tp, micro.fn) == (2, 0)  # both sheet movements found on the imported footage


def test_dataset_build_exports_the_imported_sessions_movements(imported: tuple[Path, Path], tmp_path: Path) -> None:
    data, source = imported
    add_participant(data, make_participant("7", None, None, "research,release"))
    built = build(data, tmp_path / "db")
    with (tmp_path / "db" / "coding.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2 and {r["Class"] for r in rows} == {"face"} and built is not None
    events, _ = replay_final(final_path(data / "sub-7" / "ses-1"))
    onsets = sorted(e.onset for _d, e in events.values())
    sim_ids = read_frames_tsv(source / "video" / "gras_frames.tsv").camera_frame_id
    first = tmp_path / "db" / "face" / "sub01" / "EP01_01" / f"img{onsets[0]}.jpg"
    assert barcode.read(cv2.imread(str(first), cv2.IMREAD_GRAYSCALE)) == sim_ids[onsets[0]]
