"""Issue 25 item 4: --resume and the report read and check every row of a frames.tsv before trusting it.

A garbage line in the middle, a row deleted from the middle and a row repeated are each found with its
line; --resume refuses the session (exit 1, the table named) and the report lists the damage instead of
"every video holds the frames its frames.tsv lists". An intact table still passes.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from hardware.video import check_table
from tests.conftest import run_elicit
from tests.elicitation.workbench.tiny_session import make_session
from tests.faults.session_faults import episode_playing, session_args, small_rig, start, wait_for
from tests.xdisplay import display_env


def _lines(path):
    return path.read_text().splitlines(keepends=True)


@pytest.mark.parametrize(
    ("damage", "found"),
    [
        (lambda ls: ls[:40] + ["garbage\tline\t1\t2\tgras_ep01.mkv\tx\n"] + ls[40:], "line 41: invalid literal"),
        (lambda ls: ls[:40] + ls[41:], "line 41: gras_ep01.mkv frame 40 where 39 was due"),
        (lambda ls: ls[:41] + [ls[40]] + ls[41:], "line 42: frame 39 (camera id 7039) does not follow frame 39"),
        (lambda ls: ls[:40] + [ls[40].replace("gras_ep01", "../x")] + ls[41:], "line 41: file '../x.mkv' is not"),
        (lambda ls: ls[:40] + [ls[40].replace("\t5000.650000\t", "\tnan\t")] + ls[41:],
         "line 41: a time that is not a finite number"),
    ],
    ids=["garbage", "deleted", "repeated", "unknown file", "bad time"],
)
def test_every_row_is_checked_and_a_broken_one_names_its_line(tmp_path, damage, found):
    session = make_session(tmp_path / "ses-1")
    table = session / "video" / "gras_frames.tsv"
    assert check_table(table).ok  # intact: passes
    table.write_text("".join(damage(_lines(table))))
    for repair in (False, True):
        check = check_table(table, repair=repair)
        assert not check.ok and check.damaged.startswith(found), check.damaged


@pytest.mark.slow
def test_resume_refuses_and_the_report_flags_a_table_with_a_garbage_row(tmp_path):
    data, rig = tmp_path / "data", small_rig(tmp_path / "rig.yaml")
    args = session_args(data, rig, "T1")
    folder = data / "sub-T1" / "ses-1"
    proc, _, _ = start(args, tmp_path)
    try:
        wait_for(proc, lambda: episode_playing(folder, "02"), what="episode 2")
        time.sleep(1.0)
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=90) == 130
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    table = folder / "video" / "gras_frames.tsv"
    lines = _lines(table)
    middle = len(lines) // 2
    table.write_text("".join(lines[:middle] + ["0\t0\t0.0\t\tgras_setup.mkv\t0\n"] + lines[middle:]))
    before = table.read_bytes()

    result = run_elicit(*args, "--resume", env=display_env())
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"gras_frames.tsv: line {middle + 1}: " in " ".join((result.stdout + result.stderr).split())
    assert table.read_bytes() == before  # nothing repaired or appended on a table it cannot trust

    assert run_elicit("report", str(folder)).returncode == 0
    page = (folder / "report.html").read_text()
    assert "every video holds the frames" not in page and f"line {middle + 1}" in page
