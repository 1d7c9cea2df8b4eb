"""One writer (AppendOnlyTsv) and one reader (read_tsv) for events.tsv, ratings.tsv and review.tsv."""

from __future__ import annotations

import pytest

from elicitation.folder import AppendOnlyTsv, EventLog, ReviewLog, read_review, read_tsv


def test_review_rows_read_back_with_the_one_reader_even_with_a_tab_or_quote_in_a_cell(tmp_path):
    log = ReviewLog(tmp_path / "review.tsv")
    log.add(episode="01", camera="face", file="face_ep01.mkv", file_frame=12, clock_time=1.5, category="other",
            note='said "ouch"\tthen\nlaughed', action="flag", source="session")  # fmt: skip
    log.close()
    (row,) = read_tsv(tmp_path / "review.tsv")
    assert row["note"] == 'said "ouch" then laughed' and row["clock_time"] == "1.500000"
    assert row["action"] == "flag" and row["time_utc"]
    assert read_review(tmp_path / "review.tsv") == [row]


def test_reopening_appends_without_a_second_header(tmp_path):
    for t in (10.0, 11.0):
        log = EventLog(tmp_path / "events.tsv", t0=10.0)
        log.add("rest", t, duration=0.5)
        log.close()
    lines = (tmp_path / "events.tsv").read_text().splitlines()
    assert lines[0].startswith("onset\tduration") and len(lines) == 3
    assert [r["onset"] for r in read_tsv(tmp_path / "events.tsv")] == ["0.000000", "1.000000"]


def test_a_missing_table_has_no_rows_and_a_row_cut_by_a_crash_keeps_the_others(tmp_path):
    assert read_tsv(tmp_path / "nope.tsv") == []
    table = AppendOnlyTsv(tmp_path / "t.tsv", ["a", "b", "c"])
    table.write(["1", "2", "3"])
    table.close()
    with (tmp_path / "t.tsv").open("a") as fh:
        fh.write("4\t5")  # the process died mid-row
    assert read_tsv(tmp_path / "t.tsv") == [{"a": "1", "b": "2", "c": "3"}, {"a": "4", "b": "5", "c": None}]


def test_a_row_of_the_wrong_width_is_refused(tmp_path):
    table = AppendOnlyTsv(tmp_path / "t.tsv", ["a", "b"])
    with pytest.raises(ValueError, match="3 cells for 2 columns"):
        table.write(["1", "2", "3"])
    table.close()


def test_events_say_who_pressed_in_a_source_column_and_tell_a_listener(tmp_path):
    seen = []
    log = EventLog(tmp_path / "events.tsv", t0=10.0, on_row=seen.append)
    log.add("pause", 12.5, duration=1.0, source="dashboard")
    log.add("rest", 13.0)
    log.close()
    rows = read_tsv(tmp_path / "events.tsv")
    assert [r["source"] for r in rows] == ["dashboard", "n/a"]
    assert seen == rows and seen[0]["onset"] == "2.500000"


def test_an_events_file_from_before_the_source_column_stays_readable_when_a_resume_appends(tmp_path):
    old = "onset\tduration\ttrial_type\tepisode\tstimulus\tclock_time\n"
    old += "0.000000\tn/a\trecording_start\tn/a\tn/a\t10.000000\n"
    (tmp_path / "events.tsv").write_text(old)
    log = EventLog(tmp_path / "events.tsv", t0=10.0)
    log.add("pause", 11.0, duration=0.5, source="keyboard")
    log.close()
    lines = (tmp_path / "events.tsv").read_text().splitlines()
    assert all(len(line.split("\t")) == 6 for line in lines)  # one width throughout: the old header's
    rows = read_tsv(tmp_path / "events.tsv")
    assert [r["trial_type"] for r in rows] == ["recording_start", "pause"] and "source" not in rows[1]
