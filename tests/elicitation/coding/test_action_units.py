"""AU strings: the forms coders and the sheets write are read; malformed ones are refused with the reason."""

from __future__ import annotations

import pytest

from elicitation.coding import ActionUnit, ActionUnitError, canonical_string, meets, parse_action_units, suggest


@pytest.mark.parametrize(
    ("text", "units", "canonical"),
    [
        ("4+L10", [ActionUnit(4), ActionUnit(10, "L")], "4+L10"),
        ("R12", [ActionUnit(12, "R")], "R12"),
        ("14", [ActionUnit(14)], "14"),
        ("2+1", [ActionUnit(2), ActionUnit(1)], "1+2"),
        ("12C", [ActionUnit(12, "", "C")], "12C"),
        ("L12B", [ActionUnit(12, "L", "B")], "L12B"),
        ("U14", [ActionUnit(14, "U")], "U14"),
        (" 4 + 7 ", [ActionUnit(4), ActionUnit(7)], "4+7"),
        ("AU12", [ActionUnit(12)], "12"),
        ("au12+Au4", [ActionUnit(12), ActionUnit(4)], "4+12"),  # the prefix in any case, as coders type it
        ("46+85", [ActionUnit(46), ActionUnit(85)], "46+85"),
        ("L12+R12", [ActionUnit(12, "L"), ActionUnit(12, "R")], "L12+R12"),
    ],
)
def test_accepted(text, units, canonical):
    assert parse_action_units(text) == units
    assert canonical_string(text) == canonical


@pytest.mark.parametrize(
    ("text", "token", "reason"),
    [
        ("4 or 7", "4 or 7", "space inside"),
        ("4++7", "", "empty"),
        ("4+", "", "empty"),
        ("12F", "12F", "intensity 'F'"),
        ("X12", "X12", "side 'X'"),
        ("L", "L", "not [L|R|U]"),
        ("04", "04", "leading zeros"),
        ("100", "100", "1-99"),
        ("4+4", "4", "twice"),
        ("99", "99", "not a FACS action unit"),
        ("3", "3", "not a FACS action unit"),
        ("4+40", "40", "not a FACS action unit"),
        ("12.5", "12.5", "not [L|R|U]"),
    ],
)
def test_refused_with_token_and_reason(text, token, reason):
    with pytest.raises(ActionUnitError) as info:
        parse_action_units(text)
    assert f"token {token!r}" in str(info.value)
    assert reason in str(info.value)


def test_empty_is_refused():
    with pytest.raises(ActionUnitError, match="empty"):
        parse_action_units("  ")


@pytest.mark.parametrize(
    ("aus", "expected"),
    [
        ("6", ["amusement"]),
        ("1", ["sadness"]),
        ("4", ["disgust"]),
        ("9+10", ["disgust"]),
        ("1+2", ["sadness", "surprise"]),  # AU1 is present, so sadness's criterion is met as well
        ("25", ["surprise"]),
        ("L10", ["disgust", "contempt"]),
        ("R12", ["amusement", "contempt"]),
        ("12", ["amusement"]),
        ("1+2+4", ["sadness", "disgust", "surprise", "fear"]),
        ("20", ["fear"]),
        ("14", ["repression"]),
        ("15+17", ["repression"]),
        ("4+14", ["disgust"]),  # "alone or in combination" read as with each other
        ("7", ["tense"]),
        ("", []),
    ],
)
def test_table_iv_suggestions(aus, expected):
    units = parse_action_units(aus) if aus else []
    assert suggest(units) == expected


def test_meets_per_label():
    assert meets("contempt", parse_action_units("L12")) is True
    assert meets("contempt", parse_action_units("12")) is False
    assert meets("repression", parse_action_units("14+17")) is True
    assert meets("repression", parse_action_units("14+12")) is False
    assert meets("tense", parse_action_units("7")) is True
    assert meets("tense", parse_action_units("4")) is False
    assert meets("others", parse_action_units("4")) is None
