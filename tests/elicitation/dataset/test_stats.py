"""Tables I/II and IV against hand-computed values; the written outputs (json, PNGs, escaped HTML)."""

from __future__ import annotations

import json
import math
import re
import stat
import statistics

import pytest

from elicitation.dataset import Sample, compute_stats, write_outputs


def sample(n: int, cls: str, total: float, onset: float | None, emotion="disgust", aus="4", **more) -> Sample:
    apex = None if onset is None else 10.0 + onset / 1000
    return Sample(f"s{n}", "P1", "1", "01", cls, "micro", 0, None if onset is None else 1, None, 2, 10.0, apex, None,
                  10.0 + total / 1000, 1 / 60, aus, emotion, **more)  # fmt: skip


def normal_ll(values: list[float]) -> float:
    """The Normal fit's log-likelihood at its ML estimates: -n/2 (ln(2 pi s2) + 1), s2 the variance (1/n)."""
    n, mean = len(values), sum(values) / len(values)
    s2 = sum((v - mean) ** 2 for v in values) / n
    return -n / 2 * (math.log(2 * math.pi * s2) + 1)


SAMPLES = [
    sample(1, "A", 300, 120, "disgust", "4+L10"),
    sample(2, "A", 400, 150, "repression", "14"),
    sample(3, "A", 800, 200, "surprise", "1"),  # fast-onset: "all" only; AU1 alone does not meet surprise
    sample(4, "A", 900, 400),  # excluded
    sample(5, "B", 250, None, "tense", "7"),  # no apex: no onset statistics
    sample(6, "B", 350, 100, "contempt", "R12"),
    sample(7, "B", 450, 90, "<script>alert(1)</script>", "4 or 7"),
]


def test_duration_tables_per_class_equal_hand_values():
    classes = compute_stats(SAMPLES)["classes"]
    a_upper, a_all = classes["A"]["upper_limit"], classes["A"]["all"]
    assert a_upper["n"] == 2 and a_all["n"] == 3
    assert a_upper["total_mean_ms"] == pytest.approx(350) and a_upper["total_sd_ms"] == pytest.approx(
        statistics.stdev([300, 400])
    )
    assert a_all["onset_mean_ms"] == pytest.approx(470 / 3) and a_all["onset_sd_ms"] == pytest.approx(
        statistics.stdev([120, 150, 200])
    )
    b = classes["B"]["upper_limit"]
    assert b["n"] == 3 and b["onset_n"] == 2 and b["onset_mean_ms"] == pytest.approx(95)
    assert b["total_mean_ms"] == pytest.approx(350)


def test_emotion_table_counts_labels_and_criteria():
    rows = {r["emotion"]: r for r in compute_stats(SAMPLES)["emotions"]}
    assert (rows["disgust"]["n"], rows["disgust"]["meets"]) == (1, 1)
    assert (rows["surprise"]["n"], rows["surprise"]["meets"]) == (1, 0)
    assert (rows["repression"]["n"], rows["repression"]["meets"]) == (1, 1)
    assert (rows["contempt"]["n"], rows["contempt"]["meets"]) == (1, 1)
    assert (rows["tense"]["n"], rows["tense"]["meets"]) == (1, 1)
    assert rows["fear"]["n"] == 0 and rows["others"]["meets"] is None
    odd = rows["<script>alert(1)</script>"]
    assert odd["n"] == 1 and odd["meets"] is None and odd["au_unparsed"] == 1
    assert rows["disgust"]["criterion"] == "At least one of AU9, AU10, AU4 must be present"


def test_outputs_are_written_private_and_the_page_is_escaped(tmp_path):
    stats = compute_stats(SAMPLES, issues=[{"file": "x.csv", "row": 3, "column": "Apex", "value": "<b>",
                                            "problem": "apex after offset", "action": "excluded"}])  # fmt: skip
    paths = write_outputs(tmp_path / "out", stats)
    names = sorted(p.name for p in paths)
    assert names == ["figure2_total_duration.png", "figure3_onset_duration.png", "stats.html", "stats.json"]
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths)
    assert (tmp_path / "out" / "figure2_total_duration.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    counts = json.loads((tmp_path / "out" / "stats.json").read_text())["counts"]
    assert (counts["samples"], counts["selected"], counts["excluded"]) == (7, 6, 1)
    page = (tmp_path / "out" / "stats.html").read_text()
    assert "<script" not in page and "&lt;script&gt;" in page and "&lt;b&gt;" in page
    assert len(re.findall(r"src='data:image/png;base64,", page)) == 2
    assert "http" not in page.replace("http-equiv", "")


def test_table_iii_fits_total_within_500_ms_and_onset_over_all_selected():
    fits = compute_stats(SAMPLES)["fits"]
    totals = [300, 400, 250, 350, 450]  # the total-duration arm; s3's 800 ms (fast-onset) is not in the total fit
    assert fits["total"]["n"] == 5
    normal = next(f for f in fits["total"]["fits"] if f["model"] == "normal")
    assert normal["log_likelihood"] == pytest.approx(normal_ll(totals), rel=1e-6)
    assert normal["aic"] == pytest.approx(4 - 2 * normal_ll(totals), rel=1e-6)
    onsets = [120, 150, 200, 100, 90]  # every selected sample with an apex, both arms
    assert fits["onset"]["n"] == 5
    onset_normal = next(f for f in fits["onset"]["fits"] if f["model"] == "normal")
    assert onset_normal["log_likelihood"] == pytest.approx(normal_ll(onsets), rel=1e-6)
    assert "total-duration arm" in fits["total"]["over"]


def test_a_movement_on_two_cameras_is_one_sample_in_table_iii_iv_and_the_counts():
    rng = [200 + 5 * k for k in range(50)]  # 50 movements, within 500 ms, each filmed by A and B
    samples = []
    for k, total in enumerate(rng):
        for cls, shift in (("A", 0.0), ("B", 2.0)):
            samples.append(sample(2 * k + (cls == "B"), cls, total + shift, 100 + k, "disgust", "4",
                                  movement=f"m{k}", counted=cls == "A"))  # fmt: skip
    stats = compute_stats(samples)
    assert stats["counts"]["movements"] == 50 and stats["counts"]["selected"] == 50
    assert stats["counts"]["selected_samples"] == 100
    assert stats["classes"]["A"]["all"]["n"] == 50 and stats["classes"]["B"]["all"]["n"] == 50  # per class
    assert stats["fits"]["total"]["n"] == 50 and stats["fits"]["onset"]["n"] == 50
    normal = next(f for f in stats["fits"]["total"]["fits"] if f["model"] == "normal")
    assert normal["log_likelihood"] == pytest.approx(normal_ll([float(t) for t in rng]), rel=1e-6)
    assert next(r for r in stats["emotions"] if r["emotion"] == "disgust")["n"] == 50
    assert {x["movement"] for x in stats["selected"] if x["counted"]} == {f"m{k}" for k in range(50)}
