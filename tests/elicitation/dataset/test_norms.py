"""`elicit dataset norms`: Table VI measured from the participants' ratings, against a hand-worked table."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import pytest

from elicitation.dataset.norms import Episode, compute_norms, table_row
from elicitation.folder.tables import RATING_COLUMNS
from tests.conftest import run_elicit

DECLARED = {"01": "amusement", "02": "disgust", "03": "fear"}


def make_session(root: Path, participant: str, answers: dict[str, list[tuple[str, int | None]]] | None,
                 done: tuple[str, ...] = ("01", "02", "03")) -> Path:  # fmt: skip
    """answers: episode -> [(emotion, intensity)]; None: no ratings.tsv at all."""
    folder = root / f"sub-{participant}" / "ses-1"
    folder.mkdir(parents=True)
    episodes = {label: {"clip": f"ep{label}", "status": "done" if label in done else "pending",
                        "main_emotions": [{"emotion": emotion, "selection_rate": 0.7, "mean_score": 3.0}]}
                for label, emotion in DECLARED.items()}  # fmt: skip
    (folder / "session.json").write_text(json.dumps({"participant": participant, "session": 1, "episodes": episodes}))
    if answers is not None:
        lines = ["\t".join(RATING_COLUMNS)]
        for label, chosen in answers.items():
            for emotion, intensity in chosen:
                score = "n/a" if intensity is None else str(intensity)
                lines.append("\t".join([label, f"ep{label}.mp4", emotion, score, "1.0", "1.0", "2.0", "100.0"]))
        (folder / "ratings.tsv").write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    make_session(root, "P1", {"01": [("amusement", 4), ("surprise", 2)], "02": [("fear", 5)], "03": [("fear", 3)]})
    make_session(root, "P2", {"01": [("amusement", 3)], "02": [("sadness", 1)], "03": [("fear", 4)]})
    make_session(root, "P3", {"01": [("none", None)], "02": [("none", None)]})  # played 03, did not rate it
    make_session(root, "P4", {"01": [("amusement", 6)], "02": [("disgust", 2)], "03": [("tense", 2)]})
    make_session(root, "P5", None)  # no ratings.tsv
    with (root / "sub-P2" / "ses-1" / "ratings.tsv").open("a") as fh:
        fh.write("03\tep03.mp4\tsurpr")  # a row a crash cut short
    return root


def test_the_measured_table_equals_the_hand_worked_one(data: Path) -> None:
    norms = compute_norms(data)
    rows = {r["episode"]: r for r in norms["episodes"]}
    ep01, ep02, ep03 = rows["ep01"], rows["ep02"], rows["ep03"]
    # ep01: 4 raters (P3's "none" is an answer); amusement 3 of 4, mean (4 + 3 + 6) / 3; surprise 1 of 4: not main
    assert ep01["participants"] == 4 and [m["emotion"] for m in ep01["main"]] == ["amusement"]
    assert ep01["main"][0]["selection_rate"] == pytest.approx(0.75)
    assert ep01["main"][0]["mean_score"] == pytest.approx(13 / 3)
    assert not ep01["differs"]
    # ep02: fear, sadness, disgust 1 of 4 each: no main emotion ("/"), declared disgust: differs
    assert ep02["participants"] == 4 and ep02["main"] == [] and ep02["differs"]
    # ep03: P1, P2, P4 rated it: fear 2 of 3 (mean 3.5), tense 1 of 3 (exactly a third: main)
    assert ep03["participants"] == 3
    assert [(m["emotion"], m["chose"], m["mean_score"]) for m in ep03["main"]] == [("fear", 2, 3.5), ("tense", 1, 2)]
    assert norms["differs_from_declared"] == ["ep02", "ep03"]
    assert norms["missing_ratings"] == ["sub-P5/ses-1"]
    assert norms["partial_ratings"] == {"sub-P3/ses-1": ["03"]}
    assert norms["bad_rows"] == ["sub-P2/ses-1/ratings.tsv:5: cut short or without episode or emotion (left out)"]
    assert [m["emotion"] for m in ep03["emotions"]] == ["fear", "tense"]


def test_one_third_rule_at_its_boundary() -> None:
    def row(chose: int, rated: int) -> dict:
        raters = {f"P{i}": ({"fear": 3} if i < chose else {"none": None}) for i in range(rated)}
        return table_row(Episode("x", {"01"}, [], raters))

    assert [m["emotion"] for m in row(3, 9)["main"]] == ["fear"]  # exactly a third
    assert row(3, 10)["main"] == []  # 0.3
    assert [m["emotion"] for m in row(4, 12)["main"]] == ["fear"]
    assert row(2, 7)["main"] == []  # 0.2857


def test_cli_writes_the_table_json_and_page_and_names_missing_sessions(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "norms"
    result = run_elicit("dataset", "norms", str(data), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "sub-P5/ses-1: no ratings.tsv" in result.stderr and "no rating of episode(s) 03" in result.stderr
    assert "ep02: / (n = 4); declared disgust" in result.stdout
    with (out / "table_vi.tsv").open() as fh:
        table = list(csv.DictReader(fh, delimiter="\t"))
    assert [(r["episode"], r["emotion"], r["participants"]) for r in table] == [
        ("ep01", "amusement", "4"), ("ep02", "/", "4"), ("ep03", "fear", "3"), ("ep03", "tense", "3")]  # fmt: skip
    assert table[0]["selection_rate"] == "0.7500" and table[0]["mean_score"] == "4.33"
    page = (out / "norms.html").read_text()
    assert "data:image/png;base64," in page and "http" not in page
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    nothing = tmp_path / "empty"
    nothing.mkdir()
    assert run_elicit("dataset", "norms", str(nothing), "--out", str(tmp_path / "n2")).returncode == 2
