"""Issue 25 item 3 and issue 22 item 1: no input can make a coder's log unreadable, and one coder log
has one writer.

Field limits are checked before anything is written, text is stored as valid UTF-8, the reader reads
any row the writer (or an older writer) can produce, bodies over the stated limit answer 413, a second
writer of a coder's log (another server, another process) is refused at start naming pid and host,
and a log that already holds a duplicate id stays readable with both events.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from elicitation.coding import LIMITS, CodingError, CodingLog, replay
from elicitation.coding.coder_log import COLUMNS
from elicitation.coding.log_file import AppendOnlyTsv
from elicitation.workbench import Workbench, build_app
from elicitation.workbench.app import MAX_BODY_BYTES
from tests.conftest import REPO
from tests.elicitation.coding.test_coder_log import event, open_log
from tests.elicitation.workbench.tiny_session import make_session

TOKEN = "t"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    make_session(tmp_path / "data" / "sub-P1" / "ses-1")
    return tmp_path / "data"


def body(**more) -> dict:
    return {"action": "add", "camera": "gras", "kind": "micro", "onset": 10, "apex": 12, "offset": 16,
            "action_units": "4", "emotion": "disgust", **more}  # fmt: skip


def test_a_note_over_its_limit_is_refused_before_writing_and_the_log_reads_after_a_restart(data: Path) -> None:
    wb = Workbench(data, "C1")
    with TestClient(build_app(wb, TOKEN), headers={"X-Token": TOKEN}) as c:
        assert c.post("/api/s/0/e/01", json=body(note="x" * 131_073)).status_code == 413  # over the body limit
        long = c.post("/api/s/0/e/01", json=body(note="x" * (LIMITS["note"] + 1)))
        assert long.status_code == 400
        assert long.json()["error"] == f"note: {LIMITS['note'] + 1} characters, at most {LIMITS['note']} are kept"
        assert c.post("/api/s/0/e/01", json=body(note="y" * LIMITS["note"])).status_code == 200
        raw = json.dumps(body(note="a\ud800b\x00c\r\nd", onset=11))  # "\\ud800": a lone surrogate in JSON
        odd = c.post("/api/s/0/e/01", content=raw, headers={"Content-Type": "application/json"})
        assert odd.status_code == 200 and odd.json()["event"]["note"] == "a\ufffdb c d"
        assert odd.json()["event"]["event_id"] == "C1-0002"  # the refused note used up no id
    wb.close()
    restarted = Workbench(data, "C1")  # a restart: the log is replayed from the file
    with TestClient(build_app(restarted, TOKEN), headers={"X-Token": TOKEN}) as c:
        assert c.get("/s/0").status_code == 200
        events = c.get("/api/s/0/e/01").json()["events"]
        assert [len(e["note"]) for e in events] == [LIMITS["note"], 7]
    restarted.close()


def test_a_body_over_the_stated_limit_answers_413_declared_or_streamed(data: Path) -> None:
    wb = Workbench(data, "C1")
    with TestClient(build_app(wb, TOKEN), headers={"X-Token": TOKEN}) as c:
        big = c.post("/api/s/0/e/01", content=b"{" + b" " * MAX_BODY_BYTES + b"}",
                     headers={"Content-Type": "application/json"})  # fmt: skip
        assert big.status_code == 413 and str(MAX_BODY_BYTES) in big.json()["error"]

        def chunks():  # no Content-Length: refused once the limit has arrived
            for _ in range(MAX_BODY_BYTES // 1024 + 2):
                yield b" " * 1024

        streamed = c.post("/api/s/0/e/01", content=chunks(), headers={"Content-Type": "application/json"})
        assert streamed.status_code == 413
        assert c.post("/api/s/0/e/01", json=body()).status_code == 200
    wb.close()


def test_rows_an_older_writer_left_are_read_whatever_their_size(tmp_path: Path) -> None:
    log = open_log(tmp_path)
    first = log.add(event())
    log.close()
    path = tmp_path / "coding" / "C1.tsv"
    row = path.read_text().splitlines()[1].split("\t")
    row[COLUMNS.index("note")] = "z" * 200_000  # over csv's field limit (131072)
    row[COLUMNS.index("event_id")] = "C1-0009"
    with path.open("a") as fh:
        fh.write("\t".join(row) + "\n")
    state = replay(path)
    assert sorted(state.events) == [first.event_id, "C1-0009"] and len(state.events["C1-0009"].note) == 200_000


def test_a_failed_write_leaves_the_state_as_it_was(tmp_path: Path, monkeypatch) -> None:
    log = open_log(tmp_path)
    log.add(event())

    def full(self, line):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(AppendOnlyTsv, "write_row", full)
    with pytest.raises(OSError):
        log.add(event(onset=60, apex=61, offset=62))
    monkeypatch.undo()
    assert [e.event_id for e in log.events("01")] == ["C1-0001"]
    assert log.add(event(onset=60, apex=61, offset=62)).event_id == "C1-0002"
    log.close()


def test_a_log_holding_a_duplicate_id_stays_readable_keeping_both(data: Path) -> None:
    session = data / "sub-P1" / "ses-1"
    wb = Workbench(data, "C1")
    with TestClient(build_app(wb, TOKEN), headers={"X-Token": TOKEN}) as c:
        c.post("/api/s/0/e/01", json=body())
    wb.close()
    path = session / "coding" / "C1.tsv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[1].replace("\t10\t12\t", "\t20\t22\t", 1)]) + "\n")  # two writers' rows
    state = replay(path)
    assert sorted(state.events) == ["C1-0001", "C1-0001#2"]
    assert [t.reason for t in state.torn] == ["event C1-0001 added twice: kept as C1-0001#2"]
    wb = Workbench(data, "C1")
    with TestClient(build_app(wb, TOKEN), headers={"X-Token": TOKEN}) as c:
        page = c.get("/s/0")
        assert page.status_code == 200 and "added twice" in page.text
        assert len(c.get("/api/s/0/e/01").json()["events"]) == 2
        changed = c.post("/api/s/0/e/01",
                         json=body(action="change", event_id="C1-0001#2", onset=19, apex=22, offset=24))
        assert changed.status_code == 200, changed.text
        added = c.post("/api/s/0/e/01", json=body(onset=30, apex=31, offset=32)).json()["event"]
        assert added["event_id"] not in ("C1-0001", "C1-0001#2")
    wb.close()
    assert replay(path).events["C1-0001#2"].onset == 19


def test_a_second_writer_of_a_coder_log_is_refused_naming_the_first(data: Path, tmp_path: Path) -> None:
    session = data / "sub-P1" / "ses-1"
    wb = Workbench(data, "C1")  # the first server holds every C1 log of DATA
    code = ("import sys\nfrom elicitation.coding import CodingLog\nfrom elicitation.folder import BadInput\n"
            "try: CodingLog(sys.argv[1], 'C1')\nexcept BadInput as e: print(e); sys.exit(2)\n")  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    other = subprocess.run([sys.executable, "-c", code, str(session)], capture_output=True, text=True, env=env,
                           timeout=60)  # fmt: skip
    assert other.returncode == 2, other.stdout + other.stderr
    assert f"pid {os.getpid()} on host {socket.gethostname()}" in other.stdout
    assert "has a writer already" in other.stdout
    second = subprocess.run([sys.executable, "-m", "elicitation", "code", str(data), "--coder", "C1"], cwd=REPO,
                            capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert second.returncode == 2 and f"pid {os.getpid()}" in second.stderr, second.stderr
    assert "http://" not in second.stdout  # refused at start: no server
    assert Workbench(data, "C2") is not None  # another coder is not blocked
    wb.close()
    CodingLog(session, "C1").close()  # free again once the first writer closed
    log = open_log(session)
    with pytest.raises(CodingError):
        log.add(event(note="n" * (LIMITS["note"] + 1)))
    log.close()
