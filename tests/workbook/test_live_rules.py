"""The live layer as written into the template: every code classified, formulas both engines accept,
the normalisation table written once and read by both (no LibreOffice needed here)."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from odplan_xl import schema
from odplan_xl.plan import normalize
from odplan_xl.rules import live
from odplan_xl.codes import CODES, reference_markdown
from odplan_xl.workbook.template import build_workbook

# Functions the live layer may use: documented by Excel 2010 and LibreOffice 7.4 alike.
EXCEL_2010 = {"IF", "ISNUMBER", "ISTEXT", "ISLOGICAL", "ISERROR", "IFERROR", "LEN", "TRIM", "CLEAN", "LOWER",
              "SUBSTITUTE", "LEFT", "MID", "FIND", "CHAR", "INT", "ABS", "ROUND", "DATE", "SUM",
              "SUMPRODUCT", "SUMIF", "COUNTIF", "COUNTIFS", "COUNTA", "ROW", "MAX", "INDEX"}
NEWER = {"LET", "FILTER", "XLOOKUP", "TEXTJOIN", "IFS", "SWITCH", "UNIQUE", "SEQUENCE", "LAMBDA"}
FUNCTION = re.compile(r"\b([A-Z][A-Z0-9.]*)\(")
STRING = re.compile(r'"(?:[^"]|"")*"')


def test_every_code_is_live_or_check_only():
    live_codes = live.live_codes()
    assert live_codes <= set(CODES)
    assert not live_codes & set(live.CHECK_ONLY)
    assert set(CODES) == live_codes | set(live.CHECK_ONLY)
    table = reference_markdown(live.where)
    for code in CODES:
        line = next(x for x in table.splitlines() if x.startswith(f"| `{code}` |"))
        assert ("live in the workbook" in line) == (code in live_codes)


def test_docs_codes_is_generated():
    docs = Path(__file__).resolve().parents[2] / "docs" / "codes.md"
    assert docs.read_text(encoding="utf-8") == reference_markdown(live.where)


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    return build_workbook(tmp_path_factory.mktemp("rules") / "template.xlsx")


def formulas(path: Path) -> tuple[list[str], list[str]]:
    """(cell formulas, conditional-format formulas) of every sheet, as stored in the file."""
    cells, conditional = [], []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = zf.read(name).decode("utf-8")
                cells += map(html.unescape, re.findall(r"<f(?: [^>]*)?>([^<]*)</f>", xml))
                conditional += map(html.unescape, re.findall(r"<formula>([^<]*)</formula>", xml))
    return cells, conditional


def test_formulas_use_excel_2010_functions_only(blank):
    cells, conditional = formulas(blank)
    assert len(conditional) > 200
    used = set()
    for text in cells + conditional:
        used |= set(FUNCTION.findall(STRING.sub('""', text)))
        assert len(text) <= 8192
        assert "_xlfn" not in text
    assert used <= EXCEL_2010, used - EXCEL_2010
    assert not used & NEWER


def test_no_structured_reference_in_conditional_formats_or_validations(blank):
    _, conditional = formulas(blank)
    with zipfile.ZipFile(blank) as zf:
        validations = [f for n in zf.namelist() if n.startswith("xl/worksheets/sheet")
                       for f in re.findall(r"<formula1>([^<]*)</formula1>", zf.read(n).decode("utf-8"))]
    for text in conditional + validations:
        assert "[" not in STRING.sub('""', text), text


def test_the_normalisation_table_is_written_once_and_read_by_check(blank):
    wb = openpyxl.load_workbook(blank)
    ws = wb["lists"]
    header = {c.value: c.column for c in ws[1] if c.value}
    col = header["normalise_from"]
    written = [(ws.cell(i, col).value, ws.cell(i, col + 1).value or "")
               for i in range(2, 2 + len(schema.NORMALISE))]
    assert written == [(a, b) for a, b in schema.NORMALISE]
    words = header["yes_no_words"]
    assert [ws.cell(i, words).value for i in range(2, 2 + len(schema.YES_WORDS) + len(schema.NO_WORDS))] == \
        [*schema.YES_WORDS, *schema.NO_WORDS]
    # check folds every pair of the table as the formulas do
    for old, new in schema.NORMALISE:
        assert normalize.choice_key(f"ب{old}ب") == normalize.choice_key(f"ب{new}ب")
    assert normalize.parse_yesno("Oui") is True and normalize.parse_yesno("✔") is True
    assert normalize.parse_choice("عاليه", schema.PRIORITY) == "عالية"


def test_templates_stay_small(tmp_path):
    sizes = {suffix: build_workbook(tmp_path / f"t{suffix}").stat().st_size for suffix in (".xlsx", ".xlsm")}
    assert sizes[".xlsx"] < 120_000 and sizes[".xlsm"] < 160_000, sizes
