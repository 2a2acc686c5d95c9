"""The sheets python-calamine cannot give exactly, read with openpyxl (read-only, values only).

Used for one case: a number cell whose text calamine turns into an approximate float (an integer
beyond 2**53, NaN, infinity). openpyxl keeps such an integer exact and refuses NaN as damaged, which
is the meaning the reader gives them. The package guards (xlsx/read.py) have run before this opens.
"""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path
from typing import Any

import openpyxl

from odplan_xl.errors import OdplanError
from odplan_xl.xlsx.parts import parsing

_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """OOXML escapes characters XML cannot hold as _xHHHH_ (Excel shows the character itself)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


@functools.cache
def parsers_are_safe() -> bool:
    """Whether openpyxl parses XML without expanding entities.

    openpyxl streams sheets and shared strings through defusedxml only when it is installed and
    OPENPYXL_DEFUSEDXML is not "False"; its other parts go through lxml with entities left
    unresolved (or defusedxml without lxml). Checked on the functions it really uses.
    """
    from openpyxl.reader import strings
    from openpyxl.worksheet import _reader
    from openpyxl.xml import functions

    if not all(m.iterparse.__module__.startswith("defusedxml") for m in (strings, _reader)):
        return False
    try:
        probe = functions.fromstring(b'<!DOCTYPE a [<!ENTITY e "expanded">]><a>&e;</a>')
    except Exception:  # defusedxml refuses the declaration itself
        return True
    return "expanded" not in (probe.text or "")


def require_safe_parsers(path: Path) -> None:
    """Refuse to let openpyxl parse a file while its XML parsing is unprotected."""
    if not parsers_are_safe():
        raise OdplanError("unsafe-parser", where=path.name)


class OpenpyxlGrid:
    """A workbook file read with openpyxl in read-only, values-only mode."""

    def __init__(self, path: Path):
        self.path = path
        require_safe_parsers(path)
        # Opened here, not by openpyxl: closed even when loading fails (openpyxl leaves its handle
        # open then, which holds the file on Windows), and judged by content, not by its extension.
        self._file = path.open("rb")
        try:
            with warnings.catch_warnings(), parsing(path):
                warnings.simplefilter("ignore")
                self._wb = openpyxl.load_workbook(self._file, read_only=True, data_only=True,
                                                  keep_links=False)
        except BaseException:
            self._file.close()
            raise

    def values(self, sheet: str, min_row: int, min_col: int, max_row: int, max_col: int) -> list[list[Any]]:
        ws = self._wb[sheet]
        width = max_col - min_col + 1
        rows = []
        with warnings.catch_warnings(), parsing(self.path, f"{self.path.name}: {sheet}"):
            warnings.simplefilter("ignore")
            for r in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col,
                                  values_only=True):
                row = [_unescape(v) if isinstance(v, str) and "_x" in v else v for v in r]
                rows.append(row + [None] * (width - len(row)))
        return rows

    def dimensions(self, sheet: str) -> tuple[int, int]:
        """(max_row, max_col) as the file states them (may be absent: then computed)."""
        ws = self._wb[sheet]
        with warnings.catch_warnings(), parsing(self.path, f"{self.path.name}: {sheet}"):
            warnings.simplefilter("ignore")
            if ws.max_row is None or ws.max_column is None:
                ws.calculate_dimension(force=True)
            return ws.max_row or 0, ws.max_column or 0

    def close(self) -> None:
        self._wb.close()
        self._file.close()
