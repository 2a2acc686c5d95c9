"""Workbooks for the live-layer agreement test: damaged variants (one or more per live rule, values typed
as Excel stores them: numbers, dates, booleans, text), and plans generated from a seed.

Each variant is a function of a fresh copy of the example's data returning the data to build; a few
edit the built file with openpyxl as an officer types (a row under a table).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import get_column_letter, range_boundaries

from odplan_xl import schema
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import build_workbook

Data = dict
VARIANTS: dict[str, Callable[[Data], Data]] = {}


def variant(fn: Callable[[Data], Data]) -> Callable[[Data], Data]:
    VARIANTS[fn.__name__] = fn
    return fn


def rows(d: Data, key: str) -> list[dict]:
    return d["sections"][key]


@variant
def missing_value(d: Data) -> Data:
    rows(d, "datasets")[2]["producer"] = None
    rows(d, "trainings")[0]["days"] = None
    d["authors"][0]["unit"] = None
    return d


@variant
def missing_cover_fields(d: Data) -> Data:
    d["cover"]["structure"] = None
    d["cover"]["prepared"] = None
    return d


@variant
def bad_date_number(d: Data) -> Data:
    rows(d, "inventory")[1]["start"] = 2027          # «2027» typed alone: day 2027 of 1900
    rows(d, "reuse")[0]["date"] = 15                 # a day number
    return d


@variant
def bad_date_boolean(d: Data) -> Data:
    rows(d, "tools")[0]["end"] = True
    d["cover"]["updated"] = 45                       # a cover date as a number
    return d


@variant
def bad_number(d: Data) -> Data:
    rows(d, "trainings")[0]["days"] = 2.5
    rows(d, "trainings")[1]["participants"] = -3
    return d


@variant
def bad_and_negative_amount(d: Data) -> Data:
    rows(d, "budget")[0]["amount"] = 1e16
    rows(d, "budget")[1]["amount"] = -500
    return d


@variant
def bad_choice(d: Data) -> Data:
    rows(d, "objectives")[0]["priority"] = "عاجلة"
    rows(d, "datasets")[0]["format"] = "DOCX"
    rows(d, "datasets")[1]["frequency"] = 12          # a number in a list column
    d["cover"]["status"] = "منتهية"
    return d


@variant
def accepted_variants(d: Data) -> Data:
    """Spellings `check` accepts: none of them is red."""
    rows(d, "objectives")[0]["priority"] = "  عاليه "              # ة typed ه, spaces
    rows(d, "objectives")[1]["priority"] = "متـوسطة"               # tatweel
    rows(d, "objectives")[2]["basis"] = "الاهداف الاستراتيجية للهيكل"   # hamza dropped
    rows(d, "datasets")[0]["crit_quality"] = "Oui"
    rows(d, "datasets")[0]["crit_legal"] = "✔"
    rows(d, "datasets")[1]["crit_demand"] = "نَعَم"                 # with harakat
    rows(d, "datasets")[2]["crit_legal"] = True
    rows(d, "datasets")[3]["crit_demand"] = 0
    rows(d, "datasets")[2]["format"] = "csv"
    rows(d, "team")[0]["category"] = "فريق العمل داخل الهيكل "
    return d


@variant
def bad_yesno(d: Data) -> Data:
    rows(d, "datasets")[0]["crit_quality"] = "ربما"
    rows(d, "datasets")[1]["crit_legal"] = 2
    return d


@variant
def bad_year(d: Data) -> Data:
    d["cover"]["year"] = 1990
    return d


@variant
def fractional_year(d: Data) -> Data:
    d["cover"]["year"] = 2027.5
    return d


@variant
def end_before_start(d: Data) -> Data:
    rows(d, "inventory")[0]["end"] = dt.date(2027, 1, 2)
    rows(d, "trainings")[0]["end"] = dt.date(2027, 2, 1)
    return d


@variant
def outside_plan_year(d: Data) -> Data:
    rows(d, "inventory")[0]["start"] = dt.date(2026, 12, 20)
    rows(d, "datasets")[0]["publish_date"] = dt.date(2028, 1, 5)
    rows(d, "tools")[0]["end"] = dt.date(2026, 12, 31)     # and before its start: both
    return d


@variant
def year_mismatch(d: Data) -> Data:
    d["cover"]["year"] = 2030
    return d


@variant
def update_before_prepared(d: Data) -> Data:
    d["cover"]["updated"] = dt.date(2026, 1, 2)
    return d


@variant
def empty_section(d: Data) -> Data:
    rows(d, "tools").clear()
    rows(d, "reuse").clear()
    d["na"] = {"reuse": "لا توجد أنشطة لإعادة الاستعمال هذه السنة"}
    return d


@variant
def na_with_rows(d: Data) -> Data:
    d["na"] = {"inventory": "الجرد مكتمل"}
    return d


@variant
def empty_subsection(d: Data) -> Data:
    d["sections"]["team"] = [r for r in rows(d, "team") if r["category"] == schema.TEAM_INSIDE]
    d["sections"]["trainings"] = [r for r in rows(d, "trainings") if r["kind"] == schema.TRAINING_TECH]
    return d


@variant
def missing_authors(d: Data) -> Data:
    d["authors"] = []
    return d


@variant
def no_criteria_met(d: Data) -> Data:
    for row in rows(d, "datasets")[:2]:
        for key in ("crit_quality", "crit_legal", "crit_open_format", "crit_demand"):
            row[key] = schema.NO_AR
    rows(d, "datasets")[2].update(crit_quality="non", crit_legal="لا", crit_open_format=False, crit_demand=0)
    return d


@variant
def no_budget(d: Data) -> Data:
    for row in rows(d, "budget"):
        row["amount"] = 0
    return d


@variant
def budget_without_activity(d: Data) -> Data:
    rows(d, "tools").clear()
    d["na"] = {"tools": "لا أدوات جديدة"}
    rows(d, "budget")[0]["section"] = schema.section("tools").sheet
    return d


@variant
def not_final(d: Data) -> Data:
    d["cover"]["status"] = schema.STATUS_FINAL
    rows(d, "datasets")[0]["producer"] = None
    return d


@variant
def final_without_errors(d: Data) -> Data:
    d["cover"]["status"] = schema.STATUS_FINAL
    return d


@variant
def bad_email(d: Data) -> Data:
    d["cover"]["officer_email"] = "opendata at equipement.tn"
    return d


@variant
def blank_looking_cells(d: Data) -> Data:
    """Cells holding only what the reader cleans away, as pasted from Word or the web: a no-break space,
    a line break, a tab. A required cell so filled is missing; a row so filled is no row."""
    rows(d, "datasets")[1]["producer"] = "\u00a0"
    rows(d, "trainings")[0]["days"] = "\n"
    d["cover"]["officer"] = "\u00a0 \t"
    blank = {key: None for key in rows(d, "tools")[0]}
    rows(d, "tools").append({**blank, next(iter(blank)): "\u00a0\n"})
    return d


@variant
def typed_as_text(d: Data) -> Data:
    """Dates and amounts typed as text: blue, decided by check (here: valid, so no finding)."""
    rows(d, "inventory")[0]["start"] = "18/01/2027"
    rows(d, "budget")[0]["amount"] = "18 500,000"
    rows(d, "trainings")[0]["days"] = "٢"
    return d


def _under_table(path: Path) -> None:
    """A row typed under the inventory table (outside the Excel Table), as an officer types it."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if "tbl_inventory" in ws.tables:
            c0, _, _, r1 = range_boundaries(ws.tables["tbl_inventory"].ref)
            spec = schema.section("inventory")
            values = {"activity": "نشاط مكتوب تحت الجدول", "activity_type": schema.INVENTORY_TYPES[0],
                      "start": dt.datetime(2027, 6, 1), "end": dt.datetime(2027, 6, 2)}
            for i, col in enumerate(spec.columns):
                if col.key in values:
                    cell = ws[f"{get_column_letter(c0 + i)}{r1 + 2}"]
                    cell.value = values[col.key]
                    if isinstance(values[col.key], dt.datetime):
                        cell.number_format = "dd/mm/yyyy"
    wb.save(path)


EDITS: dict[str, tuple[Callable[[Data], Data], Callable[[Path], None]]] = {
    "row_under_table": (lambda d: d, _under_table),
}


def small_example() -> Data:
    """The example plan with at most four rows a section, every subsection kept: a complete plan."""
    d = example_data()
    for spec in schema.SECTIONS:
        all_rows = d["sections"][spec.key]
        keep = [r for r in all_rows[:4]]
        for sub in spec.subsections:
            if not any(r[spec.category] == sub.value for r in keep):
                keep[-1] = next(r for r in all_rows if r[spec.category] == sub.value)
        d["sections"][spec.key] = keep
    return d


def build_variants(folder: Path) -> dict[str, Path]:
    """One workbook per variant, each from the small example."""
    out = {}
    for name, fn in VARIANTS.items():
        out[name] = build_workbook(folder / f"v_{name}.xlsx", fn(small_example()))
    for name, (fn, edit) in EDITS.items():
        path = build_workbook(folder / f"v_{name}.xlsx", fn(small_example()))
        edit(path)
        out[name] = path
    return out


# --- plans generated from a seed ------------------------------------------------------------------

def _choice_value(rng: random.Random, col: schema.Column) -> object:
    roll = rng.random()
    if roll < 0.80:
        return rng.choice(col.choices)
    if roll < 0.90:                               # a spelling check accepts
        value = rng.choice(col.choices)
        return rng.choice((f" {value} ", value.replace("ة", "ه").replace("أ", "ا"), value.replace("ي", "ى")))
    return rng.choice(("غير معروف", "X-" + str(rng.randint(1, 9)), 7))


def _yesno_value(rng: random.Random) -> object:
    return rng.choice((schema.YES_AR, schema.NO_AR, schema.YES_AR, schema.NO_AR, "Oui", "non", "✔", True,
                       False, 1, "ربما"))


def _date(rng: random.Random, year: int) -> object:
    roll = rng.random()
    if roll < 0.85:
        return dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    if roll < 0.95:
        return dt.date(year + 1, rng.randint(1, 12), rng.randint(1, 28))     # ahead: never «late»
    return rng.choice((year, 31, True))


def _value(rng: random.Random, col: schema.Column, year: int, i: int) -> object:
    if rng.random() < (0.12 if col.required else 0.3):
        return None
    kind = col.kind
    if kind is schema.Kind.DATE:
        return _date(rng, year)
    if kind is schema.Kind.YESNO:
        return _yesno_value(rng)
    if kind is schema.Kind.CHOICE:
        return _choice_value(rng, col)
    if kind is schema.Kind.INTEGER:
        return rng.choice((rng.randint(0, 40), rng.randint(0, 40), 2.5, -1))
    if kind is schema.Kind.AMOUNT:
        return rng.choice((Decimal(rng.randint(1, 90000)) + Decimal(rng.randint(0, 999)) / 1000,
                           Decimal(rng.randint(1, 9000)), Decimal(-rng.randint(1, 900)), Decimal(0)))
    return f"نص {col.key} {i} {rng.randint(0, 10**6)}"


def generated(seed: int) -> Data:
    """A plan: each section empty, «not applicable» or with 0-12 random rows (some values wrong)."""
    rng = random.Random(seed)
    d = copy.deepcopy(example_data())
    year = 2027
    d["cover"]["year"] = rng.choice((year, year, year, year, "", 1999))
    if d["cover"]["year"] == "":
        d["cover"]["year"] = None
    d["cover"]["status"] = rng.choice(schema.STATUSES)
    if rng.random() < 0.3:
        d["cover"]["updated"] = dt.date(2026, 1, 1)
    if rng.random() < 0.2:
        d["cover"]["officer"] = None
    d["authors"] = d["authors"][:rng.randint(0, 2)]
    d["na"] = {}
    for spec in schema.SECTIONS:
        roll = rng.random()
        n = 0 if roll < 0.15 else rng.randint(1, 12)
        if roll < 0.08 or (n and rng.random() < 0.05):
            d["na"][spec.key] = "لا ينطبق هذه السنة"
        # no «حالة التنفيذ»: its findings are judged on the day the check runs (check only)
        d["sections"][spec.key] = [
            {c.key: _value(rng, c, year, i) for c in spec.columns if not c.computed and c.key != "progress"}
            for i in range(n)]
    return d
