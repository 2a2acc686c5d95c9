"""Figures of an imported corpus document against its truth file, read back with openpyxl alone.

- lost: a piece of officer text (a paragraph, a cell, or one item of a paragraph holding several) whose
  words are in no single row of its section's table, its introduction or reason, the cover, or «نص غير مصنف»;
- placed: an item whose text is in its own section's table (main column);
- wrong subsection: placed, but under another subsection (or communication form) than the truth's.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from odplan_xl import schema
from odplan_xl.plan.normalize import ascii_digits, choice_key

UNPLACED_SHEET = "نص غير مصنف"
_PUNCT = re.compile(r"[\[\](){}.:،,;؛\"'«»\-–—…_*/\\!?؟]+")
# words that become values (dates, amounts, sources) or are the labels, links and markers around them
_IGNORED = {"لا", "ينطبق", "من", "الى", "إلى", "في", "خلال", "و", "ألف", "دينار", "د", "صيغة", "صيغه", "المسؤول",
            "الثلاثي", "الأول", "الثاني", "الثالث", "الرابع", "إطار", "بتمويل", "داخليا", "خارجيا", "فني", "غير",
            "رسمي", "تكوين", "نسخة", "نسخه", "حول", *schema.MONTHS_AR}


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", _PUNCT.sub(" ", choice_key(ascii_digits(str(text))))).strip()


IGNORED = {_key(w) for w in _IGNORED}


def words(text: str) -> set[str]:
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"^\s*(?:[-•▪]|\d{1,2}\)|[أب]\))\s*", "", text)
    return {w for w in _key(text).split() if not w[:1].isdigit() and w not in IGNORED}


def _shown(v) -> str:
    if isinstance(v, (dt.date, dt.datetime)):
        return f"{v:%d/%m/%Y}"
    return "" if v is None else str(v)


@dataclass
class Score:
    name: str
    style: str
    items: int = 0
    placed: int = 0
    wrong_sub: int = 0
    pieces: int = 0
    lost: list = field(default_factory=list)
    misplaced: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    elsewhere: list = field(default_factory=list)      # items also in another section's table
    status_noted: bool = False


def _table(wb, sec: schema.Section) -> list[dict]:
    ws = wb[sec.sheet]
    ref = ws.tables[sec.table].ref
    rows = [[c.value for c in row] for row in ws[ref]]
    keys = [c.key for c in sec.columns]
    return [dict(zip(keys, r, strict=False)) for r in rows[1:] if any(v not in (None, "") for v in r)]


def _named(wb, name: str) -> str:
    dest = list(wb.defined_names[name].destinations)[0]
    return _shown(wb[dest[0]][dest[1].replace("$", "")].value)


@dataclass
class Written:
    """What an import wrote, as units of text: each table row, each cover line, each note, each unplaced line."""

    tables: dict[str, list[dict]]
    texts: dict[str, list[str]]        # section key / "cover" / "annex" / "status" -> the units it may be in


def from_workbook(xlsx_path: Path) -> Written:
    """Read back with openpyxl alone (an independent reader)."""
    wb = openpyxl.load_workbook(xlsx_path)
    tables = {s.key: _table(wb, s) for s in schema.SECTIONS}
    unplaced = []
    if UNPLACED_SHEET in wb.sheetnames:
        unplaced = [" ".join(_shown(c.value) for c in row) for row in wb[UNPLACED_SHEET].iter_rows(min_row=3)]
    cover_ws = wb[schema.COVER_SHEET]
    cover = [" ".join(_shown(c.value) for c in row) for row in cover_ws.iter_rows()]
    notes = [c.comment.text for row in cover_ws.iter_rows() for c in row if c.comment]
    texts = {s.key: [" ".join(_shown(v) for v in r.values()) for r in tables[s.key]]
             + [_named(wb, s.intro_name), _named(wb, s.na_name)] + unplaced for s in schema.SECTIONS}
    texts.update(cover=cover + unplaced, annex=unplaced, status=notes)
    return Written(tables, texts)


def from_data(data: dict) -> Written:
    """The data an import hands the workbook builder."""
    unplaced = [f"{w} {t}" for w, t in data["unplaced"]]
    tables = {s.key: data["sections"].get(s.key, []) for s in schema.SECTIONS}
    texts = {s.key: [" ".join(_shown(v) for v in r.values()) for r in tables[s.key]]
             + [data["intro"].get(s.key, ""), data["na"].get(s.key, "")] + unplaced for s in schema.SECTIONS}
    labels = {c.key: f"{c.ar} {c.fr}" for c in schema.COVER_FIELDS}     # the cover sheet prints its labels
    cover = [f"{labels[k]} {_shown(v)}" for k, v in data["cover"].items()]
    cover += [" ".join(_shown(v) for v in r.values()) for r in data["authors"]]
    texts.update(cover=cover + unplaced, annex=unplaced, status=list(data.get("cover_notes", {}).values()))
    return Written(tables, texts)


def score(docx_path: Path, written: Written | Path) -> Score:
    truth = json.loads(Path(docx_path).with_suffix(".truth.json").read_text("utf-8"))
    if not isinstance(written, Written):
        written = from_workbook(written)
    return score_truth(Path(docx_path).stem, truth, written)


def score_truth(name: str, truth: dict, written: Written) -> Score:
    out = Score(name, truth["style"])
    tables = written.tables
    units = {tag: [words(t) for t in texts] for tag, texts in written.texts.items()}
    # the pieces of officer text: a paragraph holding several items is checked item by item
    pieces = [tuple(p) for p in truth["pieces"]]
    split = set(truth["split"])
    whole = [(t, tag) for t, tag in truth["texts"] if tag != "template" and t not in split]
    for text, tag in [*whole, *pieces]:
        tag = tag.split(":")[-1]
        need = words(text)
        if not need:
            continue
        out.pieces += 1
        found = any(need <= u for u in units.get(tag, []))
        if tag == "status":
            out.status_noted = found
        if not found:
            out.lost.append((tag, text))
    for item in truth["items"]:
        out.items += 1
        sec = schema.section(item["section"])
        main = sec.activity or sec.columns[0].key
        key = _key(item["text"])
        hits = [r for r in tables[sec.key] if key in _key(r.get(main) or "")]
        if not hits:
            out.misplaced.append((item["section"], item["text"]))
            continue
        out.placed += 1
        row = hits[0]
        if (sec.category and item["category"] and row.get(sec.category) != item["category"]) or \
                (item["form"] and row.get("form") != item["form"]):
            out.wrong_sub += 1
            out.wrong.append((item["text"], item["category"], item["form"], row.get(sec.category), row.get("form")))
        for other in schema.SECTIONS:
            if other.key != sec.key and any(key in _key(r.get(other.activity or other.columns[0].key) or "")
                                            for r in tables[other.key]):
                out.elsewhere.append((item["text"], other.key))
    return out
