"""Which section, subsection or part a paragraph of a Word plan opens, matched by the nearest wording."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from odplan_xl import schema
from odplan_xl.plan.normalize import ascii_digits, choice_key

_PUNCT = re.compile(r"[\[\](){}.:،,;؛\"'«»\-–—…_*/\\!?؟]+")
# "2.", "2-", "2)", "1.2", "2.1 -", "(2)"
_NUMBER = re.compile(r"^\(?(\d{1,2})\s*(?:[.\-)/]\s*(\d{1,2}))?\s*[.\-)/]?\s*(?=\D)")
_LETTER = re.compile(r"^([أاب])\s*[).\-:]\s*|^([أب])\s+(?=أنشطة)")
_TOC = re.compile(r"(\.{3,}|…{2,}|\t)\s*\d{1,3}\s*$|^\s*\d{1,3}\s*\.{3,}")
# An annex's title: «ملحق», «الملاحق», «Annexe» at its start (after a number, if any).
_ANNEX = re.compile(r"^(?:\(?\d{1,2}\s*[.\-)]\s*)?(?:ال)?(?:ملحق|ملاحق|annexes?)\b", re.I)
# The words that tell a section's two subsections apart, when the rest of a heading is the officer's own.
SUB_MARKERS: dict[str, tuple[str, ...]] = {
    "2.1": ("فريق", "داخل", "الداخلي", "داخليا"), "2.2": ("الأطراف", "المتدخلة", "الخارجية", "خارجيا"),
    "6.1": ("الداخلي", "داخلي", "داخليا"), "6.2": ("الخارجي", "خارجي", "خارجيا"),
    "7.1": ("الفنية", "الفني", "فني", "فنية", "التقنية"), "7.2": ("غير",),
    "8.1": ("الداخلي", "داخلي", "داخليا"), "8.2": ("الخارجي", "خارجي", "خارجيا"),
}

# Other ways people title the sections (the glossary's sheet names, the table of contents' typos).
SECTION_VARIANTS: dict[str, tuple[str, ...]] = {
    "objectives": ("أهداف وأولويات الخطة", "الأهداف والأولويات", "أهداف الخطة", "أهداف وألويات الخطة السنوية"),
    "team": ("تحديد فريق العمل والأطراف المتدخلة", "فريق العمل والأطراف المتدخلة", "فريق العمل"),
    "inventory": ("جرد البيانات", "جرد البيانات العمومية"),
    "datasets": ("نشر البيانات", "البيانات المبرمج نشرها", "مجموعات البيانات المبرمج نشرها"),
    "tools": ("أدوات العمل", "الأدوات المعتمدة", "أدوات العمل المعتمدة"),
    "reuse": ("إعادة استعمال البيانات", "تحفيز إعادة الاستعمال", "إعادة الاستعمال"),
    "trainings": ("تطوير القدرات", "التكوين", "بناء القدرات"),
    "communication": ("الخطة الاتصالية", "خطة الاتصال", "الاتصال"),
    "calendar": ("روزنامة الأنشطة", "رزنامة الأنشطة", "روزنامة الأنشطة السنوية", "الرزنامة", "الروزنامة",
                 "المخطط الزمني"),
    "budget": ("الميزانية", "الميزانية المرصودة", "التمويل"),
}
SUB_VARIANTS: dict[str, tuple[str, ...]] = {
    "2.1": ("فريق العمل داخل الهيكل", "فريق العمل الداخلي", "الفريق الداخلي"),
    "2.2": ("الأطراف المتدخلة", "الأطراف المتدخلة من خارج الهيكل", "الأطراف الخارجية"),
    "6.1": ("إعادة الاستعمال الداخلي", "الاستعمال الداخلي للبيانات"),
    "6.2": ("إعادة الاستعمال الخارجي", "الاستعمال الخارجي للبيانات"),
    "7.1": ("تطوير القدرات الفنية", "التكوين الفني", "الدورات التكوينية الفنية"),
    "7.2": ("تطوير القدرات غير الفنية", "التكوين غير الفني", "الدورات التكوينية غير الفنية"),
    "8.1": ("خطة الاتصال الداخلي", "الاتصال الداخلي"),
    "8.2": ("خطة الاتصال الخارجي", "الاتصال الخارجي"),
}
FORM_VARIANTS: dict[str, tuple[str, ...]] = {
    schema.COMM_FORMAL: ("أنشطة الاتصال الرسمي", "الاتصال الرسمي", "أنشطة الاتصال الرسمية"),
    schema.COMM_INFORMAL: ("أنشطة الاتصال غير الرسمي", "أنشطة الاتصال غير الرسمية", "الاتصال غير الرسمي"),
}


def _fold_table() -> dict[int, str | None]:
    """choice_key's reductions of the Arabic block as one translation: marks and tatweel gone, one alef,
    one yeh, ه for ة; ASCII lower-cased."""
    table: dict[int, str | None] = {c: chr(c).lower() for c in range(ord("A"), ord("Z") + 1)}
    for c in range(0x0600, 0x0700):
        if unicodedata.category(chr(c)) == "Mn" or chr(c) == "\u0640":
            table[c] = None
    table.update({ord(a): "ا" for a in "أإآٱ"})
    table.update({ord("ى"): "ي", ord("ة"): "ه"})
    return table


_FOLD = _fold_table()
# Text whose every character choice_key would treat as the table does: ASCII and the Arabic block, less
# the characters NFKC composes or decomposes (hamza marks after a letter, the high-hamza ligatures).
_FOLDABLE = re.compile(r"[^\x00-\x7f\u0600-\u0652\u0656-\u0674\u0679-\u06ff]")


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Text reduced for comparing wordings: hamza, ة/ه, ى/ي, tatweel, case, punctuation, spaces."""
    text = ascii_digits(text)
    folded = text.translate(_FOLD) if not _FOLDABLE.search(text) else choice_key(text)
    return re.sub(r"\s+", " ", _PUNCT.sub(" ", folded)).strip()


def similarity(a: str, b: str) -> float:
    """How close two normalised wordings are (1 = same), containment counting as close."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 6 and f" {short} " in f" {long_} ":
        return 0.8 + 0.2 * len(short) / len(long_)
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


class Wordings:
    """Normalised wordings indexed once, so that the nearest to a text is found without comparing it with
    each: a ratio's bounds (the two lengths, then the letters they share) are checked before the ratio.

    `nearest` gives what `similarity` would give for the best of them, whichever order they come in."""

    def __init__(self, named: list[tuple[Any, str]]):
        rows = [(payload, name, Counter(name)) for payload, name in named if name]
        self.rows = sorted(rows, key=lambda r: len(r[1]))
        self.words = {name: frozenset(name.split()) for _, name, _ in self.rows}
        self.padded = [f" {r[1]} " for r in self.rows]
        self.lengths = [len(r[1]) for r in self.rows]
        self.joined = "\n".join(r[1] for r in self.rows)

    def nearest(self, key: str, floor: float = 0.0, *, band: float = 0.0) -> tuple[Any, float]:
        """(payload, similarity) of the closest wording; (None, 0) when none reaches above `floor`.

        `band`: only wordings whose length is within this factor of the key's (a ratio of r needs
        r / (2 - r))."""
        best, score = None, floor
        if not key:
            return None, 0.0
        letters: Counter[str] | None = None
        size = len(key)
        rows = self.within(key, band, 1 / band) if band else self.rows
        # a ratio of 0.8 and more between texts of several words: most of their words are the same
        words = frozenset(key.split()) if floor >= 0.8 and key.count(" ") >= 3 else None
        for payload, name, name_letters in rows:
            if words is not None and 2 * len(words & self.words[name]) < len(words):
                continue
            if key == name:
                s = 1.0
            else:
                short, long_ = (key, name) if size <= len(name) else (name, key)
                if len(short) >= 6 and f" {short} " in f" {long_} ":
                    s = 0.8 + 0.2 * len(short) / len(long_)
                else:
                    total = size + len(name)
                    if 2 * len(short) / total <= score:
                        continue
                    if letters is None:
                        letters = Counter(key)
                    if 2 * sum((letters & name_letters).values()) / total <= score:
                        continue
                    s = SequenceMatcher(None, key, name, autojunk=False).ratio()
            if s > score:
                best, score = payload, s
        return (best, score) if best is not None else (None, 0.0)

    def within(self, key: str, low: float, high: float) -> list[tuple[Any, str, Counter[str]]]:
        """The wordings whose length is between `low` and `high` times the key's."""
        return self.rows[bisect_left(self.lengths, low * len(key)):bisect_right(self.lengths, high * len(key))]

    def contained_in(self, key: str, low: float) -> bool:
        """Whether one of the wordings, at least `low` times the key's length, stands in it as whole words."""
        padded = f" {key} "
        return any(ref in padded for ref in self.padded[bisect_left(self.lengths, low * len(key)):
                                                         bisect_right(self.lengths, len(key))])


@lru_cache(maxsize=1)
def _section_names() -> Wordings:
    names = []
    for sec in schema.SECTIONS:
        sheet = re.sub(r"^\d+\.\s*", "", sec.sheet)
        for name in (sec.heading, sheet, sec.fr, *SECTION_VARIANTS.get(sec.key, ())):
            names.append((sec.key, norm(name)))
    return Wordings(names)


@lru_cache(maxsize=1)
def _sub_names() -> Wordings:
    names = []
    for sec in schema.SECTIONS:
        for sub in sec.subsections:
            wording = re.sub(r"^[\d.]+\s*", "", sub.heading)
            for name in (wording, sub.value, *SUB_VARIANTS.get(sub.code, ())):
                names.append(((sec.key, sub.code), norm(name)))
    return Wordings(names)


@dataclass(frozen=True)
class Heading:
    kind: str                    # "section", "sub", "form", "toc", "other"
    section: str | None = None
    sub: str | None = None       # subsection code "6.2"
    form: str | None = None      # communication form (أ / ب)
    score: float = 0.0


def is_toc_line(text: str, style: str) -> bool:
    return style.casefold().startswith(("toc", "table of contents", "فهرس")) or bool(_TOC.search(text))


def split_number(text: str) -> tuple[int | None, int | None, str]:
    """("2.1 الأطراف" -> 2, 1, "الأطراف"); numbers are read as typed (right-to-left "1.2" too)."""
    text = ascii_digits(text.strip())
    m = _NUMBER.match(text)
    if not m:
        return None, None, text
    a, b = int(m.group(1)), (int(m.group(2)) if m.group(2) else None)
    return a, b, text[m.end():].strip()


def numbered_sub(n1: int | None, n2: int | None, words: str) -> tuple[str, str] | None:
    """The subsection two typed numbers name, in any spelling: «7-1», «7 - 1», «7.1», «1.7», «7/1».

    The words after them must not name the other subsection of the section (7.2 «غير الفنية» typed «7.1»).
    """
    if n1 is None or n2 is None:
        return None
    for a, b in ((n1, n2), (n2, n1)):
        if not 1 <= a <= len(schema.SECTIONS):
            continue
        sec = schema.SECTIONS[a - 1]
        code = f"{a}.{b}"
        if not any(sub.code == code for sub in sec.subsections):
            continue
        key = _stems(words)
        said = [c for c, marks in SUB_MARKERS.items() if c.startswith(f"{a}.") and key & _stems(" ".join(marks))]
        if said and code not in said:
            return None
        if said == [f"{a}.1", f"{a}.2"] and code.endswith(".1") and key & {norm("غير")}:
            return None
        return sec.key, code
    return None


def _stems(text: str) -> set[str]:
    """The words of a text, each also without its article («الفريق» → «فريق»)."""
    words = norm(text).split()
    return set(words) | {w[2:] for w in words if w.startswith("ال") and len(w) > 4}


# Words a heading may carry beside its section's or subsection's name without saying anything more.
_HEADING_WORDS = ("البيانات", "للبيانات", "بيانات", "خطة", "الخطة", "أنشطة", "الأنشطة", "السنوية", "السنوي",
                  "المفتوحة", "القسم", "الجزء", "أ", "ب", "ج", "données", "plan", "section")


def heading_names(h: Heading) -> list[str]:
    """Every wording of what a heading opens (for the self-audit: these words are the template's)."""
    out = list(_HEADING_WORDS)
    if h.section:
        sec = schema.section(h.section)
        out += [sec.heading, sec.sheet, sec.fr, *SECTION_VARIANTS.get(sec.key, ())]
        for sub in sec.subsections:
            if h.sub in (None, sub.code):
                out += [sub.heading, sub.value, *SUB_VARIANTS.get(sub.code, ()), *SUB_MARKERS.get(sub.code, ())]
    if h.section == "communication":       # a part's name may stand beside its subsection's
        for form in (h.form,) if h.form else FORM_VARIANTS:
            out += [*FORM_VARIANTS[form], schema.COMM_FORM_HEADINGS[form], form, "رسمية", "غير رسمية"]
    return out


def is_annex(text: str) -> bool:
    return bool(_ANNEX.match(ascii_digits(text.strip())))


def best_section(wording: str, floor: float = 0.0) -> tuple[str | None, float]:
    return _section_names().nearest(norm(wording), floor)


def best_sub(wording: str, floor: float = 0.0) -> tuple[tuple[str, str] | None, float]:
    return _sub_names().nearest(norm(wording), floor)


def form_of(text: str) -> str | None:
    """The communication form a short label names ("أنشطة الاتصال الرسمي"), else None."""
    key = norm(re.sub(r"\[.*?\]", " ", _LETTER.sub("", text.strip())))
    if not key or len(key) > 45:
        return None
    for form in (schema.COMM_INFORMAL, schema.COMM_FORMAL):     # "غير الرسمي" first: it contains the other
        if any(key == norm(v) or key.startswith(norm(v)) for v in FORM_VARIANTS[form]):
            return form
    return None


def match(text: str, *, styled: int | None, bold: bool, style: str = "", listed: bool = False) -> Heading | None:
    """What a paragraph opens, or None for an ordinary paragraph.

    A paragraph in a Heading style or bold is a heading when its wording is near a section's; a plain
    one only with the section's number typed and nearly the template's wording (list items often
    begin with the same words as a section title).
    """
    raw = text.strip()
    if not raw or len(raw) > 160:
        return None
    if is_toc_line(raw, style):
        return Heading("toc")
    letter = _LETTER.match(raw)
    n1, n2, rest = split_number(raw)
    headingish = styled is not None or bold or n1 is not None
    if letter or (headingish and len(raw) <= 45):
        form = form_of(raw)
        if form and (letter or styled is not None or bold):
            return Heading("form", section="communication", form=form, score=1.0)
    if not headingish or (listed and styled is None):
        return None
    if (styled is not None or bold) and len(raw) <= 80 and is_annex(raw):
        return Heading("other", score=1.0)
    numbered = numbered_sub(n1, n2, rest) if len(raw) <= 70 else None
    if numbered is not None and (styled is not None or bold or n2 is not None) and not rest.rstrip().endswith(":") \
            and ":" not in rest:
        return Heading("sub", section=numbered[0], sub=numbered[1], score=0.9)
    # below these no rule below takes the wording: nearer ones are not looked for (a plain paragraph needs 0.85)
    plain = styled is None and not bold
    sub, sub_score = best_sub(rest, (0.85 if plain else 0.7) - 1e-9)
    sec, sec_score = best_section(rest, (0.85 if plain else 0.35) - 1e-9)
    if styled is None and not bold:
        if sub is not None and sub_score >= 0.85 and n2 is not None and \
                schema.section(sub[0]).number in (n1, n2):
            return Heading("sub", section=sub[0], sub=sub[1], score=sub_score)
        if sec is not None and sec_score >= 0.85 and n2 is None and n1 == schema.section(sec).number:
            return Heading("section", section=sec, score=sec_score)
        return None
    if sub is not None and sub_score >= 0.8 and sub_score >= sec_score - 0.05 and (
            n2 is not None or styled is not None and styled >= 2 or sub_score >= 0.9):
        return Heading("sub", section=sub[0], sub=sub[1], score=sub_score)
    if sec is not None and n2 is None:
        number = schema.section(sec).number
        if sec_score >= 0.75 or (sec_score >= 0.5 and n1 == number):
            return Heading("section", section=sec, score=sec_score)
        if n1 is not None and 1 <= n1 <= 10 and sec_score >= 0.35 and (styled or bold):
            return Heading("section", section=schema.SECTIONS[n1 - 1].key, score=sec_score)
    if sub is not None and sub_score >= 0.7 and n2 is not None:
        return Heading("sub", section=sub[0], sub=sub[1], score=sub_score)
    if styled is not None or (bold and n1 is not None and len(raw) <= 80):
        return Heading("other", score=max(sec_score, sub_score))
    return None
