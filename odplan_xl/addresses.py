"""A1 cell addresses: column letters and (row, column) pairs, 1-based. Their one home, light to import
(the reader needs them on every click; odplan_xl.sheets.spec re-exports them for the sheet writers)."""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def column_letter(col: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def coordinate_to_tuple(cell: str) -> tuple[int, int]:
    """"AB12" -> (12, 28)."""
    match = _ADDRESS.fullmatch(cell)
    if not match:
        raise ValueError(cell)
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)), col


def a1(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"
