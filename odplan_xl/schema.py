"""The single source of truth for the plan's sheets, tables, columns and wording.

Every other module derives from here: the template builder (sheet titles, Excel Tables,
validation lists, widths, guidance), the reader (table and defined names), the checker
(required columns, types), the Word document (headings, subsections) and the docs.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from odplan_xl.expr import Lit, X, fn

SCHEMA_VERSION = "1.0"
TEMPLATE_VERSION = "1.0"

# The years a plan may be for (inclusive): the checker, Excel's validation and the code reference use it.
YEAR_MIN, YEAR_MAX = 2020, 2100

TITLE_AR = "الخطة السنوية لأنشطة البيانات المفتوحة"
TITLE_FR = "Plan annuel des activités de données ouvertes"

# The decree is dated 6 January 2021; the official template's "06 جانفي 2022" is a typo.
DECREE_AR = "الأمر الحكومي عدد 3 لسنة 2021 مؤرخ في 6 جانفي 2021 يتعلّق بالبيانات العمومية المفتوحة"
DECREE_FR = "Décret gouvernemental n° 2021-3 du 6 janvier 2021 relatif aux données publiques ouvertes"
DECREE_GOALS_AR = (
    "تعزيز مبادئ الشفافية والمساءلة",
    "دعم مشاركة العموم في إعداد السياسات العامة ومتابعة تنفيذها وتقييمها",
    "تحديث الإدارة وتحسين جودة ونجاعة الخدمات العمومية",
    "المساهمة في وضع الإطار الملائم لدفع التنمية الاقتصادية وخلق فرص تشغيل إضافية خاصة من خلال "
    "تحفيز إحداث المؤسسات الناشئة التي تعمل على تطوير استعمالات جديدة ومبتكرة بالاعتماد على "
    "البيانات العمومية",
)

MONTHS_AR = ("جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان",
             "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin",
             "juillet", "août", "septembre", "octobre", "novembre", "décembre")

MISSING_AR = "غير محدد"
MISSING_FR = "Non renseigné"
CURRENCY_AR = "د.ت"
CURRENCY_FR = "TND"
YES_AR, NO_AR = "نعم", "لا"

STATUS_DRAFT = "مسودة"
STATUS_INTERNAL = "نسخة داخلية مصادق عليها"
STATUS_FINAL = "النسخة النهائية"
STATUSES = (STATUS_DRAFT, STATUS_INTERNAL, STATUS_FINAL)
STATUSES_FR = {STATUS_DRAFT: "Brouillon", STATUS_INTERNAL: "Version interne validée",
               STATUS_FINAL: "Version finale"}


class Kind(StrEnum):
    """Type of a value an officer types into a cell."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    INTEGER = "integer"
    AMOUNT = "amount"      # Tunisian dinars, Decimal with 3 decimals, >= 0
    CHOICE = "choice"
    YESNO = "yesno"
    EMAIL = "email"
    YEAR = "year"


@dataclass(frozen=True)
class Column:
    """One column of a section table (or one cover field)."""

    key: str                 # ASCII, stable: used in code, JSON, Excel Table column ids
    ar: str                  # Arabic label: the Excel header and the Word table header
    fr: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    width: float = 18        # Excel column width (characters)
    guidance: str = ""       # Arabic input message shown by Excel when the cell is selected
    computed: bool = False   # filled by a formula in the template, never typed, never required
    follow_up: bool = False  # the year's follow-up: optional (a workbook may lack it), never printed in the plan

    @property
    def is_date(self) -> bool:
        return self.kind is Kind.DATE


@dataclass(frozen=True)
class Subsection:
    """A subsection of the template, selected by a value of the section's category column."""

    code: str                # "2.1" (logical numbering)
    heading: str             # the template's heading text, numbered as printed in the template
    value: str               # the category column's choice that puts a row here
    guidance: str = ""
    split_headings: bool = False         # Word: the section's split as level-3 headings (8.2's أ/ب)


@dataclass(frozen=True)
class Split:
    """Rows of each subsection split again by the value of a column (section 8: formal / informal)."""

    column: str
    parts: tuple[tuple[str, str, str], ...]   # (value, heading, label): headings where `split_headings`


@dataclass(frozen=True)
class Section:
    """A numbered section of the template: one sheet, one Excel Table."""

    key: str
    number: int
    sheet: str               # Excel sheet title (<= 31 characters)
    fr: str
    heading: str             # the template's heading, without its number
    table: str               # Excel Table name (ASCII)
    columns: tuple[Column, ...]
    guidance: str = ""       # the template's bracketed guidance text
    category: str | None = None          # key of the column that selects the subsection
    subsections: tuple[Subsection, ...] = ()
    start: str | None = None             # key of the start date column (or single date)
    end: str | None = None
    activity: str | None = None          # key of the column naming the activity
    responsible: str | None = None
    # How the Word document lays the section out: data, so a new section needs no code there.
    landscape_when_filled: bool = False  # wide: landscape pages when it has rows (with `gantt`: activities)
    derived_priority: str | None = None  # key of the column printed as plan.derived.priority(row) "/4"
    decree_intro: bool = False           # opens with the decree and its goals (section 1)
    gantt: bool = False                  # shows the calendar of every dated activity of the plan
    budget_totals: bool = False          # ends with the totals per funding source
    split: Split | None = None           # each subsection's rows split again by a column

    @property
    def na_name(self) -> str:
        """Defined name of the 'not applicable — reason' cell."""
        return f"na_{self.key}"

    @property
    def guidance_blocks(self) -> tuple[tuple[str, str], ...]:
        """The template's grey guidance on the section's sheet: (title, text) blocks, in order."""
        blocks: list[tuple[str, str]] = []
        if self.guidance:
            blocks.append(("", self.guidance))
        if self.decree_intro:
            # the template follows its guidance with the decree's four goals (art. 1)
            goals = "\n".join(f"- {g}" for g in DECREE_GOALS_AR)
            blocks.append(("", f"وفي جميع الحالات يمكن الاستناد إلى {DECREE_AR} الذي حدّد ضمن فصله "
                               f"الأول الأهداف من نشر البيانات المفتوحة كما يلي:\n{goals}"))
        blocks += [(sub.heading, sub.guidance) for sub in self.subsections]
        return tuple(blocks)

    def total_name(self, column: str) -> str:
        """Defined name of the grand total above an amount column (a formula: computed, never typed)."""
        return f"total_{self.key}_{column}"

    @property
    def intro_name(self) -> str:
        """Defined name of the section's introduction cell (free text printed under its heading)."""
        return f"intro_{self.key}"

    @property
    def numbered_heading(self) -> str:
        return f"{self.number}. {self.heading}"

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def printed_columns(self) -> tuple[Column, ...]:
        """The columns of the plan's document (the official template): the follow-up is left out."""
        return tuple(c for c in self.columns if not c.follow_up)

    @property
    def followed_up(self) -> bool:
        return any(c.follow_up for c in self.columns)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required and not c.computed)

    @functools.cached_property
    def amount_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind is Kind.AMOUNT)


# --- choices ---------------------------------------------------------------------------
PRIORITY = ("عالية", "متوسطة", "منخفضة")
OBJECTIVE_BASIS = ("الأهداف الاستراتيجية للهيكل", "طلبات الحصول على البيانات", "أخرى")
DECREE_GOALS_SHORT = (
    "تعزيز مبادئ الشفافية والمساءلة",
    "دعم مشاركة العموم في إعداد السياسات العامة ومتابعة تنفيذها وتقييمها",
    "تحديث الإدارة وتحسين جودة ونجاعة الخدمات العمومية",
    "المساهمة في دفع التنمية الاقتصادية وخلق فرص تشغيل إضافية",
)
TEAM_INSIDE = "فريق العمل داخل الهيكل"
TEAM_EXTERNAL = "الأطراف المتدخلة"
PARTY_TYPES = ("هيكل عمومي", "مجتمع مدني", "قطاع خاص", "منظمة دولية", "جامعة أو مركز بحث", "أخرى")
INVENTORY_TYPES = ("ورشة عمل تحسيسية", "دورة تكوينية", "تكوين فريق عمل للجرد", "أخرى")
FORMATS = ("CSV", "XLSX", "JSON", "XML", "PDF", "أخرى")
FREQUENCIES = ("يومية", "أسبوعية", "شهرية", "ثلاثية", "سداسية", "سنوية", "غير منتظمة")
CHANNELS = ("البوابة الوطنية للبيانات المفتوحة", "بوابة الهيكل", "أخرى")
TOOL_TYPES = ("أداة للاستخراج الآلي للبيانات", "بوابة خاصة بالهيكل", "البوابة الوطنية للبيانات المفتوحة",
              "المنظومة الوطنية لجرد البيانات العمومية", "أخرى")
REUSE_INTERNAL = "إعادة الاستعمال الداخلي"
REUSE_EXTERNAL = "إعادة الاستعمال الخارجي"
REUSE_TYPES = ("اجتماع", "ورشة عمل", "مسابقة (Hackathon)", "استشارة مستعملي البيانات", "أخرى")
TRAINING_TECH = "تكوين فني"
TRAINING_NONTECH = "تكوين غير فني"
COMM_INTERNAL = "الاتصال الداخلي"
COMM_EXTERNAL = "الاتصال الخارجي"
COMM_FORMAL = "رسمي"
COMM_INFORMAL = "غير رسمي"
# Subsection 8.2 is split again by the form column (أ formal / ب informal); 8.1 labels the same parts.
COMM_FORM_HEADINGS = {COMM_FORMAL: "أ أنشطة الاتصال الرسمي", COMM_INFORMAL: "ب أنشطة الاتصال غير الرسمية"}
COMM_FORM_LABELS = {COMM_FORMAL: "أنشطة الاتصال الرسمي", COMM_INFORMAL: "أنشطة الاتصال غير الرسمي"}
FUNDING_SOURCES = ("ميزانية الهيكل", "التعاون الدولي", "الشراكات")
# A budget line with no funding source is counted under this name (Word totals, summaries, reports).
UNSPECIFIED_SOURCE_AR = "مصدر غير محدد"
YESNO = (YES_AR, NO_AR)

# --- follow-up of the plan during its year (GLOSSARY: Follow-up and the second year) ----
PROGRESS_PLANNED = "مبرمج"            # the default when the cell is empty
PROGRESS_ONGOING = "بصدد الإنجاز"
PROGRESS_DONE = "منجز"
PROGRESS_POSTPONED = "مؤجل"
PROGRESS_CANCELLED = "ملغى"
PROGRESS_STATES = (PROGRESS_PLANNED, PROGRESS_ONGOING, PROGRESS_DONE, PROGRESS_POSTPONED, PROGRESS_CANCELLED)
PROGRESS_FR = {PROGRESS_PLANNED: "Programmé", PROGRESS_ONGOING: "En cours", PROGRESS_DONE: "Réalisé",
               PROGRESS_POSTPONED: "Reporté", PROGRESS_CANCELLED: "Annulé"}
LATE_AR, LATE_FR = "نشاط متأخر", "Activité en retard"
# An activity carried into the next year's plan: its follow-up note starts with this mark.
CARRIED_AR = "مرحّل من خطة {year}"
CARRIED_FR = "Reporté du plan {year}"
FOLLOW_UP_COLUMNS = (
    Column("progress", "حالة التنفيذ", "État d'avancement", Kind.CHOICE, choices=PROGRESS_STATES, width=14,
           follow_up=True, guidance="متابعة التنفيذ خلال السنة (فارغ = مبرمج)"),
    Column("follow_note", "ملاحظات المتابعة", "Notes de suivi", Kind.LONG_TEXT, width=30, follow_up=True),
)

# --- cover -----------------------------------------------------------------------------
COVER_SHEET = "الغلاف"
COVER_FR = "Couverture"
GUIDE_SHEET = "تعليمات"
META_SHEET = "meta"
GANTT_SHEET = "مخطط غانت"
REPORT_SHEET = "التحقق"

# Cover fields are single cells, each a workbook-scoped defined name "cover_<key>".
COVER_FIELDS: tuple[Column, ...] = (
    Column("structure", "اسم الهيكل", "Nom de la structure", required=True, width=50),
    Column("year", "سنة الخطة", "Année du plan", Kind.YEAR, required=True,
           guidance="السنة التي تغطيها الخطة، مثلا 2027"),
    Column("status", "الحالة", "Statut", Kind.CHOICE, required=True, choices=STATUSES),
    Column("officer", "إسم المسؤول المكلف بالبيانات المفتوحة", "Responsable des données ouvertes",
           required=True),
    Column("officer_title", "الخطة الوظيفية", "Fonction"),
    Column("officer_email", "البريد الإلكتروني", "Courriel", Kind.EMAIL),
    Column("officer_phone", "الهاتف", "Téléphone"),
    Column("prepared", "تاريخ إعداد الخطة", "Date d'élaboration", Kind.DATE, required=True),
    Column("updated", "تاريخ آخر تحديث", "Date de dernière mise à jour", Kind.DATE, required=True,
           guidance="لا يسبق تاريخ إعداد الخطة"),
)


def cover_name(key: str) -> str:
    """Defined name of a cover field."""
    return f"cover_{key}"


# The team that prepared the plan: an Excel Table on the cover sheet.
AUTHORS = Section(
    key="authors", number=0, sheet=COVER_SHEET, fr="Équipe ayant contribué",
    heading="فريق العمل المساهم في إعداد الخطة", table="tbl_authors",
    columns=(
        Column("name", "الاسم واللقب", "Nom et prénom", required=True, width=28),
        Column("unit", "الإدارة أو الوحدة", "Direction ou unité", required=True, width=30),
        Column("role", "الصفة", "Qualité", width=24),
    ),
)

# --- sections --------------------------------------------------------------------------
_START = Column("start", "تاريخ البداية", "Date de début", Kind.DATE, required=True, width=13)
_END = Column("end", "تاريخ النهاية", "Date de fin", Kind.DATE, required=True, width=13)
_RESPONSIBLE = Column("responsible", "المسؤول", "Responsable", required=True, width=22)

SECTIONS: tuple[Section, ...] = (
    Section(
        key="objectives", number=1, sheet="1. الأهداف والأولويات", fr="Objectifs et priorités",
        heading="أهداف وأولويات الخطة السنوية لأنشطة البيانات المفتوحة", table="tbl_objectives",
        decree_intro=True,
        guidance=("وصف أهداف الخطة وأولوياتها. ويمكن تحديد هذه الأهداف بالرجوع إلى الأهداف الاستراتيجية "
                  "لنشاط الهيكل العمومي المعني كما يمكن الاستناد إلى الطلبات الواردة على الهيكل للحصول على "
                  "البيانات التي ينتجها أو يجمعها قصد إعادة استعمالها في عديد المجالات."),
        activity="objective",
        columns=(
            Column("objective", "الهدف", "Objectif", Kind.LONG_TEXT, required=True, width=45),
            Column("priority", "الأولوية", "Priorité", Kind.CHOICE, required=True, choices=PRIORITY,
                   width=11),
            Column("decree_goal", "الهدف المرتبط بالأمر الحكومي", "Objectif lié au décret", Kind.CHOICE,
                   required=True, choices=DECREE_GOALS_SHORT, width=40),
            Column("basis", "المرجع", "Fondement", Kind.CHOICE, required=True, choices=OBJECTIVE_BASIS,
                   width=26),
            Column("indicator", "مؤشر المتابعة", "Indicateur de suivi", Kind.LONG_TEXT, width=32),
        ),
    ),
    Section(
        key="team", number=2, sheet="2. فريق العمل والأطراف المتدخلة", fr="Équipe et parties prenantes",
        heading="تحديد فريق العمل والأطراف المتدخلة", table="tbl_team", category="category",
        activity="name",
        subsections=(
            Subsection("2.1", "1.2 فريق العمل داخل الهيكل", TEAM_INSIDE,
                       "قائمة بجميع الفرق والمجموعات والإدارات في الهيكل التي ستشارك بشكل أساسي في الخطة"),
            Subsection("2.2", "2.2 الأطراف المتدخلة", TEAM_EXTERNAL,
                       "قائمة بجميع المنظمات والأفراد من خارج الهيكل والذين سيشاركون بشكل أساسي في الخطة"),
        ),
        columns=(
            Column("category", "الصنف", "Catégorie", Kind.CHOICE, required=True,
                   choices=(TEAM_INSIDE, TEAM_EXTERNAL), width=22),
            Column("name", "الفريق أو الإدارة أو الجهة", "Équipe, direction ou organisme", required=True,
                   width=34),
            Column("party_type", "نوع الجهة", "Type d'organisme", Kind.CHOICE, choices=PARTY_TYPES,
                   width=18),
            Column("role", "الدور في الخطة", "Rôle dans le plan", Kind.LONG_TEXT, required=True, width=36),
            Column("contact_person", "الشخص المرجعي", "Personne de référence", width=22),
            Column("contact", "وسيلة الاتصال", "Contact", width=24),
        ),
    ),
    Section(
        key="inventory", number=3, sheet="3. جرد البيانات العمومية", fr="Inventaire des données publiques",
        heading="جرد البيانات العمومية", table="tbl_inventory", start="start", end="end",
        activity="activity", responsible="responsible",
        guidance=("قائمة بالأنشطة المخطط لها المتعلقة بإعداد او استكمال جرد البيانات العمومية داخل الهيكل "
                  "على غرار تنظيم ورشات عمل تحسيسية، دورات تكوينية، تكوين فريق عمل للقيام بالجرد"),
        columns=(
            Column("activity", "النشاط", "Activité", Kind.LONG_TEXT, required=True, width=36),
            Column("activity_type", "نوع النشاط", "Type d'activité", Kind.CHOICE, required=True,
                   choices=INVENTORY_TYPES, width=22),
            _START, _END, _RESPONSIBLE,
            Column("participants", "المشاركون", "Participants", Kind.LONG_TEXT, width=26),
            Column("output", "النتيجة المنتظرة", "Résultat attendu", Kind.LONG_TEXT, width=30),
        ),
    ),
    Section(
        key="datasets", number=4, sheet="4. نشر البيانات", fr="Publication des données",
        heading="نشر البيانات", table="tbl_datasets", start="publish_date",
        landscape_when_filled=True, derived_priority="priority",
        activity="title", responsible="producer",
        guidance=("قائمة بمجموعات البيانات الجديدة التي سيتم نشرها كجزء من الخطة مع توضيح المعايير التي "
                  "تحدّد درجة أولوية البيانات التي تمّ اختيارها للنشر من بين هذه المعايير جودة البيانات، "
                  "بيانات عمومية لا تتضمن موانع للنشر، بيانات متوفرة في صيغة إلكترونية مفتوحة، هناك طلب "
                  "كبير لنشر البيانات"),
        columns=(
            Column("title", "مجموعة البيانات", "Jeu de données", required=True, width=32),
            Column("description", "الوصف", "Description", Kind.LONG_TEXT, width=36),
            Column("producer", "الإدارة المنتجة", "Direction productrice", required=True, width=24),
            Column("format", "الصيغة", "Format", Kind.CHOICE, required=True, choices=FORMATS, width=9),
            Column("crit_quality", "جودة البيانات", "Qualité des données", Kind.YESNO, required=True,
                   choices=YESNO, width=10),
            Column("crit_legal", "بيانات عمومية لا تتضمن موانع للنشر", "Aucun obstacle juridique",
                   Kind.YESNO, required=True, choices=YESNO, width=14),
            Column("crit_open_format", "متوفرة في صيغة إلكترونية مفتوحة", "Format électronique ouvert",
                   Kind.YESNO, required=True, choices=YESNO, width=14),
            Column("crit_demand", "طلب كبير على نشرها", "Forte demande", Kind.YESNO, required=True,
                   choices=YESNO, width=11),
            Column("priority", "درجة الأولوية", "Degré de priorité", Kind.INTEGER, computed=True,
                   width=10, guidance="تحسب آليا: عدد المعايير المستوفاة من 4"),
            Column("publish_date", "تاريخ النشر المبرمج", "Date de publication prévue", Kind.DATE,
                   required=True, width=14),
            Column("frequency", "دورية التحيين", "Fréquence de mise à jour", Kind.CHOICE, required=True,
                   choices=FREQUENCIES, width=13),
            Column("channel", "قناة النشر", "Canal de publication", Kind.CHOICE, required=True,
                   choices=CHANNELS, width=26),
        ),
    ),
    Section(
        key="tools", number=5, sheet="5. أدوات العمل المعتمدة", fr="Outils adoptés",
        heading="أدوات العمل المعتمدة", table="tbl_tools", start="start", end="end",
        activity="tool", responsible="responsible",
        guidance=("وضع قائمة بجميع الأدوات التي سيتم وضعها كجزء من الخطة على غرار تطوير أداة للاستخراج "
                  "الآلي للبيانات الموجودة بنظم معلوماتية، تطوير بوابة خاصة لنشر البيانات او استعمال "
                  "البوابة الوطنية للبيانات المفتوحة، استعمال المنظومة الوطنية لجرد البيانات العمومية"),
        columns=(
            Column("tool", "الأداة", "Outil", required=True, width=32),
            Column("tool_type", "نوع الأداة", "Type d'outil", Kind.CHOICE, required=True,
                   choices=TOOL_TYPES, width=30),
            Column("description", "الوصف", "Description", Kind.LONG_TEXT, width=36),
            _START, _END, _RESPONSIBLE,
        ),
    ),
    Section(
        key="reuse", number=6, sheet="6. إعادة استعمال البيانات", fr="Réutilisation des données",
        heading="تحفيز إعادة استعمال البيانات", table="tbl_reuse", category="scope",
        start="date", activity="activity",
        subsections=(
            Subsection("6.1", "1.6 إعادة الاستعمال الداخلي", REUSE_INTERNAL,
                       "نذكر جميع الأنشطة المخطط لها (الاجتماعات، ورشات العمل) لتعزيز تطوير عمليات إعادة "
                       "الاستعمال الداخلي. وفي صورة تحديدها، عرض حالات الاستعمال الداخلي التي سيتم العمل على "
                       "مصاحبة تطويرها"),
            Subsection("6.2", "2.6 إعادة الاستعمال الخارجي", REUSE_EXTERNAL,
                       "تحديد الأنشطة التي سيتم القيام بها لتحفيز تطوير حالات استعمال خارجي. تشمل هذه "
                       "الأنشطة كل الاعمال التي يمكن القيام بها للتواصل مع مستعملي البيانات قصد تحديد البيانات "
                       "العمومية الأكثر طلبا واستكشاف الاستعمالات الخارجية الممكن تطويرها من خلال إعادة "
                       "استعمال ما سيتم نشره من بيانات. كما تشمل هذه الأنشطة كل الاعمال لمصاحبة تطوير حالات "
                       "الاستعمال الخارجية على غرار المسابقات المتعارف عليها في المجال \"Hackathon\""),
        ),
        columns=(
            Column("scope", "النطاق", "Portée", Kind.CHOICE, required=True,
                   choices=(REUSE_INTERNAL, REUSE_EXTERNAL), width=22),
            Column("activity", "النشاط", "Activité", Kind.LONG_TEXT, required=True, width=36),
            Column("activity_type", "نوع النشاط", "Type d'activité", Kind.CHOICE, required=True,
                   choices=REUSE_TYPES, width=22),
            Column("use_case", "حالة الاستعمال أو الفئة المستهدفة", "Cas d'usage ou public cible",
                   Kind.LONG_TEXT, width=32),
            Column("date", "التاريخ", "Date", Kind.DATE, required=True, width=13),
            Column("partners", "الشركاء", "Partenaires", width=26),
        ),
    ),
    Section(
        key="trainings", number=7, sheet="7. تطوير القدرات", fr="Renforcement des capacités",
        heading="تطوير القدرات", table="tbl_trainings", category="kind", start="start",
        end="end", activity="title",
        subsections=(
            Subsection("7.1", "1.7 تطوير القدرات الفنية", TRAINING_TECH,
                       "ذكر الدورات التكوينية الفنية التي يمكن برمجتها (نشر البيانات، تحليل البيانات، "
                       "المنظومات التكنولوجية الخاصة بالبيانات المفتوحة، إلخ)، تحديد المشاركين المستهدفين، "
                       "ومدة التكوين، والجدول الزمني المخطط له"),
            Subsection("7.2", "2.7 تطوير القدرات غير الفنية", TRAINING_NONTECH,
                       "ذكر جميع الدورات التكوينية غير الفنية المخطط لها (مفهوم البيانات المفتوحة، الإطار "
                       "القانوني للبيانات المفتوحة، جرد البيانات العمومية، وإدارة التغيير، إلخ)، تحديد "
                       "المشاركين المستهدفين، ومدة التكوين، والجدول الزمني المخطط له"),
        ),
        columns=(
            Column("kind", "نوع التكوين", "Type de formation", Kind.CHOICE, required=True,
                   choices=(TRAINING_TECH, TRAINING_NONTECH), width=16),
            Column("title", "عنوان الدورة", "Intitulé", required=True, width=32),
            Column("topics", "المحاور", "Thèmes", Kind.LONG_TEXT, width=32),
            Column("audience", "الفئة المستهدفة", "Public cible", required=True, width=24),
            Column("participants", "عدد المشاركين", "Nombre de participants", Kind.INTEGER, width=11),
            Column("days", "المدة بالأيام", "Durée (jours)", Kind.INTEGER, required=True, width=10),
            _START, _END,
        ),
    ),
    Section(
        key="communication", number=8, sheet="8. الخطة الاتصالية", fr="Plan de communication",
        heading="الخطة الاتصالية", table="tbl_communication", category="scope",
        start="start", end="end", activity="activity",
        split=Split("form", tuple((form, COMM_FORM_HEADINGS[form], COMM_FORM_LABELS[form])
                                  for form in (COMM_FORMAL, COMM_INFORMAL))),
        subsections=(
            Subsection("8.1", "1.8 خطة الاتصال الداخلي", COMM_INTERNAL,
                       "أنشطة الاتصال الرسمي [مذكرات، اجتماعات، ورشات عمل] التي سيتم اعتمادها مع تحديد "
                       "الأطراف المعنية والمتدخلة، وقنوات الاتصال، والجدول الزمني. أنشطة الاتصال غير الرسمي "
                       "[تحديد الأنشطة التعاونية غير الرسمية التي يمكن إنشاؤها وتفاصيل التنفيذ (من يمكن "
                       "إشراكه، تحديد كيفية تنظيمها، تحديد الجدول الزمني ...)]"),
            Subsection("8.2", "2.8 خطة الاتصال الخارجي", COMM_EXTERNAL,
                       "أ أنشطة الاتصال الرسمي: ذكر أنشطة الاتصال الرسمي المخطط لها (بلاغ صحفي، نشر على موقع "
                       "واب الوزارة، على موقع واب البيانات المفتوحة، بالإضافة إلى تحديد الأنشطة التي سيتم "
                       "تنظيمها (ورشات عمل، اجتماعات، إلخ) والمشاركة في أنشطة تنظمها جهات خارجية متصلة بمجال "
                       "البيانات المفتوحة (المؤتمرات، الندوات، إلخ.). ب أنشطة الاتصال غير الرسمية: ذكر "
                       "بإيجاز الاجتماعات التي سيشترك فيها الهيكل أو الأنشطة الرئيسية المخطط لها",
                       split_headings=True),
        ),
        columns=(
            Column("scope", "النطاق", "Portée", Kind.CHOICE, required=True,
                   choices=(COMM_INTERNAL, COMM_EXTERNAL), width=16),
            Column("form", "الصبغة", "Forme", Kind.CHOICE, required=True,
                   choices=(COMM_FORMAL, COMM_INFORMAL), width=10),
            Column("activity", "النشاط", "Activité", Kind.LONG_TEXT, required=True, width=34,
                   guidance="مذكرة، اجتماع، ورشة عمل، بلاغ صحفي، نشر على موقع الواب، مؤتمر، ندوة …"),
            Column("parties", "الأطراف المعنية", "Parties concernées", width=26),
            Column("channel", "قناة الاتصال", "Canal", width=20),
            _START, _END,
        ),
    ),
    Section(
        key="calendar", number=9, sheet="9. روزنامة الأنشطة", fr="Calendrier des activités",
        heading="روزنامة الأنشطة السنوية", table="tbl_calendar", start="start", end="end",
        gantt=True, landscape_when_filled=True,
        activity="activity", responsible="responsible",
        guidance=("تحديد روزنامة الأنشطة المبرمجة بعنوان السنة المعنية في شكل جدول أو مخطط على غرار "
                  "\"diagramme de Gantt\". أدرج هنا فقط الأنشطة غير المؤرخة في الأقسام الأخرى: "
                  "مخطط غانت يجمع آليا كل الأنشطة المؤرخة."),
        columns=(
            Column("activity", "النشاط", "Activité", Kind.LONG_TEXT, required=True, width=40),
            Column("section", "القسم المرتبط", "Section liée", Kind.CHOICE, width=30,
                   choices=()),  # filled below: section headings 1..10
            _START, _END, _RESPONSIBLE,
        ),
    ),
    Section(
        key="budget", number=10, sheet="10. الميزانية", fr="Budget",
        heading="الميزانية", table="tbl_budget", activity="activity", budget_totals=True,
        guidance=("تحديد الأنشطة المبرمجة والتي تتطلب موارد مالية يمكن إدراجها ضمن ميزانية الهيكل العمومي "
                  "أو يمكن توفيرها في إطار برامج تعاون دولي أو شراكات"),
        columns=(
            Column("activity", "النشاط", "Activité", Kind.LONG_TEXT, required=True, width=40),
            Column("section", "القسم المرتبط", "Section liée", Kind.CHOICE, width=30, choices=()),
            Column("amount", "المبلغ (د.ت)", "Montant (TND)", Kind.AMOUNT, required=True, width=16,
                   guidance="بالدينار التونسي، ثلاثة أرقام بعد الفاصل"),
            Column("source", "مصدر التمويل", "Source de financement", Kind.CHOICE, required=True,
                   choices=FUNDING_SOURCES, width=18),
            Column("funder", "الجهة الممولة أو البرنامج", "Bailleur ou programme", width=26),
            Column("note", "ملاحظات", "Remarques", Kind.LONG_TEXT, width=28),
        ),
    ),
)


def _section_choices() -> tuple[str, ...]:
    return tuple(s.sheet for s in SECTIONS)


def _with_section_choices(section: Section) -> Section:
    cols = tuple(replace(c, choices=_section_choices()) if c.key == "section" else c
                 for c in section.columns)
    return replace(section, columns=cols)


def _with_follow_up(section: Section) -> Section:
    """Sections 3 to 10 are followed up during the year: two optional columns at the table's end."""
    return replace(section, columns=(*section.columns, *FOLLOW_UP_COLUMNS)) if section.number >= 3 else section


SECTIONS = tuple(_with_section_choices(s) if s.key in ("calendar", "budget") else s for s in SECTIONS)
SECTIONS = tuple(_with_follow_up(s) for s in SECTIONS)
SECTION_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}
SECTION_BY_TABLE: dict[str, Section] = {s.table: s for s in (*SECTIONS, AUTHORS)}

INTRO_LABEL_AR = "مقدمة القسم أو ملاحظات"
INTRO_LABEL_FR = "Introduction ou remarques"
INTRO_GUIDANCE = "نص حر يظهر في الوثيقة تحت عنوان القسم (اختياري)."
NA_LABEL_AR = "لا ينطبق — السبب"
NA_LABEL_FR = "Sans objet — motif"
NA_GUIDANCE = "إذا لم يكن لهذا القسم أي نشاط هذه السنة، اترك الجدول فارغا واذكر السبب هنا."


# --- the tables both engines read: `check` (Python) and the workbook's own formulas -------------
# How a typed value is compared with a list (a dropdown's values, yes/no): these replacements in this
# order, then spaces trimmed and letters lowered. The template writes the table into its hidden lists
# sheet and its formulas read it there; plan/normalize.py reads it here.
NORMALISE: tuple[tuple[str, str], ...] = (
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"),      # hamza forms and wasla
    ("ى", "ي"), ("ة", "ه"), ("\u0640", ""),              # alef maqsura, teh marbuta, tatweel
    *((chr(c), "") for c in (*range(0x064B, 0x0656), 0x0670)),   # harakat, hamza marks, dagger alef
    ("٠", "0"), ("١", "1"), ("۰", "0"), ("۱", "1"),     # Arabic-Indic 0 and 1 (yes/no typed as digits)
    ("\u00a0", " "), ("\t", " "), ("\n", " "),
)
# What a cell of each kind may not hold as a number, a date or a boolean (as Excel stores what was typed):
# one expression each, run by the reader's parsers on every value they read (plan/normalize.py) and
# written by the template as the live rules bad-date, bad-number, bad-amount and bad-year (rules/live.py).
FIRST_PLAUSIBLE_DATE = dt.date(1950, 1, 1)   # before it, a number typed into a date cell (2027: 19/07/1905)
DATE_FIRST = (FIRST_PLAUSIBLE_DATE - dt.date(1899, 12, 30)).days   # 18264, its serial number
DATE_END = 2958466                           # 1/1/10000: beyond Excel's last date
MAX_AMOUNT = Decimal(10) ** 15               # a thousand billion dinars: beyond any public budget
AMOUNT_LIMIT = Lit(float(MAX_AMOUNT), f"1E{len(str(int(MAX_AMOUNT))) - 1}")


def _number_outside(v: X, bounds: X) -> X:
    """A boolean, or a number for which `bounds` is true."""
    return fn("ISLOGICAL", v) + fn("ISNUMBER", v) * bounds > 0


def _whole(v: X) -> X:
    """The number in v rounded down (0 when v is not a number: INT never meets text)."""
    return fn("INT", fn("IF", fn("ISNUMBER", v), v, 0))


STORED_REFUSED: dict[Kind, Callable[[X], X]] = {
    Kind.DATE: lambda v: _number_outside(v, (v < DATE_FIRST) + (v >= DATE_END)),
    Kind.INTEGER: lambda v: _number_outside(v, (v < 0) + v.ne(_whole(v))),
    Kind.AMOUNT: lambda v: _number_outside(v, fn("ABS", fn("IF", fn("ISNUMBER", v), v, 0)) >= AMOUNT_LIMIT),
    Kind.YEAR: lambda v: _number_outside(v, v.ne(_whole(v)) + (v < YEAR_MIN) + (v > YEAR_MAX)),
}

# Words accepted for «نعم» and «لا» in a yes/no cell (compared after NORMALISE).
YES_WORDS: tuple[str, ...] = (YES_AR, "oui", "yes", "y", "o", "x", "✓", "✔", "☑", "1", "true", "vrai")
NO_WORDS: tuple[str, ...] = (NO_AR, "non", "no", "n", "0", "false", "faux", "✗", "✘")


# The workbook's own check (formulas, no macro): the cover's panel and each section's status line.
LIVE_TITLE_AR = "التحقق الآلي داخل المصنف"
LIVE_TITLE_FR = "Vérification automatique dans le classeur"
# the panel's columns: (Arabic, French)
LIVE_HEADS = (("القسم", "Section"), ("أخطاء", "Erreurs"), ("تنبيهات", "Avertissements"),
              ("نسبة الاكتمال %", "Complétude %"), ("يُتحقق منه عند الفحص", "À vérifier par le contrôle"))
LIVE_TOTAL_AR, LIVE_TOTAL_FR = "المجموع", "Total"
LIVE_PENDING_AR = "يُتحقق منه عند الفحص"
LIVE_NOTE_AR = ("تُحسب هذه الأرقام بصيغ المصنف نفسه، دون ماكرو ودون Python. الخانات الحمراء أخطاء، "
                "والبرتقالية تنبيهات، والزرقاء قيم مكتوبة كنص (تاريخ أو مبلغ) يُتحقق منها عند الفحص.")
LIVE_NOTE_FR = ("Calculé par les formules du classeur, sans macro ni Python : rouge = erreur, orange = "
                "avertissement, bleu = date ou montant saisi comme texte, vérifié par le contrôle.")


def section(key: str) -> Section:
    return SECTION_BY_KEY[key]


TOTAL_LABEL_AR = "المجموع العام"
REQUIRED_NOTE = "* معطى إلزامي — obligatoire"


def required_label(col: Column) -> str:
    """A cover field's label as the template prints it (required ones marked with a star)."""
    return col.ar + (" *" if col.required else "")


def template_texts(key: str) -> frozenset[str]:
    """Every fixed text the template writes on a sheet outside its table ("cover" or a section key).

    The reader tells what an officer typed from the template's own wording with it.
    """
    if key == "cover":
        texts = {TITLE_AR, DECREE_AR, REQUIRED_NOTE, AUTHORS.heading,
                 *(required_label(c) for c in COVER_FIELDS)}
        # the live panel's fixed texts (its figures are named cells, live_*)
        texts |= {LIVE_TITLE_AR, LIVE_TITLE_FR, LIVE_TOTAL_AR, LIVE_TOTAL_FR, LIVE_NOTE_AR, LIVE_NOTE_FR,
                  COVER_SHEET, COVER_FR, *(t for pair in LIVE_HEADS for t in pair),
                  *(s.sheet for s in SECTIONS), *(s.fr for s in SECTIONS)}
    else:
        sec = section(key)
        texts = {sec.numbered_heading, NA_LABEL_AR, INTRO_LABEL_AR, TOTAL_LABEL_AR}
        for title, text in sec.guidance_blocks:
            texts |= {text, f"{title}\n{text}"} if title else {text}
    return frozenset(texts)
