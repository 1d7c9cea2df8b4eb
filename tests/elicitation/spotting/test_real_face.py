"""The spotter and its evaluation on a real face (bench/real_spotting.py): WolfgangLanger_Pexels.mp4 imported,
the hand codes of tests/data/real_faces/ as its final.tsv, `elicit spot` and `elicit spot evaluate`.

What must hold whatever the spotter finds: every coded movement is either matched or missed, every unflagged
candidate is either matched or a false positive, overall is micro + macro, and F1 is 2TP / (2TP + FP + FN)."""

from __future__ import annotations

import json

import pytest

from elicitation.coding import final_path, replay_final
from elicitation.folder import read_tsv
from hardware.cameras.sim.face_video import REAL_FACES, real_face_cache
from tests.conftest import REPO

CLIP = real_face_cache() / REAL_FACES["pexels-crying-laughing"]
TRUTH = REPO / "tests" / "data" / "real_faces" / "WolfgangLanger_Pexels_final.tsv"


@pytest.mark.skipif(not CLIP.is_file(), reason="the real-face clips are unpacked by bash .ci/install")
def test_the_hand_codes_of_the_real_clip_score_the_spotter_by_megc_rules(tmp_path) -> None:
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from real_spotting import run  # the benchmark's own steps, so the README's figures come from this path

    result, log = run(tmp_path / "data", CLIP, tmp_path / "scores.json")
    session = tmp_path / "data" / "sub-WL01" / "ses-1"
    events, torn = replay_final(final_path(session))
    assert torn == [] and len(events) >= 2  # the two coders' arbitrated movements
    coded = {kind: sum(e.kind == kind for _d, e in events.values()) for kind in ("micro", "macro")}
    candidates = [r for r in read_tsv(session / "spotting" / "footage.tsv") if not r["flag"]]
    for kind in ("micro", "macro"):
        s = result[kind]
        assert s["tp"] + s["fn"] == coded[kind], (kind, s, coded)
        assert s["tp"] + s["fp"] == sum(r["kind"] == kind for r in candidates), (kind, s)
    overall = result["overall"]
    for k in ("tp", "fp", "fn"):
        assert overall[k] == result["micro"][k] + result["macro"][k], k
    denominator = 2 * overall["tp"] + overall["fp"] + overall["fn"]
    assert overall["f1"] == pytest.approx(2 * overall["tp"] / denominator if denominator else 0.0)
    assert "footage_ep01.mkv" in log  # the per-video log names the video
    assert log.count("FN coded") + log.count("TP spotted") == sum(coded.values())
    assert json.loads((tmp_path / "scores.json").read_text())["overall"] == overall
