"""The cells the last check coloured, remembered in a hidden sheet so the next check clears exactly those."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from odplan_xl.excel.writer import as_text, rectangles, sheet_named
from odplan_xl.rules.findings import Report, Severity
from odplan_xl.sheets.report import ERROR_FILL, WARNING_FILL
from odplan_xl.sheets.spec import a1, coordinate_to_tuple

# Colours cannot be read back on every engine, and cells must never be cleared that the check did
# not colour itself: the hidden sheet is the memory.
MARKS_SHEET = "odplan_marks"
MARKS_HEADER = ("odplan-xl", "cells coloured by the last check (cleared by the next one; do not edit)")

_ADDRESS = re.compile(r"\$?[A-Z]{1,3}\$?\d{1,7}(:\$?[A-Z]{1,3}\$?\d{1,7})?")


def read_marks(book: Any) -> list[tuple[str, str]]:
    """(sheet, "B7:B9") coloured by the last check, as remembered in the hidden sheet."""
    sheet = sheet_named(book, MARKS_SHEET)
    if sheet is None:
        return []
    rows = sheet.used_range.options(ndim=2).value or []
    out = []
    for row in rows[1:]:
        if len(row) >= 2 and isinstance(row[0], str) and isinstance(row[1], str) \
                and _ADDRESS.fullmatch(row[1].strip()):
            out.append((row[0], row[1].strip()))
    return out


def clear_marks(book: Any, marks: Iterable[tuple[str, str]]) -> int:
    """Remove the fill of the cells the last check coloured, without reading any colour; returns the count."""
    done = 0
    for sheet_name, address in marks:
        sheet = sheet_named(book, sheet_name)
        if sheet is None:            # renamed or deleted since: nothing of ours left to clear
            continue
        sheet.range(address).color = None
        done += 1
    return done


def finding_marks(book: Any, report: Report) -> list[tuple[str, str, str]]:
    """(sheet, "B7:B9", fill) to colour: errors light red, warnings light yellow (error wins on a cell)."""
    worst: dict[tuple[str, int, int], Severity] = {}
    present = {sheet.name for sheet in book.sheets}
    for finding in report.findings:
        if not finding.cell or finding.sheet not in present:
            continue
        try:
            row, col = coordinate_to_tuple(finding.cell)
        except ValueError:
            continue
        key = (finding.sheet, row, col)
        if worst.get(key) is not Severity.ERROR:
            worst[key] = finding.severity
    by_fill: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for (sheet, row, col), severity in worst.items():
        by_fill[(sheet, ERROR_FILL if severity is Severity.ERROR else WARNING_FILL)].append((row, col))
    marks = []
    for (sheet_name, fill), cells in sorted(by_fill.items()):
        for r1, c1, r2, c2 in rectangles(cells):
            address = a1(r1, c1) if (r1, c1) == (r2, c2) else f"{a1(r1, c1)}:{a1(r2, c2)}"
            marks.append((sheet_name, address, fill))
    return marks


def colour_marks(book: Any, marks: Iterable[tuple[str, str, str]]) -> None:
    for sheet_name, address, fill in marks:
        book.sheets[sheet_name].range(address).color = f"#{fill}"


def write_marks(book: Any, marks: list[tuple[str, str]]) -> None:
    """Remember the coloured ranges in the hidden sheet (created on first use)."""
    sheet = sheet_named(book, MARKS_SHEET)
    if sheet is None:
        sheet = book.sheets.add(MARKS_SHEET, after=book.sheets[len(book.sheets) - 1])
        sheet.visible = False
    else:
        sheet.clear_contents()
    rows = [list(MARKS_HEADER)] + [[as_text(s), a] for s, a in marks]
    sheet.range((1, 1), (len(rows), 2)).value = rows
