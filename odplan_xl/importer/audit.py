"""The importer's self-audit: every piece of officer text is somewhere in what will be written.

Each paragraph, list item and table cell the placer takes for the officer's (not the template's headings,
instructions or the plan's own generated sentences) is a source; everything the placer writes (a row, a
cover value, an author, an introduction, a reason, a note, a line of «نص غير مصنف») is recorded under the
location it came from. A source whose words are not all among what was written from its location is
missing: the placer adds it, as typed, to «نص غير مصنف».
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Any

from odplan_xl import schema
from odplan_xl.importer.headings import norm

# Words that become values (dates, amounts) or link them: never the officer's content on their own.
_MONTHS = (*schema.MONTHS_AR, *schema.MONTHS_FR, "يناير", "فبراير", "أبريل", "مايو", "يونيو", "يوليو",
           "أغسطس", "نوفمبر", "ديسمبر", "fevrier", "aout", "decembre")
_LINKS = ("من", "إلى", "الى", "في", "خلال", "بتاريخ", "يوم", "و", "أو", "شهر", "سنة", "لسنة", "بين", "du", "au",
          "le", "la", "en", "entre", "de", "et")
_UNITS = ("د", "ت", "دينار", "دنانير", "ألف", "آلاف", "الف", "مليون", "أد", "tnd", "dt", "dinars", "dinar")
_PERIODS = ("الثلاثي", "الثلاثية", "السداسي", "الأول", "الاول", "الثاني", "الثالث", "الرابع", "trimestre",
            "semestre")
IGNORED = frozenset(w for t in (*_MONTHS, *_LINKS, *_UNITS, *_PERIODS) for w in norm(t).split())


def _stem(word: str) -> str:
    """A word without its leading «و» and article, the same on both sides of the comparison."""
    if word.startswith("و") and len(word) > 3:
        word = word[1:]
    if word.startswith(("ال", "لل")) and len(word) > 4:
        word = word[2:]
    return word


@lru_cache(maxsize=1 << 14)
def content_words(text: str) -> frozenset[str]:
    """The words of a text that must be found again: no numbers, months, currency or link words."""
    return frozenset(_stem(w) for w in norm(text).split() if len(w) > 1 and w.isalpha() and w not in IGNORED)


@dataclass(frozen=True)
class Source:
    where: str
    text: str


def unit(where: str) -> str:
    """The paragraph or table row a location belongs to (a cell's location names its row first)."""
    return where.split("، الخانة")[0]


def _texts(obj: Any) -> list[str]:
    if isinstance(obj, dict):
        return [v for v in obj.values() if isinstance(v, str)]
    if isinstance(obj, (str,)):
        return [obj]
    if isinstance(obj, (dt.date, Decimal, int, float)) or obj is None:
        return []
    return [str(obj)]


def missing(sources: list[Source], written: dict[str, list[Any]]) -> list[Source]:
    """The sources whose words are not all in what was written from their paragraph or row.

    `written` maps a location's unit to the objects written from it (rows are read at audit time, so
    whatever changed them since, a calendar merge, counts).
    """
    have: dict[str, set[str]] = {}
    out = []
    for source in sources:
        key = unit(source.where)
        if key not in have:
            have[key] = set().union(*(content_words(t) for obj in written.get(key, ()) for t in _texts(obj)))
        need = content_words(source.text)
        if need - have[key]:
            out.append(source)
    return out
