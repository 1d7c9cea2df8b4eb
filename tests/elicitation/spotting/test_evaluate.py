"""`spot evaluate` over hand-made session folders: an empty spotting file still counts its coded
intervals, a missing one is skipped and named, and each movement is counted once (one camera per session)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from elicitation.coding import Event, FinalLog, proposals, resolve
from elicitation.coding.counting import MOST_CODED
from elicitation.spotting.evaluate import evaluate_root
from elicitation.spotting.output import COLUMNS
from hardware.video import FrameTable
from tests.conftest import run_elicit

N = 400


def _table() -> FrameTable:
    idx = np.arange(N, dtype=np.int64)
    return FrameTable(idx, idx, 10.0 + idx / 60, np.full(N, np.nan), ["x_ep01.mkv"] * N, idx)


def make_session(folder: Path, spans: list[tuple[int, int]], spots: dict[str, list[tuple[int, int]] | None],
                 coded_on: str = "gras", reference: str | None = None) -> Path:  # fmt: skip
    """Coded micro movements `spans` on both cameras; spots: camera -> spotted spans (None: no spotting file)."""
    tables = {"gras": _table(), "uvc": _table()}
    (folder / "video").mkdir(parents=True)
    files = {}
    for camera in tables:
        (folder / "video" / f"{camera}_frames.tsv").write_text("frame\n")
        files[camera] = f"{camera}_ep01.mkv"
        (folder / "video" / files[camera]).write_bytes(b"")
    rig = {c: {"reference": c == reference} for c in tables}
    (folder / "session.json").write_text(json.dumps({"episodes": {"01": {"video": files}}, "rig": {"cameras": rig}}))
    events = [resolve(Event(f"e{i}", "01", "micro", coded_on, a, a, b), tables) for i, (a, b) in enumerate(spans)]
    final = FinalLog(folder, "C1", "C2", tables, arbiter="A1")
    for proposal in proposals(events, events, coded_on, tables):
        final.decide(proposal, "agreed")
    final.close()
    (folder / "spotting").mkdir()
    for camera, spotted in spots.items():
        if spotted is None:
            continue
        lines = ["\t".join(COLUMNS)]
        for n, (a, b) in enumerate(spotted):
            row = {c: "0" for c in COLUMNS} | {"candidate": f"{camera}-{n}", "episode": "01", "kind": "micro",
                                              "file": files[camera], "onset_frame": str(a), "offset_frame": str(b),
                                              "flag": ""}  # fmt: skip
            lines.append("\t".join(row[c] for c in COLUMNS))
        (folder / "spotting" / f"{camera}.tsv").write_text("\n".join(lines) + "\n")
    return folder


SPANS = [(10, 19), (100, 109), (200, 209)]


def test_a_camera_with_an_empty_spotting_file_still_has_its_coded_intervals(tmp_path: Path) -> None:
    make_session(tmp_path / "s1", SPANS, {"gras": [(10, 19)], "uvc": None})  # 1 hit of 3 coded
    make_session(tmp_path / "s2", SPANS, {"gras": [], "uvc": None})  # header only: 0 spots, 3 coded
    results, facts = evaluate_root(tmp_path)
    pooled = results["micro"].pooled
    assert (pooled.tp, pooled.fp, pooled.fn) == (1, 0, 5)
    assert pooled.f1 == pytest.approx(2 / 7)  # P 1, R 1/6
    assert facts["skipped_no_spotting_file"] == ["s1/uvc", "s2/uvc"]


def test_each_movement_counts_once_on_the_counted_camera_per_camera_scores_as_a_breakdown(tmp_path: Path) -> None:
    # both cameras spotted; uvc missed one movement. Coded on uvc: uvc is the counted camera.
    make_session(tmp_path / "s1", SPANS, {"gras": SPANS, "uvc": SPANS[:2]}, coded_on="uvc")
    results, facts = evaluate_root(tmp_path)
    overall = results["overall"].pooled
    assert (overall.tp, overall.fp, overall.fn) == (2, 0, 1)  # 3 movements, not 6
    assert facts["counted_camera"]["s1"]["camera"] == "uvc"
    assert facts["per_camera"]["gras"]["overall"]["tp"] == 3 and facts["per_camera"]["uvc"]["overall"]["fn"] == 1
    only_gras, _ = evaluate_root(tmp_path, "gras")
    assert (only_gras["overall"].pooled.tp, only_gras["overall"].pooled.fn) == (3, 0)


def test_the_rigs_reference_camera_is_the_counted_one(tmp_path: Path) -> None:
    make_session(tmp_path / "s1", SPANS, {"gras": SPANS, "uvc": SPANS[:2]}, coded_on="uvc", reference="gras")
    results, facts = evaluate_root(tmp_path)
    assert facts["counted_camera"]["s1"] == {"camera": "gras", "why": "the rig's reference: true camera"}
    assert (results["overall"].pooled.tp, results["overall"].pooled.fn) == (3, 0)


def test_scores_json_names_each_definition_and_the_counted_camera(tmp_path: Path) -> None:
    make_session(tmp_path / "s1", SPANS, {"gras": SPANS[:1], "uvc": []})
    out = tmp_path / "scores.json"
    result = run_elicit("spot", "evaluate", str(tmp_path), "--json", str(out))
    assert result.returncode == 0, result.stderr
    scores = json.loads(out.read_text())
    assert set(scores["definitions"]) == {"micro", "macro", "overall", "type_blind"}
    assert "micro counts + macro counts" in scores["definitions"]["overall"]
    assert scores["counted_camera"] == {"s1": {"camera": "gras", "why": MOST_CODED}}
    assert (scores["overall"]["tp"], scores["overall"]["fn"]) == (1, 2)
    assert (scores["per_camera"]["uvc"]["overall"]["tp"], scores["per_camera"]["uvc"]["overall"]["fn"]) == (0, 3)
    assert "camera uvc (breakdown, 1 videos): overall F1 0.0000" in result.stdout
    assert run_elicit("spot", "evaluate", str(tmp_path), "--camera", "gras", "--camera", "uvc").returncode == 2
