"""One test per rule for what officers write beyond the template (issue: nothing lost, each in its section)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from import_blocks import h, item, p, rows, run, table

from odplan_xl import schema
from odplan_xl.app.importing import moved_message
from odplan_xl.importer import columns


# --- header labels --------------------------------------------------------------------------------
@pytest.mark.parametrize(("label", "section", "column"), [
    ("تاريخ بداية النشاط", "inventory", "start"),         # «النشاط» alone would say the activity
    ("مصدر تمويل النشاط", "budget", "source"),
    ("الجهات الشريكة", "reuse", "partners"),
    ("Intitulé de la formation", "trainings", "title"),
])
def test_header_labels_by_the_words_they_share_with_the_schema_labels(label, section, column):
    assert columns.column_of(label, section) == column


def test_a_budget_table_headed_with_other_words_keeps_its_lines():
    got = run(h("budget"), table(["البند", "الاعتمادات المرصودة", "مصدر تمويل النشاط"],
                                 ["اقتناء خادم", "30.000,000", "ميزانية الهيكل"]))
    assert rows(got, "budget") == [{"activity": "اقتناء خادم", "amount": Decimal("30000"),
                                    "source": "ميزانية الهيكل"}]
    assert got.unplaced == []


def test_a_team_table_of_people_and_their_department():
    got = run(h("team"), table(["الاسم واللقب", "الإدارة", "الدور"], ["رياض المحمدي", "إدارة الإعلامية", "التنسيق"]))
    assert rows(got, "team") == [{"contact_person": "رياض المحمدي", "name": "إدارة الإعلامية", "role": "التنسيق"}]


def test_labels_in_the_first_column():
    got = run(h("trainings"), table(["عنوان الدورة", "تحليل البيانات"], ["الفئة المستهدفة", "الإحصائيون"],
                                    ["المدة بالأيام", "3"]))
    assert rows(got, "trainings") == [{"title": "تحليل البيانات", "audience": "الإحصائيون", "days": 3}]
    assert got.unplaced == []


def test_tab_separated_lines_are_a_table():
    got = run(h("inventory"), p("النشاط\tالتاريخ\tالمسؤول"), p("جرد بيانات المستشفيات\t15/03/2027\tفريق الجرد"),
              p("ورشة تحسيسية\t-\tإدارة الإعلامية"))
    assert rows(got, "inventory") == [
        {"activity": "جرد بيانات المستشفيات", "start": dt.date(2027, 3, 15), "end": dt.date(2027, 3, 15),
         "responsible": "فريق الجرد"},
        {"activity": "ورشة تحسيسية", "responsible": "إدارة الإعلامية"}]


def test_a_column_no_label_names_keeps_its_values_with_its_header():
    got = run(h("inventory"), table(["النشاط", "عدد الأعوان"], ["جرد الوثائق", "12 عونا"]))
    assert [u.text for u in got.unplaced] == ["عدد الأعوان: 12 عونا"]


# --- paragraphs ------------------------------------------------------------------------------------
def test_a_subsection_line_carrying_its_content():
    got = run(h("reuse"), p("1.6 إعادة الاستعمال الداخلي: ورشة مع مصلحة الإحصاء (جوان 2027)."))
    assert rows(got, "reuse") == [{"activity": "ورشة مع مصلحة الإحصاء", "date": dt.date(2027, 6, 1),
                                   "scope": schema.REUSE_INTERNAL}]


@pytest.mark.parametrize("text", [
    "اجتماع مع الإدارات (مارس 2027)؛ ورشة مع الجامعة (ماي 2027).",
    "اجتماع مع الإدارات (مارس 2027)\nورشة مع الجامعة (ماي 2027)",
])
def test_one_paragraph_holding_several_items(text):
    got = run(h("reuse"), p(text))
    assert [r["activity"] for r in rows(got, "reuse")] == ["اجتماع مع الإدارات", "ورشة مع الجامعة"]


def test_lettered_items_take_the_form_their_letter_names():
    got = run(h("communication"), p("2.8 خارجيا: أ) رسمي: بلاغ صحفي (مارس 2027)؛ ندوة صحفية ب) غير رسمي: لقاء مع "
                                    "الجمعيات"))
    assert [(r["activity"], r["scope"], r["form"]) for r in rows(got, "communication")] == [
        ("بلاغ صحفي", schema.COMM_EXTERNAL, schema.COMM_FORMAL),
        ("ندوة صحفية", schema.COMM_EXTERNAL, schema.COMM_FORMAL),
        ("لقاء مع الجمعيات", schema.COMM_EXTERNAL, schema.COMM_INFORMAL)]


def test_a_budget_in_prose_one_line_per_amount():
    got = run(h("budget"), p("تُقدَّر كلفة الأنشطة بـ 4.200,000 د من ميزانية الهيكل للتكوين، و800 د ليوم مفتوح "
                             "بتمويل من الاتحاد الأوروبي."))
    assert rows(got, "budget") == [
        {"activity": "التكوين", "amount": Decimal("4200"), "source": "ميزانية الهيكل"},
        {"activity": "يوم مفتوح", "amount": Decimal("800"), "funder": "الاتحاد الأوروبي"}]
    assert got.unplaced == []


def test_team_members_listed_inline():
    got = run(h("team"), p("فريق العمل: إدارة الإعلامية – إدارة الإحصاء – مكتب الضبط"),
              p("الأطراف المتدخلة: المعهد الوطني للإحصاء"))
    assert [(r["name"], r["category"]) for r in rows(got, "team")] == [
        ("إدارة الإعلامية", schema.TEAM_INSIDE), ("إدارة الإحصاء", schema.TEAM_INSIDE),
        ("مكتب الضبط", schema.TEAM_INSIDE), ("المعهد الوطني للإحصاء", schema.TEAM_EXTERNAL)]


def test_the_body_name_on_the_line_after_the_title_not_a_sentence_before_it():
    got = run(p("نسعى من خلال هذه الخطة إلى نشر البيانات"), p(f"{schema.TITLE_AR} لسنة 2027", heading=0),
              p("ديوان الحبوب"), h("objectives"), item("هدف"))
    assert got.data["cover"]["structure"] == "ديوان الحبوب"
    assert ("الغلاف، الفقرة 1", "نسعى من خلال هذه الخطة إلى نشر البيانات") in [(u.where, u.text)
                                                                              for u in got.unplaced]


def test_the_document_status_and_dates_are_notes_the_workbook_a_draft():
    got = run(p("الحالة: النسخة النهائية"), p("تاريخ إعداد الخطة: نوفمبر 2026"), h("objectives"), item("هدف"))
    cover, notes = got.data["cover"], got.data["cover_notes"]
    assert cover["status"] == schema.STATUS_DRAFT
    assert "النسخة النهائية" in notes["status"] and "نوفمبر 2026" in notes["prepared"]


# --- an item's own words decide its subsection ----------------------------------------------------
def test_an_item_saying_its_kind_goes_there_with_a_warning():
    got = run(h("trainings"), p("1.7 تطوير القدرات الفنية", bold=True), item("دورة في تحليل البيانات"),
              item("دورة حول الإطار القانوني (تكوين غير فني)"))
    assert [r["kind"] for r in rows(got, "trainings")] == [schema.TRAINING_TECH, schema.TRAINING_NONTECH]
    assert any(schema.TRAINING_NONTECH in w and "الإطار القانوني" in w for w in got.warnings)


def test_an_activity_about_technical_things_says_nothing_of_its_kind():
    got = run(h("trainings"), p("2.7 تطوير القدرات غير الفنية", bold=True), item("زيارة المنشآت الفنية للبلدية"))
    assert rows(got, "trainings")[0]["kind"] == schema.TRAINING_NONTECH


@pytest.mark.parametrize("number", ["7-1", "7 - 1", "7.1", "1.7", "7/1"])
def test_subsection_numbers_in_every_spelling(number):
    got = run(h("trainings"), p(f"{number} الدورات التكوينية الفنية", bold=True), item("دورة في تحليل البيانات"),
              p(f"{number.replace('1', '2')} الدورات الأخرى", bold=True), item("يوم حول الإطار القانوني"))
    assert [r["kind"] for r in rows(got, "trainings")] == [schema.TRAINING_TECH, schema.TRAINING_NONTECH]


# --- the self-audit -------------------------------------------------------------------------------
def test_words_a_heading_carried_beyond_its_name_are_kept():
    blocks = (h("reuse"), p("1.6 إعادة الاستعمال الداخلي (ورشة مع مصلحة الإحصاء)", bold=True), item("اجتماع"))
    got = run(*blocks)
    assert [(u.where, u.text) for u in got.unplaced] == [
        ("القسم 6، العنوان 2", "1.6 إعادة الاستعمال الداخلي (ورشة مع مصلحة الإحصاء)")]
    assert got.rescued == 1
    assert run(*blocks, self_audit=False).unplaced == []      # the placer alone loses it


def test_the_count_of_texts_moved_is_said_in_arabic_grammar():
    assert moved_message(3) == "نُقلت 3 نصوص إلى ورقة نص غير مصنف"
    assert moved_message(1) == "نُقل نص واحد إلى ورقة نص غير مصنف"
    assert moved_message(2) == "نُقل نصان إلى ورقة نص غير مصنف"
    assert moved_message(11) == "نُقل 11 نصا إلى ورقة نص غير مصنف"


def test_an_annex_titled_without_a_number_is_not_the_last_section():
    got = run(h("budget"), item("اقتناء خادم 5 000 د"), p("ملحق: النصوص المرجعية", bold=True),
              p("القانون الأساسي عدد 22 لسنة 2016"))
    assert len(rows(got, "budget")) == 1
    assert [u.text for u in got.unplaced] == ["ملحق: النصوص المرجعية", "القانون الأساسي عدد 22 لسنة 2016"]


def test_a_cover_line_naming_the_status_is_a_note():
    got = run(p(schema.TITLE_AR, heading=0), p("وزارة الصحة"), p("نسخة داخلية مصادق عليها"), h("objectives"),
              item("هدف"))
    assert got.data["cover"]["structure"] == "وزارة الصحة"
    assert "نسخة داخلية مصادق عليها" in got.data["cover_notes"]["status"]
    assert got.unplaced == []


def test_two_columns_of_source_and_amount_are_the_totals_only_when_their_rows_are_sources():
    got = run(h("budget"), table(["التمويل", "الكلفة"], ["دورة تكوينية لفائدة الأعوان", "500"]))
    assert rows(got, "budget") == [{"source": "دورة تكوينية لفائدة الأعوان", "amount": Decimal("500")}]


def test_a_section_heading_holding_the_titles_words_opens_its_section_on_the_cover():
    got = run(p(schema.TITLE_AR, heading=0), p("ديوان الحبوب"),
              p(f"{schema.section('objectives').heading} (حسب الإمكانيات)", heading=1), p("نشر أسعار القبول."))
    assert [r["objective"] for r in rows(got, "objectives")] == ["نشر أسعار القبول."]


def test_authors_listed_inline_on_the_cover_one_each():
    got = run(p(schema.TITLE_AR, heading=0), p("ديوان الحبوب"),
              p("فريق العمل: رياض المحمدي – سلمى الجلاصي – نورة الزغلامي"), h("objectives"), item("هدف"))
    assert [a["name"] for a in got.data["authors"]] == ["رياض المحمدي", "سلمى الجلاصي", "نورة الزغلامي"]


def test_the_team_on_its_labels_line_ends_the_list_of_authors():
    got = run(p(schema.TITLE_AR, heading=0), p("ديوان الحبوب"), p("فريق العمل: رياض المحمدي – إدارة الإعلامية"),
              p("ملاحظة حول الخطة"), h("objectives"), item("هدف"))
    assert got.data["authors"] == [{"name": "رياض المحمدي", "unit": "إدارة الإعلامية", "role": None}]
    assert [u.text for u in got.unplaced] == ["ملاحظة حول الخطة"]
