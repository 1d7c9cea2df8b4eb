"""Sessions, segments and the timeline's marks (elicitation.workbench.sessions, .timeline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from elicitation.folder import BadInput
from elicitation.spotting import CANDIDATE_COLUMNS
from elicitation.workbench import find_sessions, open_session
from elicitation.workbench.timeline import FLAG_SPAN_S, timeline
from tests.elicitation.workbench.tiny_session import FIRST_ID, T0, make_session


@pytest.fixture(scope="module")
def session_dir(tmp_path_factory) -> Path:
    return make_session(tmp_path_factory.mktemp("wb") / "data" / "sub-P1" / "ses-1")


def test_sessions_are_found_in_a_folder_of_them_or_given_directly(session_dir: Path, tmp_path: Path) -> None:
    data = session_dir.parents[1]
    assert find_sessions(data) == [session_dir]
    assert find_sessions(session_dir) == [session_dir]
    with pytest.raises(BadInput, match="no session folder here"):
        find_sessions(tmp_path)


def test_segments_are_the_episode_and_after_files_with_their_rows(session_dir: Path) -> None:
    s = open_session(session_dir, session_dir.parents[1])
    assert s.name == "sub-P1/ses-1" and s.cameras == ["gras", "uvc"]
    assert [(seg.key, seg.label) for seg in s.segments] == [("01", "episode 01"), ("after01", "after episode 01")]
    after = s.segment("after01")
    assert after.files == {"gras": "gras_after01.mkv", "uvc": "uvc_after01.mkv"}
    assert list(s.tables["gras"].frame[after.rows["gras"]]) == list(range(90, 130))
    assert list(s.tables["gras"].camera_frame_id[after.rows["gras"]]) == list(range(FIRST_ID + 90, FIRST_ID + 130))
    assert s.categories["swallowing"] == "Swallowing"  # no protocol at hand: the default categories


def test_timeline_marks_fall_inside_the_segment(session_dir: Path) -> None:
    s = open_session(session_dir)
    marks = timeline(s, s.segment("01"))
    assert marks["start"] == pytest.approx(T0) and marks["end"] == pytest.approx(T0 + 0.004 + 89 / 60)
    assert marks["clip"]["onset"] == pytest.approx(T0 + 10 / 60) and marks["clip"]["offset"] == pytest.approx(
        T0 + 10 / 60 + 1.0)  # fmt: skip
    assert marks["penalties"] == [pytest.approx(T0 + 0.5)]  # the one at T0 + 99 is outside
    assert [f["category"] for f in marks["flags"]] == ["swallowing"]  # the removed flag is gone
    assert marks["flags"][0]["start"] == pytest.approx(T0 + 0.5 - FLAG_SPAN_S)
    lost = marks["face_lost"]
    assert lost[0]["start"] == pytest.approx(T0) and lost[0]["end"] == pytest.approx(T0 + 0.15)  # clamped
    assert len(lost) == 1  # the open-ended one starts after this segment
    assert marks["rating"] == {"emotion": "disgust", "intensity": "3"}
    after = timeline(s, s.segment("after01"))
    assert after["clip"] is None and after["flags"] == [] and after["rating"] is None
    assert after["face_lost"][0]["start"] == pytest.approx(T0 + 2.0)  # n/a duration: to the segment's end


def test_spotting_candidates_of_the_segment_are_listed(tmp_path: Path) -> None:
    folder = make_session(tmp_path / "ses-1")
    (folder / "spotting").mkdir()
    rows = [  # the columns elicit spot writes
        {"candidate": 1, "episode": "01", "kind": "micro", "onset_frame": 20, "apex_frame": 24, "offset_frame": 30,
         "score": 0.9, "flag": ""},
        {"candidate": 2, "episode": "after01", "kind": "macro", "onset_frame": 100, "apex_frame": 104,
         "offset_frame": 110, "score": 0.4, "flag": "face_lost"},
    ]  # fmt: skip
    lines = ["\t".join(CANDIDATE_COLUMNS)] + ["\t".join(str(r.get(c, "n/a")) for c in CANDIDATE_COLUMNS) for r in rows]
    (folder / "spotting" / "gras.tsv").write_text("\n".join(lines) + "\n")
    s = open_session(folder)
    assert timeline(s, s.segment("01"))["spotting"] == [
        {"camera": "gras", "onset": 20, "apex": 24, "offset": 30, "score": 0.9, "kind": "micro", "flag": ""},
    ]
    assert [c["onset"] for c in timeline(s, s.segment("after01"))["spotting"]] == [100]
