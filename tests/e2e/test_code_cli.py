"""`elicit code elan-export / elan-import / agreement` as a user runs them (a fresh process each)."""

from __future__ import annotations

import json
from pathlib import Path

from elicitation.coding import CodingLog, Event, replay
from elicitation.workbench import open_session
from tests.conftest import run_elicit
from tests.elicitation.workbench.tiny_session import make_session


def test_elan_round_trip_and_agreement_from_the_command_line(tmp_path: Path) -> None:
    folder = make_session(tmp_path / "data" / "sub-P1" / "ses-1")
    s = open_session(folder)
    log = CodingLog(folder, "C1", s.tables, s.categories)
    log.add(Event("", "01", "micro", "gras", 12, 15, 20, None, "4+L10", "disgust"))
    log.done("01")
    log.close()
    exported = run_elicit("code", "elan-export", str(folder), "--out", str(tmp_path / "elan"), "--camera", "gras")
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "elan" / "gras_ep01.eaf").is_file() and (tmp_path / "elan" / "gras_ep01.mp4").is_file()
    imported = run_elicit("code", "elan-import", str(tmp_path / "elan" / "gras_ep01.eaf"), str(folder),
                          "--coder", "C2", "--tiers", "C1")  # fmt: skip
    assert imported.returncode == 0 and "1 event(s) added to C2's codes" in imported.stdout, imported.stderr
    (event,) = replay(folder / "coding" / "C2.tsv").events.values()
    assert (event.onset, event.apex, event.offset, event.action_units) == (12, 15, 20, "4+L10")

    pending = run_elicit("code", "agreement", str(tmp_path / "data"), "--coders", "C1", "C2")
    assert pending.returncode == 0, pending.stderr
    report = json.loads((folder / "coding" / "agreement.json").read_text())
    assert report["episodes_done_by_both"] == [] and report["episodes_pending"] == {"01": ["C2"]}
    log = CodingLog(folder, "C2", s.tables, s.categories)
    log.done("01")
    log.close()
    done = run_elicit("code", "agreement", str(tmp_path / "data"), "--coders", "C1", "C2")
    assert "matched 1" in done.stdout and "F1 1.000" in done.stdout, done.stdout
