"""A Word plan's blocks placed into the workbook's data: cover, sections' rows, introductions, the rest kept."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from odplan_xl import schema
from odplan_xl.importer import audit, columns, headings, tables, values
from odplan_xl.importer.clues import (
    says,
    AUTHORS_LABEL,
    BULLET,
    NOT_APPLICABLE,
    YEAR,
    cover_field,
    form_prefix,
    is_decree_goal,
    is_body_name,
    is_unit_name,
    is_template_text,
    is_title,
    item_parts,
    name_list,
    plain_text,
    status_named,
    strip_instructions,
    team_side,
    title_score,
)
from odplan_xl.importer.headings import norm, similarity
from odplan_xl.plan.normalize import ascii_digits


_KINDS = {"p": "الفقرة", "t": "الجدول", "h": "العنوان"}
# An item's own label («داخليا: …»), taken out of its text once read as its subsection or form.
OWN_LABEL = re.compile(r"^([^:،؛\n]{1,30}):\s*(\S.*)$", re.S)
SAID_UNDER = "تحت العنوان"
TURNED = "العناوين في العمود الأول"


@dataclass(frozen=True)
class _Cell:
    text: str
    col: int
    span: int = 1
    continued: bool = False


@dataclass(frozen=True)
class _Table:
    rows: tuple[tuple[_Cell, ...], ...]


def _tab_fields(block) -> list[str] | None:
    if hasattr(block, "rows") or "\t" not in block.text.strip():
        return None
    text = block.text.strip()
    if headings.is_toc_line(text, block.style):
        return None
    fields = [f.strip() for f in text.split("\t")]
    return fields if len([f for f in fields if f]) >= 2 else None


def tab_tables(blocks: list) -> list:
    """Lines of tab-separated fields («النشاط⇥التاريخ⇥المسؤول» then one line per activity) as the table
    they stand for; a lone such line stays a paragraph."""
    out: list = []
    run: list[list[str]] = []
    kept: list = []

    def flush() -> None:
        if len(run) >= 2:
            rows = tables.cell_texts(run)
            out.append(_Table(tuple(tuple(_Cell(t, i) for i, t in enumerate(r)) for r in rows)))
        else:
            out.extend(kept)
        run.clear()
        kept.clear()

    for block in blocks:
        fields = _tab_fields(block)
        if fields is not None:
            run.append(fields)
            kept.append(block)
            continue
        flush()
        out.append(block)
    flush()
    return out
# A line that opens with a numbered heading and goes on with content after a colon.
_HEAD_AND_CONTENT = re.compile(r"^(.{3,80}?)\s*[:：]\s*(\S.*)$", re.S)
# The note on a cover cell of what the imported document itself said (its status, its dates).
COVER_NOTE = "في الوثيقة المستوردة"


class ParagraphLike(Protocol):
    text: str
    style: str
    heading: int | None
    listed: bool
    level: int
    bold: bool


@dataclass
class Placed:
    section: str             # a section key, "cover", "authors", "intro", "na"
    where: str
    text: str


@dataclass
class Unplaced:
    where: str
    text: str


@dataclass
class Imported:
    """What a document gave: the workbook's data, where each piece went, what could not be placed."""

    data: dict[str, Any]
    placed: list[Placed] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)     # sections found, in document order
    dropped: int = 0                                      # template wording recognised and left out
    rescued: int = 0                                      # officer text the self-audit found nowhere else


class Placer:
    """One walk over a document's blocks."""

    def __init__(self, wordings: dict[str, re.Pattern[str]], *, year: int | None = None,
                 self_audit: bool = True):
        self.wordings = {k: v for k, v in wordings.items()
                         if k not in ("gantt_activity", "gantt_section", "totals_amount", "totals_source",
                                      "footer_of", "footer_page", "grand_total", "header")}
        self.year = year
        self.generated = list(wordings.values())         # every sentence the plan's own documents print
        self.result = Imported(data={"cover": {}, "cover_notes": {}, "authors": [], "sections": {}, "na": {},
                                     "intro": {}, "sources": {}, "unplaced": []})
        self.self_audit = self_audit
        self.officer_text: list[audit.Source] = []      # what the officer wrote, by location
        self.written: dict[str, list[Any]] = {}         # what will be written, by the location it came from
        self.region = "cover"
        self.annex = ""
        self.sub: str | None = None           # the current subsection's category value
        self.form: str | None = None
        self.counts: Counter[str] = Counter()
        self.items: list[tuple] = []          # the current section's content, decided at its end
        self.toc = False
        self.cover_label: str | None = None
        self.title_next = False                  # the paragraph after the cover's title is the body's name
        self.structure_at: tuple[str, str] | None = None
        self.activities: dict[str, tuple[str, dict]] = {}   # norm(activity) -> (section, row)
        self.calendar_rows: dict[str, tuple[str, dict]] = {}

    # --- locations ------------------------------------------------------------------------------
    def _region_name(self) -> str:
        if self.region == "cover":
            return "الغلاف"
        if self.region == "annex":
            return f"«{self.annex}»"
        return f"القسم {schema.section(self.region).number}"

    def next_location(self, kind: str) -> str:
        """The next paragraph's or table's location in the current region (counted: call once per block)."""
        self.counts[f"{self.region}:{self.annex}:{kind}"] += 1
        n = self.counts[f"{self.region}:{self.annex}:{kind}"]
        return f"{self._region_name()}، {_KINDS[kind]} {n}"

    def unplaced(self, where: str, text: str) -> None:
        """Text kept as typed in «نص غير مصنف» with its location."""
        self.result.unplaced.append(Unplaced(where, text))
        self.officer(where, text)
        self.wrote(where, text)

    # --- the self-audit's records ---------------------------------------------------------------
    def officer(self, where: str, text: str) -> None:
        """Text the officer wrote at a location: it must end up somewhere."""
        if text.strip():
            self.officer_text.append(audit.Source(where, text))

    def wrote(self, where: str, *objs: Any) -> None:
        """What will be written from a location: rows (read at the end), values, labels consumed."""
        self.written.setdefault(audit.unit(where), []).extend(objs)

    # --- the walk -------------------------------------------------------------------------------
    def run(self, blocks: list) -> Imported:
        for block in tab_tables(blocks):
            if hasattr(block, "rows"):
                self.table(block)
            else:
                self.paragraph(block)
        self.close_region()
        self.finish()
        return self.result

    def paragraph(self, p: ParagraphLike) -> None:
        text = plain_text(p.text)
        if not text:
            return
        text = text.replace("\t", " ").strip()
        heading = headings.match(text, styled=p.heading, bold=p.bold, style=p.style, listed=p.listed)
        if self.region == "cover" and heading is not None and heading.kind != "toc" and (
                similarity(norm(text.rstrip(".:")), AUTHORS_LABEL) >= 0.85 or cover_field(text.rstrip(".:"))
                or is_title(text) and not (heading.kind == "section" and heading.score >= title_score(text))):
            heading = None          # the cover's own labels, not the sections' headings
        if norm(text) == norm("الفهرس") or norm(text) == "table des matieres":
            self.toc = True
            self.result.dropped += 1
            return
        if heading is not None and heading.kind == "toc" or (self.toc and heading is not None and
                                                             heading.kind in ("section", "sub", "form")
                                                             and re.search(r"\d\s*$", text)):
            self.result.dropped += 1
            return
        if (heading is None or heading.kind in ("section", "sub")) and self.region != "cover":
            split = self.heading_with_content(text, p)
            if split is not None:
                heading, head, content = split
                self.toc = False
                self.open_heading(heading, head)
                where = self.next_location("p")
                _, said_form, _ = says(head, "", schema.section(self.region))
                self.items.append(("p", content, where, True, self.sub, said_form or self.form))
                return
        if heading is not None and heading.kind in ("section", "sub", "form", "other"):
            self.toc = False
            if self.open_heading(heading, text):
                return
        if self.region == "communication":
            form = headings.form_of(text) or form_prefix(text)
            if form:
                self.form = form
                if headings.form_of(text) or is_template_text(text) or not strip_instructions(text):
                    self.result.dropped += 1
                    return
        where = self.next_location("p")
        if self.region == "cover":
            self.cover_paragraph(text, where, p.listed)
        elif self.region == "annex":
            self.unplaced(where, text)
        else:
            self.items.append(("p", text, where, p.listed or bool(BULLET.match(text)), self.sub, self.form))

    def heading_with_content(self, text: str, p: ParagraphLike) -> tuple[headings.Heading, str, str] | None:
        """A subsection's line carrying its content («1.6 إعادة الاستعمال الداخلي: ورشة … (جوان 2027).»):
        (the heading, its text, the content after the colon)."""
        m = _HEAD_AND_CONTENT.match(text)
        if not m:
            return None
        head, content = m.group(1).strip(), m.group(2).strip()
        n1, n2, rest = headings.split_number(head)
        if n1 is None or not content:
            return None
        numbered = headings.numbered_sub(n1, n2, re.sub(r"\(.*?\)", " ", rest))
        if numbered is not None:
            return headings.Heading("sub", section=numbered[0], sub=numbered[1], score=0.9), head, content
        h = headings.match(head, styled=p.heading, bold=p.bold, style=p.style)
        if h is not None and h.kind in ("section", "sub") and h.score >= 0.8:
            return h, head, content
        return None

    def open_heading(self, h: headings.Heading, text: str) -> bool:
        """Move to the section, subsection or part a heading opens; False when it is not one here.

        The heading's own words beyond its section's wording are kept (the self-audit checks them)."""
        opened = self._open_heading(h, text)
        if opened and h.kind != "other" and not any(g.fullmatch(text) for g in self.generated):
            where = self.next_location("h")
            self.officer(where, text)
            self.wrote(where, *headings.heading_names(h))
            form = headings.form_of(text) if h.kind == "sub" else None
            if form:
                self.wrote(where, *headings.FORM_VARIANTS[form])
        return opened

    def _open_heading(self, h: headings.Heading, text: str) -> bool:
        if h.kind == "form":
            if self.region != "communication" and h.section not in self.result.sections:
                self.switch(h.section or "communication")
            elif self.region != "communication":
                return False
            self.form = h.form
            self.result.dropped += 1
            return True
        if h.kind == "other":
            self.close_region()
            self.region, self.annex, self.sub, self.form = "annex", text[:60], None, None
            self.unplaced(f"«{self.annex}»", text)
            return True
        if h.kind == "sub":
            if self.region != h.section:
                self.switch(h.section)
            sec = schema.section(h.section)
            self.sub = next(s.value for s in sec.subsections if s.code == h.sub)
            self.form = None
            self.result.dropped += 1
            return True
        self.switch(h.section)
        self.result.dropped += 1
        return True

    def switch(self, key: str) -> None:
        self.close_region()
        self.region, self.annex, self.sub, self.form = key, "", None, None
        if key not in self.result.sections:
            self.result.sections.append(key)

    # --- the cover ------------------------------------------------------------------------------
    def cover_paragraph(self, text: str, where: str, listed: bool) -> None:
        cover = self.result.data["cover"]
        key = norm(text)
        if norm(schema.TITLE_AR) in key or norm(schema.TITLE_FR) in key:
            year = YEAR.search(ascii_digits(text))
            if year:
                cover.setdefault("year", int(year.group(1)))
            self.result.dropped += 1
            self.title_next = True
            return
        after_title, self.title_next = self.title_next, False
        m = self.wordings.get("cover_year")
        if m and m.fullmatch(text) and YEAR.search(ascii_digits(text)):
            cover.setdefault("year", int(YEAR.search(ascii_digits(text)).group(1)))
            self.result.placed.append(Placed("cover", where, text))
            self.officer(where, text)
            self.wrote(where, text)
            return
        for name in ("cover_errors", "toc_title"):
            if name in self.wordings and self.wordings[name].fullmatch(text):
                self.result.dropped += 1
                return
        body = strip_instructions(text)
        if not body:
            self.result.dropped += 1
            return
        label, sep, value = body.partition(":")
        if key.startswith(AUTHORS_LABEL) or similarity(norm(body), AUTHORS_LABEL) >= 0.85 or (
                sep and value.strip() and similarity(norm(label), AUTHORS_LABEL) >= 0.85):
            rest = body.split(":", 1)[1].strip() if ":" in body else ""
            if rest:                          # the team on the label's line: the lines after are not
                self.officer(where, rest)
                people = name_list(rest)
                if people is not None and not any(is_unit_name(n) for n in people[1]):
                    for name in people[1]:        # «فريق العمل: أ – ب – ج»: one author each
                        self.author(name, where)
                else:
                    self.author(rest, where)      # «الاسم - الإدارة - الصفة»
                self.cover_label = None
            else:
                self.cover_label = "authors"
                self.result.dropped += 1
            return
        field_key = cover_field(label) if sep else cover_field(body.rstrip(".:"))
        if field_key and sep and value.strip():
            self.cover_value(field_key, value.strip(), where, text)
            self.cover_label = None
            return
        if field_key and (not sep or not value.strip()):
            self.cover_label = field_key
            self.result.dropped += 1
            return
        if self.cover_label == "authors" and (listed or BULLET.match(body) or len(body) < 120):
            self.officer(where, body)
            self.author(body, where)
            return
        if self.cover_label and self.cover_label != "authors":
            self.cover_value(self.cover_label, body, where, text)
            self.cover_label = None
            return
        status = status_named(body) if not field_key else None
        if status:
            self.cover_value("status", status, where, text)
            return
        # the body's name: on the line after the title, as people write it, or a line that names a body
        if (after_title and len(body) <= 100 and not body.endswith((".", ":"))) or \
                ("structure" not in cover and is_body_name(body)):
            if "structure" in cover and self.structure_at:
                self.unplaced(*self.structure_at)      # what was taken for the name is kept
            self.structure_at = None
            self.cover_value("structure", body, where, text)
            return
        if "structure" not in cover and len(body) <= 80 and not body.endswith("."):
            self.structure_at = (where, text)          # a guess, which a line naming a body replaces
            self.cover_value("structure", body, where, text)
            return
        self.unplaced(where, text)

    def cover_value(self, key: str, value: str, where: str, text: str) -> None:
        """A cover field; the document's own status and dates are also kept, as typed, in the cell's note."""
        col = next(c for c in schema.COVER_FIELDS if c.key == key)
        warnings: list[str] = []
        parsed = values.cell_value(value, col, warnings)
        self.result.warnings += [f"{where}: {w}" for w in warnings]
        self.result.data["cover"][key] = parsed
        self.result.placed.append(Placed("cover", where, text))
        self.officer(where, strip_instructions(text))
        label = text.replace(value, " ") if value in text else ""      # the label as typed: the template's
        self.wrote(where, text if key in ("status", "prepared", "updated") else value, label)
        if key in ("status", "prepared", "updated"):
            notes = self.result.data["cover_notes"]
            said = f"{COVER_NOTE}: «{text}» ({where})"
            notes[key] = f"{notes[key]}\n{said}" if key in notes else said

    def author(self, text: str, where: str) -> None:
        parts = [p.strip() for p in re.split(r"\s[\-–—/|]\s|[،,:؛;]", BULLET.sub("", text)) if p.strip()]
        if not parts:
            return
        row = {"name": parts[0], "unit": parts[1] if len(parts) > 1 else None,
               "role": "، ".join(parts[2:]) or None}
        self.wrote(where, row)
        self.result.data["authors"].append(row)
        self.result.data["sources"].setdefault("authors", []).append(where)
        self.result.placed.append(Placed("authors", where, text))

    def cover_table(self, table, where: str) -> None:
        rows = [[c for c in row if not c.continued] for row in table.rows]
        texts = [[plain_text(c.text) for c in row] for row in rows]
        header = next((i for i, r in enumerate(texts) if len(columns.map_header(r, "authors")) >= 2), None)
        if header is not None:
            mapping = columns.map_header(texts[header], "authors")
            for r, row in enumerate(texts[header + 1:], header + 2):
                if not any(row) or row == texts[header]:
                    continue
                values_ = {mapping[i]: v or None for i, v in enumerate(row) if i in mapping}
                loc = f"{where}، السطر {r}"
                for i in mapping:
                    if i < len(row):
                        self.officer(loc, row[i])
                self.wrote(loc, values_)
                if any(values_.values()):
                    self.result.data["authors"].append(values_)
                    self.result.data["sources"].setdefault("authors", []).append(loc)
                    self.result.placed.append(Placed("authors", loc, " ".join(row)))
                for i, v in enumerate(row):
                    if v and i not in mapping:
                        self.unplaced(f"{loc}، الخانة {i + 1}", v)
            return
        for r, row in enumerate(texts, 1):
            cells = [t for t in row if t]
            loc = f"{where}، السطر {r}"
            if len(cells) == 2 and cover_field(cells[0].rstrip(":")):
                self.cover_value(cover_field(cells[0].rstrip(":")), cells[1], loc, " ".join(cells))
            elif len(cells) == 1 and (norm(cells[0]) == norm(schema.TITLE_AR)):
                self.result.dropped += 1
            else:
                for t in cells:
                    self.unplaced(loc, t)

    # --- tables ---------------------------------------------------------------------------------
    def table(self, table) -> None:
        where = self.next_location("t")
        if self.region == "cover":
            self.cover_table(table, where)
        elif self.region == "annex":
            for r, row in enumerate(table.rows, 1):
                for c in row:
                    if c.text.strip() and not c.continued:
                        self.unplaced(f"{where}، السطر {r}", c.text.strip())
        else:
            self.items.append(("t", table, where, True, self.sub, self.form))

    # --- a section's content --------------------------------------------------------------------
    def close_region(self) -> None:
        if self.region in ("cover", "annex"):
            return
        key = self.region
        sec = schema.section(key)
        items, self.items = self.items, []
        structured = any(kind == "t" or listed for kind, _, _, listed, _, _ in items)
        seen_structure = False
        for kind, obj, where, listed, sub, form in items:
            if kind == "t":
                seen_structure = self.section_table(sec, obj, where, sub, form) or seen_structure
                continue
            text = obj
            handled = self.known_sentence(sec, text, where)
            if handled:
                if handled == "form":
                    form = self.form
                continue
            body = strip_instructions(text)
            if not body or is_template_text(body):
                self.result.dropped += 1
                continue
            self.officer(where, body)
            if listed:
                seen_structure = True
                self.items_of(sec, body, where, sub, form, text)
            elif body.endswith(":") or structured:
                self.intro(sec, body, where)
            else:
                self.items_of(sec, body, where, sub, form, text)

    def items_of(self, sec: schema.Section, body: str, where: str, sub: str | None, form: str | None,
                 original: str) -> None:
        """The items one paragraph holds: names listed inline, several items, a budget in prose; each item's
        own words («غير فني», «داخليا», «رسمي») decide its subsection and form, with a warning when its
        heading said otherwise."""
        if sec.key == "team":
            names = name_list(body)
            if names is not None:
                label, found = names
                side = team_side(label) or sub
                self.wrote(where, label)
                for name in found:
                    self.add_row(sec, {"name": name}, where, side, form, original)
                return
        for piece, label in item_parts(body):
            piece = BULLET.sub("", piece)
            category, said_form, read = says(piece, label, sec)
            self.wrote(where, label, *read)
            own = OWN_LABEL.match(piece)
            if own and own.group(1) in read:
                piece = own.group(2)
            if category and sub and category != sub:
                self.result.warnings.append(f"{where}: «{piece[:50]}» → {category} ({SAID_UNDER} «{sub}»)")
            if said_form and form and said_form != form:
                self.result.warnings.append(f"{where}: «{piece[:50]}» → {said_form} ({SAID_UNDER} «{form}»)")
            clauses = values.budget_clauses(piece) if sec.key == "budget" else [piece]
            for clause in clauses:
                self.item_row(sec, clause, where, category or sub, said_form or form, original)

    def known_sentence(self, sec: schema.Section, text: str, where: str) -> str | None:
        """The plan's own generated sentences: a reason for not applying, labels, counts."""
        w = self.wordings
        m = w.get("not_applicable") and w["not_applicable"].fullmatch(text)
        if not m:
            m = NOT_APPLICABLE.match(text)
        if m and m.group(1).strip():
            self.result.data["na"][sec.key] = m.group(1).strip()
            self.result.placed.append(Placed("na", where, text))
            self.officer(where, m.group(1))
            self.wrote(where, m.group(1))
            return "na"
        for name in ("comm_formal", "comm_informal"):
            if name in w and w[name].fullmatch(text):
                self.form = schema.COMM_FORMAL if name == "comm_formal" else schema.COMM_INFORMAL
                self.result.dropped += 1
                return "form"
        for name, pattern in w.items():
            if name not in ("not_applicable", "cover_year") and pattern.fullmatch(text):
                self.result.dropped += 1
                return "generated"
        if sec.decree_intro and is_decree_goal(text):
            self.result.dropped += 1
            return "generated"
        return None

    def intro(self, sec: schema.Section, text: str, where: str) -> None:
        intro = self.result.data["intro"]
        intro[sec.key] = f"{intro[sec.key]}\n{text}" if sec.key in intro else text
        self.result.placed.append(Placed("intro", where, text))
        self.wrote(where, text)

    def add_row(self, sec: schema.Section, row: dict, where: str, sub: str | None, form: str | None,
                text: str, *, derived: bool = False) -> None:
        """Add a row to its section; `derived`: a table the plan's document computes (the Gantt calendar)."""
        if sec.category and not row.get(sec.category) and sub:
            row[sec.category] = sub
        if sec.key == "communication" and not row.get("form") and form:
            row["form"] = form
        main = sec.activity or sec.columns[0].key
        label = row.get(main)
        if isinstance(label, str) and sec.key == "calendar":
            twin = self.activities.get(norm(label.rstrip(" *")))
            if twin is None and derived:
                twin = self.calendar_rows.get(norm(label.rstrip(" *")))
            if twin is not None:          # the calendar repeating an activity of another section
                other = twin[1]
                for k in ("start", "end"):
                    if row.get(k) and not other.get(k):
                        other[k] = row[k]
                self.result.placed.append(Placed(twin[0], where, text))
                self.wrote(where, other, row)
                return
        rows = self.result.data["sections"].setdefault(sec.key, [])
        rows.append(row)
        self.wrote(where, row)
        self.result.data["sources"].setdefault(sec.key, []).append(where)
        self.result.placed.append(Placed(sec.key, where, text))
        if isinstance(label, str):
            (self.activities if sec.key != "calendar" else self.calendar_rows).setdefault(
                norm(label), (sec.key, row))

    def item_row(self, sec: schema.Section, text: str, where: str, sub: str | None, form: str | None,
                 original: str) -> None:
        labels = columns.inline_labels(sec.key)
        got = values.budget_line(text, sec, labels) if sec.key == "budget" else values.extract(text, sec, labels)
        self.wrote(where, *got.consumed)
        row = dict(got.values)
        main = sec.activity or sec.columns[0].key
        row[main] = got.rest or text
        self.result.warnings += [f"{where}: {w}" for w in got.warnings]
        self.add_row(sec, row, where, sub, form, original)

    # One Word table walked row by row (title rows, repeated headers, merged cells, subsections): one pass.
    def section_table(self, sec: schema.Section, table, where: str, sub: str | None, form: str | None) -> bool:
        """Rows of a table under its header's columns; True when the table gave rows."""
        texts = [[plain_text(c.text) for c in row] for row in table.rows]
        if not texts:
            return False
        texts, turned = tables.orient(texts, sec)
        if turned:
            where = f"{where} ({TURNED})"
        header = tables.find_header(texts, sec)
        if header is None:
            return self.loose_table(sec, texts, where, sub, form)
        if tables.is_totals_table(header, sec, texts):
            self.result.dropped += 1
            return False
        derived = header.gantt or tables.is_undated_list(header, sec)
        gave = False
        for r in range(header.index + 1, len(texts)):
            row_texts = texts[r]
            loc = f"{where}، السطر {r + 1}"
            if not any(row_texts) or row_texts == header.labels:
                continue
            lone = tables.lone_text(row_texts, header, sec)
            if lone is not None:
                sub, form = self.table_title_row(sec, lone, loc, sub, form)
                continue
            if tables.is_total_row(row_texts, header, sec):
                self.result.dropped += 1
                continue
            got = tables.row_values(sec, header, row_texts)
            for i, t in enumerate(row_texts):
                if t and not tables.is_month_column(header, i) and i not in dict(got.leftovers):
                    self.officer(loc, t)
            self.wrote(loc, *header.labels)
            for i, t in got.leftovers:
                label = header.labels[i] if i < len(header.labels) else ""
                self.unplaced(f"{loc}، الخانة {i + 1}", f"{label}: {t}" if label else t)
            self.result.warnings += [f"{loc}: {w}" for w in got.warnings]
            if got.row:
                self.add_row(sec, got.row, loc, sub, form, " ".join(row_texts), derived=derived)
                gave = True
        return gave

    def table_title_row(self, sec: schema.Section, text: str, loc: str, sub: str | None,
                        form: str | None) -> tuple[str | None, str | None]:
        """A row with one text across: a subsection or a form when it names one, else kept unplaced."""
        h = headings.match(text, styled=2, bold=True)
        if h is not None and h.kind == "sub" and h.section == sec.key:
            self.result.dropped += 1
            return next(s.value for s in sec.subsections if s.code == h.sub), form
        if h is not None and h.kind == "form":
            self.result.dropped += 1
            return sub, h.form
        self.unplaced(loc, text)
        return sub, form

    def loose_table(self, sec, texts, where, sub, form) -> bool:
        """A table without a recognisable header: one item per row, its cells joined."""
        gave = False
        for r, row in enumerate(texts, 1):
            parts = [t for t in row if t]
            if not parts:
                continue
            loc = f"{where}، السطر {r}"
            text = " - ".join(dict.fromkeys(parts))
            if is_template_text(text):
                self.result.dropped += 1
                continue
            self.item_row(sec, text, loc, sub, form, text)
            gave = True
        return gave

    # --- the end --------------------------------------------------------------------------------
    def finish(self) -> None:
        data = self.result.data
        cover = data["cover"]
        if self.year is not None:
            cover["year"] = self.year
        elif not isinstance(cover.get("year"), int):
            years = Counter(v.year for rows in data["sections"].values() for row in rows for v in row.values()
                            if hasattr(v, "year") and hasattr(v, "month"))
            if years:
                cover["year"] = years.most_common(1)[0][0]
                self.result.warnings.append(f"{schema.COVER_FIELDS[1].ar}: {cover['year']}")
        cover["status"] = schema.STATUS_DRAFT
        if self.self_audit:
            for source in audit.missing(self.officer_text, self.written):
                self.result.unplaced.append(Unplaced(source.where, source.text))
                self.result.rescued += 1
        data["unplaced"] = [(u.where, u.text) for u in self.result.unplaced]


def place(blocks: list, wordings: dict[str, re.Pattern[str]], *, year: int | None = None,
          self_audit: bool = True) -> Imported:
    """Place a document's blocks (word.reading) into a workbook's data.

    `self_audit` (on unless a test switches it off): officer text found nowhere in what will be written
    goes to «نص غير مصنف».
    """
    return Placer(wordings, year=year, self_audit=self_audit).run(blocks)
