"""The face-presence scores (elicitation.footage.face_scores) on a small example worked out by hand, and the
label file reader's refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from elicitation.footage import face_scores
from elicitation.footage.face_truth import COLUMNS, FrameSeen, SecondLabel, labelled_index, read_labels, second_of

ON = (0.0, 0.0, 20.0, 20.0)  # contains the nose (10, 10)
OFF = (50.0, 50.0, 10.0, 10.0)  # a box elsewhere


def _frame(index: int, box: tuple[float, float, float, float] | None, centred: bool = True) -> FrameSeen:
    return FrameSeen(index, second_of(index, 2.0), box, {"face": box is not None, "centred": centred})


# Clip "a": 2 fps, 5 frames (2.5 s). Second 0 = frames 0, 1; second 1 = frames 2, 3; second 2 = frame 4 (0.5 s).
# Labelled frames: middle of each second's span -> 1, 3, 4 (second 2 spans 2.0-2.5: middle 2.25 -> frame 4).
FRAMES = [_frame(0, ON, centred=False), _frame(1, OFF), _frame(2, None), _frame(3, ON), _frame(4, (0, 0, 5, 5))]
LABELS = [
    SecondLabel("a", 0, "present", (10, 10)),
    SecondLabel("a", 1, "partly", (10, 10)),
    SecondLabel("a", 2, "absent", None),
    SecondLabel("a", 3, "absent", None),  # past the clip's last frame: not counted
]
CLIPS = {"a": (2.0, FRAMES)}


def test_labelled_frames_are_the_middle_of_each_second() -> None:
    assert [labelled_index(s, 2.0, 5) for s in (0, 1, 2)] == [1, 3, 4]
    assert [second_of(i, 23.976) for i in (0, 23, 24, 471)] == [0, 0, 1, 19]


def test_detection_scores_by_hand() -> None:
    scores = face_scores.detection_scores(LABELS, CLIPS)
    # present: both frames boxed (recall per frame 1.0), but its labelled frame 1 has the box off the face
    assert scores["present"] == {"seconds": 1, "frames": 2, "frames_with_box": 2, "box_rate": 1.0,
                                 "labelled_on_face": 0, "labelled_off_face": 1, "labelled_missed": 0,
                                 "labelled_recall": 0.0}  # fmt: skip
    # partly: frame 2 missed, frame 3 (labelled) on the face
    assert scores["partly"] == {"seconds": 1, "frames": 2, "frames_with_box": 1, "box_rate": 0.5,
                                "labelled_on_face": 1, "labelled_off_face": 0, "labelled_missed": 0,
                                "labelled_recall": 1.0}  # fmt: skip
    # absent: its one frame has a box: a false alarm on every frame; second 3 has no frame
    assert scores["absent"] == {"seconds": 1, "frames": 1, "frames_with_box": 1, "box_rate": 1.0,
                                "labelled_frames_with_box": 1}  # fmt: skip


def test_framing_pass_shares_by_hand() -> None:
    shares = face_scores.framing_scores(LABELS, CLIPS)
    assert shares["present"] == {"face": 1.0, "centred": 0.5, "all": 0.5}
    assert shares["partly"] == {"face": 0.5, "centred": 1.0, "all": 0.5}
    assert shares["absent"] == {"face": 1.0, "centred": 1.0, "all": 1.0}


def test_face_lost_on_one_clip_by_hand() -> None:
    samples, spans, end = face_scores.back_to_back(["a"], LABELS, CLIPS, every_s=0.5)
    assert samples == [(0.0, True), (0.5, True), (1.0, False), (1.5, True), (2.0, True)]
    assert spans == [(0.0, 1.0, "present"), (1.0, 2.0, "partly"), (2.0, 2.5, "absent")] and end == 2.5
    # the run without a face starts halfway between 0.5 and 1.0 and ends halfway between 1.0 and 1.5
    lost = face_scores.face_lost_intervals(samples, end, min_s=0.3)
    assert lost == [(0.75, 1.25)]
    assert face_scores.face_lost_intervals(samples, end, min_s=0.6) == []  # shorter than min_s
    by_label = face_scores.lost_by_label(spans, lost)
    assert by_label["present"] == {"seconds": 1.0, "lost_s": 0.25, "lost_share": 0.25}
    assert by_label["partly"] == {"seconds": 1.0, "lost_s": 0.25, "lost_share": 0.25}
    assert by_label["absent"] == {"seconds": 0.5, "lost_s": 0.0, "lost_share": 0.0}


def test_clips_back_to_back_follow_each_other() -> None:
    clips = CLIPS | {"b": (1.0, [FrameSeen(0, 0, None, {}), FrameSeen(1, 1, ON, {})])}
    labels = [*LABELS, SecondLabel("b", 0, "absent", None), SecondLabel("b", 1, "present", (10, 10))]
    samples, spans, end = face_scores.back_to_back(["a", "b"], labels, clips, every_s=0.5)
    assert samples[5:] == [(2.5, False), (3.0, False), (3.5, True), (4.0, True)]
    assert spans[3:] == [(2.5, 3.5, "absent"), (3.5, 4.5, "present")] and end == 4.5
    assert face_scores.face_lost_intervals(samples, end, min_s=0.3) == [(0.75, 1.25), (2.25, 3.25)]


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "labels.tsv"
    path.write_text("# a comment\n" + "\t".join(COLUMNS) + "\n" + "".join(r + "\n" for r in rows))
    return path


def test_labels_are_read() -> None:
    path = Path(__file__).parents[2] / "data" / "real_faces" / "face_present.tsv"
    labels = read_labels(path)
    assert {lab.label for lab in labels} <= {"present", "partly", "absent"}
    assert all((lab.nose is None) == (lab.label == "absent") for lab in labels)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("a\t0\tgone\t1\t2\tx", "is not one of"),
        ("a\t0\tabsent\t1\t2\tx", "exactly when"),
        ("a\t0\tpresent\tn/a\tn/a\tx", "exactly when"),
        ("a\tzero\tpresent\t1\t2\tx", "must be numbers"),
        ("a\t-1\tpresent\t1\t2\tx", "negative or labelled twice"),
    ],
)
def test_a_bad_row_is_refused_with_its_reason(tmp_path: Path, row: str, reason: str) -> None:
    from elicitation.footage import FootageError

    with pytest.raises(FootageError, match=reason):
        read_labels(_write(tmp_path, row))


def test_a_second_labelled_twice_or_a_wrong_header_is_refused(tmp_path: Path) -> None:
    from elicitation.footage import FootageError

    with pytest.raises(FootageError, match="labelled twice"):
        read_labels(_write(tmp_path, "a\t0\tpresent\t1\t2\tx", "a\t0\tpartly\t1\t2\ty"))
    (tmp_path / "bad.tsv").write_text("clip\tsecond\tlabel\n")
    with pytest.raises(FootageError, match="header"):
        read_labels(tmp_path / "bad.tsv")
