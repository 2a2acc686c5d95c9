"""`national` on thirty generated plans: every figure of national.xlsx against the test's own sums."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import national_plans as gen
import openpyxl
import pytest

from odplan_xl.app.national import OUTPUTS, national
from odplan_xl.errors import OdplanError

MONTHS = ("جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر",
          "ديسمبر")


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.001"))


def _table(ws, header_row: int = 1) -> list[dict]:
    heads = [c.value for c in ws[header_row]]
    rows = []
    for line in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if all(v is None for v in line):
            break
        rows.append(dict(zip(heads, line)))
    return rows


def test_the_run_reads_every_file_and_writes_the_five_outputs(run, want):
    result, out, events = run
    assert [p.name for p in result.outputs] == list(OUTPUTS)
    assert all((out / name).stat().st_size > 0 for name in OUTPUTS)
    assert len(result.records) == 30
    assert result.year == gen.YEAR and result.plans == len(want) == 24
    unreadable = [r for r in result.records if not r["read"]]
    assert [Path(r["path"]).name for r in unreadable] == ["corrupt.xlsx"]
    assert unreadable[0]["reason"]["code"] and unreadable[0]["reason"]["ar"]
    assert result.exit_code == 2
    kinds = [e.kind for e in events]
    assert kinds[0] == "begin" and kinds.count("file") == 30 and kinds[-2:] == ["write", "end"]
    assert not list(out.glob(".*part*"))          # no temporary file left


def test_overview_one_row_per_body_with_its_figures(book, want):
    rows = _table(book["الخطط"])
    by_body = {r["اسم الهيكل"]: r for r in rows if r["اسم الهيكل"]}
    assert set(by_body) == set(want)
    corrupt = [r for r in rows if r["الملف"] and "corrupt.xlsx" in r["الملف"]]
    assert len(corrupt) == 1 and corrupt[0]["السبب أو الملاحظة"]
    for name, w in want.items():
        r = by_body[name]
        assert r["حالة الخطة"] == w["status"]
        assert r["مجموعات البيانات المبرمجة"] == len(w["datasets"])
        assert r["الدورات التكوينية"] == w["trainings"]
        assert _money(r["الميزانية الجملية (د.ت)"]) == w["total"]
        for source, amount in w["budget"].items():
            assert _money(r[f"{source} (د.ت)"]) == amount, (name, source)
        assert r["ملف Word"] if "ملف Word" in r else True
    assert "ملف Word" not in rows[0]               # national writes no document per plan
    complete = {n for n, w in want.items() if n not in {gen.NAMES[i] for i in (*gen.INCOMPLETE, gen.INVALID_BODY)}
                and gen.NAMES.index(n) not in (gen.BLANK_SOURCE, gen.TYPED_SOURCE)
                and len(w["datasets"]) > 0}
    for name in complete:
        assert by_body[name]["الأخطاء"] == 0 and by_body[name]["نسبة الاكتمال"] == 1
    for i in (*gen.INCOMPLETE, gen.BLANK_SOURCE, gen.TYPED_SOURCE, gen.INVALID_BODY):
        if gen.NAMES[i] in by_body:
            assert by_body[gen.NAMES[i]]["الأخطاء"] >= 1


def test_the_overview_links_each_body_to_its_plan_file(book, run, want):
    ws = book["الخطط"]
    links = {c.hyperlink.target for c in ws["A"][1:] if c.hyperlink}
    for w in want.values():
        target = Path(run[1], sorted(l for l in links if l.endswith(w["file"]))[0])
        assert target.resolve().is_file()


def test_publication_calendar_is_a_table_of_every_planned_dataset(book, want):
    ws = book["روزنامة النشر"]
    assert list(ws.tables) == ["tbl_national_calendar"]
    assert ws.tables["tbl_national_calendar"].ref == f"A1:J{1 + sum(len(w['datasets']) for w in want.values())}"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    got = sorted(((r[0], r[1], r[4].date() if hasattr(r[4], "date") else r[4], r[6], r[7], r[8], r[9])
                  for r in rows), key=repr)
    expect = sorted(((name, t, d, fmt, fr, prio, ch) for name, w in want.items()
                    for t, d, fmt, fr, prio, ch in w["datasets"]), key=repr)
    assert got == expect
    dates = [r[4] for r in rows if hasattr(r[4], "date")]
    assert dates == sorted(dates)                  # by planned date
    assert [r[5] for r in rows if r[4] is None] == ["دون تاريخ"]
    assert "Jeu de données" in ws["B1"].value        # French beside the Arabic header


def test_datasets_per_month_and_body_with_a_heat_map(book, want):
    ws = book["البيانات حسب الشهر"]
    heads = [c.value for c in ws[1]]
    assert heads[1:13] == list(MONTHS) and heads[13] == "دون تاريخ"
    got = {r[0]: list(r[1:15]) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] != "المجموع"}
    assert got == {n: w["months"] + [sum(w["months"])] for n, w in want.items()}
    total = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "المجموع"][0]
    assert list(total[1:14]) == [sum(w["months"][k] for w in want.values()) for k in range(13)]
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    assert [r.type for r in rules] == ["colorScale"]


def test_trainings_every_row_and_totals(book, want):
    ws = book["التكوين"]
    assert list(ws.tables) == ["tbl_national_trainings"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[1]]
    per_body: dict[str, list] = {}
    for r in rows:
        per_body.setdefault(r[0], []).append(r)
    assert {n: len(v) for n, v in per_body.items()} == {n: w["trainings"] for n, w in want.items()}
    assert {n: sum(r[4] for r in v) for n, v in per_body.items()} == {n: w["participants"] for n, w in want.items()}
    total = [r for r in ws.iter_rows(values_only=True) if r[0] == "المجموع"][0]
    assert total[2] == sum(w["trainings"] for w in want.values())
    assert total[4] == sum(w["participants"] for w in want.values())
    assert total[5] == sum(w["days"] for w in want.values())


def test_budget_by_source_and_body_adds_up(book, want):
    ws = book["الميزانية"]
    heads = [c.value for c in ws[1]]
    sources = {s for w in want.values() for s in w["budget"]}
    assert {h.removesuffix(" (د.ت)") for h in heads[1:-1]} == sources
    assert gen.NO_SOURCE in sources and gen.UNKNOWN_SOURCE in sources
    body_rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] != "المجموع العام"}
    for name, w in want.items():
        row = body_rows[name]
        for k, head in enumerate(heads[1:-1], 1):
            assert _money(row[k]) == w["budget"].get(head.removesuffix(" (د.ت)"), 0), (name, head)
        assert _money(row[-1]) == w["total"]
    total = [r for r in ws.iter_rows(values_only=True) if r[0] == "المجموع العام"][0]
    for k, head in enumerate(heads[1:-1], 1):
        source = head.removesuffix(" (د.ت)")
        assert _money(total[k]) == sum(w["budget"].get(source, 0) for w in want.values())
    grand = sum(w["total"] for w in want.values())
    assert _money(total[-1]) == grand
    assert sum(_money(v) for v in total[1:-1]) == grand


def test_dashboard_key_figures(book, want, inbox):
    ws = book["لوحة القيادة"]
    assert book.sheetnames[0] == "لوحة القيادة" and ws.sheet_view.rightToLeft
    figures = {r[0]: r[1] for r in ws.iter_rows(min_row=3, max_row=14, max_col=2, values_only=True)}
    files = inbox[1]
    assert figures["الملفات المستلمة"] == len(files) == 30
    assert figures[f"خطط سنة {gen.YEAR}"] == len(want)
    assert figures["ملفات تعذرت قراءتها"] == 1
    assert figures["خطط سنوات أخرى"] == sum(1 for d in files.values() if d and d["cover"]["year"] != gen.YEAR)
    assert figures["مجموعات البيانات المبرمجة"] == sum(len(w["datasets"]) for w in want.values())
    assert figures["الدورات التكوينية"] == sum(w["trainings"] for w in want.values())
    assert figures["المشاركون في التكوين"] == sum(w["participants"] for w in want.values())
    assert figures["أيام التكوين"] == sum(w["days"] for w in want.values())
    assert _money(figures["الميزانية الجملية (د.ت)"]) == sum(w["total"] for w in want.values())
    states = (figures["خطط مكتملة وصحيحة"], figures["خطط بها قيم غير صحيحة"], figures["خطط بها خانات ناقصة"])
    assert sum(states) == len(want)
    assert states[1] >= 1 and states[2] >= len([i for i in gen.INCOMPLETE if gen.NAMES[i] in want])


def test_a_plan_with_errors_never_looks_complete_on_the_dashboard(book, want):
    """Every cell filled but two invalid dates: its bar has an invalid part, its state says so."""
    ws = book["لوحة القيادة"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(k for k, r in enumerate(rows) if r[0] == "الهيكل")
    assert rows[head][1:5] == ("خانات معمّرة وصحيحة", "قيم غير صحيحة", "خانات فارغة", "حالة الخطة")
    bodies = {r[0]: r[1:5] for r in rows[head + 1:head + 1 + len(want)]}
    assert set(bodies) == set(want)
    valid, invalid, missing, state = bodies[gen.NAMES[gen.INVALID_BODY]]
    assert valid < 1 and invalid > 0 and missing == 0 and state == "بها قيم غير صحيحة"
    assert abs(valid + invalid + missing - 1) < 1e-9
    for i in gen.INCOMPLETE:
        if gen.NAMES[i] in bodies:
            valid, _invalid, missing, state = bodies[gen.NAMES[i]]
            assert valid < 1 and missing > 0 and state == "بها خانات ناقصة"
    complete = [b for b in bodies.values() if b[3] == "مكتملة وصحيحة"]
    assert complete and all(b[:3] == (1, 0, 0) for b in complete)


def test_dashboard_has_three_native_charts_reading_right_to_left(run, book, want):
    with zipfile.ZipFile(run[1] / "national.xlsx") as package:
        charts = sorted(n for n in package.namelist() if n.startswith("xl/charts/chart"))
        xml = {n: package.read(n).decode("utf-8") for n in charts}
        drawing_rels = [n for n in package.namelist() if n.startswith("xl/drawings/_rels/")]
    assert len(charts) == 3 and len(drawing_rels) == 1
    titles = ["البيانات المبرمجة حسب شهر النشر", "الميزانية حسب مصدر التمويل (د.ت)",
              "الخانات الإلزامية لكل خطة: صحيحة، غير صحيحة، فارغة"]
    assert re.search(r'<(c:)?grouping val="stacked"/>', xml[charts[2]])      # one bar per body, in parts
    assert xml[charts[2]].count("<ser>") + xml[charts[2]].count("<c:ser>") == 3
    for name, title in zip(charts, titles, strict=True):
        assert title in xml[name]
        assert re.search(r'<(c:)?orientation val="maxMin"/>', xml[name])    # categories from the right
        assert re.search(r'<(c:)?delete val="0"/>', xml[name])               # axes drawn
    # the month chart's categories are the twelve Maghrebi months, its values the national counts
    ws = book["لوحة القيادة"]
    col_a = [c.value for c in ws["A"]]
    start = col_a.index("جانفي")
    assert col_a[start:start + 12] == list(MONTHS)
    counts = [ws.cell(row=start + 1 + k, column=2).value for k in range(12)]
    assert counts == [sum(w["months"][k] for w in want.values()) for k in range(12)]
    assert (ws.cell(row=start + 13, column=1).value, ws.cell(row=start + 13, column=2).value) == \
        ("دون تاريخ", sum(w["months"][12] for w in want.values()))
    assert f"$A${start + 1}:$A${start + 12}" in xml[charts[0]]


def test_another_year_on_request(inbox, tmp_path):
    root, files = inbox
    result = national([root], tmp_path, jobs=2, year=2026)
    want = gen.expected(files, 2026)
    assert result.year == 2026 and result.plans == len(want) == 3
    wb = openpyxl.load_workbook(tmp_path / "national.xlsx", read_only=True)
    rows = [r for r in wb["الميزانية"].iter_rows(min_row=2, values_only=True)]
    assert {r[0] for r in rows} == set(want) | {"المجموع العام"}
    wb.close()


def test_existing_outputs_are_kept_unless_overwrite(inbox, tmp_path):
    root, _ = inbox
    (tmp_path / "national.docx").write_bytes(b"keep me")
    with pytest.raises(OdplanError) as exc:
        national([root / "ministries"], tmp_path, jobs=1)
    assert exc.value.code == "output-exists"
    assert (tmp_path / "national.docx").read_bytes() == b"keep me"
    assert not (tmp_path / "national.xlsx").exists()
    national([root / "ministries"], tmp_path, jobs=1, overwrite=True)
    assert (tmp_path / "national.docx").read_bytes()[:2] == b"PK"


def test_no_input_is_a_clear_error(tmp_path):
    with pytest.raises(OdplanError) as exc:
        national([tmp_path], tmp_path / "out")
    assert exc.value.code == "no-inputs"


def test_dates_are_real_dates(book):
    ws = book["روزنامة النشر"]
    assert isinstance(ws["E2"].value, dt.datetime) and ws["E2"].number_format == "dd/mm/yyyy"
