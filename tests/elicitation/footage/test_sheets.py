"""Long-video label sheets (CAS(ME)^2, SAMM) into imported sessions' coding/final.tsv: each row placed on the
frames its picture numbers name, flaws reported row by row, nothing written when a session already has codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from elicitation.coding import final_path, replay_final
from elicitation.footage import FootageError, import_footage, import_sheet
from tests.conftest import run_elicit
from tests.elicitation.dataset.sheets import write_csv, write_xlsx
from tests.elicitation.footage.media import picture_folder

SAMM_LONG = ["Subject", "Filename", "Inducement Code", "Onset", "Apex", "Offset", "Duration", "Type", "Action Units",
             "Notes"]  # fmt: skip


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """Two imported picture folders: CAS(ME)^2 subject 1's video anger1, SAMM's 006_1 (pictures 1..60)."""
    root = tmp_path_factory.mktemp("sheets")
    casme = picture_folder(root / "src" / "s15_0401", list(range(1, 61)))
    samm = picture_folder(root / "src" / "006_1", list(range(1, 61)))
    import_footage(casme, root / "data", "1", fps=30, video="anger1")
    import_footage(samm, root / "data", "S006", fps=200)
    import_footage(samm, root / "data", "006", fps=200)  # the subject as the sheet numbers it
    return root / "data"


def _fresh(data: Path, tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(data, tmp_path / "data")
    return tmp_path / "data"


def test_a_casme2_sheet_without_header_becomes_final_codes(data: Path, tmp_path: Path) -> None:
    data = _fresh(data, tmp_path)
    sheet = write_xlsx(tmp_path / "CAS(ME)^2code_final.xlsx", [
        [1, "anger1_1", 3, 5, 9, "4+7", "negative", "macro-expression", "anger"],  # row 1: macro, emotion not ours
        [1, "anger1_2", 12, 14, 16, "R12", "others", "micro-expression", "happy"],  # row 2: micro
        [1, "anger1_3", 20, 0, 25, "4", "others", "micro-expression", ""],  # row 3: apex 0 -> excluded
        [1, "anger1_4", 40, 45, 90, "4", "others", "macro-expression", ""],  # row 4: frame 90 not imported
        [2, "anger1_1", 3, 5, 9, "4", "others", "macro-expression", ""],  # row 5: no session of subject 2
    ])  # fmt: skip
    written, issues = import_sheet(sheet, "casme2", data)
    session = data / "sub-1" / "ses-1"
    assert written == {session: 2}
    events, _ = replay_final(final_path(session))
    got = {e.event_id: (e.kind, e.onset, e.apex, e.offset, e.action_units, e.emotion) for _d, e in events.values()}
    # picture n is frames.tsv frame n - 1 (the folder starts at img1)
    assert got == {"sheet1": ("macro", 2, 4, 8, "4+7", ""), "sheet2": ("micro", 11, 13, 15, "R12", "others")}
    assert "emotion as written: negative" in events["sheet1"][1].note
    assert events["sheet1"][1].episode == "01" and events["sheet1"][1].frames["footage"]["onset"].file_frame == 2
    reported = {(i.row, i.column): i.action for i in issues}
    assert reported[(3, "Apex")] == "excluded" and reported[(4, "Offset")] == "excluded"
    assert reported[(5, "Filename")] == "excluded" and reported[(1, "Estimated Emotion")] == "kept in the note"
    record = json.loads((session / "coding" / "sheet.json").read_text())
    assert record["rows"] == [1, 2] and record["layout"] == "casme2"


def test_a_samm_sheet_below_its_notes_with_types(data: Path, tmp_path: Path) -> None:
    data = _fresh(data, tmp_path)
    sheet = write_csv(tmp_path / "SAMM_LongVideos.csv", [
        ["SAMM long videos: notes above the header"], [],
        SAMM_LONG,  # row 3
        ["006", "006_1_1", 1, 3, 6, 10, 8, "Micro - 1/2", "R12", ""],  # row 4: micro
        ["006", "006_1_2", 1, 20, "/", 30, 11, "Macro", "4", ""],  # row 5: no apex -> excluded here
        ["006", "006_1_3", 1, 31, 35, 44, 14, "Macro", "4+7", ""],  # row 6: macro
        ["006", "006_1_4", 1, 50, 52, 55, 6, "Blink", "45", ""],  # row 7: not a type, kept as micro
    ])  # fmt: skip
    result = run_elicit("import-footage-labels", str(sheet), str(data), "--layout", "samm")
    assert result.returncode == 0, result.stderr
    assert "row 5, column Apex" in result.stderr and "row 7, column Type" in result.stderr
    events, _ = replay_final(final_path(data / "sub-006" / "ses-1"))
    kinds = {e.event_id: (e.kind, e.onset, e.offset) for _d, e in events.values()}
    assert kinds == {"sheet4": ("micro", 2, 9), "sheet6": ("macro", 30, 43), "sheet7": ("micro", 49, 54)}
    assert not final_path(data / "sub-S006" / "ses-1").exists()  # S006 is not subject 006


def test_a_session_with_codes_is_refused_and_nothing_is_written(data: Path, tmp_path: Path) -> None:
    data = _fresh(data, tmp_path)
    sheet = write_csv(tmp_path / "s.csv", [SAMM_LONG, ["006", "006_1_1", 1, 3, 6, 10, 8, "Macro", "4", ""]])
    import_sheet(sheet, "samm", data)
    before = final_path(data / "sub-006" / "ses-1").read_bytes()
    result = run_elicit("import-footage-labels", str(sheet), str(data), "--layout", "samm")
    assert result.returncode == 2 and "never mix with codes" in result.stderr
    assert final_path(data / "sub-006" / "ses-1").read_bytes() == before
    with pytest.raises(FootageError, match="no row could be placed"):
        import_sheet(write_csv(tmp_path / "t.csv", [SAMM_LONG, ["9", "009_1_1", 1, 3, 6, 10, 8, "Macro", "4", ""]]),
                     "samm", data)  # fmt: skip
    import_footage(data / "sub-006" / "ses-1" / "video" / "footage_ep01.mkv", data, "6", video="006_1")
    with pytest.raises(FootageError, match="could not tell them apart"):
        import_sheet(sheet, "samm", data)
