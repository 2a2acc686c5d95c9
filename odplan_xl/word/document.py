"""The plan as a Word document: the official template's structure, right-to-left Arabic."""

from __future__ import annotations

import copy
import datetime as dt
import secrets
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.opc.oxml import serialize_part_xml
from docx.parts.document import DocumentPart
from lxml import etree

import odplan_xl.word.pages as pages
import odplan_xl.word.tables as tables
import odplan_xl.word.toc as toc
from odplan_xl import schema
from odplan_xl.plan.derived import budget_totals, priority
from odplan_xl.plan.display import (
    clean,
    format_amount,
    format_date,
    format_value,
    ltr_guard,
)
from odplan_xl.plan.gantt import OTHER_COLOUR, SECTION_COLOURS, Activity, Gantt, build_gantt
from odplan_xl.plan.model import Plan, Row
from odplan_xl.rules.findings import Report, Severity
from odplan_xl.word.oxml import (
    W_BR,
    W_NS,
    W_P,
    W_SECTPR,
    W_T,
    W_TAB,
    page_break_run,
    page_geometry,
    para,
    run,
    sub,
)
from odplan_xl.word.styles import builtin_ids, load_base, update_fields_on_open
from odplan_xl.word.tables import (
    MARK_STYLE,
    Cell,
    Table,
    column_style,
    column_width,
    widths,
)
from odplan_xl.word.toc import TocEntry, set_toc_pages, toc_bookmarks
from odplan_xl.word.wording import text

BOOKMARK_BASE = 90000              # bookmark ids of our headings, clear of any a base document has
CHUNK_ROWS = tables.CHUNK_ROWS
_TYPED = {schema.Kind.DATE, schema.Kind.AMOUNT, schema.Kind.INTEGER, schema.Kind.YESNO, schema.Kind.YEAR}
_COVER_TABLE = ("status", "officer", "officer_title", "officer_email", "officer_phone", "prepared", "updated")


class _Deferred:
    """Tables kept as XML text until the document is saved: `splice` puts each where its placeholder is.

    The placeholders are processing instructions of a target no document has (<?odplan-… N?>): in
    serialized XML, text and attribute values never hold "<?", so only they can match.
    """

    def __init__(self) -> None:
        self.target = f"odplan-{secrets.token_hex(8)}"
        self.chunks: list[bytes] = []

    def placeholder(self, xml: bytes) -> etree._Element:
        self.chunks.append(xml)
        return etree.ProcessingInstruction(self.target, str(len(self.chunks) - 1))

    def splice(self, xml: bytes) -> bytes:
        pieces = xml.split(f"<?{self.target} ".encode())
        out = [pieces[0]]
        for piece in pieces[1:]:
            number, rest = piece.split(b"?>", 1)
            out += (self.chunks[int(number)], rest)
        return b"".join(out)


class _SplicingDocumentPart(DocumentPart):
    """The main part of a document built by `write`: its tables go into document.xml as XML text."""

    deferred: _Deferred

    @property
    def blob(self) -> bytes:
        return self.deferred.splice(serialize_part_xml(self._element))


class _Builder:
    """Writes a plan into a base document, top to bottom."""

    def __init__(self, doc: Document, plan: Plan, report: Report | None, deferred: _Deferred | None = None):
        self.doc, self.plan, self.report = doc, plan, report
        self.body = doc.element.body
        self.final_sect = self.body.find(W_SECTPR)
        self.styles = builtin_ids(doc)
        # Tables as text need the body to bind the prefix w as the tables' text does (always so in
        # python-docx's template and in Word's documents); otherwise they are parsed into the tree.
        self.deferred = deferred if self.body.nsmap.get("w") == W_NS else None
        # per column (by identity; the column is kept so that its id stays its own): value -> cell
        self.cells: dict[int, tuple[schema.Column, dict[tuple[type, Any], Cell]]] = {}
        self.toc: list[TocEntry] = []
        self.breaks: list[etree._Element] = []
        self.landscape = False
        self.fresh_page = True
        self.flagged = {f.address for f in (report.findings if report else ())
                        if f.severity is Severity.ERROR and f.cell}
        self.sect_template = self.final_sect      # copied once headers and footers are set
        w, h, left, right = page_geometry(self.final_sect)
        portrait = w <= h
        self.width_portrait = (min(w, h) if portrait else h) - left - right
        self.width_landscape = (max(w, h) if portrait else w) - left - right

    @property
    def width(self) -> int:
        return self.width_landscape if self.landscape else self.width_portrait

    # -- output primitives
    def add(self, node: etree._Element) -> etree._Element:
        self.final_sect.addprevious(node)
        self.fresh_page = False
        return node

    def para(self, style: str, value: str = "", **kw: Any) -> etree._Element:
        return self.add(para(self.styles.get(style, style), value, **kw))

    def page_break(self) -> None:
        page_break_run(self.add(para("OdplanSpacer")))
        self.fresh_page = True

    def heading(self, level: int, value: str) -> None:
        number = BOOKMARK_BASE + len(self.toc)
        bookmark = f"_Toc{number:09d}"
        page_break = level == 1 and not self.fresh_page
        p = self.add(para(self.styles[f"Heading{level}"], page_break=page_break, keep_next=True))
        sub(p, "w:bookmarkStart", {"w:id": number, "w:name": bookmark})
        run(p, value)
        sub(p, "w:bookmarkEnd", {"w:id": number})
        self.toc.append(TocEntry(level, value, bookmark))

    def table(self, spec: Table) -> None:
        chunks, verbatim = tables.xml_chunks(spec)
        deferred = self.deferred if verbatim else None
        for i, xml in enumerate(chunks):
            if i:
                self.add(para("OdplanSpacer"))
            self.add(deferred.placeholder(xml) if deferred is not None else tables.parse_chunk(xml))
        self.add(para("OdplanSpacer"))

    def orientation(self, landscape: bool) -> None:
        """Close the current page section when the orientation changes."""
        if landscape == self.landscape:
            return
        sect = pages.oriented(self.sect_template, self.landscape)
        p = para("OdplanSpacer")
        p[0].append(sect)
        self.add(p)
        self.breaks.append(sect)
        self.landscape = landscape
        self.fresh_page = True

    def finish_sections(self) -> None:
        final = pages.oriented(self.sect_template, self.landscape)
        self.final_sect.getparent().replace(self.final_sect, final)
        self.final_sect = final
        pages.number_from_second_section([*self.breaks, final])

    # -- values
    def cell(self, row: Row, col: schema.Column) -> Cell:
        return self.cells_of([row], [col])[0][0]

    def cells_of(self, rows: Sequence[Row], cols: Sequence[schema.Column], derived: str | None = None
                 ) -> list[list[Cell]]:
        """The cells of `rows` under `cols`; the `derived` column's the priority computed from the row.

        A value shows the same wherever its column has it: each is formatted once (an error found at
        its address flags a cell on its own).
        """
        seen = []
        for col in cols:
            if id(col) not in self.cells:
                self.cells[id(col)] = (col, {})
            seen.append(self.cells[id(col)][1])
        flagged = self.flagged
        out = []
        for row in rows:
            values, addresses = row.values, row.cells
            line = []
            for col, known in zip(cols, seen):
                if col.key == derived:
                    line.append((f"{priority(row)}/4", "strong"))
                    continue
                value = values.get(col.key)
                key = (type(value), value)          # 1 and True, 1 and 1.0 apart
                try:
                    cell = known[key]
                except KeyError:
                    cell = known[key] = self._cell_of(value, col)
                except TypeError:                   # an unhashable value: nothing to remember
                    cell = self._cell_of(value, col)
                if flagged and cell[1] is None and cell[0] and addresses.get(col.key) in flagged:
                    cell = (cell[0], "flag")
                line.append(cell)
            out.append(line)
        return out

    @staticmethod
    def _cell_of(value: Any, col: schema.Column) -> Cell:
        """A value as its cell shows it, but for the flag of an error found at its address."""
        shown = format_value(value, col)
        if not shown:
            if col.required and not col.computed:
                return schema.MISSING_AR, "missing"
            return "", None
        if isinstance(value, str) and (col.kind in _TYPED or (col.choices and value not in col.choices)):
            return shown, "flag"
        return shown, None

    def rows_table(self, spec: schema.Section, rows: Sequence[Row], skip: Sequence[str] = ()) -> None:
        """Rows of a section as a table: the schema's columns, minus `skip` and empty optional ones."""
        cols = [c for c in spec.printed_columns if c.key not in skip
                and (c.required or c.computed or any(r.values.get(c.key) not in (None, "") for r in rows))]
        derived = spec.derived_priority
        cells = self.cells_of(rows, cols, derived)
        col_widths = widths([c.width for c in cols], [column_width(c) for c in cols], self.width)
        styles = ["OdplanCellCenter" if c.key == derived else column_style(c) for c in cols]
        self.table(Table([c.ar for c in cols], col_widths, cells, style=styles))

    # -- parts of the document
    def cover(self) -> None:
        fields = {c.key: c for c in schema.COVER_FIELDS}
        self.para("OdplanSpacer")
        for _ in range(3):
            self.para("Normal")
        self.para("Title", schema.TITLE_AR)
        year = self.cell_of_cover(fields["year"])
        p = self.para("Subtitle")
        run(p, text("cover_year", "").strip() + " ")
        run(p, year[0], MARK_STYLE.get(year[1]) if year[1] else None)
        structure = self.cell_of_cover(fields["structure"])
        p = self.para("Subtitle")
        run(p, structure[0], MARK_STYLE.get(structure[1]) if structure[1] else "OdplanStrong")
        self.para("Normal")
        rows = []
        for key in _COVER_TABLE:
            value = self.cell_of_cover(fields[key])
            if value[0]:
                rows.append([(fields[key].ar, "strong"), value])
        label = int(self.width * 0.38)
        self.table(Table(("", ""), (label, self.width - label), rows, header=False, margins=85))
        self.para("OdplanLabel", text("cover_team"))
        authors = self.plan.authors.rows if self.plan.authors else []
        if authors:
            self.rows_table(schema.AUTHORS, authors)
        else:
            self.para("OdplanGap", text("empty_part"))
        if self.report is not None and self.report.errors:
            self.para("OdplanGap", text("cover_errors", len(self.report.errors)))

    def cell_of_cover(self, col: schema.Column) -> Cell:
        row = Row(number=0, values={col.key: self.plan.cover.get(col.key)},
                  cells={col.key: self.plan.cover_cells.get(col.key, "")})
        return self.cell(row, col)

    def toc_block(self) -> etree._Element:
        """Where the table of contents goes (filled in by `write_toc` once headings are known)."""
        self.page_break()
        self.para("TOCHeading", text("toc_title"))
        return self.add(para("OdplanSpacer"))

    def write_toc(self, anchor: etree._Element) -> None:
        toc.write(anchor, self.toc, self.styles, self.width_portrait)

    def section(self, spec: schema.Section) -> None:
        data = self.plan.sections.get(spec.key)
        rows = list(data.rows) if data else []
        na = clean(data.na_reason).strip() if data and data.na_reason else ""
        activities = bool(spec.gantt and self.gantt.activities)
        self.orientation(spec.landscape_when_filled and (activities if spec.gantt else bool(rows)))
        self.heading(1, spec.numbered_heading)
        intro = clean(data.intro).strip() if data and data.intro else ""
        for line in intro.split("\n") if intro else ():
            self.para("Normal", ltr_guard(line))
        if spec.decree_intro:
            self.para("Normal", text("decree_intro", schema.DECREE_AR))
            for goal in schema.DECREE_GOALS_AR:
                self.para("OdplanBullet", f"• {goal}")
            if rows:
                self.para("Normal", text("objectives_intro"))
        elif rows and text("intro", spec.key, len(rows)):
            self.para("Normal", text("intro", spec.key, len(rows)))
        if na:
            self.para("OdplanNote", text("not_applicable", na))
        if not rows and not na and not activities:
            self.para("OdplanGap", text("empty_section"))
        if spec.gantt:
            self.calendar(spec, rows)
        elif spec.subsections:
            self.subsections(spec, rows, quiet=not rows)
        elif rows:
            self.rows_table(spec, rows)
        if spec.budget_totals and rows:
            self.totals()

    def subsections(self, spec: schema.Section, rows: list[Row], quiet: bool) -> None:
        cat = spec.category or ""
        for part in spec.subsections:
            self.heading(2, part.heading)
            mine = [r for r in rows if r.values.get(cat) == part.value]
            if spec.split:
                self.split(spec, part, mine, quiet=quiet)
            elif mine:
                self.rows_table(spec, mine, skip=(cat,))
            elif not quiet:
                self.para("OdplanNote", text("empty_part"))
        values = {s.value for s in spec.subsections}
        other = [r for r in rows if r.values.get(cat) not in values]
        if other:
            self.para("OdplanGap", text("uncategorised", spec.column(cat).ar), keep_next=True)
            self.rows_table(spec, other)

    def split(self, spec: schema.Section, part: schema.Subsection, rows: list[Row], *, quiet: bool) -> None:
        """A subsection's rows split again by a column (8.1 and 8.2: formal / informal)."""
        assert spec.split is not None and spec.category is not None
        column = spec.split.column
        for value, heading, label in spec.split.parts:
            if part.split_headings:
                self.heading(3, heading)
            mine = [r for r in rows if r.values.get(column) == value]
            if not part.split_headings and (mine or not quiet):
                self.para("OdplanLabel", label)
            if mine:
                self.rows_table(spec, mine, skip=(spec.category, column))
            elif not quiet:
                self.para("OdplanNote", text("empty_part"))
        values = {value for value, _, _ in spec.split.parts}
        other = [r for r in rows if r.values.get(column) not in values]
        if other:
            self.para("OdplanGap", text("uncategorised", spec.column(column).ar), keep_next=True)
            self.rows_table(spec, other, skip=(spec.category,))

    # -- the calendar (Gantt) and the budget totals
    @cached_property
    def gantt(self) -> Gantt:
        return build_gantt(self.plan)

    def calendar(self, spec: schema.Section, rows: list[Row]) -> None:
        if rows:
            self.para("OdplanLabel", text("calendar_rows"))
            self.rows_table(spec, rows)
        gantt = self.gantt
        if gantt.year_inferred and gantt.year is not None:
            self.para("OdplanGap", text("gantt_year_inferred", gantt.year))
        if gantt.activities:
            self.para("OdplanLabel", text("gantt_title", gantt.year if gantt.year is not None else ""))
            self.gantt_table(spec, gantt.activities)
            if any(a.clipped for a in gantt.activities):
                self.para("OdplanNote", text("gantt_clipped"))
        elif not rows:
            self.para("OdplanNote", text("gantt_empty"))
        if gantt.undated:
            self.para("OdplanLabel", text("undated_title"))
            self.undated_table(spec, gantt.undated)

    @staticmethod
    def _activity_cells(a: Activity, responsible: bool) -> list[Cell]:
        label = ltr_guard(clean(a.label)) if a.label else ""
        cells: list[Cell] = [(label + (" *" if a.clipped else ""), None) if label
                             else (schema.MISSING_AR, "missing"),
                             (str(a.section_number), None)]
        if responsible:
            cells.append((ltr_guard(clean(a.responsible)), None))
        cells.append((format_date(a.start), None) if a.start else
                     ((clean(a.start_raw), "flag") if a.start_raw else (schema.MISSING_AR, "missing")))
        if a.end is not None:
            cells.append((format_date(a.end), None))
        else:
            cells.append((clean(a.end_raw), "flag") if a.end_raw else ("", None))
        return cells

    def _activity_labels(self, spec: schema.Section, responsible: bool) -> list[str]:
        labels = [text("gantt_activity"), text("gantt_section")]
        if responsible:
            labels.append(spec.column(spec.responsible or "responsible").ar)
        return labels + [spec.column(spec.start or "start").ar, spec.column(spec.end or "end").ar]

    def gantt_table(self, spec: schema.Section, activities: list[Activity]) -> None:
        responsible = any(a.responsible for a in activities)
        labels = self._activity_labels(spec, responsible) + list(self.gantt.months)
        # 7 pt: a date needs ~800 twips, the longest month name (جويلية) ~600
        fixed: list[int | None] = [None, 450] + ([None] if responsible else [])
        month = max(600, min(900, (self.width - 4000 - 450 - 1640) // 12))
        fixed += [820, 820] + [month] * 12
        weights = [3.0, 1.0] + ([1.8] if responsible else []) + [1.0] * 14
        rows = [self._activity_cells(a, responsible) + [("", None)] * 12 for a in activities]
        styles = ["OdplanGantt", "OdplanGanttCenter"] + (["OdplanGantt"] if responsible else []) \
            + ["OdplanGanttCenter"] * 14
        # each bar in its section's colour, as on the sheet «مخطط غانت»; the section's number is its key
        first_month = len(fixed) - 12
        fills = []
        for a in activities:
            colour = SECTION_COLOURS.get(a.section, OTHER_COLOUR)
            # from the section's column (1) to the last month: its number, the cells between, the months
            fills.append([colour] + [None] * (first_month - 2) + [colour if on else None for on in a.months])
        self.table(Table(labels, widths(weights, fixed, self.width), rows, style=styles, margins=28,
                         fills=fills, fill_from=1))

    def undated_table(self, spec: schema.Section, activities: list[Activity]) -> None:
        responsible = any(a.responsible for a in activities)
        labels = self._activity_labels(spec, responsible)
        weights = [3.0, 1.0] + ([1.6] if responsible else []) + [1.0, 1.0]
        fixed = [None, 700] + ([None] if responsible else []) + [1300, 1300]
        rows = [self._activity_cells(a, responsible) for a in activities]
        styles = ["OdplanCell", "OdplanCellCenter"] + (["OdplanCell"] if responsible else []) \
            + ["OdplanCellCenter"] * 2
        self.table(Table(labels, widths(weights, fixed, self.width), rows, style=styles))

    def totals(self) -> None:
        totals = budget_totals(self.plan)
        cells: list[list[Cell]] = [[(source, None), (format_amount(total, currency=True), None)]
                                   for source, total in totals.by_source.items()]
        cells.append([(text("grand_total"), "strong"), (format_amount(totals.total, currency=True), "strong")])
        self.para("OdplanLabel", text("totals_title"))
        label = int(self.width * 0.55)
        self.table(Table((text("totals_source"), text("totals_amount")), (label, self.width - label), cells,
                         style=("OdplanCell", "OdplanCellNumber")))
        if totals.invalid:
            self.para("OdplanGap", text("invalid_amounts", totals.invalid))

    def header_footer(self) -> None:
        year = self.plan.cover.get("year")
        header = text("header", clean(self.plan.structure).strip() or schema.MISSING_AR,
                      format_value(year) if year not in (None, "") else "")
        pages.headers_and_footers(self.doc, self.styles["Header"], self.styles["Footer"], header,
                                  (text("footer_page"), text("footer_of")))
        self.sect_template = copy.deepcopy(self.final_sect)


def build_document(plan: Plan, report: Report | None = None, *, base: str | Path | None = None) -> Document:
    """The plan as a python-docx Document laid out like the official template."""
    return _build(plan, report, base, None)


def _build(plan: Plan, report: Report | None, base: str | Path | None, deferred: _Deferred | None) -> Document:
    doc = load_base(base)
    builder = _Builder(doc, plan, report, deferred)
    builder.header_footer()
    builder.cover()
    anchor = builder.toc_block()
    builder.page_break()
    for spec in schema.SECTIONS:
        builder.section(spec)
    builder.write_toc(anchor)
    builder.finish_sections()
    update_fields_on_open(doc)
    props = doc.core_properties
    props.title = f"{schema.TITLE_AR} — {clean(plan.structure).strip()}".strip(" —")
    props.author = clean(plan.structure).strip()
    props.last_modified_by = ""
    props.comments = ""
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    return doc


def open_document(path: str | Path) -> Document:
    """A saved document, to update (table of contents pages)."""
    return docx.Document(str(path))


def save(doc: Document, path: str | Path) -> Path:
    doc.save(str(path))
    return Path(path)


def document_text(doc: Document) -> str:
    """All text of the body, paragraph by paragraph (table cells included), line breaks kept."""
    lines = []
    for p in doc.element.body.iter(W_P):
        parts = []
        for node in p.iter(W_T, W_BR, W_TAB):
            parts.append(node.text or "" if node.tag == W_T else ("\n" if node.tag == W_BR else "\t"))
        lines.append("".join(parts))
    return "\n".join(lines)


def build_for_saving(plan: Plan, report: Report | None = None, *, base: str | Path | None = None) -> Document:
    """The document of `build_document`, only to be saved: its tables are kept as XML text, never parsed
    into elements, and go into document.xml when it is saved (a third of the time and most of the memory
    of a long plan). Its tree holds placeholders where the tables go; the saved file is the same."""
    deferred = _Deferred()
    doc = _build(plan, report, base, deferred)
    if deferred.chunks:
        part = doc.part
        part.__class__ = _SplicingDocumentPart
        part.deferred = deferred
    return doc


def write(plan: Plan, report: Report | None, path: str | Path, *, base: str | Path | None = None) -> Path:
    """Build and save in one call (`build_for_saving`)."""
    return save(build_for_saving(plan, report, base=base), path)


__all__ = ["CHUNK_ROWS", "build_document", "build_for_saving", "document_text", "format_amount", "format_date",
           "format_value", "load_base", "open_document", "save", "set_toc_pages", "toc_bookmarks", "write"]
