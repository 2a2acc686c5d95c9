"""odplan_xl.expr: one expression, two engines. The Python it compiles to must compute what a spreadsheet
computes from its formula: checked here against LibreOffice over generated cell values, for every test
`check` runs from rules/live.py and for the stored-value bounds the reader's parsers run."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from lo_helpers import recalculate, require

from odplan_xl import expr, schema
from odplan_xl.expr import FormulaError, Lit, compile, fn, formula, ref, truth
from odplan_xl.plan import normalize
from odplan_xl.rules import live
from odplan_xl.schema import Kind

# --- the language ----------------------------------------------------------------------------------


def test_rendering_follows_precedence():
    a, b, c = ref("A1"), ref("B1"), ref("C1")
    assert formula(a - (b - c)) == "A1-(B1-C1)"
    assert formula((a - b) - c) == "A1-B1-C1"
    assert formula((a + b) * c) == "(A1+B1)*C1"
    assert formula(a + b * c) == "A1+B1*C1"
    assert formula((a < b) * (b > c)) == "(A1<B1)*(B1>C1)"
    assert formula(1 - (a + b > 0)) == "1-(A1+B1>0)"
    assert formula(fn("LEN", Lit('say "x"'))) == 'LEN("say ""x""")'
    assert f"{a < b}" == "(A1<B1)" and f"{a}" == "A1"      # written into a longer formula's text


def test_text_is_never_taken_for_a_reference_or_a_literal_silently():
    with pytest.raises(TypeError):
        ref("A1") + "B1"
    with pytest.raises(ValueError):
        fn("XLOOKUP", ref("A1"))


@pytest.mark.parametrize(("x", "scope", "expected"), [
    (ref("a") < 5, {"a": "text"}, False),               # text sorts after every number
    (ref("a") < 5, {}, True),                           # an empty cell is 0 beside a number
    (ref("a").eq(Lit("")), {}, True),                       # and "" beside text
    (ref("a").eq(Lit("ABC")), {"a": "abc"}, True),          # text compared without case
    (ref("a") > 1, {"a": True}, True),                  # booleans after text
    (fn("TRIM", ref("a")), {"a": "  a \u00a0 b  "}, "a \u00a0 b"),   # only ASCII spaces
    (fn("ISERROR", fn("FIND", "@", ref("a"))), {"a": "x"}, True),
    (fn("IFERROR", fn("FIND", "@", ref("a")), 0), {"a": "ab@"}, 3),
    (fn("ROUND", ref("a"), 3), {"a": -0.0005}, -0.001),  # half away from zero
    (fn("COUNTIF", ref("r"), "=_a~*"), {"r": ["_A*", "_ab", None]}, 1),
    (ref("a").cat(Lit("")), {"a": 2027.0}, "2027"),
])
def test_spreadsheet_semantics(x, scope, expected):
    assert compile(x)(scope) == expected


def test_an_error_value_is_not_a_true_condition():
    x = ref("a") * 1 > 0
    with pytest.raises(FormulaError):
        compile(x)({"a": "not a number"})
    assert truth(x)({"a": "not a number"}) is False


def test_cell_values():
    assert expr.cell_value(dt.date(2027, 3, 5)) == 46451
    assert expr.cell_value(dt.datetime(2027, 3, 5, 12)) == 46451.5
    assert expr.cell_value("") is None and expr.cell_value(True) is True and expr.cell_value(False) is False
    assert expr.cell_value(0) == 0 and type(expr.cell_value(0)) is int


# --- Python and LibreOffice, on the same generated values --------------------------------------------

AR = ["نعم", "لا", "لآ", "نَعَم", "إدارة", "ادارة", "مؤسسة", "مؤسسه", "مستشفى", "مستشفي", "مـدير", "١", "٠"]
WORDS = ["Oui", " OUI ", "non", "x", "✓", "✔", "yes", "Y", "true", "FALSE", "1", "0", "2", "*", "?", "~", "~*",
         "=1", "_x", "a*b", "", " ", "\u00a0", " \t ", "\n", "a\tb", "a\nb", "a\u00a0b", "\u00a0\n\u00a0", "\u200b", "\u00a0\t", "  spaced   out  ", "05/03/2027",
         "12 500,500", "2027", "CSV", "csv ", "Xlsx", "JSON"]
EMAILS = ["a@b.c", "a@@b.c", "a b@c.d", "@b.c", "a@b", "a@b.", "a@.b", "ab@c.de", "x.y@z.tn", "a@b.c.", "a@b..c",
          "a@b\n.c", " a@b.c ", "ab@c.de@"]


def _values(seed: int, n: int) -> list:
    rnd = random.Random(seed)
    edges = [schema.DATE_FIRST, schema.DATE_END, schema.YEAR_MIN, schema.YEAR_MAX, 0, 10 ** 15]
    out: list = [None, True, False]
    for _ in range(n):
        kind = rnd.randrange(7)
        if kind == 0:
            out.append(rnd.choice(edges) + rnd.choice([-1, 0, 1, 0.5, -0.5]))
        elif kind == 1:
            out.append(round(rnd.uniform(-1e4, 1e6), rnd.choice([0, 1, 3, 4])))
        elif kind == 2:
            out.append(dt.datetime(rnd.randrange(1900, 2150), rnd.randrange(1, 13), rnd.randrange(1, 29)))
        elif kind == 3:
            out.append(rnd.choice(AR + WORDS))
        elif kind == 4:
            out.append(rnd.choice(EMAILS))
        elif kind == 5:
            out.append(rnd.choice(schema.section("datasets").column("format").choices)
                       + rnd.choice(["", " ", "ة", "\u0640"]))
        else:
            out.append(rnd.choice([-0.0005, -0.0004, 0.0005, -1, -1e15, 1e15 - 1, 2.5, -2, 2020.0, 2100.5]))
    return out


def _tests(book: live.Book, v: expr.X) -> dict[str, expr.X]:
    """Every test `check` runs in Python that reads one cell, and the stored-value bounds."""
    out = {f"stored {kind}": test(v) for kind, test in schema.STORED_REFUSED.items()}
    out["key"] = live.norm(book, v)
    out["filled"] = live.filled(v)
    kinds = {Kind.DATE: ("datasets", "publish_date"), Kind.AMOUNT: ("budget", "amount"),
             Kind.YESNO: ("datasets", "crit_legal"), Kind.CHOICE: ("datasets", "format")}
    for rule in live.LIVE_RULES:
        for kind, (owner, key) in kinds.items():
            spec = schema.section(owner)
            col = spec.column(key)
            if rule.applies(owner, spec, col) and rule.code not in ("missing-value", "row-outside-table",
                                                                    "outside-plan-year", "end-before-start"):
                out[f"{rule.code} {key}"] = rule.test(live.Cell(owner, spec, col, v, None, book))
    for rule in live.LIVE_RULES:
        for col in schema.COVER_FIELDS:
            if col.kind in (Kind.EMAIL, Kind.YEAR) and rule.applies("cover", None, col) \
                    and rule.code != "year-mismatch":
                out[f"{rule.code} {col.key}"] = rule.test(live.Cell("cover", None, col, v, None, book))
    return out


@pytest.fixture(scope="module")
def computed(tmp_path_factory) -> tuple[list, list[dict[str, object]], list[str]]:
    """(values, what LibreOffice computed per value, test names) for 400 generated values."""
    require(uno=True)
    folder = tmp_path_factory.mktemp("expr")
    values = _values(20261207, 400)
    path = folder / "expr.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    data, lists = wb.add_worksheet("data"), wb.add_worksheet("lists")
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    for i, (old, new) in enumerate(schema.NORMALISE):
        lists.write_string(i, 0, old)
        if new:
            lists.write_string(i, 1, new)
        if old == live.NBSP:
            wb.define_name(live.name("nbsp"), f"=lists!$A${i + 1}")
    pairs = tuple((f"lists!$A${i + 1}", f"lists!$B${i + 1}") for i in range(len(schema.NORMALISE)))
    book = live.Book(pairs=pairs, lists={}, yesno="", no="", sections_list="", sections_empty="")
    words = [*schema.YES_WORDS, *schema.NO_WORDS]
    choices = schema.section("datasets").column("format").choices
    for i, word in enumerate([*words, *choices]):
        lists.write_string(i, 3, word)
        lists.write_formula(i, 4, f"={live.norm(book, f'lists!$D${i + 1}')}", None, "")
    n = len(words)
    book = live.Book(pairs=pairs, lists={("datasets", "format"): f"lists!$E${n + 1}:$E${n + len(choices)}"},
                     yesno=f"lists!$E$1:$E${n}", no=f"lists!$E${len(schema.YES_WORDS) + 1}:$E${n}",
                     sections_list="", sections_empty="")
    names = list(_tests(book, ref("$A$1")))
    for r, value in enumerate(values):
        cell = f"$A${r + 1}"
        if isinstance(value, bool):
            data.write_boolean(r, 0, value)
        elif isinstance(value, dt.datetime):
            data.write_datetime(r, 0, value, date)
        elif isinstance(value, str):
            if value:
                data.write_string(r, 0, value)
        elif value is not None:
            data.write_number(r, 0, value)
        tests = _tests(book, ref(cell, ("col", "v")))
        for c, name in enumerate(names, start=1):
            data.write_formula(r, c, f"={tests[name]}", None, "")
    wb.close()
    recalculate([path], folder / "calc")
    sheet = openpyxl.load_workbook(folder / "calc" / path.name, data_only=True)["data"]
    got = [{name: sheet.cell(r + 1, c + 1).value for c, name in enumerate(names, start=1)}
           for r in range(len(values))]
    return values, got, names


def test_python_computes_what_libreoffice_computes(computed):
    values, got, names = computed
    assert len(names) >= 14
    tables = live._tables()
    mismatches = []
    for value, row in zip(values, got, strict=True):
        scope = {**tables, ("col", "v"): expr.cell_value(value)}   # tables: live_nbsp's value too
        book = live._BOOK
        tests = _tests(book, ref("v", ("col", "v")))
        for name in names:
            lo = row[name]
            if name == "key":
                py = compile(tests[name])(scope)
                # a boolean as text: TRUE in Excel (and Python), 1 in LibreOffice (see odplan_xl.expr)
                shown = {True: "_1", False: "_0"}[value] if isinstance(value, bool) else py
                same = (lo or "") == shown
            else:
                py = truth(tests[name])(scope)
                same = bool(lo) == py if not isinstance(lo, str) else py is False
            if not same:
                mismatches.append((value, name, lo, py))
    assert mismatches == [], "\n".join(map(repr, mismatches))


def test_each_rule_run_by_check_is_among_those_compared(computed):
    _, _, names = computed
    codes = {n.split(" ")[0] for n in names}
    # the row rules that read other cells are compared through whole workbooks (tests/workbook/test_live.py)
    assert live.RUN_BY_CHECK - codes == {"end-before-start", "outside-plan-year", "no-criteria-met",
                                         "budget-without-activity", "update-before-prepared"}


def test_the_parsers_refuse_what_the_formulas_refuse(computed):
    """normalize's parsers and model's whole numbers run schema.STORED_REFUSED: on every generated number,
    date and boolean, a value the spreadsheet flags is one the reader refuses."""
    values, got, _ = computed
    from odplan_xl.plan.model import ROW_COLUMNS
    by_code = {code: parse for key in ("trainings", "cover") for _, parse, code in ROW_COLUMNS[key]}
    parsers = {Kind.DATE: normalize.parse_date, Kind.AMOUNT: normalize.parse_amount,
               Kind.INTEGER: by_code["bad-number"], Kind.YEAR: by_code["bad-year"]}
    checked = 0
    for value, row in zip(values, got, strict=True):
        if value is None or isinstance(value, str):
            continue
        for kind, parse in parsers.items():
            try:
                parse(value)
                refused = False
            except ValueError:
                refused = True
            assert refused == bool(row[f"stored {kind}"]), (kind, value)
            checked += 1
    assert checked > 300
