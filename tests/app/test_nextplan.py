"""next: the next year's workbook carries exactly the unfinished rows, the year and the cover; check runs on it."""

from __future__ import annotations

import pytest
from secondyear import NOTE, followed_data, table_rows
from typer.testing import CliRunner

from odplan_xl import schema
from odplan_xl.app.check import check
from odplan_xl.app.nextplan import next_plan
from odplan_xl.cli import app
from odplan_xl.errors import OdplanError
from odplan_xl.workbook.template import build_workbook

FINISHED = (schema.PROGRESS_DONE, schema.PROGRESS_CANCELLED)
MARK = "مرحّل من خطة 2027"


def _content(spec: schema.Section, row: dict) -> tuple:
    """A row's content without what next resets: dates, «حالة التنفيذ», the note, computed cells."""
    skip = {c.key for c in spec.columns if c.is_date or c.follow_up or c.computed}
    return tuple(sorted((k, v) for k, v in row.items() if k not in skip and v not in (None, "")))


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("followed")
    return build_workbook(folder / "plan_2027.xlsx", followed_data())


@pytest.fixture(scope="module")
def carried(followed):
    return next_plan(followed)


def test_next_carries_exactly_the_unfinished_rows(followed, carried):
    out, _ = carried
    assert out.name == "plan_2027_2028.xlsx"
    for spec in schema.SECTIONS:
        old = table_rows(followed, spec.table)
        new = table_rows(out, spec.table)
        if spec.key in ("objectives", "team"):
            expected = old
        elif spec.key == "tools":        # the body's tools: every one not cancelled
            expected = [r for r in old if r.get("progress") != schema.PROGRESS_CANCELLED]
        else:
            expected = [r for r in old if r.get("progress") not in FINISHED]
        assert sorted(_content(spec, r) for r in new) == sorted(_content(spec, r) for r in expected), spec.key
        if not spec.followed_up:
            continue
        for row in new:
            assert all(row.get(c.key) is None for c in spec.columns if c.is_date), (spec.key, row)
            assert row.get("progress") in (None, schema.PROGRESS_ONGOING)
        marked = [r for r in new if (r.get("follow_note") or "").startswith(MARK)]
        assert len(marked) == sum(1 for r in old if r.get("progress") not in FINISHED), spec.key
    notes = [r.get("follow_note") for r in table_rows(out, "tbl_inventory")]
    assert f"{MARK} — {NOTE}" in notes


def test_next_year_cover_and_check(followed, carried):
    out, result = carried
    plan, report = check(out)
    old, _ = check(followed)
    assert plan.year == 2028 and plan.cover["status"] == schema.STATUS_DRAFT
    for key in ("structure", "officer", "officer_title", "officer_email", "officer_phone"):
        assert plan.cover[key] == old.cover[key]
    assert plan.cover.get("prepared") is None
    assert [r.values for r in plan.authors.rows] == [r.values for r in old.authors.rows]
    assert {k: v.intro for k, v in plan.sections.items() if v.intro} == \
        {k: v.intro for k, v in old.sections.items() if v.intro}
    # the dates are asked for: one missing-value per date cell of every carried activity
    asked = {(f.sheet, f.cell) for f in report.findings if f.code == "missing-value"}
    for spec in schema.SECTIONS:
        for row in plan.sections[spec.key].rows:
            for col in spec.columns:
                if col.is_date:
                    assert tuple(row.cells[col.key].rsplit("!", 1)) in asked
    assert result.left["inventory"]["done"] == sum(1 for r in table_rows(followed, "tbl_inventory")
                                                   if r.get("progress") == schema.PROGRESS_DONE)


def test_next_xlsm_has_buttons_and_year_option(followed, tmp_path):
    out, result = next_plan(followed, tmp_path / "next.xlsm", year=2030)
    assert result.year == 2030
    import zipfile
    with zipfile.ZipFile(out) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()
    assert check(out)[0].year == 2030


def test_next_refuses_without_year_and_existing_output(make_workbook, followed, carried):
    data = followed_data()
    data["cover"]["year"] = None
    path = make_workbook(data)
    with pytest.raises(OdplanError) as err:
        next_plan(path)
    assert err.value.code == "no-plan-year"
    with pytest.raises(OdplanError) as err:
        next_plan(followed, carried[0])
    assert err.value.code == "output-exists"


def test_cli_next_prints_what_was_carried(followed, tmp_path):
    result = CliRunner().invoke(app, ["next", str(followed), "-o", str(tmp_path / "n.xlsx")])
    assert result.exit_code == 0, result.output
    assert "ما نُقل إلى خطة 2028" in result.output
    rows = {line.split()[0] for line in result.output.splitlines()[3:] if line.strip()}
    assert "3." in rows and "10." in rows
    assert (tmp_path / "n.xlsx").exists()
    bad = CliRunner().invoke(app, ["check", str(followed), "--date", "31/02/2027"])
    assert bad.exit_code == 2
