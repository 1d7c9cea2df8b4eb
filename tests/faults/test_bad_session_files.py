"""Issue 25 item 7 (minor ones): a damaged session.json and an --out that cannot be written are bad
input: exit 2 with one message, no traceback, and no camera opened first."""

from __future__ import annotations

import errno
import json

import pytest

from elicitation.folder import BadInput
from elicitation.session import setup
from tests.conftest import run_elicit

DAMAGED = {
    "non-UTF-8 bytes": b'{"format": "\xff\xfe"}',
    "null": b"null",
    "a list": b"[1, 2]",
    "no episodes": json.dumps({"format": "casme-elicitation session v1", "status": "interrupted", "runs": [],
                               "warnings": []}).encode(),  # fmt: skip
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_session_json_is_bad_input_for_report_and_resume(tmp_path, content):
    folder = tmp_path / "data" / "sub-P1" / "ses-1"
    folder.mkdir(parents=True)
    (folder / "session.json").write_bytes(content)
    report = run_elicit("report", str(folder))
    resume = run_elicit("run", "protocols/demo.yaml", "--participant", "P1", "--rig", "sim", "--out",
                        str(tmp_path / "data"), "--resume", "--no-dashboard")  # fmt: skip
    for result in (report, resume):
        assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
        assert "Traceback" not in result.stderr and f"{folder / 'session.json'}" in result.stderr
    assert (folder / "session.json").read_bytes() == content and not (folder / ".lock").exists()


def test_an_out_that_cannot_be_written_is_refused_before_any_camera(tmp_path):
    result = run_elicit("run", "protocols/demo.yaml", "--participant", "P1", "--rig", "sim", "--out",
                        "/proc/elicit-no-such/data", "--no-dashboard")  # fmt: skip
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert "cannot be created or written there" in result.stderr and "Traceback" not in result.stderr
    assert "Preflight" not in result.stdout  # refused before clips, cameras or the window


def test_a_read_only_file_system_is_bad_input(tmp_path, monkeypatch):
    from elicitation.folder import claim

    def read_only(path):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(claim, "create_private_dir", read_only)
    with pytest.raises(BadInput, match="cannot be created or written there .Read-only file system"):
        setup._claim(tmp_path / "data" / "sub-P1" / "ses-1", resume=False, free=True)
