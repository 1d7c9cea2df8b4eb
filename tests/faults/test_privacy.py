"""Privacy: every file the app writes in a session folder is 0600 and every folder 0700 (the demo)."""

from __future__ import annotations

import stat

import pytest


@pytest.mark.slow
def test_every_file_of_the_demo_session_is_private(demo_session):
    result, folder, _ = demo_session
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    names = set()
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path.relative_to(folder)} is {oct(mode)}"
        names.add(path.name)
    # the files item by item, so that none of them is missed by not being written at all
    expected = {"session.json", "events.tsv", "ratings.tsv", "review.tsv", "report.html", "session.log",
                "psychopy.log", "markers.tsv", "gras_frames.tsv", "uvc_frames.tsv", "gras_ep01.mkv"}  # fmt: skip
    assert expected <= names, expected - names
    assert not [n for n in names if n.endswith(".tmp") or n == ".reserve"]
