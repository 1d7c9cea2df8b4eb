"""`elicit report`: the self-contained HTML report of a session (the demo session, run once for the suite)."""

from __future__ import annotations

import json
import re

from elicitation.folder import SessionState, read_tsv
from hardware.video import read_frames_tsv
from tests.conftest import run_elicit


def test_demo_writes_a_self_contained_report_with_every_section(demo_session):
    result, folder, _ = demo_session
    report = folder / "report.html"
    assert f"report: {report}" in result.stdout.replace("\n", "")
    page = report.read_text()
    assert "http://" not in page and "https://" not in page and "<script" not in page
    sources = re.findall(r"src='([^']*)'", page)
    assert len(sources) == 2 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert report.stat().st_mode & 0o077 == 0
    state = json.loads((folder / "session.json").read_text())
    for label, episode in state["episodes"].items():
        expected = ", ".join(m["emotion"] for m in episode["main_emotions"]) or "(none in Table VI)"
        assert f"<td>{label}</td><td>{episode['clip']}</td><td>{expected}</td>" in page
    for row in read_tsv(folder / "ratings.tsv"):
        assert row["emotion"] in page
    for name in state["rig"]["cameras"]:
        frames = len(read_frames_tsv(folder / "video" / f"{name}_frames.tsv"))
        assert f"<td>{name}</td><td>60</td><td>" in page and f"<td>{frames}</td>" in page
    assert f"{state['penalties']['count']} expression(s) noted" in page
    for warning in state["warnings"]:
        assert warning["message"] in page.replace("&#x27;", "'")


def test_strings_from_data_files_are_escaped(demo_session, tmp_path):
    _, folder, _ = demo_session
    state = SessionState.load(folder)
    state.warn("<script>alert('x')</script> & more", save=False)
    copy = tmp_path / "ses-1"
    copy.mkdir()
    for name in ("events.tsv", "ratings.tsv"):
        (copy / name).write_bytes((folder / name).read_bytes())
    state.path = copy / "session.json"
    state.save()
    result = run_elicit("report", str(copy), "--out", str(tmp_path / "r.html"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "r.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page


def test_report_of_a_folder_that_is_not_a_session_exits_2(tmp_path):
    result = run_elicit("report", str(tmp_path))
    assert result.returncode == 2 and "not a session folder" in result.stderr
