"""One test per placement rule of the importer, on the blocks the Word reader gives (no file)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from import_blocks import h, item, p, rows, run, table

from odplan_xl import schema


# --- the cover ------------------------------------------------------------------------------------
def test_cover_fields_labelled_on_their_line_or_above_their_value():
    got = run(p(schema.TITLE_AR, heading=0), p("اسم الهيكل: وزارة الصحة"), p("سنة الخطة: 2027"),
              p("إسم المسؤول المكلف بالبيانات المفتوحة"), p("ليلى الغربي"),
              p("تاريخ إعداد الخطة: 10/11/2026"), h("objectives"), item("نشر بيانات المستشفيات"))
    cover = got.data["cover"]
    assert cover["structure"] == "وزارة الصحة"
    assert cover["year"] == 2027
    assert cover["officer"] == "ليلى الغربي"
    assert cover["prepared"] == dt.date(2026, 11, 10)
    assert cover["status"] == schema.STATUS_DRAFT


def test_cover_as_a_two_column_table():
    got = run(table(["Nom de la structure", "Agence nationale des fréquences"], ["Année du plan", "2027"]),
              h("objectives"), item("هدف"))
    assert got.data["cover"]["structure"] == "Agence nationale des fréquences"
    assert got.data["cover"]["year"] == 2027


def test_authors_listed_under_their_label_name_unit_role():
    got = run(p("فريق العمل المساهم في إعداد الخطة:"), item("سامي الطرابلسي - إدارة الإعلامية - منسق"),
              item("هالة بن علي - إدارة الإحصاء"), h("objectives"), item("هدف"))
    assert got.data["authors"] == [
        {"name": "سامي الطرابلسي", "unit": "إدارة الإعلامية", "role": "منسق"},
        {"name": "هالة بن علي", "unit": "إدارة الإحصاء", "role": None},
    ]


def test_authors_table_by_its_header():
    got = run(table(["الاسم واللقب", "الإدارة أو الوحدة", "الصفة"], ["سامي الطرابلسي", "إدارة الإعلامية", "منسق"]),
              h("objectives"), item("هدف"))
    assert got.data["authors"] == [{"name": "سامي الطرابلسي", "unit": "إدارة الإعلامية", "role": "منسق"}]


# --- headings -------------------------------------------------------------------------------------
def test_headings_open_sections_and_subsections_set_the_category():
    got = run(h("team"), p("2.2 الأطراف المتدخلة", bold=True), item("المعهد الوطني للإحصاء"),
              p("1.2 فريق العمل داخل الهيكل", bold=True), item("إدارة الإعلامية"),
              h("inventory"), item("ورشة تحسيسية حول الجرد"))
    assert got.sections == ["team", "inventory"]
    assert rows(got, "team") == [{"name": "المعهد الوطني للإحصاء", "category": schema.TEAM_EXTERNAL},
                                 {"name": "إدارة الإعلامية", "category": schema.TEAM_INSIDE}]
    assert rows(got, "inventory") == [{"activity": "ورشة تحسيسية حول الجرد"}]


def test_a_heading_of_the_table_of_contents_opens_nothing():
    got = run(p("الفهرس"), p("3. جرد البيانات العمومية ..... 4"), h("objectives"), item("هدف"))
    assert got.sections == ["objectives"]


# --- tables ---------------------------------------------------------------------------------------
def test_table_columns_by_their_header_labels():
    got = run(h("inventory"), table(["المسؤول", "تاريخ النهاية", "النشاط", "تاريخ البداية"],
                                    ["فريق الجرد", "30/04/2027", "جرد بيانات المستشفيات", "01/02/2027"]))
    assert rows(got, "inventory") == [{"responsible": "فريق الجرد", "end": dt.date(2027, 4, 30),
                                       "activity": "جرد بيانات المستشفيات", "start": dt.date(2027, 2, 1)}]


def test_table_title_row_and_subsection_rows_are_not_lines():
    got = run(h("trainings"), table(["جدول الدورات", "", ""], ["عنوان الدورة", "الفئة المستهدفة", "المدة بالأيام"],
                                    ["2.7 تطوير القدرات غير الفنية", "2.7 تطوير القدرات غير الفنية",
                                     "2.7 تطوير القدرات غير الفنية"],
                                    ["الإطار القانوني", "المديرون", "1"]))
    assert rows(got, "trainings") == [{"title": "الإطار القانوني", "audience": "المديرون", "days": 1,
                                       "kind": schema.TRAINING_NONTECH}]


# --- lists and prose ------------------------------------------------------------------------------
def test_list_items_are_lines_and_a_plain_paragraph_among_them_the_introduction():
    got = run(h("objectives"), p("نذكر فيما يلي أهداف الخطة:"), item("نشر بيانات المستشفيات"),
              item("تحسين الشفافية في الصفقات"))
    assert [r["objective"] for r in rows(got, "objectives")] == ["نشر بيانات المستشفيات", "تحسين الشفافية في الصفقات"]
    assert got.data["intro"] == {"objectives": "نذكر فيما يلي أهداف الخطة:"}


def test_plain_paragraphs_without_any_list_are_lines():
    got = run(h("objectives"), p("نشر ميزانية البلدية بالتفصيل"), p("نشر محاضر جلسات المجلس البلدي"))
    assert len(rows(got, "objectives")) == 2 and got.data["intro"] == {}


def test_values_written_in_an_item_go_to_their_columns():
    got = run(h("inventory"), item("جرد بيانات مراكز التجميع خلال مارس 2027 - المسؤول: سامي الطرابلسي"))
    assert rows(got, "inventory") == [{"activity": "جرد بيانات مراكز التجميع", "start": dt.date(2027, 3, 1),
                                       "end": dt.date(2027, 3, 31), "responsible": "سامي الطرابلسي"}]
    assert any("مارس 2027" in w for w in got.warnings)


def test_a_reason_for_not_applying():
    got = run(h("tools"), p("لا ينطبق: الأدوات متوفرة منذ السنة الماضية"), h("budget"), item("x 5 د"))
    assert got.data["na"] == {"tools": "الأدوات متوفرة منذ السنة الماضية"}
    assert rows(got, "tools") == []


# --- what the plan's own document computes --------------------------------------------------------
def test_calendar_repeating_an_activity_gives_its_dates_not_a_second_line():
    got = run(h("inventory"), item("جرد بيانات المستشفيات"),
              h("calendar"), table(["النشاط", "تاريخ البداية", "تاريخ النهاية"],
                                   ["جرد بيانات المستشفيات", "01/02/2027", "30/04/2027"],
                                   ["إعداد التقرير السنوي", "01/12/2027", "20/12/2027"]))
    assert rows(got, "inventory") == [{"activity": "جرد بيانات المستشفيات", "start": dt.date(2027, 2, 1),
                                       "end": dt.date(2027, 4, 30)}]
    assert [r["activity"] for r in rows(got, "calendar")] == ["إعداد التقرير السنوي"]


def test_plan_year_guessed_from_the_dates_with_a_warning():
    got = run(h("inventory"), item("ورشة أولى 15/02/2027"), item("ورشة ثانية 15/03/2027"),
              item("ورشة ثالثة 15/12/2026"))
    assert got.data["cover"]["year"] == 2027
    assert f"{schema.COVER_FIELDS[1].ar}: 2027" in got.warnings


def test_the_year_given_wins_over_the_guess():
    got = run(h("inventory"), item("ورشة أولى 15/02/2027"), year=2028)
    assert got.data["cover"]["year"] == 2028


def test_the_decree_goals_quoted_under_section_1_are_not_objectives():
    got = run(h("objectives"), *[item(f"- {g}،") for g in schema.DECREE_GOALS_AR],
              item("نشر بيانات الإنتاج حسب الولاية"))
    assert [r["objective"] for r in rows(got, "objectives")] == ["نشر بيانات الإنتاج حسب الولاية"]
    assert got.unplaced == []


def test_budget_totals_row_and_totals_per_source_are_not_lines():
    got = run(h("budget"), table(["النشاط", "المبلغ (د.ت)", "مصدر التمويل"],
                                 ["تنظيم الدورات التكوينية", "12 500,000", "ميزانية الهيكل"],
                                 ["المجموع", "12 500,000", ""]),
              table(["مصدر التمويل", "المبلغ (د.ت)"], ["ميزانية الهيكل", "12 500,000"]))
    assert rows(got, "budget") == [{"activity": "تنظيم الدورات التكوينية", "amount": Decimal("12500"),
                                    "source": "ميزانية الهيكل"}]
    assert got.unplaced == []


# --- what has no place ----------------------------------------------------------------------------
def test_an_annex_is_kept_unplaced_with_its_location():
    got = run(h("objectives"), item("هدف"), p("11. ملحق: قائمة المراجع", bold=True),
              p("القانون الأساسي عدد 22 لسنة 2016"))
    assert [(u.where, u.text) for u in got.unplaced] == [
        ("«11. ملحق: قائمة المراجع»", "11. ملحق: قائمة المراجع"),
        ("«11. ملحق: قائمة المراجع»، الفقرة 1", "القانون الأساسي عدد 22 لسنة 2016")]
    assert got.data["unplaced"] == [(u.where, u.text) for u in got.unplaced]


def test_a_cell_under_no_column_is_kept_with_its_place():
    got = run(h("inventory"), table(["النشاط", "الميزانية التقديرية"], ["جرد الوثائق الإدارية", "لا شيء"]))
    assert rows(got, "inventory") == [{"activity": "جرد الوثائق الإدارية"}]
    assert [(u.where, u.text) for u in got.unplaced] == [("القسم 3، الجدول 1، السطر 2، الخانة 2",
                                                          "الميزانية التقديرية: لا شيء")]
