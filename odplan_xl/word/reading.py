"""A Word document read into plain blocks: paragraphs (style, heading level, list level, bold) and tables."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from odplan_xl.errors import OdplanError
from odplan_xl.package import declares_dtd, inspect_package

# Parts are parsed once more here, before python-docx, to refuse any that declares a DTD: python-docx
# leaves entities unresolved, but a declared entity is never part of an honest Word document.
_GUARD_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False,
                                remove_blank_text=False)
_HEADING_STYLE = re.compile(r"^(?:heading|titre|عنوان|überschrift|título)\s*(\d)$", re.I)
_LIST_STYLE = re.compile(r"list|liste|قائمة|تعداد", re.I)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the body (or of a table cell), as text with what its formatting says."""

    text: str
    style: str = ""              # the style's name ("Heading 1", "List Bullet", "Normal")
    heading: int | None = None   # outline level 1..9 (Heading styles or an outline level), else None
    listed: bool = False         # a Word list item (numbering or a list style)
    level: int = 0               # the list level (0 = top)
    bold: bool = False           # every run with text is bold


@dataclass(frozen=True)
class Cell:
    text: str
    col: int                     # first grid column
    span: int = 1                # grid columns covered (horizontal merge)
    continued: bool = False      # the lower part of a vertical merge: text is the merge's, repeated


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def width(self) -> int:
        return max((c.col + c.span for row in self.rows for c in row), default=0)


@dataclass
class WordDocument:
    blocks: list[Paragraph | Table] = field(default_factory=list)


def _word_kind(zf: zipfile.ZipFile, names: set[str]) -> None:
    if "word/document.xml" not in names:
        raise OdplanError("not-a-docx", where=Path(zf.filename or "").name)


def _refuse_dtd(path: Path) -> None:
    """Every XML part parsed without entities; one that declares a DTD is refused (unsafe-xml)."""
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.filename.lower().endswith((".xml", ".rels")):
                    continue
                data = zf.read(info)
                try:
                    tree = etree.fromstring(data, _GUARD_PARSER).getroottree()
                except etree.XMLSyntaxError as exc:
                    if declares_dtd(data):
                        raise OdplanError("unsafe-xml", where=path.name) from exc
                    raise OdplanError("not-a-docx", where=path.name) from exc
                if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
                    raise OdplanError("unsafe-xml", where=f"{path.name}: {info.filename}")
    except (zipfile.BadZipFile, EOFError, NotImplementedError, ValueError, OSError) as exc:
        raise OdplanError("not-a-docx", where=path.name) from exc


def read_document(path: str | Path) -> WordDocument:
    """The body of a .docx as blocks, after the package guards (OdplanError when it cannot be used)."""
    path = Path(path)
    inspect_package(path, expected="document", kind=_word_kind)
    _refuse_dtd(path)
    try:
        document = docx.Document(str(path))
        return _Reader(document).read()
    except OdplanError:
        raise
    except Exception as exc:  # python-docx raises many types on damaged parts
        raise OdplanError("not-a-docx", where=path.name) from exc


class _Reader:
    def __init__(self, document) -> None:
        self.doc = document
        self.styles: dict[str, tuple[str, int | None, bool, bool]] = {}
        try:
            styles = list(document.styles)
        except Exception:  # a document without a styles part
            styles = []
        by_id = {}
        for st in styles:
            try:
                by_id[st.style_id] = st
            except Exception:
                continue
        for sid, st in by_id.items():
            self.styles[sid] = self._style_facts(st)

    @staticmethod
    def _style_facts(st) -> tuple[str, int | None, bool, bool]:
        """(name, heading level, is a list style, is bold), following the styles it is based on."""
        name = st.name or ""
        level = None
        listed = bool(_LIST_STYLE.search(name))
        bold = False
        seen = 0
        cur = st
        while cur is not None and seen < 10:
            el = cur.element
            m = _HEADING_STYLE.match(cur.name or "")
            if level is None and m:
                level = int(m.group(1))
            lvl = el.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
            if level is None and lvl is not None and (lvl.get(qn("w:val")) or "").isdigit():
                v = int(lvl.get(qn("w:val")))
                level = v + 1 if v < 9 else None
            if el.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
                listed = True
            b = el.find(f"{qn('w:rPr')}/{qn('w:b')}")
            if b is not None and not bold:
                bold = b.get(qn("w:val")) not in ("0", "false")
            try:
                cur = cur.base_style
            except Exception:
                cur = None
            seen += 1
        return name, level, listed, bold

    def read(self) -> WordDocument:
        out = WordDocument()
        self._container(self.doc.element.body, out.blocks)
        return out

    def _container(self, parent, blocks: list) -> None:
        for child in parent:
            tag = child.tag
            if tag == qn("w:p"):
                blocks.append(self._paragraph(child))
            elif tag == qn("w:tbl"):
                blocks.append(self._table(child))
            elif tag in (qn("w:sdt"), qn("w:customXml")):
                content = child.find(qn("w:sdtContent")) if tag == qn("w:sdt") else child
                if content is not None:
                    self._container(content, blocks)

    def _paragraph(self, p) -> Paragraph:
        text = _text(p)
        ppr = p.find(qn("w:pPr"))
        sid = ""
        level = None
        listed = False
        ilvl = 0
        if ppr is not None:
            ps = ppr.find(qn("w:pStyle"))
            sid = ps.get(qn("w:val"), "") if ps is not None else ""
            num = ppr.find(qn("w:numPr"))
            if num is not None:
                num_id = num.find(qn("w:numId"))
                listed = num_id is None or num_id.get(qn("w:val")) != "0"
                lv = num.find(qn("w:ilvl"))
                if lv is not None and (lv.get(qn("w:val")) or "").isdigit():
                    ilvl = int(lv.get(qn("w:val")))
            ol = ppr.find(qn("w:outlineLvl"))
            if ol is not None and (ol.get(qn("w:val")) or "").isdigit() and int(ol.get(qn("w:val"))) < 9:
                level = int(ol.get(qn("w:val"))) + 1
        name, style_level, style_list, style_bold = self.styles.get(sid, (sid, None, False, False))
        if level is None:
            level = style_level
        listed = listed or style_list
        return Paragraph(text=text, style=name, heading=level, listed=listed, level=ilvl,
                         bold=_all_bold(p, style_bold))

    def _table(self, tbl) -> Table:
        rows: list[tuple[Cell, ...]] = []
        above: dict[int, str] = {}          # grid column -> text of a vertical merge started above
        for tr in tbl.iter(qn("w:tr")):
            if _owner_table(tr) is not tbl:
                continue                    # a row of a nested table: its text is in its cell's text
            col = 0
            grid_before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
            if grid_before is not None and (grid_before.get(qn("w:val")) or "").isdigit():
                col = int(grid_before.get(qn("w:val")))
            cells = []
            for tc in tr.findall(qn("w:tc")):
                tcpr = tc.find(qn("w:tcPr"))
                span = 1
                vmerge = None
                if tcpr is not None:
                    gs = tcpr.find(qn("w:gridSpan"))
                    if gs is not None and (gs.get(qn("w:val")) or "").isdigit():
                        span = max(1, min(64, int(gs.get(qn("w:val")))))
                    vm = tcpr.find(qn("w:vMerge"))
                    if vm is not None:
                        vmerge = vm.get(qn("w:val")) or "continue"
                text = "\n".join(t for t in (_text(p) for p in tc.iter(qn("w:p"))) if t.strip())
                if vmerge == "continue":
                    cells.append(Cell(above.get(col, ""), col, span, continued=True))
                else:
                    if vmerge == "restart":
                        above[col] = text
                    else:
                        above.pop(col, None)
                    cells.append(Cell(text, col, span))
                col += span
            rows.append(tuple(cells))
        return Table(tuple(rows))


def _owner_table(tr):
    parent = tr.getparent()
    while parent is not None and parent.tag != qn("w:tbl"):
        parent = parent.getparent()
    return parent


_TEXT_TAGS = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n",
              qn("w:noBreakHyphen"): "-"}


def _text(p) -> str:
    """The paragraph's visible text: runs, hyperlinks, insertions; not deleted text nor field codes."""
    parts = []
    for el in p.iter(*_TEXT_TAGS):
        anc = el.getparent()
        skip = False
        while anc is not None and anc is not p:
            if anc.tag in (qn("w:del"), qn("w:moveFrom")):
                skip = True
                break
            anc = anc.getparent()
        if skip:
            continue
        fixed = _TEXT_TAGS[el.tag]
        parts.append(el.text or "" if fixed is None else fixed)
    return "".join(parts)


def _all_bold(p, style_bold: bool) -> bool:
    seen = False
    for r in p.iter(qn("w:r")):
        t = "".join(x.text or "" for x in r.iter(qn("w:t")))
        if not t.strip():
            continue
        seen = True
        b = r.find(f"{qn('w:rPr')}/{qn('w:b')}")
        bold = style_bold if b is None else b.get(qn("w:val")) not in ("0", "false")
        if not bold:
            return False
    return seen


_ARG = "\x00"


def document_wordings() -> dict[str, re.Pattern[str]]:
    """The fixed sentences the plan's own documents print (texts/word_ar.j2), as patterns.

    Arguments become wildcards: "لا ينطبق هذا القسم ... السبب: (.*)" finds the reason again.
    """
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("odplan_xl", "texts"), autoescape=False,
                             keep_trailing_newline=False)
    module = env.get_template("word_ar.j2").module
    found: dict[str, re.Pattern[str]] = {}
    for name in dir(module):
        macro = getattr(module, name)
        if name.startswith("_") or not callable(macro):
            continue
        nargs = len(getattr(macro, "arguments", ()))
        variants = []
        if name == "intro":
            from odplan_xl import schema
            variants = [str(macro(s.key, _ARG)) for s in schema.SECTIONS]
        else:
            variants = [str(macro(*([_ARG] * nargs)))]
        for i, rendered in enumerate(variants):
            rendered = rendered.strip()
            if not rendered.replace(_ARG, "").strip():
                continue
            pattern = re.escape(rendered).replace(re.escape(_ARG), "(.*?)").replace(_ARG, "(.*?)")
            found[f"{name}{i or ''}"] = re.compile(pattern + r"\s*$", re.S)
    return found
