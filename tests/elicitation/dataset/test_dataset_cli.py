"""`elicit dataset` as a user runs it: import a sheet, run stats on it and on sessions; bad input exits 2."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO, run_elicit
from tests.elicitation.dataset.sheets import CASME2, casme2_rows, write_xlsx


def test_the_cli_lists_every_format_and_imports_the_dataset_package_only_when_used():
    from elicitation.cli import dataset as cli_dataset
    from elicitation.dataset import FORMATS

    assert tuple(FORMATS) == cli_dataset.FORMATS
    probe = "import sys, elicitation.cli; print('elicitation.dataset' in sys.modules, 'scipy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.stdout.split() == ["False", "False"], result.stderr


def test_import_then_stats_through_the_cli(tmp_path):
    sheet = write_xlsx(tmp_path / "CASME2-coding.xlsx", casme2_rows())
    imported = run_elicit("dataset", "import-labels", str(sheet), "--format", "casme2", "--fps", "200",
                          "--out", str(tmp_path / "c2"))  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert "CASME2-coding.xlsx: row 6, column ApexFrame: apex 120 outside onset..offset 80..110" in imported.stderr
    assert "4 samples" in imported.stdout and "3 row(s) excluded" in imported.stdout

    result = run_elicit("dataset", "stats", str(tmp_path / "c2"), "--out", str(tmp_path / "stats"))
    assert result.returncode == 0, result.stderr
    stats = json.loads((tmp_path / "stats" / "stats.json").read_text())
    counts = stats["counts"]
    assert (counts["samples"], counts["movements"], counts["selected"], counts["excluded"]) == (4, 4, 4, 0)
    assert stats["classes"]["casme2"]["upper_limit"]["onset_n"] == 3
    assert [i["row"] for i in stats["input_issues"]] == [4, 5, 6, 7, 8]
    assert (tmp_path / "stats" / "stats.html").is_file()


def test_stats_on_a_session_folder(session, tmp_path):
    from elicitation.folder import add_participant, make_participant

    add_participant(session, make_participant("P07", 22, "female", "research"))
    result = run_elicit("dataset", "stats", str(session), "--out", str(tmp_path / "stats"))
    assert result.returncode == 0, result.stderr
    assert "Participants: 1 participants (1 female, 0 male); mean age 22.00" in result.stdout
    stats = json.loads((tmp_path / "stats" / "stats.json").read_text())
    assert set(stats["classes"]) == {"gras", "benq"}
    assert stats["classes"]["gras"]["upper_limit"]["n"] == 2 and stats["classes"]["gras"]["all"]["n"] == 3
    # both cameras filmed the 7 movements: Tables I/II per camera, everything else each movement once
    assert stats["counts"]["movements"] == 7 and stats["counts"]["samples"] == 14
    assert stats["counts"]["selected"] == 3 and stats["counts"]["selected_samples"] == 6
    assert stats["fits"]["onset"]["n"] == 3 and stats["fits"]["total"]["n"] == 2  # under, unconfirmed (within 500 ms)
    assert sum(r["n"] for r in stats["emotions"]) == 3
    assert stats["counting"]["counted_class"] == {"P07/1": ["gras"]}  # the camera the events were coded on


def test_bad_input_exits_2_naming_file_row_and_column(tmp_path):
    sheet = write_xlsx(tmp_path / "bad.xlsx", [[c for c in CASME2 if c != "OffsetFrame"], [1, "a", 1, 2, "4", "x"]])
    result = run_elicit("dataset", "import-labels", str(sheet), "--format", "casme2", "--fps", "200",
                        "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.returncode == 2
    assert "bad.xlsx: row 1 (the header): missing column OffsetFrame" in result.stderr
    assert not (tmp_path / "out").exists()

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "samples.tsv").write_text("sample_id\tsubject\n")
    result = run_elicit("dataset", "stats", str(broken), "--out", str(tmp_path / "s"))
    assert result.returncode == 2 and "not a samples.tsv header" in result.stderr
    result = run_elicit("dataset", "stats", str(tmp_path / "nowhere"), "--out", str(tmp_path / "s"))
    assert result.returncode == 2 and "no such file or folder" in result.stderr
