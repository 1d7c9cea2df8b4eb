"""participants.tsv + participants.json: BIDS-style rows keyed by pseudonym, 0600, never lost; the paper's
Section II line worked out by hand; `elicit participants` and `dataset stats` printing the line."""

from __future__ import annotations

import json
import stat
import statistics
from pathlib import Path

import pytest

from elicitation.folder import (
    BadInput,
    add_participant,
    check_in,
    make_participant,
    read_participants,
    section_line,
)
from tests.conftest import run_elicit


def test_rows_are_private_keyed_by_pseudonym_and_a_replaced_row_is_kept(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = add_participant(data, make_participant("P07", 22, "female", "release,research"))
    add_participant(data, make_participant("P08", None, None, "research"))
    assert path.read_text().splitlines()[0] == "participant_id\tage\tsex\tconsent\trecorded_utc"
    rows = read_participants(path)
    assert rows["P07"].consent == ("research", "release") and rows["P07"].covers("release")
    assert (rows["P08"].age, rows["P08"].sex, rows["P08"].covers("release")) == (None, None, False)  # n/a
    assert "sub-P08\tn/a\tn/a\tresearch" in path.read_text()
    sidecar = json.loads((data / "participants.json").read_text())
    assert set(sidecar) == {"participant_id", "age", "sex", "consent", "recorded_utc"}
    for p in (path, data / "participants.json"):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    with pytest.raises(BadInput, match="already recorded"):
        add_participant(data, make_participant("P07", 22, "female", "research"))
    add_participant(data, make_participant("P07", 22, "female", "research"), replace=True)
    assert read_participants(path)["P07"].consent == ("research",)
    assert "sub-P07\t22\tfemale\tresearch,release" in (data / "participants-history.tsv").read_text()


@pytest.mark.parametrize(("args", "message"), [
    (("P 7", 22, "female", "research"), "participant ID"), (("P7", 5, "female", "research"), "age 5"),
    (("P7", 22, "f", "research"), "sex 'f'"), (("P7", 22, "male", "everything"), "consent"),
    (("P7", 22, "male", ""), "consent")])  # fmt: skip
def test_bad_values_are_refused_naming_the_field(args, message) -> None:
    with pytest.raises(BadInput, match=message):
        make_participant(*args)


def test_the_section_ii_line_equals_the_hand_worked_one(tmp_path: Path) -> None:
    for pid, age, sex in (("P1", 22, "female"), ("P2", 24, "male"), ("P3", 21, "male")):
        add_participant(tmp_path, make_participant(pid, age, sex, "research"))
    add_participant(tmp_path, make_participant("P5", None, "female", "research"))  # age not given
    line = section_line(["P1", "P2", "P3", "P4", "P5"], read_participants(tmp_path / "participants.tsv"))
    assert (line["n"], line["female"], line["male"], line["sex_not_recorded"]) == (5, 2, 2, 1)
    assert line["age_mean"] == pytest.approx(67 / 3) and line["age_sd"] == pytest.approx(statistics.stdev([22, 24, 21]))
    assert line["age_n"] == 3 and line["not_in_participants_file"] == ["P4"]
    assert line["text"] == ("5 participants (2 female, 2 male, 1 sex not recorded); mean age 22.33, SD 1.53 "
                            "(age of 3 of 5)")  # fmt: skip


def test_cli_adds_and_stats_prints_the_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    added = run_elicit("participants", "add", str(data), "--id", "P07", "--age", "23", "--sex", "male",
                       "--consent", "research,release")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert run_elicit("participants", "add", str(data), "--id", "P07", "--consent", "research").returncode == 2
    assert run_elicit("participants", "add", str(data), "--id", "P9", "--consent", "all").returncode == 2
    listed = run_elicit("participants", "list", str(data))
    assert "P07: age 23, sex male, consent research,release" in listed.stdout


def test_check_in_records_once_and_refuses_other_values(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert "elicit participants add" in check_in(data, "P07", None, None, None)  # nothing recorded: said so
    assert not (data / "participants.tsv").exists()
    assert check_in(data, "P07", 22, "male", "research,release").startswith("recorded in")
    assert check_in(data, "P07", 22, "male", "release,research") == "recorded in participants.tsv (unchanged)"
    assert check_in(data, "P07", None, None, None) == "recorded in participants.tsv"
    with pytest.raises(BadInput, match="--replace"):
        check_in(data, "P07", 23, "male", "research")
    with pytest.raises(BadInput, match="need --consent"):
        check_in(data, "P08", 23, None, None)


def test_run_refuses_a_bad_check_in_before_anything_starts(tmp_path: Path) -> None:
    result = run_elicit("run", "protocols/demo.yaml", "--participant", "P07", "--rig", "sim", "--out",
                        str(tmp_path / "data"), "--consent", "everything")  # fmt: skip
    assert result.returncode == 2 and "consent 'everything'" in result.stderr
    assert not (tmp_path / "data").exists()
