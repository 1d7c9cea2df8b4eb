"""`elicit dataset baseline` end to end on tiny trees the tests make: a released CASME layout and a built OUT."""

from __future__ import annotations

import json
import random
import stat

import pytest

from elicitation.recognition import load_samples
from tests.conftest import run_elicit
from tests.elicitation.recognition.casme_tree import PLACES, make_tree

SMALL = ["--dims", "5,10", "--galleries", "2,3", "--splits", "3", "--loso-dim", "8"]


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("casme")
    make_tree(root, per_class=2)  # 3 subjects x 4 classes x 2 samples: 6 of each class
    return root


def test_a_casme_layout_tree_is_evaluated_well_above_chance_with_every_result_file(tree, tmp_path) -> None:
    out = tmp_path / "serial"
    result = run_elicit("dataset", "baseline", str(tree), "--out", str(out), "--workers", "0", *SMALL)
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "baseline.json").read_text())
    assert summary["class_counts"] == {c: 6 for c in PLACES} and summary["subjects"] == 3
    assert list(summary["left_out_galleries"]) == []  # 6 per class: G_3 leaves 3 of each to test
    assert summary["table_v"]["10"]["G3"]["mean"] >= 0.8 and summary["table_v"]["10"]["G3"]["splits"] == 3
    for method in ("mpca_nn", "lbptop_svm"):
        assert summary["loso"][method]["UF1"] >= 0.8, method  # chance is 0.25
    assert (out / "table_v.tsv").read_text().splitlines()[1].startswith("5x5x5\t")
    assert "UF1" in summary["definitions"] and summary["parameters"]["distance"].startswith("Euclidean")
    assert not (out / "work").exists()  # the face tensors are gone once the results are written
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert "<script" not in (out / "baseline.html").read_text()


def test_g_m_with_too_few_samples_is_named_and_left_out(tree, tmp_path) -> None:
    out = tmp_path / "few"
    result = run_elicit(
        "dataset",
        "baseline",
        str(tree),
        "--out",
        str(out),
        "--workers",
        "0",
        "--dims",
        "5",
        "--galleries",
        "6",
        "--splits",
        "2",
        "--loso-dim",
        "5",
    )
    assert result.returncode == 0, result.stderr
    assert "G6 left out" in result.stderr and "disgust has 6" in result.stderr
    assert json.loads((out / "baseline.json").read_text())["table_v"] == {"5": {}}


def test_shuffled_labels_fall_to_chance(tmp_path) -> None:
    root = tmp_path / "shuffled"
    root.mkdir()
    rows = make_tree(root, per_class=2, seed=1)
    emotions = [r[-1] for r in rows]
    random.Random(5).shuffle(emotions)
    lines = (root / "coding.csv").read_text().splitlines()
    (root / "coding.csv").write_text(
        "\n".join(
            [lines[0]] + [",".join(line.split(",")[:-1] + [e]) for line, e in zip(lines[1:], emotions, strict=True)]
        )
        + "\n"
    )
    out = tmp_path / "out"
    result = run_elicit("dataset", "baseline", str(root), "--out", str(out), "--workers", "0", *SMALL)
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "baseline.json").read_text())
    assert summary["loso"]["mpca_nn"]["UF1"] < 0.6 and summary["loso"]["lbptop_svm"]["UF1"] < 0.6
    assert summary["table_v"]["10"]["G3"]["mean"] < 0.6


@pytest.mark.slow
def test_a_dask_run_writes_the_same_results_as_a_serial_run(tree, tmp_path) -> None:
    runs = {}
    for workers in ("0", "2"):
        out = tmp_path / f"w{workers}"
        result = run_elicit("dataset", "baseline", str(tree), "--out", str(out), "--workers", workers, *SMALL)
        assert result.returncode == 0, result.stderr
        runs[workers] = json.loads((out / "baseline.json").read_text())
        assert (out / "table_v.tsv").read_text() == (tmp_path / "w0" / "table_v.tsv").read_text()
        assert (out / "loso.tsv").read_text() == (tmp_path / "w0" / "loso.tsv").read_text()
    for key in ("table_v", "loso", "per_split", "per_fold"):
        assert runs["0"][key] == runs["2"][key]


def test_bad_input_is_refused_and_nothing_is_written(tree, tmp_path) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "keep.txt").write_text("mine")
    result = run_elicit("dataset", "baseline", str(tree), "--out", str(taken), "--workers", "0")
    assert result.returncode == 2 and "never overwritten" in result.stderr
    assert sorted(p.name for p in taken.iterdir()) == ["keep.txt"]
    empty = tmp_path / "no-sheet"
    empty.mkdir()
    result = run_elicit("dataset", "baseline", str(empty), "--out", str(tmp_path / "o"), "--workers", "0")
    assert result.returncode == 2 and "--sheet" in result.stderr and not (tmp_path / "o").exists()
    result = run_elicit("dataset", "baseline", str(tree), "--out", str(tmp_path / "o"), "--galleries", "3,x")
    assert result.returncode == 2 and "--galleries" in result.stderr


def test_a_built_database_gives_one_sample_per_movement(tmp_path) -> None:
    """dataset build's layout: <Class>/sub<NN>/<Filename>/img<N>.jpg; the same movement in class A and B once,
    from its Counted row (A here, though B sorts first in the sheet)."""
    built = tmp_path / "built"
    (built / "A").mkdir(parents=True)
    make_tree(built / "A", subjects=1, per_class=1)
    (built / "B").mkdir()
    make_tree(built / "B", subjects=1, per_class=1)
    rows = ["Subject,Filename,OnsetFrame,ApexFrame,OffsetFrame,Action Units,Estimated Emotion,Class,Counted"]
    for cls in ("B", "A"):
        for line in (built / cls / "coding.csv").read_text().splitlines()[1:]:
            rows.append(line + f",{cls},{int(cls == 'A')}")  # the movements are counted on A
    (built / "coding.csv").write_text("\n".join(rows) + "\n")
    (built / "manifest.json").write_text("{}")
    samples, skipped, source = load_samples(built, tuple(PLACES))
    assert source["kind"] == "built" and len(samples) == 4 and len(skipped) == 4
    assert all(p.parent.parent.parent.name == "A" for s in samples for _, p in s.pictures)
    assert {s.reason for s in skipped} == {"the same movement on another camera (one sample per movement)"}
    only_b, _, _ = load_samples(built, tuple(PLACES), only_class="B")
    assert all(p.parent.parent.parent.name == "B" for s in only_b for _, p in s.pictures)
