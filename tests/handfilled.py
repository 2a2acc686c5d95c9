"""Plans filled by hand on the official Word template, built with python-docx the way people fill it.

Each case writes one .docx and returns a `Filled`: the expected place of every item (the section whose
table gets it, with some extracted values) and the tag of every non-empty paragraph and table cell
written (a section key, "cover", "intro:<key>", "annex" for text that has no place, "status" for the
plan status (an imported plan is a draft), "template" for
the template's own headings and instructions), for the "nothing lost" test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from odplan_xl import schema

CASES: dict[str, Callable[[Path], Filled]] = {}
TEMPLATE_TOC = ("الفهرس", "3.....\t1. أهداف وألويات الخطة السنوية لأنشطة البيانات المفتوحة\t3",
                "4.....\t2. تحديد فريق العمل والأطراف المتدخلة\t4", "4.....\t1.2 فريق العمل داخل الهيكل\t4")


def case(fn: Callable[[Path], Filled]) -> Callable[[Path], Filled]:
    CASES[fn.__name__] = fn
    return fn


@dataclass
class Item:
    section: str
    text: str                            # the item's own text (what the main column must contain)
    values: dict = field(default_factory=dict)   # other columns expected, by key


@dataclass
class Filled:
    path: Path
    items: list[Item] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)    # (text, tag)
    cover: dict = field(default_factory=dict)
    intro: dict[str, str] = field(default_factory=dict)
    na: dict[str, str] = field(default_factory=dict)


class Writer:
    """A document written paragraph by paragraph, remembering what each piece is."""

    def __init__(self, path: Path):
        self.doc = docx.Document()
        self.out = Filled(path)
        self.section = "cover"

    def _p(self, text: str, tag: str, style: str | None = None, bold: bool = False):
        p = self.doc.add_paragraph(style=style)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = p.add_run(text)
        run.bold = bold or None
        if text.strip():
            self.out.texts.append((text, tag))
        return p

    def title(self, text: str = schema.TITLE_AR) -> None:
        self.doc.add_heading(text, 0)
        self.out.texts.append((text, "template"))

    def heading(self, text: str, key: str | None, *, level: int = 1, styled: bool = True) -> None:
        if key is not None:
            self.section = key
        if styled:
            self.doc.add_heading(text, level)
            self.out.texts.append((text, "template" if key != "annex" else "annex"))
        else:
            self._p(text, "template" if key != "annex" else "annex", bold=True)

    def instruction(self, text: str) -> None:
        self._p(text, "template")

    def para(self, text: str, tag: str | None = None, style: str | None = None) -> None:
        self._p(text, tag or self.section, style)

    def intro(self, text: str) -> None:
        self._p(text, f"intro:{self.section}")
        self.out.intro[self.section] = (self.out.intro.get(self.section, "") + "\n" + text).strip()

    def item(self, text: str, main: str, style: str | None = "List Bullet", **values) -> None:
        self._p(text, self.section, style)
        self.out.items.append(Item(self.section, main, values))

    def cover_line(self, text: str, **values) -> None:
        self._p(text, "cover")
        self.out.cover.update(values)

    def table(self, header: list[str] | None, rows: list[list[str]], mains: list[str | None], *,
              title: str | None = None, repeat_header_at: int | None = None, values: list[dict] | None = None,
              tag: str | None = None) -> None:
        width = len(header or rows[0])
        all_rows = ([[title] + [""] * (width - 1)] if title else []) + ([header] if header else [])
        body = list(rows)
        if repeat_header_at is not None and header:
            body.insert(repeat_header_at, header)
        all_rows += body
        t = self.doc.add_table(rows=len(all_rows), cols=width)
        t.style = "Table Grid"
        for r, row in enumerate(all_rows):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
        if title:
            t.cell(0, 0).merge(t.cell(0, width - 1))
            t.cell(0, 0).text = title
            self.out.texts.append((title, "template"))
        tag = tag or self.section
        if header:
            self.out.texts += [(h, "template") for h in header if h]
        for row in rows:
            self.out.texts += [(text, tag) for text in row if text.strip()]
        for i, main in enumerate(mains):
            if main is not None:
                self.out.items.append(Item(self.section, main, (values or [{}] * len(mains))[i]))

    def save(self) -> Filled:
        self.doc.save(self.out.path)
        return self.out


def d(month: int, day: int, year: int = 2027) -> dt.date:
    return dt.date(year, month, day)


# --- the cases ------------------------------------------------------------------------------------
@case
def styled_tables(folder: Path) -> Filled:
    """Word Heading styles, tables with the schema's Arabic labels, cover as «label: value» lines."""
    w = Writer(folder / "styled_tables.docx")
    w.title()
    w.cover_line("اسم الهيكل: وزارة الصحة", structure="وزارة الصحة")
    w.cover_line("سنة الخطة: 2027", year=2027)
    w.para("الحالة: نسخة داخلية مصادق عليها", "status")   # an imported plan is a draft whatever it said
    w.cover_line("إسم المسؤول المكلف بالبيانات المفتوحة: ليلى الغربي", officer="ليلى الغربي")
    w.cover_line("تاريخ إعداد الخطة: 10/11/2026", prepared=d(11, 10, 2026))
    w.cover_line("تاريخ آخر تحديث: 05/12/2026", updated=d(12, 5, 2026))
    w.heading("1. أهداف وأولويات الخطة السنوية لأنشطة البيانات المفتوحة", "objectives")
    w.intro("تهدف الخطة إلى نشر البيانات الصحية الأكثر طلبا من الباحثين والصحفيين خلال هذه السنة.")
    w.table(["الهدف", "الأولوية", "مؤشر المتابعة"],
            [["نشر بيانات المستشفيات العمومية", "عالية", "عدد مجموعات البيانات المنشورة"],
             ["تحسين الشفافية في الصفقات", "متوسطة", "نسبة الصفقات المنشورة"]],
            ["نشر بيانات المستشفيات العمومية", "تحسين الشفافية في الصفقات"],
            values=[{"priority": "عالية"}, {"priority": "متوسطة"}])
    w.heading("2. تحديد فريق العمل والأطراف المتدخلة", "team")
    w.heading("1.2 فريق العمل داخل الهيكل", None, level=2)
    w.table(["الفريق أو الإدارة أو الجهة", "الدور في الخطة"],
            [["إدارة الإعلامية", "تنسيق الخطة"], ["الإدارة العامة للصحة الأساسية", "توفير البيانات"]],
            ["إدارة الإعلامية", "الإدارة العامة للصحة الأساسية"],
            values=[{"category": schema.TEAM_INSIDE}, {"category": schema.TEAM_INSIDE}])
    w.heading("2.2 الأطراف المتدخلة", None, level=2)
    w.table(["الفريق أو الإدارة أو الجهة", "الدور في الخطة"],
            [["المعهد الوطني للإحصاء", "المرافقة في المعايير"]], ["المعهد الوطني للإحصاء"],
            values=[{"category": schema.TEAM_EXTERNAL}])
    w.heading("3. جرد البيانات العمومية", "inventory")
    w.table(["النشاط", "تاريخ البداية", "تاريخ النهاية", "المسؤول"],
            [["ورشة تحسيسية حول الجرد", "15/01/2027", "15/01/2027", "ليلى الغربي"],
             ["جرد بيانات المستشفيات", "01/02/2027", "30/04/2027", "فريق الجرد"]],
            ["ورشة تحسيسية حول الجرد", "جرد بيانات المستشفيات"], title="جدول أنشطة الجرد", repeat_header_at=1,
            values=[{"start": d(1, 15), "end": d(1, 15), "responsible": "ليلى الغربي"},
                    {"start": d(2, 1), "end": d(4, 30)}])
    w.heading("4. نشر البيانات", "datasets")
    w.table(["مجموعة البيانات", "الإدارة المنتجة", "الصيغة", "تاريخ النشر المبرمج", "دورية التحيين"],
            [["قائمة المستشفيات العمومية", "إدارة الهياكل الصحية", "CSV", "31/03/2027", "سنوية"],
             ["طاقة استيعاب الأسرة", "إدارة الهياكل الصحية", "xlsx", "30/06/2027", "ثلاثية"]],
            ["قائمة المستشفيات العمومية", "طاقة استيعاب الأسرة"],
            values=[{"format": "CSV", "publish_date": d(3, 31), "frequency": "سنوية"},
                    {"format": "XLSX", "publish_date": d(6, 30)}])
    w.heading("5. أدوات العمل المعتمدة", "tools")
    w.table(["الأداة", "الوصف", "تاريخ البداية", "تاريخ النهاية", "المسؤول"],
            [["صفحة الوزارة على البوابة الوطنية", "نشر البيانات", "01/02/2027", "28/02/2027", "إدارة الإعلامية"]],
            ["صفحة الوزارة على البوابة الوطنية"], values=[{"start": d(2, 1), "end": d(2, 28)}])
    w.heading("6. تحفيز إعادة استعمال البيانات", "reuse")
    w.heading("1.6 إعادة الاستعمال الداخلي", None, level=2)
    w.table(["النشاط", "التاريخ"], [["اجتماع مع الإدارات المنتجة", "10/03/2027"]],
            ["اجتماع مع الإدارات المنتجة"], values=[{"scope": schema.REUSE_INTERNAL, "date": d(3, 10)}])
    w.heading("2.6 إعادة الاستعمال الخارجي", None, level=2)
    w.table(["النشاط", "التاريخ", "الشركاء"], [["مسابقة البيانات الصحية", "20/10/2027", "جمعية الأطباء الشبان"]],
            ["مسابقة البيانات الصحية"], values=[{"scope": schema.REUSE_EXTERNAL, "date": d(10, 20)}])
    w.heading("7. تطوير القدرات", "trainings")
    w.heading("1.7 تطوير القدرات الفنية", None, level=2)
    w.table(["عنوان الدورة", "الفئة المستهدفة", "المدة بالأيام", "تاريخ البداية", "تاريخ النهاية"],
            [["تحليل البيانات", "الإحصائيون", "3", "12/04/2027", "14/04/2027"]], ["تحليل البيانات"],
            values=[{"kind": schema.TRAINING_TECH, "days": 3, "start": d(4, 12)}])
    w.heading("2.7 تطوير القدرات غير الفنية", None, level=2)
    w.table(["عنوان الدورة", "الفئة المستهدفة", "المدة بالأيام", "تاريخ البداية", "تاريخ النهاية"],
            [["الإطار القانوني للبيانات المفتوحة", "المديرون", "1", "20/01/2027", "20/01/2027"]],
            ["الإطار القانوني للبيانات المفتوحة"], values=[{"kind": schema.TRAINING_NONTECH, "days": 1}])
    w.heading("8. الخطة الاتصالية", "communication")
    w.heading("1.8 خطة الاتصال الداخلي", None, level=2)
    w.para("أنشطة الاتصال الرسمي", "template")
    w.table(["النشاط", "الأطراف المعنية", "تاريخ البداية", "تاريخ النهاية"],
            [["مذكرة إلى كافة الإدارات", "الإدارات", "11/01/2027", "11/01/2027"]], ["مذكرة إلى كافة الإدارات"],
            values=[{"scope": schema.COMM_INTERNAL, "form": schema.COMM_FORMAL}])
    w.heading("2.8 خطة الاتصال الخارجي", None, level=2)
    w.heading("أ أنشطة الاتصال الرسمي", None, level=3)
    w.table(["النشاط", "قناة الاتصال", "تاريخ البداية", "تاريخ النهاية"],
            [["بلاغ صحفي حول نشر البيانات", "بلاغ صحفي", "02/03/2027", "02/03/2027"]],
            ["بلاغ صحفي حول نشر البيانات"], values=[{"scope": schema.COMM_EXTERNAL, "form": schema.COMM_FORMAL}])
    w.heading("ب أنشطة الاتصال غير الرسمية", None, level=3)
    w.table(["النشاط", "قناة الاتصال", "تاريخ البداية", "تاريخ النهاية"],
            [["لقاءات مع الجمعيات", "لقاء", "01/05/2027", "30/09/2027"]],
            ["لقاءات مع الجمعيات"], values=[{"scope": schema.COMM_EXTERNAL, "form": schema.COMM_INFORMAL}])
    w.heading("9. روزنامة الأنشطة السنوية", "calendar")
    w.table(["النشاط", "تاريخ البداية", "تاريخ النهاية", "المسؤول"],
            [["إعداد التقرير السنوي", "01/12/2027", "20/12/2027", "ليلى الغربي"]], ["إعداد التقرير السنوي"],
            values=[{"start": d(12, 1), "end": d(12, 20)}])
    w.heading("10. الميزانية", "budget")
    w.table(["النشاط", "المبلغ (د.ت)", "مصدر التمويل"],
            [["تنظيم الدورات التكوينية", "12 500,000", "ميزانية الهيكل"],
             ["جوائز مسابقة البيانات", "20.000,000", "التعاون الدولي"], ["المجموع", "32 500,000", ""]],
            ["تنظيم الدورات التكوينية", "جوائز مسابقة البيانات", None],
            values=[{"amount": Decimal("12500"), "source": "ميزانية الهيكل"},
                    {"amount": Decimal("20000"), "source": "التعاون الدولي"}])
    # the total line is the plan's own computation: not a budget line
    w.out.texts = [(t, "template" if t in ("المجموع", "32 500,000") else tag) for t, tag in w.out.texts]
    return w.save()


@case
def bold_lists(folder: Path) -> Filled:
    """Bold typed numbers for headings, right-to-left «1.2», lists (Word and typed), values in the items,
    instructions left in, a section missing (5), an annex, the cover as lines under the title."""
    w = Writer(folder / "bold_lists.docx")
    w.title()
    w.cover_line("ديوان الحبوب", structure="ديوان الحبوب")
    w.para("الحالة: مسودة", "status")
    w.para("إسم المسؤول المكلف بالبيانات المفتوحة بالوزارة.", "template")
    w.cover_line("سامي الطرابلسي", officer="سامي الطرابلسي")
    w.para("فريق العمل المساهم في إعداد الخطة.", "template")
    w.para("سامي الطرابلسي - إدارة الإعلامية - منسق", "cover", "List Bullet")
    w.para("هالة بن علي - إدارة الإحصاء", "cover", "List Bullet")
    w.para("تاريخ اعداد الخطة", "template")
    w.cover_line("20/11/2026", prepared=d(11, 20, 2026))
    w.heading("1. أهداف وأولويات الخطة السنوية لأنشطة البيانات المفتوحة", "objectives", styled=False)
    w.instruction("[وصف أهداف الخطة وأولوياتها. ويمكن تحديد هذه الأهداف بالرجوع إلى الأهداف الاستراتيجية]")
    w.para("- تعزيز مبادئ الشفافية والمساءلة،", "template")
    w.item("- نشر بيانات الإنتاج والتجميع حسب الولاية", "نشر بيانات الإنتاج والتجميع حسب الولاية", style=None)
    w.item("- تمكين الفلاحين من أسعار القبول في مراكز التجميع", "تمكين الفلاحين من أسعار القبول", style=None)
    w.heading("2. تحديد فريق العمل والأطراف المتدخلة", "team", styled=False)
    w.heading("1.2 فريق العمل داخل الهيكل", None, styled=False)
    w.instruction("[قائمة بجميع الفرق والمجموعات والإدارات في الهيكل التي ستشارك بشكل أساسي في الخطة]")
    w.item("• إدارة الإحصاء والدراسات", "إدارة الإحصاء والدراسات", style=None, category=schema.TEAM_INSIDE)
    w.item("• إدارة الإعلامية", "إدارة الإعلامية", style=None, category=schema.TEAM_INSIDE)
    w.heading("2.2 الأطراف المتدخلة", None, styled=False)
    w.item("وزارة الفلاحة", "وزارة الفلاحة", category=schema.TEAM_EXTERNAL)
    w.heading("3. جرد البيانات العمومية", "inventory", styled=False)
    w.intro("نذكر فيما يلي الأنشطة المبرمجة:")
    w.item("1) ورشة تحسيسية لفائدة المديرين 15/02/2027 - المسؤول: سامي الطرابلسي", "ورشة تحسيسية لفائدة المديرين",
           style=None, start=d(2, 15), responsible="سامي الطرابلسي")
    w.item("2) جرد بيانات مراكز التجميع خلال مارس 2027", "جرد بيانات مراكز التجميع", style=None,
           start=d(3, 1), end=d(3, 31))
    w.item("3) المصادقة على نتائج الجرد الثلاثي الثاني 2027", "المصادقة على نتائج الجرد", style=None,
           start=d(4, 1), end=d(6, 30))
    w.heading("4. نشر البيانات", "datasets", styled=False)
    w.item("أ) كميات الحبوب المجمعة حسب الولاية (CSV) - 30/04/2027", "كميات الحبوب المجمعة حسب الولاية",
           style=None, format="CSV", publish_date=d(4, 30))
    w.item("ب) أسعار القبول الرسمية، صيغة JSON", "أسعار القبول الرسمية", style=None, format="JSON")
    w.heading("6. تحفيز إعادة استعمال البيانات", "reuse", styled=False)
    w.heading("2.6 إعادة الاستعمال الخارجي", None, styled=False)
    w.item("هاكاتون البيانات الفلاحية في أكتوبر 2027", "هاكاتون البيانات الفلاحية", scope=schema.REUSE_EXTERNAL,
           date=d(10, 1))
    w.heading("7. تطوير القدرات", "trainings", styled=False)
    w.heading("1.7 تطوير القدرات الفنية", None, styled=False)
    w.item("دورة في نشر البيانات على البوابة الوطنية", "دورة في نشر البيانات على البوابة الوطنية",
           style="List Number", kind=schema.TRAINING_TECH)
    w.heading("8. الخطة الاتصالية", "communication", styled=False)
    w.heading("1.8 خطة الاتصال الداخلي", None, styled=False)
    w.para("أنشطة الاتصال الرسمي [مذكرات، اجتماعات، ورشات عمل] التي سيتم اعتمادها مع تحديد الأطراف المعنية "
           "والمتدخلة، وقنوات الاتصال، والجدول الزمني.", "template")
    w.item("اجتماع شهري لفريق العمل", "اجتماع شهري لفريق العمل", scope=schema.COMM_INTERNAL,
           form=schema.COMM_FORMAL)
    w.heading("9. روزنامة الأنشطة السنوية", "calendar", styled=False)
    w.item("إعداد التقرير نصف السنوي: جويلية 2027", "إعداد التقرير نصف السنوي", start=d(7, 1), end=d(7, 31))
    w.heading("10. الميزانية", "budget", styled=False)
    w.item("تنظيم الهاكاتون: 15 ألف دينار في إطار الشراكات", "تنظيم الهاكاتون", amount=Decimal("15000"),
           source="الشراكات")
    w.item("الدورات التكوينية 12 500,000 دينار ميزانية الهيكل", "الدورات التكوينية", amount=Decimal("12500"),
           source="ميزانية الهيكل")
    w.heading("11. ملحق: قائمة المراجع", "annex", styled=False)
    w.para("القانون الأساسي عدد 22 لسنة 2016 المتعلق بالحق في النفاذ إلى المعلومة", "annex")
    return w.save()


@case
def french_labels(folder: Path) -> Filled:
    """French column labels, the cover as a two-column table, sections in another order, close wordings."""
    w = Writer(folder / "french_labels.docx")
    w.title()
    t = w.doc.add_table(rows=3, cols=2)
    for r, (label, value) in enumerate((("Nom de la structure", "Agence nationale des fréquences"),
                                        ("Année du plan", "2027"), ("Responsable des données ouvertes", "Nadia Ben Salah"))):
        t.cell(r, 0).text, t.cell(r, 1).text = label, value
        w.out.texts += [(label, "template"), (value, "cover")]
    w.out.cover.update(structure="Agence nationale des fréquences", year=2027, officer="Nadia Ben Salah")
    w.heading("3- جرد البيانات", "inventory")
    w.table(["Activité", "Date de début", "Date de fin", "Responsable"],
            [["Atelier de sensibilisation", "10/02/2027", "10/02/2027", "Nadia Ben Salah"]],
            ["Atelier de sensibilisation"], values=[{"start": d(2, 10), "responsible": "Nadia Ben Salah"}])
    w.heading("اهداف و اولويات الخطة السنوية", "objectives")
    w.table(["Objectif", "Priorité"], [["Publier la liste des fréquences attribuées", "عالية"]],
            ["Publier la liste des fréquences attribuées"], values=[{"priority": "عالية"}])
    w.heading("4. نشر البيانات", "datasets")
    w.table(["Jeu de données", "Format", "Date de publication", "Fréquence"],
            [["Registre des fréquences", "CSV", "15/05/2027", "شهرية"]], ["Registre des fréquences"],
            values=[{"format": "CSV", "publish_date": d(5, 15), "frequency": "شهرية"}])
    w.heading("الميزانية", "budget")
    w.table(["Activité", "Montant", "Source de financement", "Remarques"],
            [["Portail de données", "8 000,000", "ميزانية الهيكل", "Marché public"]], ["Portail de données"],
            values=[{"amount": Decimal("8000"), "source": "ميزانية الهيكل", "note": "Marché public"}])
    w.heading("5. أدوات العمل المعتمدة", "tools")
    w.para("لا ينطبق: الأدوات متوفرة منذ السنة الماضية")
    w.out.na["tools"] = "الأدوات متوفرة منذ السنة الماضية"
    return w.save()


@case
def template_left(folder: Path) -> Filled:
    """The official template kept as it is (table of contents, instructions), with plain paragraphs typed
    under the instructions and a table with an unknown column."""
    w = Writer(folder / "template_left.docx")
    w.title()
    w.instruction("[اسم الهيكل]")
    w.para("الحالة: [مسودة / نسخة داخلية مصادق عليها/ النسخة النهائية]", "template")
    for line in TEMPLATE_TOC:
        w.para(line, "template")
    w.heading("1. أهداف وأولويات الخطة السنوية لأنشطة البيانات المفتوحة", "objectives")
    w.instruction("وصف أهداف الخطة وأولوياتها. ويمكن تحديد هذه الأهداف بالرجوع إلى الأهداف الاستراتيجية لنشاط "
                  "الهيكل العمومي المعني كما يمكن الاستناد إلى الطلبات الواردة على الهيكل للحصول على البيانات "
                  "التي ينتجها أو يجمعها قصد إعادة استعمالها في عديد المجالات.")
    w.item("نشر ميزانية البلدية بالتفصيل", "نشر ميزانية البلدية بالتفصيل", style=None)
    w.item("نشر محاضر جلسات المجلس البلدي", "نشر محاضر جلسات المجلس البلدي", style=None)
    w.heading("2. تحديد فريق العمل والأطراف المتدخلة", "team")
    w.heading("1.2 فريق العمل داخل الهيكل", None, level=2)
    w.para("[قائمة بجميع الفرق والمجموعات والإدارات في الهيكل التي ستشارك بشكل أساسي في الخطة] "
           "الكتابة العامة للبلدية", "team")
    w.out.items.append(Item("team", "الكتابة العامة للبلدية", {"category": schema.TEAM_INSIDE}))
    w.heading("3. جرد البيانات العمومية", "inventory")
    w.table(["النشاط", "الموعد", "الميزانية التقديرية"],
            [["جرد الوثائق الإدارية", "الثلاثي الأول 2027", "لا شيء"]], ["جرد الوثائق الإدارية"],
            values=[{"start": d(1, 1), "end": d(3, 31)}])
    w.heading("9. روزنامة الأنشطة السنوية", "calendar")
    w.instruction("[تحديد روزنامة الأنشطة المبرمجة بعنوان السنة المعنية في شكل جدول أو مخطط على غرار")
    w.heading("10. الميزانية", "budget")
    w.instruction("[تحديد الأنشطة المبرمجة والتي تتطلب موارد مالية يمكن إدراجها ضمن ميزانية الهيكل العمومي أو "
                  "يمكن توفيرها في إطار برامج تعاون دولي أو شراكات]")
    return w.save()


def letter(folder: Path) -> Path:
    """Not a plan: an ordinary letter."""
    doc = docx.Document()
    for text in ("الجمهورية التونسية", "وزارة التجهيز", "إلى السيد المدير العام",
                 "الموضوع: طلب معطيات", "وبعد، يشرفني أن أطلب منكم موافاتنا بالمعطيات المتعلقة بالمشاريع.",
                 "والسلام"):
        doc.add_paragraph(text)
    path = folder / "letter.docx"
    doc.save(path)
    return path
