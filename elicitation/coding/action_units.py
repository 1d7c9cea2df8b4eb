"""FACS action-unit strings as coders and the published sheets write them: ``4+L10``, ``R12``, ``1+2``, ``12C``.

A string is action units joined by ``+``. Each token is an optional side (``L`` left, ``R`` right,
``U`` unilateral without a side: SAMM writes it so), the AU number (1-99, no leading zero), and an
optional FACS intensity letter ``A``-``E`` (trace to maximum). Spaces around ``+`` are allowed,
``AU12`` (or ``au12``) is read as ``12`` and lower-case letters as upper case; a number FACS does not
define (3, 40, 47-49, 59, 60, 67-69, 75-79, 86-99) is refused; nothing else is guessed: ``4 or 7``,
``12F``, ``L`` or an empty token are refused with the token and the reason, so a sheet's flaw is
reported, never silently fixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from elicitation.folder import BadInput

SIDES = {"L": "left", "R": "right", "U": "unilateral"}
INTENSITIES = "ABCDE"
_TOKEN = re.compile(r"(?:[Aa][Uu])?(?P<side>[A-Za-z]?)(?P<number>\d+)(?P<intensity>[A-Za-z]?)")
# The codes FACS defines (Ekman, Friesen and Hager 2002): main codes 1-46 (there is no AU 3 and no AU 40),
# head and eye positions 50-58 and 61-66, gross behaviours 70-74 and 80-85. Any other number is refused.
FACS_CODES = frozenset([1, 2, *range(4, 40), *range(41, 47), *range(50, 59), *range(61, 67), *range(70, 75),
                        *range(80, 86)])  # fmt: skip


class ActionUnitError(BadInput):
    """Raised when an action-unit string is malformed; the message names the token and why."""


@dataclass(frozen=True, order=True)
class ActionUnit:
    number: int
    side: str = ""  # "", "L", "R" or "U"
    intensity: str = ""  # "" or A-E

    @property
    def unilateral(self) -> bool:
        return self.side in SIDES

    def __str__(self) -> str:
        return f"{self.side}{self.number}{self.intensity}"


def _token(token: str, text: str) -> ActionUnit:
    where = f"action units {text!r}: token {token!r}"
    if not token:
        raise ActionUnitError(f"{where}: empty (two '+' in a row, or '+' at an end)")
    if " " in token:
        raise ActionUnitError(f"{where}: a space inside one action unit (only '+' separates action units)")
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise ActionUnitError(f"{where}: not [L|R|U]<number>[A-E] (for example 4, L10, R12B)")
    side, number, intensity = match["side"].upper(), match["number"], match["intensity"].upper()
    if side and side not in SIDES:
        raise ActionUnitError(f"{where}: side {match['side']!r} is not L, R or U")
    if intensity and intensity not in INTENSITIES:
        raise ActionUnitError(f"{where}: intensity {match['intensity']!r} is not one of A-E")
    if number.startswith("0") or not 1 <= int(number) <= 99:
        raise ActionUnitError(f"{where}: AU number {number} is not 1-99 without leading zeros")
    if int(number) not in FACS_CODES:
        raise ActionUnitError(f"{where}: AU {number} is not a FACS action unit (1, 2, 4-39, 41-46, 50-58, 61-66, "
                              "70-74, 80-85)")  # fmt: skip
    return ActionUnit(int(number), side, intensity)


def parse_action_units(text: str) -> list[ActionUnit]:
    """The action units of a string, in the order written. A unit written twice is refused."""
    if text is None or not str(text).strip():
        raise ActionUnitError("action units: empty string (write the AUs, e.g. 4+L10)")
    text = str(text).strip()
    units = [_token(token.strip(), text) for token in text.split("+")]
    seen: set[tuple[int, str]] = set()
    for unit in units:
        key = (unit.number, unit.side)
        if key in seen:
            raise ActionUnitError(f"action units {text!r}: token {str(unit)!r}: AU {unit.side}{unit.number} twice")
        seen.add(key)
    return units


def canonical(units: list[ActionUnit]) -> str:
    """Sorted by AU number, then side: ``L10+4`` and ``4+L10`` both give ``4+L10``."""
    return "+".join(str(u) for u in sorted(units, key=lambda u: (u.number, u.side)))


def canonical_string(text: str) -> str:
    return canonical(parse_action_units(text))


def au_set(units: list[ActionUnit]) -> set[tuple[int, str]]:
    """(number, side) pairs: what agreement compares (intensity is ignored there)."""
    return {(u.number, u.side) for u in units}
