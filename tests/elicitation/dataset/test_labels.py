"""Published label sheets: each layout read from xlsx and csv, every flaw reported with row and column."""

from __future__ import annotations

import pytest

from elicitation.dataset import LabelError, compute_stats, read_labels, read_samples, select
from elicitation.dataset.inputs import import_labels, load_input
from tests.elicitation.dataset.sheets import CASME2, CASME3, SAMM, casme2_rows, write_csv, write_xlsx


def by_row(issues):
    return {(i.row, i.column): i for i in issues}


@pytest.mark.parametrize("writer", [write_xlsx, write_csv], ids=["xlsx", "csv"])
def test_casme2_flaws_are_reported_row_by_row_and_never_fixed(tmp_path, writer):
    path = writer(tmp_path / f"casme2.{'xlsx' if writer is write_xlsx else 'csv'}", casme2_rows())
    samples, issues = read_labels(path, "casme2", fps=200)
    assert [s.source.split(":")[1] for s in samples] == ["2", "3", "4", "8"]
    found = by_row(issues)
    assert found[(4, "ApexFrame")].action == "kept without apex" and "'/'" in found[(4, "ApexFrame")].problem
    assert found[(5, "OffsetFrame")].problem == "offset <= 0" and found[(5, "OffsetFrame")].action == "excluded"
    assert "apex 120 outside onset..offset 80..110" in found[(6, "ApexFrame")].problem
    assert found[(7, "OnsetFrame")].value == "abc" and found[(7, "OnsetFrame")].action == "excluded"
    assert (
        "token '4 or 7'" in found[(8, "Action Units")].problem
        and found[(8, "Action Units")].action == "kept as written"
    )
    assert len(issues) == 5
    first, _second, no_apex, as_written = samples
    assert (first.subject, first.episode, first.onset_frame, first.offset_frame) == ("1", "EP02_01f", 46, 86)
    assert first.onset_s == pytest.approx(46 / 200) and first.offset_s == pytest.approx(86 / 200)
    assert first.emotion == "happiness"  # as labelled: not mapped to amusement
    assert _second.action_units == "4+L10" and no_apex.apex_frame is None and no_apex.apex_s is None
    assert as_written.action_units == "4 or 7"


def test_samm_header_below_notes_and_duration_from_fps(tmp_path):
    rows = [["SAMM micro-movements, coded by ..."], ["Note: frames at 200 fps"], [], SAMM,
            ["006", "006_1_2", "1", 5562, 5588, 5632, 71, "Micro - 1/2", "4+7", "Anger", "Other", ""],
            ["006", "006_1_3", "1", 3912, 3948, 3976, 65, "Micro", "R12", "Contempt", "IV", "x"]]  # fmt: skip
    samples, issues = read_labels(write_xlsx(tmp_path / "samm.xlsx", rows), "samm", fps=200)
    assert issues == [] and [s.source for s in samples] == ["samm.xlsx:5", "samm.xlsx:6"]
    assert samples[0].offset_s - samples[0].onset_s == pytest.approx(70 / 200)
    assert samples[1].action_units == "R12" and samples[1].emotion == "contempt"


def test_casme3_frames_as_text_are_read_and_reported(tmp_path):
    rows = [CASME3, ["spNO.1", "a", "153", "171", "188", "4+L10", "1", "disgust"],
            ["spNO.1", "b", 10, 12, 20, "14", "2", "others"]]  # fmt: skip
    samples, issues = read_labels(write_xlsx(tmp_path / "c3.xlsx", rows), "casme3", fps=30)
    assert [s.onset_frame for s in samples] == [153, 10]
    assert {(i.row, i.column, i.problem, i.action) for i in issues} == {
        (2, c, "frame written as text", "read") for c in ("Onset", "Apex", "Offset")
    }
    csv_samples, csv_issues = read_labels(write_csv(tmp_path / "c3.csv", rows), "casme3", fps=30)
    assert csv_issues == [] and [s.offset_frame for s in csv_samples] == [188, 20]  # csv is all text


@pytest.mark.parametrize("writer", [write_xlsx, write_csv], ids=["xlsx", "csv"])
def test_a_missing_column_refuses_the_sheet_naming_it(tmp_path, writer):
    rows = [[c for c in CASME2 if c != "ApexFrame"], [1, "EP02_01f", 46, 86, "12", "happiness"]]
    path = writer(tmp_path / f"bad.{'xlsx' if writer is write_xlsx else 'csv'}", rows)
    with pytest.raises(LabelError, match=r"row 1 \(the header\): missing column ApexFrame"):
        read_labels(path, "casme2", fps=200)


def test_other_bad_input_is_refused(tmp_path):
    path = write_csv(tmp_path / "x.csv", casme2_rows())
    with pytest.raises(LabelError, match="format 'casme4'"):
        read_labels(path, "casme4", fps=200)
    with pytest.raises(LabelError, match="--fps"):
        read_labels(path, "casme2", fps=0)
    with pytest.raises(LabelError, match="missing column Onset Frame, Apex Frame, Offset Frame"):
        read_labels(path, "samm", fps=200)  # a CASME II sheet read as SAMM
    with pytest.raises(LabelError, match="no header row naming the columns Subject and Filename"):
        read_labels(write_csv(tmp_path / "notes.csv", [["just notes"], ["1", "2"]]), "casme2", fps=200)


def test_the_imported_table_round_trips_and_lists_its_flaws(tmp_path):
    record = import_labels(write_xlsx(tmp_path / "c2.xlsx", casme2_rows()), "casme2", 200, tmp_path / "out")
    assert record["samples"] == 4 and record["excluded_rows"] == [5, 6, 7]
    samples, issues = load_input(tmp_path / "out")
    assert samples == read_samples(tmp_path / "out" / "samples.tsv") and len(samples) == 4
    assert [i["row"] for i in issues] == [4, 5, 6, 7, 8]
    assert samples[2].apex_frame is None
    assert len(select(samples).selected) == 4  # all within 500 ms at 200 fps


def test_imported_types_are_kept_macro_rows_stay_macro(tmp_path):
    header = [c if c != "Micro" else "Type" for c in SAMM]  # SAMM long videos: a Type column
    rows = [header, ["006", "006_1", "1", 100, 150, 400, 301, "Macro", "12", "Happiness", "I", ""],
            ["006", "006_2", "1", 500, 520, 560, 61, "Micro - 1/2", "4", "Anger", "II", ""]]  # fmt: skip
    samples, issues = read_labels(write_xlsx(tmp_path / "samm-long.xlsx", rows), "samm", fps=200)
    assert issues == [] and [s.kind for s in samples] == ["macro", "micro"]
    stats = compute_stats(samples)
    assert [(x["sample_id"].split("/")[1], x["kind"]) for x in stats["selected"]] == [("006_1", "macro"),
                                                                                       ("006_2", "micro")]
    assert stats["counts"]["selected_by_kind"] == {"macro": 1, "micro": 1}

    c3 = [[*CASME3, "Type"], ["spNO.1", "a", 10, 12, 20, "4", "1", "disgust", "MaE"],
          ["spNO.1", "b", 30, 32, 40, "4", "2", "disgust", "micro-expression"],
          ["spNO.1", "c", 50, 52, 60, "4", "3", "disgust", "blink"]]  # fmt: skip
    samples, issues = read_labels(write_csv(tmp_path / "c3.csv", c3), "casme3", fps=30)
    assert [s.kind for s in samples] == ["macro", "micro", "micro"]
    assert [(i.row, i.column, i.action) for i in issues] == [(4, "Type", "kept as micro")]
    plain = [CASME3, ["spNO.1", "a", 10, 12, 20, "4", "1", "disgust"]]  # Objective class "1" is no type
    samples, issues = read_labels(write_csv(tmp_path / "plain.csv", plain), "casme3", fps=30)
    assert issues == [] and samples[0].kind == "micro"
    by_class = [[*CASME3], ["spNO.1", "a", 10, 12, 20, "4", "macro-expression", "disgust"]]
    assert read_labels(write_csv(tmp_path / "oc.csv", by_class), "casme3", fps=30)[0][0].kind == "macro"
