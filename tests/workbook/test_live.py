"""The workbook checks itself: its formulas, computed by LibreOffice, agree with `check`.

One headless LibreOffice recalculates every workbook of the corpus (the example, the blank templates,
damaged variants one or more per live rule, officer-filled workbooks, plans generated from seeds) and a
probe copy of each, where every conditional format's formula is written into a cell beside the cell it
colours (translated to that cell, as Excel evaluates it). Then, per workbook:

- the panel's live_errors / live_warnings / live_percent equal `check`'s errors / warnings / score
  (what `check --format json` prints: Report.to_dict()), and each code's count on the lists sheet
  equals the number of `check`'s findings of that code;
- per cell, the cells a red (amber) format colours are the cells `check` reports an error (warning)
  of a live code at; blue cells are exactly the dates and numbers typed as text.

A workbook where `check` also finds what only it can (CHECK_ONLY: text outside the tables, merged
cells…) is compared on its cells only where the plan's values are those a formula sees; such
workbooks are listed, not silently dropped.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from lo_helpers import recalculate
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula
from python_calamine import CalamineWorkbook
from live_corpus import build_variants, generated

from odplan_xl import schema
from odplan_xl.app.check import check
from odplan_xl.errors import OdplanError
from odplan_xl.rules import live
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.live import COLOURS
from odplan_xl.workbook.template import build_workbook

# The codes the workbook must check by itself (what `check` finds of these, the panel must count): a
# rule deleted from rules/live.py cannot turn its code into a "check only" one unnoticed.
REQUIRED = {"missing-value", "bad-date", "bad-number", "bad-amount", "negative-amount", "bad-choice",
            "bad-yesno", "bad-year", "end-before-start", "outside-plan-year", "update-before-prepared",
            "empty-section", "empty-subsection", "na-with-rows", "missing-authors", "no-criteria-met",
            "no-budget", "budget-without-activity"}
LIVE = live.live_codes() | REQUIRED
SEEDS = range(1, 7)
# Workbooks `check` reads in a way no formula can, though it reports only live codes there.
KNOWN = {"officer_total_row": "the table's totals row (on in the Table's options): the reader skips it"}
SEVERITY_BY_FILL = {fill.lstrip("#").upper(): severity for severity, (fill, _) in COLOURS.items()}


# --- the probe copy: each conditional format evaluated in a cell ------------------------------------

def checkable(wb: openpyxl.Workbook) -> dict[str, set[str]]:
    """Sheet -> the cells `check` can point to for a live code: table cells (rows of the table and a few
    under it), the cover's fields, the «لا ينطبق» cells, the team table's first header."""
    cells: dict[str, set[str]] = defaultdict(set)
    for ws in wb.worksheets:
        for table in ws.tables.values():
            c0, r0, c1, r1 = range_boundaries(table.ref)
            last = max(r1, ws.max_row) + 2
            for r in range(r0 + 1, last + 1):
                for c in range(c0, c1 + 1):
                    cells[ws.title].add(f"{get_column_letter(c)}{r}")
            if table.name == schema.AUTHORS.table:
                cells[ws.title].add(f"{get_column_letter(c0)}{r0}")
    for name, defined in wb.defined_names.items():
        if name.startswith(("cover_", "na_")):
            for sheet, ref in defined.destinations:
                cells[sheet].add(ref.replace("$", ""))
    return cells


def severity(rule) -> str | None:
    fill = rule.dxf.fill if rule.dxf is not None else None
    for colour in (fill.bgColor, fill.fgColor) if fill is not None else ():
        rgb = getattr(colour, "rgb", None)
        if isinstance(rgb, str) and rgb[-6:].upper() in SEVERITY_BY_FILL:
            return SEVERITY_BY_FILL[rgb[-6:].upper()]
    return None


def make_probe(path: Path, out: Path) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Write `out`: a copy of `path` where each conditional format's formula, for each checkable cell it
    covers, sits in a probe cell of its row. Returns (sheet, probe cell) -> [(cell, severity)]."""
    wb = openpyxl.load_workbook(path)
    where = checkable(wb)
    probes: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for ws in wb.worksheets:
        cells = where.get(ws.title, set())
        if not cells:
            continue
        base = ws.max_column + 5
        k = 0
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                sev = severity(rule)
                if sev is None or not rule.formula:
                    continue
                for rng in cf.sqref.ranges:
                    c0, r0, c1, r1 = rng.bounds
                    origin = f"{get_column_letter(c0)}{r0}"
                    for r in range(r0, r1 + 1):
                        for c in range(c0, c1 + 1):
                            cell = f"{get_column_letter(c)}{r}"
                            if cell not in cells:
                                continue
                            text = Translator("=" + rule.formula[0], origin=origin).translate_formula(cell)
                            probe = f"{get_column_letter(base + k)}{r}"
                            ws[probe] = ArrayFormula(probe, text)
                            probes.setdefault((ws.title, probe), []).append((cell, sev))
                k += 1
    wb.save(out)
    return probes


# --- reading the computed results -------------------------------------------------------------------

def read_cells(path: Path, wanted: dict[str, set[str]]) -> dict[tuple[str, str], object]:
    book = CalamineWorkbook.from_path(str(path))
    out = {}
    for sheet, cells in wanted.items():
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        for cell in cells:
            r, c = coordinate_to_tuple(cell)
            out[(sheet, cell)] = rows[r - 1][c - 1] if r <= len(rows) and c <= len(rows[r - 1]) else None
    return out


def live_names(path: Path) -> dict[str, tuple[str, str]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {name: (sheet, ref.replace("$", "")) for name, d in wb.defined_names.items()
                if name.startswith("live_") for sheet, ref in d.destinations}
    finally:
        wb.close()


def truthy(value: object) -> bool:
    return value is True or (isinstance(value, int | float) and not isinstance(value, bool) and value != 0)


@dataclass
class Outcome:
    name: str
    path: Path
    report: dict
    figures: dict[str, object] = field(default_factory=dict)        # live name -> computed value
    flags: dict[tuple[str, str], set[str]] = field(default_factory=dict)   # (sheet, cell) -> severities
    probed: set[tuple[str, str]] = field(default_factory=set)
    original: dict[str, object] = field(default_factory=dict)      # the built file's own figures

    @property
    def check_only(self) -> set[str]:
        return {f["code"] for f in self.report["findings"]} - LIVE

    def number(self, name: str) -> float:
        value = self.figures[name]
        return float(value) if not isinstance(value, str) else float("nan")


# --- the corpus -------------------------------------------------------------------------------------

def officer_cases(folder: Path) -> dict[str, Path]:
    """The officer corpus's workbooks (tests/officer.py) where `check` finds only live codes: the others
    are compared by test_officer.py; the cases LibreOffice itself builds are left out (slow)."""
    import officer

    out = {}
    for name, fn in officer.CASES.items():
        if "libreoffice" in name or name in ("ods", "csv_renamed"):
            continue
        path, _ = fn(folder)
        try:
            _, report = check(path)
        except OdplanError:
            continue
        if not {f.code for f in report.findings} - LIVE:
            out[f"officer_{name}"] = path
    return out


ORIGINALS = ("example", "blank", "blank_xlsm")     # also recalculated as built (the probe copy aside)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, libreoffice_uno) -> dict[str, Outcome]:
    folder = tmp_path_factory.mktemp("live")
    paths: dict[str, Path] = {
        "example": build_workbook(folder / "example.xlsx", example_data()),
        "blank": build_workbook(folder / "blank.xlsx"),
        "blank_xlsm": build_workbook(folder / "blank_xlsm.xlsm"),
    }
    paths.update(build_variants(folder))
    for seed in SEEDS:
        paths[f"seed_{seed}"] = build_workbook(folder / f"seed_{seed}.xlsx", generated(seed))
    officer_folder = folder / "officer"
    officer_folder.mkdir()
    paths.update(officer_cases(officer_folder))
    # every conditional format evaluated cell by cell: all but the officer corpus (compared by its panel)
    probes = {name: make_probe(path, folder / f"probe_{name}.xlsx") for name, path in paths.items()
              if not name.startswith("officer_")}
    started = time.perf_counter()
    calc = folder / "calc"
    plain = [n for n in paths if n in ORIGINALS or n not in probes]
    times = recalculate([*(paths[n] for n in plain), *(folder / f"probe_{n}.xlsx" for n in probes)], calc)
    print(f"\nLibreOffice recalculated {len(times)} workbooks in {time.perf_counter() - started:.1f} s; "
          f"slowest calculateAll {max(t['calculate'] for t in times.values()):.2f} s")
    out = {}
    for name, path in paths.items():
        _, report = check(path)
        outcome = Outcome(name, path, report.to_dict())
        probe = calc / (f"probe_{name}.xlsx" if name in probes else path.name)
        names = live_names(probe)
        wanted: dict[str, set[str]] = defaultdict(set)
        for sheet, cell in names.values():
            wanted[sheet].add(cell)
        for sheet, cell in probes.get(name, {}):
            wanted[sheet].add(cell)
        values = read_cells(probe, wanted)
        outcome.figures = {n: values[where] for n, where in names.items()}
        if name in ORIGINALS:
            built = read_cells(calc / path.name, wanted)
            outcome.original = {n: built[where] for n, where in names.items()}
        for (sheet, cell_probe), targets in probes.get(name, {}).items():
            for cell, sev in targets:
                outcome.probed.add((sheet, cell))
                if truthy(values[(sheet, cell_probe)]):
                    outcome.flags.setdefault((sheet, cell), set()).add(sev)
        out[name] = outcome
    return out


def strict(corpus: dict[str, Outcome]) -> list[Outcome]:
    """Workbooks where `check` finds only what the workbook checks by itself, and no date or number is
    typed as text (blue: `check` decides those)."""
    return [o for o in corpus.values() if not o.check_only and o.name not in KNOWN
            and (o.name == "typed_as_text" or not o.number("live_pending"))]


def probed(corpus: dict[str, Outcome]) -> list[Outcome]:
    return [o for o in strict(corpus) if o.probed]


# --- the agreement ------------------------------------------------------------------------------------

def test_corpus_covers_every_live_rule(corpus):
    assert REQUIRED <= live.live_codes()
    found = Counter(f["code"] for o in strict(corpus) for f in o.report["findings"])
    assert LIVE <= set(found), f"live codes never met in the corpus: {sorted(LIVE - set(found))}"
    assert len(strict(corpus)) >= 35, [o.name for o in corpus.values() if o.check_only]


def test_panel_equals_check(corpus):
    wrong = []
    for o in strict(corpus):
        got = (o.number("live_errors"), o.number("live_warnings"), round(o.number("live_percent"), 1))
        want = (o.report["errors"], o.report["warnings"], o.report["score"])
        if got != want:
            wrong.append((o.name, got, want))
    assert not wrong


def test_counts_per_code_equal_check(corpus):
    wrong = []
    for o in strict(corpus):
        want = Counter(f["code"] for f in o.report["findings"])
        got: Counter = Counter()
        for name, value in o.figures.items():
            if name.startswith("live_n_"):
                owner, _, code = name.removeprefix("live_n_").partition("_")
                if code.replace("_", "-") in LIVE:
                    got[code.replace("_", "-")] += int(value or 0)
        if {c: n for c, n in got.items() if n} != dict(want):
            wrong.append((o.name, dict(got - want), dict(want - got)))
    assert not wrong


def test_sections_panel_lines_equal_check(corpus):
    """Each section's completeness on the cover equals `check`'s for that section."""
    wrong = []
    for o in strict(corpus):
        for s in o.report["sections"]:
            got = round(o.number(f"live_percent_{s['key']}"), 1)
            if got != s["percent"]:
                wrong.append((o.name, s["key"], got, s["percent"]))
    assert not wrong


def test_coloured_cells_are_the_cells_check_reports(corpus):
    wrong = []
    for o in probed(corpus):
        reported: dict[tuple[str, str], set[str]] = defaultdict(set)
        for f in o.report["findings"]:
            if f["cell"] and f["code"] in LIVE:
                reported[(f["sheet"], f["cell"])].add(f["severity"])
        outside = set(reported) - o.probed
        assert not outside, (o.name, outside)
        for where in o.probed:
            live_sev = o.flags.get(where, set()) - {live.PENDING}
            if live_sev != reported.get(where, set()):
                wrong.append((o.name, where, sorted(live_sev), sorted(reported.get(where, set()))))
    assert not wrong, wrong[:20]


def test_blue_cells_are_values_typed_as_text(corpus):
    for o in probed(corpus):
        blue = {w for w, sev in o.flags.items() if live.PENDING in sev}
        assert int(o.number("live_pending")) == len(blue), o.name
        if o.name == "typed_as_text":
            assert len(blue) == 3
        elif not o.name.startswith("officer_"):
            assert not blue, (o.name, blue)


def test_blank_template_and_example(corpus):
    for name in ORIGINALS:        # the file as built computes what its probe copy computes
        o = corpus[name]
        assert o.original == o.figures, name
    assert corpus["example"].number("live_errors") == 0 and corpus["example"].number("live_percent") == 100
    for name in ("blank", "blank_xlsm"):
        o = corpus[name]
        assert (o.number("live_errors"), o.number("live_warnings")) == (17, 0)
        assert o.figures["live_status_budget"].startswith("✗")
    assert corpus["example"].figures["live_status_budget"].startswith("✓")


def test_check_only_workbooks_are_listed(corpus):
    """What the comparison leaves out, and why: only workbooks where `check` finds a check-only code."""
    left = {o.name: sorted(o.check_only) for o in corpus.values() if o.check_only}
    left.update({o.name: ["typed as text"] for o in corpus.values()
                 if o.number("live_pending") and o.name != "typed_as_text"})
    left.update({name: [why] for name, why in KNOWN.items()})
    assert all(name.startswith("officer_") or name.startswith("seed_") for name in left), left
    assert len(probed(corpus)) >= 30
    print("\ncompared on live codes only (check also finds): " + "; ".join(f"{n}: {', '.join(c)}" for n, c in left.items()))
