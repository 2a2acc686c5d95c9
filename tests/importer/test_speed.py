"""Import work is small per paragraph and grows with the document.

Each paragraph used to be compared by a fuzzy ratio with every heading and template text (62 comparisons a
paragraph); the wordings are now indexed once, and a ratio is computed only for the few whose lengths and
letters could reach the threshold. What is counted here is work — Python function calls — not seconds, which
depend on the machine (`make bench` has the import's time against python-docx merely reading).
"""

from __future__ import annotations

import sys
from pathlib import Path

from odplan_xl.app.importing import import_docx

WORDS = ("نشر تحيين جرد تكوين ورشة يوم مفتوح بيانات مجموعة قاعدة منصة بوابة وطنية جهوية محلية إدارة مصلحة "
         "إحصائيات المستشفيات المدارس الطرقات الميزانية الصفقات العمومية البلديات الولايات المواطنين الباحثين "
         "الصحفيين شراكة تعاون دولي استخراج آلي نظام معلومات جودة صيغة مفتوحة طلب مرتفع حاجز قانوني لجنة قيادة "
         "متابعة تقييم تقرير سنوي ثلاثي شهري خريطة مؤشرات التعليم الصحة النقل الفلاحة البيئة المياه الطاقة").split()


def word_plan(path: Path, paragraphs: int) -> Path:
    """A plan written in Word: the ten sections, each a heading and a list of activities whose wording differs
    from one paragraph to the next (nothing a cache could answer twice), with a date and a person in charge."""
    import random

    import docx

    from odplan_xl import schema

    rng = random.Random(paragraphs)
    doc = docx.Document()
    doc.add_heading(schema.TITLE_AR, 0)
    doc.add_paragraph("اسم الهيكل: وزارة الصحة")
    per = max(1, (paragraphs - 2) // len(schema.SECTIONS) - 1)
    for sec in schema.SECTIONS:
        doc.add_heading(sec.numbered_heading, 1)
        for i in range(per):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
            doc.add_paragraph(f"{i + 1}) {words} ({i % 28 + 1:02d}/{i % 12 + 1:02d}/2027) - المسؤول: إدارة الإعلامية")
    doc.save(path)
    return path


def _calls(doc: Path, out: Path) -> int:
    """How many Python function calls one import makes (read, placed, audited, written): a count of work
    that, unlike seconds, does not depend on what else the machine is doing."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        result = import_docx(doc, out, overwrite=True)
    finally:
        sys.setprofile(None)
    assert result.rows >= 0.95 * (int(doc.stem.split("_")[-1]) - 12)
    return calls


def test_work_per_paragraph_is_small_and_does_not_grow(tmp_path):
    import_docx(word_plan(tmp_path / "plan_100.docx", 100), tmp_path / "warm.xlsx")   # caches, lazy imports
    small = _calls(word_plan(tmp_path / "plan_500.docx", 500), tmp_path / "small.xlsx")
    big = _calls(word_plan(tmp_path / "plan_2000.docx", 2000), tmp_path / "big.xlsx")
    assert big <= 4.4 * small, f"4 times the paragraphs: {small} then {big} calls"
    # each paragraph compared by a fuzzy ratio with every wording, as before the index: 7,400 calls a paragraph
    # (reading, placing, auditing and writing included); about 500 since
    assert big / 2000 < 1500, f"{big / 2000:.0f} calls a paragraph"
