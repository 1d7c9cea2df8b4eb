"""coding/<coder>.tsv: append, change, delete, replay, torn lines, file modes, the independence rule."""

from __future__ import annotations

import stat

import numpy as np
import pytest

from elicitation.coding import CodingError, CodingLog, Event, check_coder, other_coder_events, replay
from tests.elicitation.coding.frames import two_cameras

CATEGORIES = {"swallowing": "Swallowing", "other": "Other"}


def event(**fields) -> Event:
    base = {"event_id": "", "episode": "01", "kind": "micro", "camera": "gras", "onset": 50, "apex": 56,
            "offset": 70, "action_units": "L10+4", "emotion": "disgust"}  # fmt: skip
    return Event(**{**base, **fields})


def open_log(session, coder="C1") -> CodingLog:
    return CodingLog(session, coder, tables=two_cameras(), categories=CATEGORIES)


def test_add_change_delete_replay(tmp_path):
    log = open_log(tmp_path)
    first = log.add(event())
    second = log.add(event(onset=200, apex=203, offset=215, action_units="14", emotion="repression"))
    log.change(event(event_id=first.event_id, onset=52, action_units="4+L10"))
    log.delete(second.event_id)
    log.add(event(kind="irrelevant", category="swallowing", onset=300, apex=305, offset=330, action_units="",
                  emotion=""))  # fmt: skip
    log.close()

    state = replay(tmp_path / "coding" / "C1.tsv")
    assert [e.onset for e in state.episode_events("01")] == [52, 300]
    changed = state.events[first.event_id]
    assert changed.action_units == "4+L10"  # canonical
    assert second.event_id not in state.events
    rows = (tmp_path / "coding" / "C1.tsv").read_text().splitlines()
    assert [r.split("\t")[1] for r in rows[1:]] == ["add", "add", "change", "delete", "add"]  # nothing rewritten
    assert state.torn == []


def test_other_cameras_get_the_frame_nearest_in_host_time(tmp_path):
    tables = two_cameras()
    coded = open_log(tmp_path).add(event())
    for point, index in coded.points().items():
        own = coded.frames["gras"][point]
        assert own.frame == index and own.host_time == tables["gras"].host_time[index]
        other = coded.frames["benq"][point]
        nearest = int(np.argmin(np.abs(tables["benq"].host_time - own.host_time)))
        assert other.frame == nearest
        assert (other.file, other.file_frame) == (tables["benq"].file[nearest], int(tables["benq"].file_frame[nearest]))
    assert coded.frames["benq"]["onset"].frame != coded.frames["benq"]["offset"].frame


def test_log_reopens_and_replays_its_own_codes(tmp_path):
    log = open_log(tmp_path)
    added = log.add(event())
    log.close()
    again = open_log(tmp_path)
    assert again.events("01") == [added]
    more = again.add(event(onset=100, apex=101, offset=110))
    assert more.event_id != added.event_id


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"apex": 49}, "onset <= apex"),
        ({"offset": 55}, "onset <= apex"),
        ({"apex2": 80}, "onset <= apex"),
        ({"apex2": 55}, "onset <= apex"),
        ({"kind": "blink"}, "kind 'blink'"),
        ({"emotion": "joy"}, "emotion 'joy'"),
        ({"action_units": "4 or 7"}, "token '4 or 7'"),
        ({"kind": "irrelevant", "category": "sneezing"}, "review category"),
        ({"category": "swallowing"}, "only for kind irrelevant"),
        ({"onset": 50, "apex": 60, "offset": 900}, "not in gras's frames.tsv"),
    ],
)
def test_invalid_codes_are_refused_and_not_written(tmp_path, fields, message):
    log = open_log(tmp_path)
    with pytest.raises(CodingError, match=message):
        log.add(event(**fields))
    assert len((tmp_path / "coding" / "C1.tsv").read_text().splitlines()) == 1  # the header only


def test_apex2_between_apex_and_offset_is_kept(tmp_path):
    coded = open_log(tmp_path).add(event(apex2=60))
    assert coded.apex2 == 60 and coded.frames["benq"]["apex2"].frame > 0


def test_torn_last_line_is_ignored_and_reported(tmp_path):
    log = open_log(tmp_path)
    kept = log.add(event())
    log.add(event(onset=100, apex=101, offset=110))
    log.close()
    path = tmp_path / "coding" / "C1.tsv"
    text = path.read_text()
    path.write_text(text[: len(text) - 40])  # the crash cut the last row mid-write

    state = replay(path)
    assert list(state.events) == [kept.event_id]
    assert len(state.torn) == 1 and state.torn[0].line == 3 and "no final newline" in state.torn[0].reason

    reopened = open_log(tmp_path)  # appending after a torn line starts a new line
    assert [t.line for t in reopened.torn] == [3]
    reopened.add(event(onset=200, apex=201, offset=210))
    reopened.close()
    state = replay(path)
    assert sorted(e.onset for e in state.events.values()) == [50, 200]
    assert [t.line for t in state.torn] == [3]


def test_file_and_folder_modes(tmp_path):
    open_log(tmp_path).add(event())
    assert stat.S_IMODE((tmp_path / "coding").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "coding" / "C1.tsv").stat().st_mode) == 0o600
    copied = tmp_path / "coding" / "C2.tsv"  # a log copied in from elsewhere, world-readable
    copied.write_text((tmp_path / "coding" / "C1.tsv").read_text().splitlines()[0] + "\n")
    copied.chmod(0o644)
    open_log(tmp_path, "C2").close()
    assert stat.S_IMODE(copied.stat().st_mode) == 0o600


def test_done_closes_the_episode(tmp_path):
    log = open_log(tmp_path)
    added = log.add(event())
    log.done("01")
    with pytest.raises(CodingError, match="marked done"):
        log.change(event(event_id=added.event_id, onset=51))
    with pytest.raises(CodingError, match="marked done"):
        log.add(event(onset=100, apex=101, offset=110))
    log.add(event(episode="02"))  # another episode is still open


def test_another_coders_events_only_when_both_are_done(tmp_path):
    c1, c2 = open_log(tmp_path, "C1"), open_log(tmp_path, "C2")
    c1.add(event())
    theirs = c2.add(event(onset=52))
    c1.done("01")
    with pytest.raises(CodingError, match="not yet: C2"):
        other_coder_events(tmp_path, "C1", "C2", "01")
    with pytest.raises(CodingError, match="not yet: C2"):
        other_coder_events(tmp_path, "C2", "C1", "01")
    c2.done("01")
    assert other_coder_events(tmp_path, "C1", "C2", "01") == [theirs]


@pytest.mark.parametrize("coder", ["C1", "anna", "X" * 16])
def test_coder_ids_accepted(coder):
    assert check_coder(coder) == coder


@pytest.mark.parametrize("coder", ["", "C 1", "../C1", "C1.tsv", "X" * 17, "Ä1"])
def test_coder_ids_refused(coder):
    with pytest.raises(CodingError, match="coder ID"):
        check_coder(coder)
