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


# === the styled corpus ============================================================================
# Plans drawn from a body's own topics, each written by hand in one of the ways officers write them.
# Every document carries its truth: each item's section, subsection, form and main text, and every
# piece of officer text (a paragraph, a cell, or one item of a paragraph holding several) with its tag.

import json  # noqa: E402
import random  # noqa: E402

MONTHS = schema.MONTHS_AR
BODIES = (
    ("وزارة الصحة", "ليلى الغربي", ("المستشفيات العمومية", "الأدوية المرخصة", "حملات التلقيح", "الصيدليات الليلية",
                                   "الأطباء حسب الولاية", "الولادات المسجلة", "أقسام الاستعجالي", "قوائم الانتظار"),
     ("إدارة الإعلامية", "الإدارة العامة للصحة الأساسية", "إدارة الدراسات والتخطيط", "مكتب العلاقات مع المواطن")),
    ("وزارة التجهيز والإسكان", "كريم الحمامي", ("الطرقات المرقمة", "المنشآت الفنية", "المشاريع الجهوية",
                                              "رخص البناء", "المساكن الاجتماعية", "الصفقات العمومية", "حوادث المرور",
                                              "المقاطع والمحاجر"),
     ("الإدارة العامة للطرقات", "إدارة الإعلامية", "الإدارة العامة للإسكان", "مكتب الضبط المركزي")),
    ("بلدية صفاقس", "منية الشعري", ("الميزانية البلدية", "رخص الإشغال", "المساحات الخضراء", "جمع الفضلات",
                                    "الأسواق البلدية", "محاضر المجلس البلدي", "الإنارة العمومية", "المعاليم الجبائية"),
     ("الكتابة العامة للبلدية", "إدارة الشؤون المالية", "الدائرة الفنية", "مصلحة الإعلامية")),
    ("ديوان الحبوب", "سامي الطرابلسي", ("كميات الحبوب المجمعة", "أسعار القبول", "مراكز التجميع", "واردات القمح اللين",
                                        "مخزون البذور الممتازة", "المطاحن المرخصة", "طاقة الخزن", "صابة الشعير"),
     ("إدارة الإحصاء والدراسات", "إدارة الإعلامية", "إدارة التجميع", "مصلحة التدقيق الداخلي")),
    ("وزارة التربية", "هالة بن علي", ("المدارس الابتدائية", "نتائج الباكالوريا", "الإطار التربوي", "النقل المدرسي",
                                      "المطاعم المدرسية", "الانقطاع المدرسي", "المبيتات", "البنية التحتية للمعاهد"),
     ("إدارة الإحصاء", "الإدارة العامة للدراسات", "إدارة الإعلامية التربوية", "مكتب التواصل")),
    ("المعهد الوطني للرصد الجوي", "أنيس القاسمي", ("درجات الحرارة اليومية", "كميات الأمطار", "محطات الرصد",
                                                 "سرعة الرياح", "النشرات البحرية", "الظواهر القصوى", "الرطوبة النسبية",
                                                 "الإشعاع الشمسي"),
     ("إدارة المناخ", "إدارة الإعلامية", "إدارة التنبؤات", "مصلحة الأرشيف")),
)
PARTNERS = ("المعهد الوطني للإحصاء", "جمعية البوصلة", "الهيئة العامة للنفاذ إلى المعلومة", "المركز الوطني للإعلامية",
            "جامعة صفاقس", "برنامج الأمم المتحدة الإنمائي", "الوكالة الألمانية للتعاون الدولي", "نادي المطورين الشبان")
FUNDERS = ("الاتحاد الأوروبي", "الوكالة الألمانية للتعاون الدولي", "البنك الإفريقي للتنمية",
           "برنامج الأمم المتحدة الإنمائي")

# (section, category, form, template of the main text); {d} a topic of the body, {u} one of its units
ITEM_TEMPLATES = (
    ("objectives", None, None, ("نشر بيانات {d} في صيغة مفتوحة", "تحسين جودة بيانات {d}",
                                "الاستجابة لطلبات النفاذ المتعلقة ببيانات {d}", "تحيين بيانات {d} بصفة دورية")),
    ("team", schema.TEAM_INSIDE, None, ("{u}",)),
    ("team", schema.TEAM_EXTERNAL, None, ("{p}",)),
    ("inventory", None, None, ("ورشة تحسيسية حول جرد بيانات {d}", "جرد بيانات {d} لدى المصالح المعنية",
                               "تكوين فريق عمل لجرد بيانات {d}", "إدخال بيانات {d} في منظومة الجرد")),
    ("datasets", None, None, ("قائمة {d}", "إحصائيات {d} حسب الولاية", "مؤشرات {d} الشهرية")),
    ("tools", None, None, ("أداة استخراج آلي لبيانات {d}", "لوحة قيادة تفاعلية حول {d}")),
    ("reuse", schema.REUSE_INTERNAL, None, ("اجتماع مع المصالح الداخلية حول استغلال بيانات {d}",
                                            "ورشة داخلية لاستعمال بيانات {d}")),
    ("reuse", schema.REUSE_EXTERNAL, None, ("مسابقة لتطوير تطبيقات حول {d}", "استشارة مستعملي بيانات {d}")),
    ("trainings", schema.TRAINING_TECH, None, ("دورة في تحليل بيانات {d}", "تكوين في نشر بيانات {d} على البوابة")),
    ("trainings", schema.TRAINING_NONTECH, None, ("يوم تحسيسي حول الإطار القانوني لبيانات {d}",
                                                  "تكوين في إدارة التغيير حول بيانات {d}")),
    ("communication", schema.COMM_INTERNAL, schema.COMM_FORMAL, ("مذكرة داخلية حول نشر بيانات {d}",)),
    ("communication", schema.COMM_INTERNAL, schema.COMM_INFORMAL, ("لقاء ودي مع الأعوان حول بيانات {d}",)),
    ("communication", schema.COMM_EXTERNAL, schema.COMM_FORMAL, ("بلاغ صحفي حول نشر بيانات {d}",
                                                                 "مداخلة في ندوة وطنية حول {d}")),
    ("communication", schema.COMM_EXTERNAL, schema.COMM_INFORMAL, ("حملة على شبكات التواصل حول {d}",)),
    ("calendar", None, None, ("إعداد التقرير السنوي حول بيانات {d}", "تقييم نصف سنوي لتنفيذ خطة {d}")),
    ("budget", None, None, ("تنظيم الدورات التكوينية حول {d}", "اقتناء خادم لنشر بيانات {d}",
                            "جوائز مسابقة {d}", "تنظيم يوم مفتوح حول {d}")),
)


@dataclass
class Spec:
    """One item of a generated plan."""

    section: str
    category: str | None
    form: str | None
    text: str
    values: dict = field(default_factory=dict)


@dataclass
class Plan:
    body: str
    officer: str
    units: tuple[str, ...]
    specs: list[Spec]
    prepared: dt.date
    status: str


def _span(rng: random.Random) -> tuple[dt.date, dt.date]:
    month = rng.randint(1, 11)
    start = dt.date(2027, month, rng.randint(1, 20))
    return start, start + dt.timedelta(days=rng.choice((0, 1, 2, 9, 30)))


def random_plan(rng: random.Random, *, per_kind: int = 2, body: int | None = None) -> Plan:
    """A plan of one body: items drawn without repeats from its topics, with values."""
    name, officer, topics, units = BODIES[rng.randrange(len(BODIES)) if body is None else body]
    specs: list[Spec] = []
    used: set[str] = set()
    for sec, cat, form, templates in ITEM_TEMPLATES:
        n = rng.randint(max(1, per_kind - 1), per_kind + 1)
        for _ in range(n):
            for _try in range(20):
                text = rng.choice(templates).format(d=rng.choice(topics), u=rng.choice(units), p=rng.choice(PARTNERS))
                if text not in used and not any(text in u or u in text for u in used):
                    break
            else:
                continue
            used.add(text)
            start, end = _span(rng)
            v: dict = {}
            if sec == "objectives":
                v = {"priority": rng.choice(schema.PRIORITY)}
            elif sec == "team":
                v = {"role": rng.choice(("تنسيق الخطة", "توفير البيانات", "المرافقة الفنية", "التثبت من الجودة")),
                     "contact_person": rng.choice(("رياض المحمدي", "سلمى الجلاصي", "نورة الزغلامي", "وليد الباجي"))}
            elif sec in ("inventory", "tools", "calendar"):
                v = {"start": start, "end": end, "responsible": rng.choice(units)}
            elif sec == "datasets":
                v = {"producer": rng.choice(units), "format": rng.choice(("CSV", "XLSX", "JSON")),
                     "publish_date": start, "frequency": rng.choice(("سنوية", "شهرية", "ثلاثية"))}
            elif sec == "reuse":
                v = {"date": start, "partners": rng.choice(PARTNERS)}
            elif sec == "trainings":
                v = {"audience": rng.choice(("الإحصائيون", "المديرون", "أعوان الإعلامية", "المكلفون بالنفاذ")),
                     "days": rng.randint(1, 5), "start": start, "end": end}
            elif sec == "communication":
                v = {"channel": rng.choice(("البريد الإلكتروني", "الموقع الرسمي", "الصحافة المكتوبة")),
                     "start": start, "end": end}
            elif sec == "budget":
                v = {"amount": Decimal(rng.choice((800, 1500, 2400, 4200, 12500, 30000))),
                     "source": rng.choice(schema.FUNDING_SOURCES)}
                if v["source"] != schema.FUNDING_SOURCES[0]:
                    v["funder"] = rng.choice(FUNDERS)
            specs.append(Spec(sec, cat, form, text, v))
    return Plan(name, officer, units, specs, dt.date(2026, rng.randint(9, 12), rng.randint(1, 28)),
                rng.choice(schema.STATUSES))


# --- how values are typed ---------------------------------------------------------------------------
def _dmy(d: dt.date) -> str:
    return f"{d:%d/%m/%Y}"


def _amount(a: Decimal, rng: random.Random) -> str:
    n = int(a)
    return rng.choice((f"{n:,}".replace(",", " ") + ",000", f"{n:,}".replace(",", ".") + ",000", str(n)))


def _when(spec: Spec, rng: random.Random, how: str = "any") -> str:
    """The dates of an item as typed; the truth follows what was typed (a month means the whole month)."""
    v = spec.values
    key = "date" if "date" in v else "publish_date" if "publish_date" in v else "start"
    if key not in v:
        return ""
    start = v[key]
    end = v.get("end", start)
    how = rng.choice(("dmy", "month", "range")) if how == "any" else how
    if how == "month" or (how == "range" and key != "start"):
        first = start.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        v[key] = first
        if "end" in v:
            v["end"] = last
        return f"{MONTHS[start.month - 1]} 2027"
    if how == "range" and end != start:
        return f"من {_dmy(start)} إلى {_dmy(end)}"
    if "end" in v:
        v["end"] = start
    return _dmy(start)


# --- the headings ----------------------------------------------------------------------------------
SUB_CODES = {schema.TEAM_INSIDE: (2, 1), schema.TEAM_EXTERNAL: (2, 2), schema.REUSE_INTERNAL: (6, 1),
             schema.REUSE_EXTERNAL: (6, 2), schema.TRAINING_TECH: (7, 1), schema.TRAINING_NONTECH: (7, 2),
             schema.COMM_INTERNAL: (8, 1), schema.COMM_EXTERNAL: (8, 2)}
SUB_WORDS = {schema.TEAM_INSIDE: "فريق العمل داخل الهيكل", schema.TEAM_EXTERNAL: "الأطراف المتدخلة",
             schema.REUSE_INTERNAL: "إعادة الاستعمال الداخلي", schema.REUSE_EXTERNAL: "إعادة الاستعمال الخارجي",
             schema.TRAINING_TECH: "تطوير القدرات الفنية", schema.TRAINING_NONTECH: "تطوير القدرات غير الفنية",
             schema.COMM_INTERNAL: "خطة الاتصال الداخلي", schema.COMM_EXTERNAL: "خطة الاتصال الخارجي"}
# what people write instead of the template's words
SUB_OTHER_WORDS = {schema.TEAM_INSIDE: "الفريق الداخلي", schema.TEAM_EXTERNAL: "الأطراف الخارجية",
                   schema.REUSE_INTERNAL: "الاستعمال الداخلي للبيانات",
                   schema.REUSE_EXTERNAL: "الاستعمال الخارجي للبيانات",
                   schema.TRAINING_TECH: "الدورات التكوينية الفنية",
                   schema.TRAINING_NONTECH: "الدورات التكوينية غير الفنية",
                   schema.COMM_INTERNAL: "الاتصال الداخلي", schema.COMM_EXTERNAL: "الاتصال الخارجي"}
# the words an item says its own subsection or form with
SUB_SAYS = {schema.TEAM_INSIDE: "داخليا", schema.TEAM_EXTERNAL: "خارجيا", schema.REUSE_INTERNAL: "داخليا",
            schema.REUSE_EXTERNAL: "خارجيا", schema.TRAINING_TECH: "فني", schema.TRAINING_NONTECH: "غير فني",
            schema.COMM_INTERNAL: "داخليا", schema.COMM_EXTERNAL: "خارجيا"}


def sub_number(cat: str, spelling: str) -> str:
    s, n = SUB_CODES[cat]
    return {"rtl": f"{n}.{s}", "dot": f"{s}.{n}", "dash": f"{s}-{n}", "spaced": f"{s} - {n}",
            "slash": f"{s}/{n}", "none": ""}[spelling]


# --- the styles ------------------------------------------------------------------------------------
class Styled(Writer):
    """A Writer that also keeps the truth: items with subsection and form, pieces of multi-item text."""

    def __init__(self, path: Path, style: str, plan: Plan, rng: random.Random):
        super().__init__(path)
        self.style, self.plan, self.rng = style, plan, rng
        self.truth_items: list[dict] = []
        self.pieces: list[tuple[str, str]] = []       # (one item's text inside a paragraph, tag)
        self.split: list[str] = []                    # the paragraphs checked piece by piece

    def keep(self, spec: Spec) -> None:
        self.truth_items.append({"section": spec.section, "category": spec.category, "form": spec.form,
                                 "text": spec.text, "values": {k: _jsonable(v) for k, v in spec.values.items()}})

    def para_pieces(self, text: str, pieces: list[str], style: str | None = None, bold: bool = False) -> None:
        self._p(text, self.section, style, bold)
        self.pieces += [(piece, self.section) for piece in pieces]
        self.split.append(text)

    def save_truth(self) -> Filled:
        out = self.save()
        truth = {"style": self.style, "body": self.plan.body, "items": self.truth_items,
                 "texts": [[t, tag] for t, tag in self.out.texts], "pieces": [[t, tag] for t, tag in self.pieces],
                 "split": self.split,
                 "cover": {k: _jsonable(v) for k, v in self.out.cover.items()}}
        out.path.with_suffix(".truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), "utf-8")
        return out


def _jsonable(v):
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def _groups(plan: Plan) -> list[tuple[str, str | None, str | None, list[Spec]]]:
    """The plan's items by section, subsection and form, in the template's order."""
    out: list = []
    for sec in schema.SECTIONS:
        specs = [s for s in plan.specs if s.section == sec.key]
        keys = list(dict.fromkeys((s.category, s.form) for s in specs))
        for cat, form in keys:
            out.append((sec.key, cat, form, [s for s in specs if (s.category, s.form) == (cat, form)]))
    return out


COLUMN_WORDS = {   # header labels people type, by column: the schema's, synonyms, French
    "objective": ("الهدف", "الأهداف", "Objectif"), "priority": ("الأولوية", "درجة الأولوية", "Priorité"),
    "name": ("الإدارة", "الجهة", "الفريق أو الإدارة أو الجهة", "Direction"),
    "contact_person": ("الاسم واللقب", "الشخص المرجعي", "Personne de référence"),
    "role": ("الدور", "المهام", "الدور في الخطة", "Rôle"),
    "activity": ("النشاط", "الأنشطة", "البند", "Activité", "Intitulé"),
    "start": ("تاريخ البداية", "الموعد", "الفترة", "Échéance", "Date"), "end": ("تاريخ النهاية", "إلى", "Fin"),
    "responsible": ("المسؤول", "المكلف", "الجهة المسؤولة", "Responsable"),
    "title": ("مجموعة البيانات", "الدورة", "عنوان الدورة", "Intitulé", "Jeu de données"),
    "producer": ("الإدارة المنتجة", "الهيكل المنتج", "Producteur"), "format": ("الصيغة", "Format"),
    "publish_date": ("تاريخ النشر", "الموعد", "Date de publication"),
    "frequency": ("الدورية", "دورية التحيين", "Fréquence"),
    "tool": ("الأداة", "Outil"), "date": ("التاريخ", "الموعد", "Date"), "partners": ("الشركاء", "Partenaires"),
    "audience": ("المستهدفون", "الفئة المستهدفة", "Public cible"), "days": ("المدة", "المدة بالأيام", "Durée"),
    "channel": ("قناة الاتصال", "الوسيلة", "Canal"), "amount": ("الكلفة", "الاعتمادات", "المبلغ", "Montant"),
    "source": ("مصدر التمويل", "التمويل", "Source de financement"), "funder": ("الجهة الممولة", "الممول", "Bailleur"),
}
SECTION_COLUMNS = {"objectives": ("objective", "priority"), "team": ("contact_person", "name", "role"),
                   "inventory": ("activity", "start", "end", "responsible"),
                   "datasets": ("title", "producer", "format", "publish_date", "frequency"),
                   "tools": ("tool", "start", "end", "responsible"), "reuse": ("activity", "date", "partners"),
                   "trainings": ("title", "audience", "days", "start", "end"),
                   "communication": ("activity", "channel", "start", "end"),
                   "calendar": ("activity", "start", "end", "responsible"),
                   "budget": ("activity", "amount", "source", "funder")}
FRENCH_FIRST = {"title": "Intitulé", "start": "Échéance", "activity": "Activité"}


def _cell(spec: Spec, key: str, rng: random.Random) -> str:
    v = spec.values
    if key == schema.section(spec.section).activity:
        return spec.text
    value = v.get(key)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return _dmy(value)
    if isinstance(value, Decimal):
        return _amount(value, rng)
    return str(value)


def _header(keys: tuple[str, ...], rng: random.Random, lang: str) -> list[str]:
    out = []
    for k in keys:
        words = COLUMN_WORDS[k]
        if lang == "fr":
            out.append(next((w for w in words if w.isascii() or "é" in w or "É" in w), words[0]))
        elif lang == "bi":
            col = next(c for s in schema.SECTIONS for c in s.columns if c.key == k)
            out.append(f"{words[0]} / {col.fr}")
        else:
            out.append(rng.choice([w for w in words if not (w.isascii() or "é" in w or "É" in w)]))
    return out


def _cover(w: Styled, how: str) -> None:
    plan = w.plan
    w.title(f"{schema.TITLE_AR} لسنة 2027")
    w.out.cover.update(structure=plan.body, year=2027, officer=plan.officer)
    if how == "lines":
        w.cover_line(f"اسم الهيكل: {plan.body}")
        w.cover_line("سنة الخطة: 2027")
        w.para(f"الحالة: {plan.status}", "status")
        w.cover_line(f"المسؤول المكلف بالبيانات المفتوحة: {plan.officer}")
        w.cover_line(f"تاريخ إعداد الخطة: {_dmy(plan.prepared)}", prepared=plan.prepared)
    elif how == "block":        # the body's name on the line after the title, no labels
        w.cover_line(plan.body)
        w.para(f"نسخة {plan.status}", "status")
        w.cover_line(f"إعداد: {plan.officer}، المكلف بالبيانات المفتوحة")
    else:                       # a table of labels and values
        t = w.doc.add_table(rows=4, cols=2)
        t.style = "Table Grid"
        for r, (label, value, tag) in enumerate((("اسم الهيكل", plan.body, "cover"), ("سنة الخطة", "2027", "cover"),
                                                 ("الحالة", plan.status, "status"),
                                                 ("المسؤول عن البيانات المفتوحة", plan.officer, "cover"))):
            t.cell(r, 0).text, t.cell(r, 1).text = label, value
            w.out.texts += [(label, "template"), (value, tag)]
    names = w.rng.sample(["رياض المحمدي", "سلمى الجلاصي", "محمد علي بن عمر", "نورة الزغلامي"], 2)
    if how == "lines":
        w.para(schema.AUTHORS.heading, "template")
        for n in names:
            w.para(f"{n} - {w.rng.choice(plan.units)}", "cover", "List Bullet")
    elif how == "block":
        w._p(f"فريق العمل: {' – '.join(names)}", "cover")
        w.pieces += [(n, "cover") for n in names]
        w.split.append(f"فريق العمل: {' – '.join(names)}")


REMARKS = ("بالتنسيق مع {u}", "حسب الإمكانيات المتاحة", "تحت إشراف {o}", "وفق ما تم ضبطه في اجتماع اللجنة")


def _heading(w: Styled, key: str, how: str) -> None:
    """A section's heading; now and then with a remark of the officer's in brackets, which is text too."""
    sec = schema.section(key)
    text = {"styled": sec.numbered_heading, "bold": sec.numbered_heading, "plain_words": sec.heading,
            "dash": f"{sec.number}- {sec.heading}", "paren": f"{sec.number}) {sec.heading}",
            "bi": f"{sec.numbered_heading} – {sec.fr}"}[how]
    if w.rng.random() < 0.25:
        remark = w.rng.choice(REMARKS).format(u=w.rng.choice(w.plan.units), o=w.plan.officer)
        text = f"{text} ({remark})"
        w.pieces.append((remark, key))
    w.heading(text, key, styled=how in ("styled", "plain_words", "bi"), level=1)


def _sub_heading(w: Styled, cat: str, spelling: str, words: str, styled: bool) -> None:
    number = sub_number(cat, spelling)
    text = f"{number} {words}".strip()
    w.heading(text, None, styled=styled, level=2)


def _form_heading(w: Styled, cat: str, form: str, styled: bool) -> None:
    if cat == schema.COMM_EXTERNAL:
        w.heading(schema.COMM_FORM_HEADINGS[form], None, styled=styled, level=3)
    else:
        w._p(schema.COMM_FORM_LABELS[form], "template", bold=True)


def _dated(spec: Spec, rng: random.Random, how: str = "any") -> str:
    when = _when(spec, rng, how)
    return f" ({when})" if when else ""


def _inline(spec: Spec, rng: random.Random) -> str:
    """An item as a line: its text, its dates, and a labelled value or two."""
    v = spec.values
    text = spec.text + _dated(spec, rng)
    if spec.section == "budget":
        text = f"{spec.text}: {_amount(v['amount'], rng)} د، {v['source']}"
        if "funder" in v:
            text += f"، بتمويل من {v['funder']}"
    elif "responsible" in v:
        text += f" - المسؤول: {v['responsible']}"
    elif "format" in v:
        text += f"، صيغة {v['format']}"
    return text


def _table(w: Styled, specs: list[Spec], lang: str = "ar") -> None:
    """A table of the officer's own: some of the section's columns, labels of their choosing."""
    keys = SECTION_COLUMNS[specs[0].section]
    main = schema.section(specs[0].section).activity
    others = [k for k in keys if k != main]
    chosen = set(w.rng.sample(others, w.rng.randint(1, len(others))))
    keys = tuple(k for k in keys if k == main or k in chosen)
    for s in specs:
        _when(s, w.rng, "dmy")
    header = _header(keys, w.rng, lang)
    rows = [[_cell(s, k, w.rng) for k in keys] for s in specs]
    w.table(header, rows, [None] * len(specs))
    for s in specs:
        w.keep(s)


def _transposed(w: Styled, specs: list[Spec]) -> None:
    """One small table per item, the labels in the first column."""
    keys = SECTION_COLUMNS[specs[0].section]
    for s in specs:
        _when(s, w.rng, "dmy")
        labels = _header(keys, w.rng, "ar")
        rows = [[lab, _cell(s, k, w.rng)] for lab, k in zip(labels, keys, strict=True) if _cell(s, k, w.rng)]
        t = w.doc.add_table(rows=len(rows), cols=2)
        t.style = "Table Grid"
        for r, (lab, val) in enumerate(rows):
            t.cell(r, 0).text, t.cell(r, 1).text = lab, val
            w.out.texts += [(lab, "template"), (val, w.section)]
        w.keep(s)
        w.para("", None)


def _tabs(w: Styled, specs: list[Spec]) -> None:
    keys = SECTION_COLUMNS[specs[0].section]
    header = _header(keys, w.rng, "ar")
    w.para("\t".join(header), "template")
    for s in specs:
        _when(s, w.rng, "dmy")
        w.para("\t".join(_cell(s, k, w.rng) or "-" for k in keys))
        w.keep(s)


def _list(w: Styled, specs: list[Spec], bullet: str, word_list: str | None = None) -> None:
    for i, s in enumerate(specs, 1):
        mark = {"dash": "- ", "dot": "• ", "num": f"{i}) ", "none": ""}[bullet]
        w.para(mark + _inline(s, w.rng), None, word_list)
        w.keep(s)


def _prose(w: Styled, specs: list[Spec], sep: str = "؛ ", says: bool = False) -> None:
    """Several items in one paragraph, separated by «؛» or by line breaks."""
    if specs[0].section == "budget":
        parts, pieces = [], []
        for i, s in enumerate(specs):
            v = s.values
            lead = "تقدر كلفة " if i == 0 else "و"
            part = f"{lead}{_amount(v['amount'], w.rng)} د لـ{s.text} من {v['source']}"
            if "funder" in v:
                part += f" بتمويل من {v['funder']}"
            parts.append(part)
            pieces.append(f"{s.text} {v.get('funder', '')}".strip())
            w.keep(s)
        w.para_pieces("، ".join(parts) + ".", pieces)
        return
    pieces = []
    for s in specs:
        piece = s.text + _dated(s, w.rng, "month")
        if says and s.category in SUB_SAYS:
            piece = f"{SUB_SAYS[s.category]}: {piece}"
        pieces.append(piece)
        w.keep(s)
    w.para_pieces(sep.join(pieces) + ".", pieces)


def render(folder: Path, name: str, style: str, plan: Plan, rng: random.Random) -> Filled:
    """A plan written in one style (see STYLES)."""
    w = Styled(folder / f"{name}.docx", style, plan, rng)
    cover_how = {"prose": "block", "word_lists": "table", "french": "table", "lettered": "block"}.get(style, "lines")
    _cover(w, cover_how)
    heading_how = {"tables": "styled", "bold_lists": "bold", "prose": "plain_words", "tabs": "bold",
                   "french": "styled", "bilingual": "bi", "transposed": "styled", "lettered": "bold",
                   "numbers": "dash", "word_lists": "styled", "template_kept": "paren"}[style]
    if style == "template_kept":
        for line in TEMPLATE_TOC:
            w.para(line, "template")
    current = None
    groups = _groups(plan)
    skipped = "tools" if style == "word_lists" else None
    for key, cat, form, specs in groups:
        if key == skipped:
            continue
        if key != current:
            _heading(w, key, heading_how)
            current = key
            if style == "template_kept" and schema.section(key).guidance:
                w.instruction(f"[{schema.section(key).guidance}]")
        if cat is not None and style != "prose" and not (style == "lettered" and key in ("communication", "reuse")):
            spelling = {"numbers": rng.choice(("dash", "spaced", "dot", "rtl", "slash")),
                        "bold_lists": "rtl", "tabs": "dot",
                        "template_kept": "rtl"}.get(style, rng.choice(("rtl", "dot")))
            words = SUB_OTHER_WORDS[cat] if style in ("numbers", "tabs") else SUB_WORDS[cat]
            last = getattr(w, "_last_sub", None)
            if last != (key, cat):
                _sub_heading(w, cat, spelling, words, styled=style in ("tables", "french", "transposed", "word_lists",
                                                                        "bilingual"))
                w._last_sub = (key, cat)
            if form is not None:
                _form_heading(w, cat, form, styled=style in ("tables", "french", "word_lists"))
        if style in ("tables", "french", "bilingual") and key not in ("objectives",):
            _table(w, specs, {"tables": "ar", "french": "fr", "bilingual": "bi"}[style])
        elif style == "transposed" and key in ("inventory", "datasets", "trainings", "budget"):
            _transposed(w, specs)
        elif style == "tabs" and key not in ("objectives", "team"):
            _tabs(w, specs)
        elif style == "prose":
            if key == "team":
                label = "فريق العمل" if cat == schema.TEAM_INSIDE else "الأطراف المتدخلة"
                names = [s.text for s in specs]
                w.para_pieces(f"{label}: {' – '.join(names)}", names)
                for s in specs:
                    s.values.pop("role", None)
                    w.keep(s)
            elif cat is not None:
                sub = SUB_CODES[cat]
                line_specs = specs
                text_pieces = []
                for s in line_specs:
                    text_pieces.append(s.text + _dated(s, rng, "month"))
                    w.keep(s)
                head = f"{sub[1]}.{sub[0]} {SUB_WORDS[cat]}"
                if form is not None:
                    head += f" ({'أنشطة رسمية' if form == schema.COMM_FORMAL else 'أنشطة غير رسمية'})"
                w.para_pieces(f"{head}: {'؛ '.join(text_pieces)}.", text_pieces)
            else:
                _prose(w, specs)
        elif style == "lettered":
            if key in ("communication", "reuse"):
                if form is None or form == schema.COMM_FORMAL:
                    group = [g for g in groups if g[0] == key and g[1] == cat]
                    letters = "أبجد"
                    parts, pieces = [], []
                    for i, (_, _, f, ss) in enumerate(group):
                        lab = ("رسمي" if f == schema.COMM_FORMAL else "غير رسمي") if f else ""
                        body = "؛ ".join(s.text + _dated(s, rng, "month") for s in ss)
                        for s in ss:
                            w.keep(s)
                            pieces.append(s.text)
                        parts.append(f"{letters[i]}) {lab + ': ' if lab else ''}{body}")
                    s_, n_ = SUB_CODES[cat]
                    w.para_pieces(f"{n_}.{s_} {SUB_SAYS[cat]}: " + " ".join(parts), pieces)
            else:
                lines = [s.text + _dated(s, rng) for s in specs]
                for s in specs:
                    w.keep(s)
                w.para_pieces("\n".join(lines), lines)
        elif style == "numbers" and key == "trainings" and cat == schema.TRAINING_TECH:
            # an officer lists a non-technical training under 7-1: its own words decide
            for s in specs:
                w.para(f"- {s.text}{_dated(s, rng)}")
                w.keep(s)
            moved = [s for s in plan.specs if s.category == schema.TRAINING_NONTECH][:1]
            for s in moved:
                w.para(f"- {s.text} (تكوين غير فني){_dated(s, rng)}")
                w.keep(s)
                plan.specs.remove(s)
        elif style == "word_lists":
            _list(w, specs, "none", "List Number" if key in ("inventory", "datasets") else "List Bullet")
        elif style == "template_kept":
            _list(w, specs, "num")
        else:
            _list(w, specs, "dash" if style in ("bold_lists", "numbers") else "dot")
    if style == "word_lists":
        _heading(w, "tools", heading_how)
        w.para("لا ينطبق: الأدوات متوفرة منذ السنة الماضية")
        w.out.na["tools"] = "الأدوات متوفرة منذ السنة الماضية"
    if style in ("word_lists", "bold_lists", "template_kept"):
        w.heading("ملحق: النصوص المرجعية", "annex", styled=style == "word_lists")
        w.para("القانون الأساسي عدد 22 لسنة 2016 المتعلق بالحق في النفاذ إلى المعلومة", "annex")
    return w.save_truth()


STYLES = ("tables", "bold_lists", "prose", "tabs", "french", "bilingual", "transposed", "lettered", "numbers",
          "word_lists", "template_kept")
# (document, style, seed): every style once, the most error-prone ones twice more
CORPUS = [(f"{i + 1:02d}_{style}", style, 100 + i) for i, style in enumerate(
    (*STYLES, "prose", "lettered", "numbers", "tables", "tabs"))]


def build_corpus(folder: Path) -> list[Filled]:
    out = []
    for name, style, seed in CORPUS:
        rng = random.Random(seed)
        plan = random_plan(rng, body=seed % len(BODIES))
        out.append(render(folder, name, style, plan, rng))
    return out


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "handfilled_corpus")
    target.mkdir(parents=True, exist_ok=True)
    for filled in build_corpus(target):
        print(filled.path)
