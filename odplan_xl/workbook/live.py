"""The workbook's own check, written into the template: rules/live.py's rules as formulas.

What it writes:
- on the hidden lists sheet, beside the dropdowns' values: the NORMALISE table and the yes/no words
  (read by every list comparison), each dropdown's values normalised, and a block of counts (one cell
  per section, code and column: an array formula over the covered rows) with the helpers they need;
- on each table's cells, one conditional format per rule (red errors, amber warnings, blue: typed
  as text, decided by `check`);
- under each section's heading, a status line; on the cover, the panel of figures (workbook-scoped
  names live_errors, live_warnings, live_percent, live_pending and live_<figure>_<section key>).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from odplan_xl import schema
from odplan_xl.rules import live
from odplan_xl.codes import CODES
from odplan_xl.rules.live import name
from odplan_xl.schema import Column, Section

ERROR_FILL, ERROR_FONT = "#FFC7CE", "#9C0006"
WARNING_FILL, WARNING_FONT = "#FFEB9C", "#9C5700"
PENDING_FILL, PENDING_FONT = "#DDEBF7", "#1F3864"
COLOURS = {"error": (ERROR_FILL, ERROR_FONT), "warning": (WARNING_FILL, WARNING_FONT),
           live.PENDING: (PENDING_FILL, PENDING_FONT)}
LISTS = "lists"
MISSING = ("missing-value", "empty-section", "missing-authors")
LRI, PDI = "\u2066", "\u2069"     # the French part of a status line keeps its order in the Arabic line
LEGEND_TITLE = ("ألوان التحقق الآلي داخل المصنف", "Couleurs de la vérification dans le classeur")
LEGEND = (
    ("error", "أحمر: خطأ يجب إصلاحه (خانة إلزامية فارغة، تاريخ أو قيمة غير صالحة، تاريخ نهاية يسبق البداية…) — "
              "rouge : erreur à corriger"),
    ("warning", "برتقالي: تنبيه (تاريخ خارج سنة الخطة، مجموعة بيانات لا تستوفي أي معيار…) — "
                "orange : avertissement"),
    (live.PENDING, "أزرق: تاريخ أو مبلغ أو عدد مكتوب كنص، " + schema.LIVE_PENDING_AR + " بالزر أو بالأمر "
                   "odplan-xl check — bleu : saisi comme texte, vérifié par le contrôle"),
)
LEGEND_NOTES = (
    "يتحقق المصنف من هذه القواعد بنفسه أثناء الكتابة، دون ماكرو ودون Python: سطر تحت عنوان كل قسم يلخص حالته، "
    "ولوحة في الغلاف تعرض لكل قسم عدد الأخطاء والتنبيهات ونسبة الاكتمال. زر «التحقق من اكتمال الخطة» يضيف "
    "التقرير الكامل مع رابط لكل خانة، وما لا تراه الصيغ (نص خارج الجداول، أوراق منسوخة، خانات مدمجة، أسطر مكررة).",
    "Le classeur applique ces règles lui-même pendant la saisie, sans macro ni Python : une ligne d'état sous "
    "le titre de chaque section, un tableau sur la couverture. Le bouton de vérification ajoute le rapport "
    "complet et ce que les formules ne voient pas.",
)

# The result stored with every live formula: none. Excel computes the workbook on opening (calcPr
# fullCalcOnLoad); LibreOffice keeps a stored result as it is and computes only formulas stored without one —
# a stored 0 would show an empty plan as «✓ القسم مكتمل» there until something is typed.
UNCOMPUTED = ""


def _abs(row: int, col: int, sheet: str = LISTS) -> str:
    return f"{live.quote(sheet)}!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"


def _column(col: int, first: int, last: int, sheet: str = LISTS) -> str:
    return f"{_abs(first, col, sheet)}:{xl_rowcol_to_cell(last, col, row_abs=True, col_abs=True)}"


@dataclass
class Live:
    """The live layer of one workbook being built (one per _Builder)."""

    builder: Any                              # the template's builder: its wb, fmt() and _name()
    ws: Any                                   # the lists sheet
    col: int                                  # its first free column
    book: live.Book | None = None
    tables: list[live.Table] = field(default_factory=list)
    na_cells: dict[str, str] = field(default_factory=dict)       # section key -> "$B$6" on its sheet
    norm_values: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # normalised choice cells
    raw_values: dict[tuple[str, str], list[str]] = field(default_factory=dict)   # the dropdowns' cells
    authors_header: str = ""
    _formats: dict[str, Any] = field(default_factory=dict)

    # --- the tables the formulas read (written first: every comparison reads them) -----------------
    def write_tables(self, lists: dict[tuple[str, str], tuple[int, tuple[str, ...]]]) -> live.Book:
        """The NORMALISE table, the yes/no words and every dropdown's values normalised.

        `lists`: (owner, column key) -> (column of the lists sheet holding its values from row 2, values).
        """
        ws, bold, c = self.ws, self.builder.fmt(bold=True), self.col
        ws.write_string(0, c, "normalise_from", bold)
        ws.write_string(0, c + 1, "normalise_to", bold)
        pairs = []
        for i, (old, new) in enumerate(schema.NORMALISE, start=1):
            ws.write_string(i, c, old)
            if new:
                ws.write_string(i, c + 1, new)
            pairs.append((_abs(i, c), _abs(i, c + 1)))
            if old == live.NBSP:
                self.builder.wb.define_name(name("nbsp"), "=" + _abs(i, c))
        book = live.Book(pairs=tuple(pairs), lists={}, yesno="", no="", sections_list="", sections_empty="")
        c += 3
        words = [*schema.YES_WORDS, *schema.NO_WORDS]
        ws.write_string(0, c, "yes_no_words", bold)
        ws.write_string(0, c + 1, "yes_no_keys", bold)
        for i, word in enumerate(words, start=1):
            ws.write_string(i, c, word)
            ws.write_formula(i, c + 1, f"={live.norm(book, _abs(i, c))}", None, "_" + word)
        yesno = _column(c + 1, 1, len(words))
        no = _column(c + 1, len(schema.YES_WORDS) + 1, len(words))
        c += 3
        normalised: dict[tuple[str, str], str] = {}
        raw: dict[tuple[str, str], str] = {}
        sections_list = sections_empty = sections_raw = ""
        for (owner, key), (src, values) in lists.items():
            raw[(owner, key)] = _column(src, 1, len(values))
            self.raw_values[(owner, key)] = [_abs(i, src) for i in range(1, len(values) + 1)]
            if any(ch in v for v in values for ch in "~*?"):
                raise ValueError(f"{owner}.{key}: a list value holds a COUNTIF wildcard")
            if values == schema.YESNO:
                continue          # a yes/no column: compared with the words, not with its dropdown
            if max(len(v) for v in values) >= 150:
                raise ValueError(f"{owner}.{key}: a list value is too long for COUNTIF's criteria")
            ws.write_string(0, c, f"{owner}_{key}_keys", bold)
            cells = []
            for i, value in enumerate(values, start=1):
                ws.write_formula(i, c, f"={live.norm(book, _abs(i, src))}", None, UNCOMPUTED)
                cells.append(_abs(i, c))
            normalised[(owner, key)] = _column(c, 1, len(values))
            self.norm_values[(owner, key)] = cells
            if owner == "budget" and key == "section":
                # beside the section sheets' names: 1 where that section has no row (budget-without-activity)
                ws.write_string(0, c + 1, "section_has_no_row", bold)
                for i, sec in enumerate(schema.SECTIONS, start=1):
                    ws.write_formula(i, c + 1, f"=({name('rows', sec.key)}=0)*1", None, UNCOMPUTED)
                sections_list, sections_empty = normalised[(owner, key)], _column(c + 1, 1, len(values))
                sections_raw = raw[(owner, key)]
                c += 1
            c += 1
        self.col = c + 1
        self.book = live.Book(pairs=tuple(pairs), lists=normalised, yesno=yesno, no=no,
                              sections_list=sections_list, sections_empty=sections_empty, raw=raw,
                              sections_raw=sections_raw)
        return self.book

    # --- conditional formats ---------------------------------------------------------------------
    def fmt(self, severity: str):
        if severity not in self._formats:
            fill, font = COLOURS[severity]
            self._formats[severity] = self.builder.wb.add_format({"bg_color": fill, "font_color": font})
        return self._formats[severity]

    def table(self, ws, owner: str, spec: Section, header_row: int, rows: int) -> None:
        """Register a table (0-based header row, `rows` data rows) and colour its cells by the rules."""
        assert self.book is not None
        first, last = header_row + 1, header_row + rows + live.LIVE_MARGIN
        t = live.Table(owner, spec, ws.name, 0, first + 1, last + 1,
                       {c.key: xl_col_to_name(i) for i, c in enumerate(spec.columns)})
        self.tables.append(t)
        index = {c.key: i for i, c in enumerate(spec.columns)}
        for rule, column, formula in t.conditional(self.book):
            i = index[column.key]
            ws.conditional_format(first, i, last, i, {"type": "formula", "criteria": formula,
                                                       "format": self.fmt(rule.severity)})
        if owner == "authors":
            self.authors_header = _abs(header_row, 0, ws.name)
            ws.conditional_format(header_row, 0, header_row, 0, {
                "type": "formula", "criteria": f"={name('rows', 'authors')}=0", "format": self.fmt("error")})

    def cover_field(self, ws, row: int, col: int, field_: Column) -> None:
        assert self.book is not None
        for rule, column, formula in live.cover_cells(self.book):
            if column.key == field_.key:
                ws.conditional_format(row, col, row, col, {"type": "formula", "criteria": "=" + formula,
                                                           "format": self.fmt(rule.severity)})

    def not_applicable(self, ws, sec: Section, row: int, col: int) -> None:
        """The «لا ينطبق» cell: red when the section is empty without a reason, amber with rows and one."""
        cell = xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)
        self.na_cells[sec.key] = _abs(row, col, sec.sheet)
        rows = name("rows", sec.key)
        for severity, test in (("error", f"({rows}=0)*{live.blank(cell)}"),
                               ("warning", f"({rows}>0)*{live.filled(cell)}")):
            ws.conditional_format(row, col, row, col, {"type": "formula", "criteria": f"={live.flag(test)}",
                                                       "format": self.fmt(severity)})

    def status(self, ws, sec: Section, row: int, last_col: int) -> None:
        """The section's line under its heading: complete, or what is missing, wrong or to check."""
        k = sec.key
        err, warn, pend = name("errors", k), name("warnings", k), name("pending", k)
        miss = name("missing", k)
        empty = name("n", k, "empty-section")

        def part(n: str, ar: str, fr: str) -> tuple[str, str]:
            return (f"IF({n}>0,{n}&\" {ar}، \",\"\")", f"IF({n}>0,{n}&\" {fr}, \",\"\")")

        parts = [part(miss, "خانة إلزامية فارغة", "vide(s)"), part(f"({err}-{miss})", "قيمة غير صالحة", "invalide(s)"),
                 part(warn, "تنبيه", "avertissement(s)"), part(pend, schema.LIVE_PENDING_AR, "à vérifier")]
        ar = "&".join(p[0] for p in parts)
        fr = "&".join(p[1] for p in parts)
        formula = (f"=IF({empty}>0,\"✗ القسم فارغ: أضف سطرا أو اذكر سبب عدم الانطباق — Section vide\","
                   f"IF({err}+{warn}+{pend}=0,\"✓ القسم مكتمل — Section complète\","
                   f"LEFT({ar},LEN({ar})-2)&\" — {LRI}\"&LEFT({fr},LEN({fr})-2)&\"{PDI}\"))")
        fmt = self.builder.fmt(bold=True, font_color="#1F3864", bg_color="#F2F2F2", border=1, valign="vcenter")
        ws.merge_range(row, 0, row, last_col, "", fmt)
        ws.write_formula(row, 0, formula, fmt, UNCOMPUTED)
        self.builder._name(name("status", k), sec.sheet, row, 0)
        for severity, test in (("error", f"{err}>0"), ("warning", f"({err}=0)*({warn}>0)")):
            ws.conditional_format(row, 0, row, last_col, {"type": "formula", "criteria": f"={live.flag(test)}",
                                                          "format": self.fmt(severity)})

    # --- the counts and the panel ----------------------------------------------------------------
    def write_counts(self) -> None:
        """The block of counts on the lists sheet (label | figure), named live_n_<owner>_<code>…"""
        assert self.book is not None
        ws, c, book = self.ws, self.col, self.book
        bold = self.builder.fmt(bold=True)
        ws.write_string(0, c, "live", bold)
        ws.set_column(c, c, 34)
        row = 1

        def put(label: str, formula: str, define: str | None = None) -> str:
            nonlocal row
            ws.write_string(row, c, label)
            if formula.startswith("{"):
                ws.write_array_formula(row, c + 1, row, c + 1, formula, None, UNCOMPUTED)
            else:
                ws.write_formula(row, c + 1, formula, None, UNCOMPUTED)
            ref = _abs(row, c + 1)
            if define:
                self.builder.wb.define_name(define, "=" + ref)
            row += 1
            return ref

        for key, formula in live.year_cells().items():
            put(key, formula, name(key))
        by_owner: dict[str, dict[str, list[str]]] = {}     # owner -> code -> cells
        dates, in_year = [], []
        for t in self.tables:
            owner = t.owner
            codes = by_owner.setdefault("cover" if owner == "authors" else owner, {})
            put(f"{owner}: rows down to the last holding anything", t.length(), name("len", owner))
            put(f"{owner}: rows", t.row_count(book), name("rows", owner))
            table = schema.AUTHORS.table if owner == "authors" else schema.section(owner).table
            # a table turned into a range has no name left: then every covered row is the table's
            put(f"{owner}: last row of the table", f"{{=IFERROR(MAX(ROW({table})),{t.last})}}", name("end", owner))
            for key, formula in t.exact(book).items():
                put(f"{owner}: {key} holds dropdown values only", formula, name("exact", owner, key))
            for code, key, formula in t.counts(book):
                codes.setdefault(code, []).append(put(f"{owner}: {code} {key}".rstrip(), formula))
            if owner == "authors":
                codes.setdefault("missing-authors", []).append(
                    put("authors: missing-authors", f"=({name('rows', 'authors')}=0)*1"))
                continue
            spec = t.spec
            rows = name("rows", owner)
            na = self.na_cells[owner]
            codes.setdefault("empty-section", []).append(
                put(f"{owner}: empty-section", f"=({rows}=0)*{live.blank(na)}"))
            codes.setdefault("na-with-rows", []).append(
                put(f"{owner}: na-with-rows", f"=({rows}>0)*{live.filled(na)}"))
            for i, sub in enumerate(spec.subsections):
                index = spec.column(spec.category).choices.index(sub.value)
                n = put(f"{owner}: rows of {sub.code}", t.category_count(
                    book, self.norm_values[(owner, spec.category)][index], self.raw_values[(owner, spec.category)][index]))
                codes.setdefault("empty-subsection", []).append(
                    put(f"{owner}: empty-subsection {sub.code}", f"=({rows}>0)*({n}=0)"))
            every, inside = t.dates()
            if any(col.is_date for col in spec.columns):
                dates.append(put(f"{owner}: dates", every))
                in_year.append(put(f"{owner}: dates in the plan year", inside))
            if owner == "budget":
                positive, text = t.positive_amounts("amount")
                p = put("budget: amounts above zero", positive)
                q = put("budget: amounts typed as text", text)
                codes.setdefault("no-budget", []).append(put("budget: no-budget", f"=({rows}>0)*({p}=0)*({q}=0)"))
        put("dates", "=" + "+".join(dates), name("dates"))
        put("dates in the plan year", "=" + "+".join(in_year), name("dates_in_year"))
        put("year-mismatch", f"={name('year_ok')}*({name('dates')}>0)*(2*{name('dates_in_year')}<{name('dates')})",
            name("mismatch"))
        cover = by_owner.setdefault("cover", {})
        for rule, column, formula in live.cover_cells(book):
            cover.setdefault(rule.code, []).append(put(f"cover: {rule.code} {column.key}", f"={formula}*1"))
        # per owner and code: the figure; per owner: errors, warnings, pending, completeness
        errors_base = []
        for owner, codes in by_owner.items():
            for code, cells in codes.items():
                put(f"{owner}: {code}", "=" + "+".join(cells), name("n", owner, code))
                if code != live.PENDING and code != "not-final" and CODES[code].severity == "error":
                    errors_base.append(name("n", owner, code))
        status = self.norm_values[("cover", "status")][schema.STATUSES.index(schema.STATUS_FINAL)]
        put("errors but not-final", "=" + "+".join(errors_base), name("errors_base"))
        put("not-final", f"=({live.norm(book, schema.cover_name('status'))}={status})*({name('errors_base')}>0)",
            name("not_final"))
        for owner, codes in by_owner.items():
            def total(severity: str) -> str:
                terms = [name("n", owner, code) for code in codes
                         if code != live.PENDING and str(CODES[code].severity) == severity]
                return "=" + ("+".join(terms) or "0")
            put(f"{owner}: missing", "=" + ("+".join(name("n", owner, m) for m in MISSING if m in codes) or "0"),
                name("missing", owner))
            self._figures[owner] = (total("error"), total("warning"),
                                    "=" + (name("n", owner, live.PENDING) if live.PENDING in codes else "0"))
        self._percent_parts = self._completeness()

    _figures: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    _percent_parts: dict[str, str] = field(default_factory=dict)

    def _completeness(self) -> dict[str, str]:
        """Owner -> formula of its completeness (0-100), as `check` scores it."""
        out = {}
        for t in self.tables:
            if t.owner == "authors":
                continue
            nreq = len(t.spec.required_columns)
            rows, missing = name("rows", t.owner), name("n", t.owner, "missing-value")
            na = self.na_cells[t.owner]
            out[t.owner] = (f"=IF({rows}=0,IF({live.filled(na)},100,0),"
                            f"({nreq}*{rows}-{missing})/({nreq}*{rows})*100)")
        ncover = sum(1 for c in schema.COVER_FIELDS if c.required)
        nauth = len(schema.AUTHORS.required_columns)
        arows = name("rows", "authors")
        required = f"({ncover}+{nauth}*{arows}+({arows}=0))"
        filled = f"({ncover}+{nauth}*{arows}-{name('n', 'cover', 'missing-value')})"
        out["cover"] = f"={filled}/{required}*100"
        return out

    def panel(self, ws, row: int, col: int) -> None:
        """The cover's panel from (row, col): a line per section and the total, Arabic and French."""
        b = self.builder
        head = b.fmt(bold=True, font_color="#FFFFFF", bg_color="#1F4E78", border=1, text_wrap=True,
                     align="center", valign="vcenter")
        label = b.fmt(border=1, valign="vcenter")
        latin = b.fmt(border=1, valign="vcenter", reading_order=1, font_color="#595959")
        figure = b.fmt(border=1, align="center", valign="vcenter", num_format="0")
        percent = b.fmt(border=1, align="center", valign="vcenter", num_format="0.0")
        bold_figure = b.fmt(border=1, align="center", valign="vcenter", num_format="0", bold=True)
        bold_percent = b.fmt(border=1, align="center", valign="vcenter", num_format="0.0", bold=True)
        ws.merge_range(row, col, row, col + 5, schema.LIVE_TITLE_AR,
                       b.fmt(bold=True, font_size=13, font_color="#1F3864"))
        ws.write_string(row + 1, col, schema.LIVE_TITLE_FR, b.fmt(italic=True, reading_order=1, font_color="#595959"))
        row += 2
        ws.set_row(row, 34)          # the panel's headings: two lines (a cover field's row, made taller)
        ws.set_row(row + 1, 26)
        for i, (ar, fr) in enumerate(schema.LIVE_HEADS):
            ws.write_string(row, col + i, ar, head)
        ws.write_string(row, col + len(schema.LIVE_HEADS), schema.LIVE_HEADS[0][1], head)
        row += 1
        for i, (_, fr) in enumerate(schema.LIVE_HEADS[1:], start=1):
            ws.write_string(row, col + i, fr, b.fmt(italic=True, reading_order=1, font_color="#595959",
                                                    align="center", border=1, font_size=9, text_wrap=True))
        row += 1
        owners = [("cover", schema.COVER_SHEET, schema.COVER_FR)] + [(s.key, s.sheet, s.fr) for s in schema.SECTIONS]
        for key, ar, fr in owners:
            errors, warnings, pending = self._figures[key]
            ws.write_string(row, col, ar, label)
            for j, (fig, formula, fmt) in enumerate((("errors", errors, figure), ("warnings", warnings, figure),
                                                     ("percent", self._percent_parts[key], percent),
                                                     ("pending", pending, figure)), start=1):
                ws.write_formula(row, col + j, formula, fmt, UNCOMPUTED)
                b._name(name(fig, key), schema.COVER_SHEET, row, col + j)
            ws.write_string(row, col + 5, fr, latin)
            self._paint_row(ws, row, col, name("errors", key), name("warnings", key))
            row += 1
        ws.write_string(row, col, schema.LIVE_TOTAL_AR, b.fmt(bold=True, border=1))
        keys = [k for k, _, _ in owners]
        totals = (("errors", "=" + "+".join(name("errors", k) for k in keys), bold_figure),
                  ("warnings", "=" + "+".join(name("warnings", k) for k in keys), bold_figure),
                  ("percent", f"=({'+'.join(name('percent', k) for k in keys)})/{len(keys)}", bold_percent),
                  ("pending", "=" + "+".join(name("pending", k) for k in keys), bold_figure))
        for j, (fig, formula, fmt) in enumerate(totals, start=1):
            ws.write_formula(row, col + j, formula, fmt, UNCOMPUTED)
            b._name(name(fig), schema.COVER_SHEET, row, col + j)
        ws.write_string(row, col + 5, schema.LIVE_TOTAL_FR, b.fmt(bold=True, border=1, reading_order=1))
        self._paint_row(ws, row, col, name("errors"), name("warnings"))
        ws.merge_range(row + 1, col, row + 1, col + 5, schema.LIVE_NOTE_AR, b.fmt(text_wrap=True, font_size=9))
        ws.set_row(row + 1, 30)
        ws.merge_range(row + 2, col, row + 2, col + 5, schema.LIVE_NOTE_FR,
                       b.fmt(text_wrap=True, font_size=9, reading_order=1, font_color="#595959"))
        ws.set_row(row + 2, 30)

    def legend(self, ws, row: int, head, body, height: Callable[[str], float]) -> int:
        """The colours' legend on the instructions sheet (`height`: a row's height for a text); returns
        the next free row."""
        ws.write_string(row, 0, LEGEND_TITLE[0], head)     # the French under it: one line each fits
        ws.write_string(row + 1, 0, LEGEND_TITLE[1], self.builder.fmt(italic=True, reading_order=1,
                                                                       font_color="#595959"))
        row += 2
        for severity, text in LEGEND:
            fill, font = COLOURS[severity]
            ws.write_string(row, 0, text, self.builder.fmt(text_wrap=True, bg_color=fill, font_color=font,
                                                           border=1))
            ws.set_row(row, height(text))
            row += 1
        french = self.builder.fmt(text_wrap=True, reading_order=1)     # its full stop at its end
        for text, fmt in zip(LEGEND_NOTES, (body, french), strict=True):
            ws.write_string(row, 0, text, fmt)
            ws.set_row(row, height(text))
            row += 1
        return row

    def _paint_row(self, ws, row: int, col: int, errors: str, warnings: str) -> None:
        ws.conditional_format(row, col + 1, row, col + 1, {
            "type": "formula", "criteria": f"={errors}>0", "format": self.fmt("error")})
        ws.conditional_format(row, col + 2, row, col + 2, {
            "type": "formula", "criteria": f"={warnings}>0", "format": self.fmt("warning")})
