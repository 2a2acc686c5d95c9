"""Two versions of a document as one with Word tracked changes: NEW's text, OLD's marked deleted.

ECMA-376 Part 1 §17.13.5 (see notes/office-reality.md): inserted runs in `w:ins`, deleted runs in `w:del`
with `w:delText`; a paragraph mark inserted or deleted in `w:pPr/w:rPr`; a table row inserted or deleted
in `w:trPr`, its runs marked as well. Accepting every change gives NEW's document, rejecting every change
OLD's. Blocks (paragraphs, tables) are aligned by their text, table rows by their cells' text; a changed
cell or paragraph keeps NEW's properties, OLD's runs deleted before NEW's inserted. Formatting alone
(a cell's shading, a page's orientation) is NEW's, untracked.
"""

from __future__ import annotations

import copy
import difflib
import io
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from lxml import etree

from odplan_xl.word.oxml import W_INSTR, W_P, W_PPR, W_R, W_RPR, W_SECTPR, W_T, qn

if TYPE_CHECKING:
    from odplan_xl.plan.model import Plan
    from odplan_xl.rules.findings import Report

AUTHOR = "odplan-xl"
W_TBL, W_TR, W_TC, W_TRPR, W_TBLGRID = qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:trPr"), qn("w:tblGrid")
W_INS, W_DEL, W_DELTEXT, W_DELINSTR = qn("w:ins"), qn("w:del"), qn("w:delText"), qn("w:delInstrText")
W_ID, W_AUTHOR, W_DATE = qn("w:id"), qn("w:author"), qn("w:date")
W_BOOKMARK_START, W_BOOKMARK_END = qn("w:bookmarkStart"), qn("w:bookmarkEnd")
W_TCPR, W_TBLPREX, W_GRIDCOL = qn("w:tcPr"), qn("w:tblPrEx"), qn("w:gridCol")
_TEXTS = (W_T, qn("w:tab"), qn("w:br"), qn("w:cr"))
# children of w:pPr that come after w:rPr (CT_PPr), and of w:trPr after w:ins/w:del (CT_TrPr)
_AFTER_RPR = (W_SECTPR, qn("w:pPrChange"))


class _Marks:
    """The revision attributes: one author and date, ids unique in the whole document."""

    def __init__(self, date: str, first_id: int):
        self.date = date
        self.ids = itertools.count(first_id)

    def mark(self, tag: str) -> etree._Element:
        return etree.Element(tag, {W_ID: str(next(self.ids)), W_AUTHOR: AUTHOR, W_DATE: self.date})


def _text(node: etree._Element) -> str:
    out = []
    for n in node.iter(*_TEXTS):
        out.append(n.text or "" if n.tag == W_T else "\t" if n.tag == qn("w:tab") else "\n")
    return "".join(out)


def _runs(node: etree._Element) -> list[etree._Element]:
    """The runs of a paragraph (in hyperlinks and fields too), not those of its properties."""
    return [r for r in node.iter(W_R) if not any(a.tag == W_PPR for a in r.iterancestors())]


def _as_deleted(run: etree._Element) -> etree._Element:
    run = copy.deepcopy(run)
    for t in run.iter(W_T):
        t.tag = W_DELTEXT
    for t in run.iter(W_INSTR):
        t.tag = W_DELINSTR
    return run


def _mark_paragraph(p: etree._Element, tag: str, marks: _Marks) -> None:
    """The paragraph mark inserted (w:ins) or deleted (w:del): first child of w:pPr/w:rPr (CT_ParaRPr)."""
    ppr = p.find(W_PPR)
    if ppr is None:
        ppr = etree.Element(W_PPR)
        p.insert(0, ppr)
    rpr = ppr.find(W_RPR)
    if rpr is None:
        rpr = etree.Element(W_RPR)
        after = next((c for c in ppr if c.tag in _AFTER_RPR), None)
        if after is not None:
            after.addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, marks.mark(tag))


def _wrap_inserted(p: etree._Element, marks: _Marks) -> None:
    """Every run of `p` inside a w:ins, where it stands."""
    for r in _runs(p):
        wrapper = marks.mark(W_INS)
        r.addprevious(wrapper)
        wrapper.append(r)


def _deleted_runs(p: etree._Element, marks: _Marks) -> etree._Element | None:
    """The runs of `p` as one w:del (bookmarks and hyperlinks of deleted text dropped)."""
    runs = _runs(p)
    if not runs:
        return None
    wrapper = marks.mark(W_DEL)
    wrapper.extend(_as_deleted(r) for r in runs)
    return wrapper


def _after_ppr(p: etree._Element) -> int:
    return 1 if len(p) and p[0].tag == W_PPR else 0


def inserted_paragraph(p: etree._Element, marks: _Marks, *, mark: bool = True) -> etree._Element:
    p = copy.deepcopy(p)
    _wrap_inserted(p, marks)
    if mark:
        _mark_paragraph(p, W_INS, marks)
    return p


def deleted_paragraph(p: etree._Element, marks: _Marks, *, mark: bool = True) -> etree._Element:
    out = etree.Element(W_P)
    ppr = p.find(W_PPR)
    if ppr is not None:
        out.append(copy.deepcopy(ppr))
    deleted = _deleted_runs(p, marks)
    if deleted is not None:
        out.append(deleted)
    if mark:
        _mark_paragraph(out, W_DEL, marks)
    return out


def changed_paragraphs(old: Sequence[etree._Element], new: Sequence[etree._Element],
                       marks: _Marks) -> list[etree._Element]:
    """OLD's paragraphs deleted, then NEW's inserted; the last paragraph shared (its mark untracked):
    accepting gives NEW's paragraphs, rejecting OLD's, with no paragraph more or less."""
    out = [deleted_paragraph(p, marks) for p in old[:-1]]
    out += [inserted_paragraph(p, marks) for p in new[:-1]]
    last = inserted_paragraph(new[-1], marks, mark=False)
    deleted = _deleted_runs(old[-1], marks)
    if deleted is not None:
        last.insert(_after_ppr(last), deleted)
    return out + [last]


# --- tables ---------------------------------------------------------------------------------------------
def _mark_row(tr: etree._Element, tag: str, marks: _Marks) -> None:
    trpr = tr.find(W_TRPR)
    if trpr is None:
        trpr = etree.Element(W_TRPR)
        tr.insert(1 if len(tr) and tr[0].tag == W_TBLPREX else 0, trpr)
    change = trpr.find(qn("w:trPrChange"))
    if change is not None:
        change.addprevious(marks.mark(tag))
    else:
        trpr.append(marks.mark(tag))


def _cells(tr: etree._Element) -> list[etree._Element]:
    return tr.findall(W_TC)


def inserted_row(tr: etree._Element, marks: _Marks) -> etree._Element:
    tr = copy.deepcopy(tr)
    for p in tr.iter(W_P):
        _wrap_inserted(p, marks)
    _mark_row(tr, W_INS, marks)
    return tr


def deleted_row(tr: etree._Element, marks: _Marks) -> etree._Element:
    tr = copy.deepcopy(tr)
    for p in list(tr.iter(W_P)):
        replacement = deleted_paragraph(p, marks, mark=False)
        p.getparent().replace(p, replacement)
    for b in list(tr.iter(W_BOOKMARK_START, W_BOOKMARK_END)):
        b.getparent().remove(b)
    _mark_row(tr, W_DEL, marks)
    return tr


def _cell_paragraphs(tc: etree._Element) -> list[etree._Element]:
    return [c for c in tc if c.tag == W_P]


def changed_row(old: etree._Element, new: etree._Element, marks: _Marks) -> etree._Element:
    """NEW's row; in each cell whose text changed, OLD's paragraphs deleted before NEW's inserted."""
    tr = copy.deepcopy(new)
    for tc_old, tc in zip(_cells(old), _cells(tr), strict=True):
        if _text(tc_old) == _text(tc):
            continue
        old_ps, new_ps = _cell_paragraphs(tc_old), _cell_paragraphs(tc)
        if not old_ps or not new_ps or any(c.tag not in (W_P, W_TCPR) for c in (*tc_old, *tc)):
            continue              # nested tables: not in our documents
        merged = changed_paragraphs(old_ps, new_ps, marks)
        for p in new_ps:
            tc.remove(p)
        tc.extend(merged)
    return tr


def _row_key(tr: etree._Element) -> tuple[str, ...]:
    return tuple(_text(tc) for tc in _cells(tr))


def _grid(tbl: etree._Element) -> int:
    grid = tbl.find(W_TBLGRID)
    return len(grid.findall(W_GRIDCOL)) if grid is not None else 0


def changed_table(old: etree._Element, new: etree._Element, marks: _Marks) -> etree._Element:
    """NEW's table, rows aligned by their cells' text: rows inserted, deleted, or changed cell by cell."""
    tbl = copy.deepcopy(new)
    old_rows, new_rows = old.findall(W_TR), tbl.findall(W_TR)
    for tr in new_rows:
        tbl.remove(tr)
    matcher = difflib.SequenceMatcher(None, [_row_key(r) for r in old_rows], [_row_key(r) for r in new_rows],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            tbl.extend(new_rows[j1:j2])
            continue
        olds, news = old_rows[i1:i2], new_rows[j1:j2]
        paired = 0
        if op == "replace":
            for a, b in zip(olds, news):
                if len(_cells(a)) != len(_cells(b)):
                    break
                paired += 1
        for a, b in zip(olds[:paired], news[:paired]):
            tbl.append(changed_row(a, b, marks))
        tbl.extend(deleted_row(r, marks) for r in olds[paired:])
        tbl.extend(inserted_row(r, marks) for r in news[paired:])
    return tbl


def inserted_table(tbl: etree._Element, marks: _Marks) -> etree._Element:
    tbl = copy.deepcopy(tbl)
    for tr in tbl.findall(W_TR):
        tbl.replace(tr, inserted_row(tr, marks))
    return tbl


def deleted_table(tbl: etree._Element, marks: _Marks) -> etree._Element:
    tbl = copy.deepcopy(tbl)
    for tr in tbl.findall(W_TR):
        tbl.replace(tr, deleted_row(tr, marks))
    return tbl


# --- blocks of a body (or a header) --------------------------------------------------------------------
def _key(node: etree._Element) -> tuple[str, ...]:
    if node.tag == W_P:
        ppr = node.find(W_PPR)
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        breaks = "sect" if ppr is not None and ppr.find(W_SECTPR) is not None else ""
        return ("p", style.get(qn("w:val")) if style is not None else "", breaks, _text(node))
    if node.tag == W_TBL:
        rows = node.findall(W_TR)
        return ("tbl", str(_grid(node)), "|".join(_row_key(rows[0])) if rows else "")
    return (etree.QName(node).localname,)


def _deleted(node: etree._Element, marks: _Marks) -> etree._Element:
    if node.tag == W_P:
        return deleted_paragraph(node, marks)
    if node.tag == W_TBL:
        return deleted_table(node, marks)
    return copy.deepcopy(node)


def _inserted(node: etree._Element, marks: _Marks) -> etree._Element:
    if node.tag == W_P:
        return inserted_paragraph(node, marks)
    if node.tag == W_TBL:
        return inserted_table(node, marks)
    return copy.deepcopy(node)


def _pairs(olds: Sequence[etree._Element], news: Sequence[etree._Element]) -> list[tuple[int, int]]:
    """Blocks changed in place: paragraphs in order (section breaks with section breaks), tables of the
    same grid in order; pairs that would cross (reorder) are dropped."""
    def kind(node: etree._Element) -> tuple[str, ...] | None:
        if node.tag == W_P:
            return _key(node)[:3:2]             # ("p", "sect" or "")
        if node.tag == W_TBL:
            return _key(node)[:2]               # ("tbl", columns)
        return None

    candidates = []
    for k in {kind(n) for n in olds} - {None}:
        a = [i for i, n in enumerate(olds) if kind(n) == k]
        b = [j for j, n in enumerate(news) if kind(n) == k]
        candidates += zip(a, b)
    pairs, last = [], -1
    for i, j in sorted(candidates):
        if j > last:
            pairs.append((i, j))
            last = j
    return pairs


def _segment(olds: Sequence[etree._Element], news: Sequence[etree._Element], marks: _Marks
             ) -> Iterator[etree._Element]:
    """OLD's blocks deleted and NEW's inserted, interleaved so that no tracked paragraph mark stands
    right before a table: LibreOffice cannot join such a paragraph to what follows (Word's tables are
    never joined either). Each side keeps its order, which is all accepting or rejecting reads."""
    i = j = 0
    while i < len(olds) or j < len(news):
        if i < len(olds) and olds[i].tag == W_TBL:
            yield _deleted(olds[i], marks)
            i += 1
        elif j < len(news) and news[j].tag == W_TBL:
            yield _inserted(news[j], marks)
            j += 1
        elif i < len(olds):
            yield _deleted(olds[i], marks)
            i += 1
        else:
            yield _inserted(news[j], marks)
            j += 1


def merge_blocks(old: Sequence[etree._Element], new: Sequence[etree._Element], marks: _Marks
                 ) -> Iterator[etree._Element]:
    """NEW's blocks with OLD's differences as tracked changes."""
    old_keys, new_keys = [_key(n) for n in old], [_key(n) for n in new]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2]):
                if b.tag == W_TBL and etree.tostring(a) != etree.tostring(b):
                    yield changed_table(a, b, marks)
                else:
                    yield b
            continue
        olds, news = old[i1:i2], new[j1:j2]
        ci = cj = 0
        for i, j in _pairs(olds, news):
            yield from _segment(olds[ci:i], news[cj:j], marks)
            if news[j].tag == W_P:
                yield from changed_paragraphs([olds[i]], [news[j]], marks)
            else:
                yield changed_table(olds[i], news[j], marks)
            ci, cj = i + 1, j + 1
        yield from _segment(olds[ci:], news[cj:], marks)


def _max_id(root: etree._Element) -> int:
    """The largest w:id of a part (bookmarks, comments): revisions are numbered above it."""
    ids = [int(v) for node in root.iter() if (v := node.get(W_ID)) is not None and v.lstrip("-").isdigit()]
    return max(ids, default=0)


def _merge_part(old_xml: bytes, new_xml: bytes, marks: _Marks, container: str | None) -> bytes:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    old_root, new_root = etree.fromstring(old_xml, parser), etree.fromstring(new_xml, parser)
    old_box = old_root.find(container) if container else old_root
    new_box = new_root.find(container) if container else new_root
    if old_box is None or new_box is None:
        return new_xml
    tail = [c for c in new_box if c.tag == W_SECTPR]
    old_blocks = [c for c in old_box if c.tag != W_SECTPR]
    new_blocks = [c for c in new_box if c.tag != W_SECTPR]
    merged = list(merge_blocks(old_blocks, new_blocks, marks))
    for c in list(new_box):
        new_box.remove(c)
    new_box.extend(merged)
    new_box.extend(tail)
    return etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)


def tracked_changes(old_docx: bytes, new_docx: bytes, date: str) -> bytes:
    """NEW's package with its body and headers carrying OLD's differences as tracked changes.

    `date` is the revisions' xsd:dateTime ("2027-06-30T00:00:00Z").
    """
    with zipfile.ZipFile(io.BytesIO(old_docx)) as zo, zipfile.ZipFile(io.BytesIO(new_docx)) as zn:
        old_names = set(zo.namelist())
        body = zn.read("word/document.xml")
        marks = _Marks(date, _max_id(etree.fromstring(body)) + 1 + 100_000)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zw:
            for info in zn.infolist():
                data = zn.read(info.filename)
                name = info.filename
                if name == "word/document.xml":
                    data = _merge_part(zo.read(name), data, marks, qn("w:body"))
                elif name.startswith("word/header") and name.endswith(".xml") and name in old_names:
                    data = _merge_part(zo.read(name), data, marks, None)
                zw.writestr(info, data)
    return out.getvalue()


def tracked_document(old: tuple[Plan, Report | None], new: tuple[Plan, Report | None], date: str, *,
                     base: str | None = None) -> bytes:
    """The plan document of NEW with OLD's differences as tracked changes; `old`, `new`: (Plan, Report)."""
    from odplan_xl.word.document import build_for_saving   # python-docx only when a document is built

    blobs = []
    for plan, report in (old, new):
        buffer = io.BytesIO()
        build_for_saving(plan, report, base=base).save(buffer)
        blobs.append(buffer.getvalue())
    return tracked_changes(blobs[0], blobs[1], date)
