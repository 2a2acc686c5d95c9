"""Values written in prose: «مارس 2027», «الثلاثي الأول 2027», «15 ألف دينار», «المسؤول: …», formats, funding."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal
from typing import Any

from odplan_xl import schema
from odplan_xl.plan.normalize import (
    ambiguous_amount,
    ascii_digits,
    choice_key,
    parse_amount,
    parse_choice,
    parse_date,
    parse_int,
    parse_yesno,
)
from odplan_xl.schema import Column, Kind

_MONTH_NAMES = {
    **{choice_key(m): i for i, m in enumerate(schema.MONTHS_AR, 1)},
    **{choice_key(m): i for i, m in enumerate(schema.MONTHS_FR, 1)},
    # the Mashreq names, met in documents copied from elsewhere
    **{choice_key(m): i for i, m in enumerate(("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو",
                                               "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"), 1)},
    choice_key("fevrier"): 2, choice_key("aout"): 8, choice_key("decembre"): 12,
}
_ORDINALS = {"الاول": 1, "الأول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DMY = r"\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{4}"
_MONTH_WORDS = "|".join(sorted({re.escape(m) for m in (*schema.MONTHS_AR, *schema.MONTHS_FR, "يناير", "فبراير",
                                                      "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "fevrier",
                                                      "aout", "decembre", "Février", "Août", "Décembre")},
                                key=len, reverse=True))
_MONTH = rf"(?:شهر\s+)?({_MONTH_WORDS})\s+(\d{{4}})"
_PERIOD = r"(الثلاثي|الثلاثية|السداسي|trimestre|semestre)\s+(الأول|الاول|الثاني|الثالث|الرابع|[1-4])\s*(?:من\s+)?(?:سنة\s+)?(\d{4})"
_DATE_ANY = re.compile(rf"{_DMY}|{_MONTH}|{_PERIOD}", re.I)
_AMOUNT = re.compile(r"(\d[\d\s.,]*\d|\d)\s*(ألف|آلاف|الف|مليون|أ\.?\s?د)?\s*(?:د\.\s?ت\.?|دينار|دنانير|د\b|TND|DT|dinars?)",
                     re.I)
_THOUSANDS = {"ألف": 1000, "آلاف": 1000, "الف": 1000, "مليون": 1_000_000, "أد": 1000, "أ.د": 1000, "أ د": 1000}
_FORMATS = re.compile(r"\b(CSV|XLSX|XLS|JSON|XML|PDF)\b", re.I)
_FUNDING = (
    (schema.FUNDING_SOURCES[0], ("ميزانية الهيكل", "ميزانية الوزارة", "الميزانية الذاتية", "ميزانية المؤسسة",
                                 "ميزانية الدولة", "budget de la structure", "budget propre")),
    (schema.FUNDING_SOURCES[1], ("التعاون الدولي", "تعاون دولي", "برنامج تعاون", "coopération internationale")),
    (schema.FUNDING_SOURCES[2], ("الشراكات", "شراكة", "الشراكة", "partenariat")),
)
_LINKS = re.compile(r"^[\s\-–—:،,;؛(]+|[\s\-–—:،,;؛(]+$")
_LINK_WORDS = re.compile(r"(?:^|\s)(?:من|إلى|الى|في|خلال|بتاريخ|يوم|du|au|le|en|entre|و)\s*$")


@dataclass
class Dates:
    start: dt.date
    end: dt.date
    exact: bool              # typed as a day, not a month or a quarter
    text: str


@dataclass
class Extracted:
    values: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    rest: str = ""
    consumed: list[str] = field(default_factory=list)   # labels and phrases taken with their values


def _period_bounds(kind: str, n: int, year: int) -> tuple[dt.date, dt.date]:
    months = 3 if kind.casefold() in ("الثلاثي", "الثلاثية", "trimestre") else 6
    first = (n - 1) * months + 1
    if first > 12:
        raise ValueError(n)
    last = first + months - 1
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def date_span(text: str) -> Dates | None:
    """The dates one expression means: a day, a month («مارس 2027») or a quarter («الثلاثي الأول 2027»)."""
    t = ascii_digits(text.strip())
    m = re.fullmatch(_DMY, t)
    if m:
        try:
            day = parse_date(re.sub(r"\s+", "", t))
        except ValueError:
            return None
        return Dates(day, day, True, text) if day else None
    m = re.fullmatch(_MONTH, t, re.I)
    if m:
        month = _MONTH_NAMES.get(choice_key(m.group(1)))
        year = int(m.group(2))
        if month and 1900 < year < 2200:
            return Dates(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]),
                         False, text)
    m = re.fullmatch(_PERIOD, t, re.I)
    if m:
        n = _ORDINALS.get(m.group(2))
        year = int(m.group(3))
        if n and 1900 < year < 2200:
            try:
                start, end = _period_bounds(m.group(1), n, year)
            except ValueError:
                return None
            return Dates(start, end, False, text)
    return None


def find_dates(text: str) -> list[Dates]:
    """Every date expression in a text, in order."""
    out = []
    for m in _DATE_ANY.finditer(ascii_digits(text)):
        span = date_span(m.group(0))
        if span:
            out.append(span)
    return out


def parse_amount_text(text: str) -> tuple[Decimal | None, bool]:
    """An amount from «12 500,000 دينار», «15 ألف دينار», «12.500 د»: (amount, ambiguous)."""
    t = ascii_digits(text.strip())
    m = _AMOUNT.search(t) if not re.fullmatch(r"[\d\s.,]+", t) else None
    number, scale = (m.group(1), _THOUSANDS.get(re.sub(r"\s", " ", m.group(2) or ""), 1)) if m else (t, 1)
    try:
        amount = parse_amount(number)
    except ValueError:
        return None, False
    if amount is None:
        return None, False
    return amount * scale, scale == 1 and ambiguous_amount(number)


def funding_source(text: str) -> str | None:
    key = choice_key(text)
    for source, words in _FUNDING:
        if any(choice_key(w) in key for w in words):
            return source
    return None


def _cut(text: str, start: int, end: int) -> str:
    before, after = text[:start], text[end:]
    before = _LINK_WORDS.sub("", before.rstrip())
    return f"{before} {after}".strip()


def tidy(text: str) -> str:
    """Text left once values are taken out: no dangling separators or empty brackets."""
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+\.$", "", text)          # the full stop left behind a value taken out
    prev = None
    while prev != text:
        prev = text
        text = _LINKS.sub("", text).strip()
        text = _LINK_WORDS.sub("", text).strip()
    return text


def cell_value(raw: str, col: Column, warnings: list[str], *, end: bool = False) -> Any:
    """A table cell's text as the column's value; text that does not parse is kept as typed."""
    text = raw.strip()
    if not text or text == schema.MISSING_AR:
        return None
    kind = col.kind
    try:
        if kind is Kind.DATE:
            try:
                return parse_date(text)
            except ValueError:
                spans = find_dates(text)
                if spans:
                    span = spans[-1] if end else spans[0]
                    if not span.exact:
                        warnings.append(f"«{text}» → {(span.end if end else span.start):%d/%m/%Y}")
                    return span.end if end else span.start
                return text
        if kind is Kind.AMOUNT:
            amount, ambiguous = parse_amount_text(text)
            if amount is None:
                return text
            if ambiguous:
                warnings.append(f"«{text}» → {amount} {schema.CURRENCY_AR}")
            return amount
        if kind in (Kind.INTEGER, Kind.YEAR):
            try:
                return parse_int(text)
            except ValueError:
                m = re.match(r"\s*(\d{1,6})\b", ascii_digits(text))
                return int(m.group(1)) if m else text
        if kind is Kind.YESNO:
            yes = parse_yesno(text)
            return None if yes is None else (schema.YES_AR if yes else schema.NO_AR)
        if col.choices:
            if col.key == "source":
                found = funding_source(text)
                if found:
                    return found
            try:
                return parse_choice(text, col.choices)
            except ValueError:
                key = choice_key(text)
                near = [c for c in col.choices if choice_key(c) in key or key in choice_key(c)]
                return near[0] if len(near) == 1 else text
    except ValueError:
        return text
    return text


@lru_cache(maxsize=64)
def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    """«label: value» for any of a section's labels, the longest first."""
    keys = sorted(labels, key=len, reverse=True)
    return re.compile(r"(?:^|(?<=[\s،,;؛\-–—|(]))(" + "|".join(re.escape(k) for k in keys) + r")\s*:\s*")


# Each column kind's pattern tried in turn on one item: a flat list of cases reads better than a dispatch.
def extract(text: str, section: schema.Section, labels: dict[str, str]) -> Extracted:
    """Values of other columns inside one item's text, when unambiguous; the rest is the item's text.

    `labels` maps normalised label words («المسؤول») to column keys: "label: value" parts go there.
    """
    out = Extracted()
    text = ascii_digits(text)
    cols = {c.key: c for c in section.columns}
    # 1. "label: value" parts
    if labels:
        found = list(_label_pattern(tuple(labels)).finditer(text))
        if found:
            pieces = [text[:found[0].start()]]
            for i, m in enumerate(found):
                stop = found[i + 1].start() if i + 1 < len(found) else len(text)
                value = re.split(r"\s[\-–—]\s|[;؛|]", text[m.end():stop])[0]
                rest = text[m.end() + len(value):stop]
                key = labels[m.group(1)]
                out.consumed.append(m.group(1))
                col = cols.get(key)
                if col is not None and key not in out.values and value.strip():
                    v = cell_value(tidy(value), col, out.warnings, end=key == section.end)
                    if col.kind is Kind.DATE and isinstance(v, str):
                        spans = find_dates(value)
                        if spans:
                            v = None
                            _put_dates(out, section, spans)
                    if v is not None:
                        out.values[key] = v
                else:
                    rest = text[m.start():stop]
                pieces.append(rest)
            text = " ".join(pieces)
    # 2. dates
    spans = find_dates(text)
    if spans and (section.start or section.end):
        _put_dates(out, section, spans)
        for span in spans:
            i = text.find(span.text)
            if i >= 0:
                text = _cut(text, i, i + len(span.text))
    # 3. amounts and the funding source
    amount_col = next((c for c in section.columns if c.kind is Kind.AMOUNT), None)
    if amount_col is not None and amount_col.key not in out.values:
        m = _AMOUNT.search(text)
        if m:
            amount, ambiguous = parse_amount_text(m.group(0))
            if amount is not None:
                out.values[amount_col.key] = amount
                if ambiguous:
                    out.warnings.append(f"«{m.group(0)}» → {amount} {schema.CURRENCY_AR}")
                text = _cut(text, m.start(), m.end())
    if "source" in cols and "source" not in out.values:
        source = funding_source(text)
        if source:
            out.values["source"] = source
            out.consumed += [w for _, words in _FUNDING for w in words if choice_key(w) in choice_key(text)]
    # 4. a file format
    if "format" in cols and cols["format"].choices and "format" not in out.values:
        formats = {f.upper() for f in _FORMATS.findall(text)}
        if len(formats) == 1:
            fmt = formats.pop().replace("XLS", "XLSX").replace("XLSXX", "XLSX")
            out.values["format"] = fmt
            text = re.sub(rf"[(\[]?\b{fmt[:3]}X?\b[)\]]?", "", text, count=1, flags=re.I)
    out.rest = tidy(text)
    return out


def _put_dates(out: Extracted, section: schema.Section, spans: list[Dates]) -> None:
    start_key, end_key = section.start, section.end
    first, last = spans[0], spans[-1]
    if start_key and start_key not in out.values:
        out.values[start_key] = first.start
        if not first.exact:
            out.warnings.append(f"«{first.text}» → {first.start:%d/%m/%Y}")
    if end_key and end_key not in out.values:
        out.values[end_key] = last.end
        if not last.exact:
            out.warnings.append(f"«{last.text}» → {last.end:%d/%m/%Y}")


# --- budgets written in prose -------------------------------------------------------------------------
_FUNDER = re.compile(r"(?:بتمويل|بدعم|بمساهمة|ممولة?)\s+(?:من\s+)?(?:طرف\s+|قبل\s+)?([^،,؛.]+)")
_LEAD = re.compile(r"^(?:و\s*)?(?:(?:تقدر|تقدّر|تُقدَّر|يقدر|قدرت|نخصص|تخصيص|رصد)\s+)?"
                   r"(?:(?:كلفة|تكلفة|مبلغ|الكلفة)\s+)?"
                   r"(?:(?:الأنشطة|النشاط|هذه الأنشطة)\s+)?(?:بـ\s*|ب\s+)?")
_FOR = re.compile(r"^(?:لـ\s*|ل(?=[اأإتيم]\S{2,}))")
_SOURCE_PHRASE = re.compile(r"(?:من|في إطار|عبر|على)\s+(?:" + "|".join(
    re.escape(w) for _, words in _FUNDING for w in sorted(words, key=len, reverse=True)) + ")")


def budget_clauses(text: str) -> list[str]:
    """One clause per amount of a budget written in prose («… 4.200,000 د … للتكوين، و800 د ليوم مفتوح …»)."""
    digits = ascii_digits(text)
    amounts = list(_AMOUNT.finditer(digits))
    if len(amounts) < 2:
        return [text]
    cuts = [0]
    for m in amounts[1:]:
        before = digits[cuts[-1]:m.start()]
        k = max(before.rfind("،"), before.rfind("؛"), before.rfind(","), before.rfind(" و"))
        cuts.append(cuts[-1] + k + 1 if k >= 0 else m.start())
    return [text[a:b].strip(" ،,؛.") for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]


def budget_line(text: str, section: schema.Section, labels: dict[str, str]) -> Extracted:
    """A budget clause's amount, source, funder and activity («… 800 د لتنظيم يوم مفتوح بتمويل من …»)."""
    funder = _FUNDER.search(text)
    rest = text
    consumed: list[str] = []
    if funder:
        rest = rest[:funder.start()] + rest[funder.end():]
        consumed.append(funder.group(0)[: funder.start(1) - funder.start()])
    source = _SOURCE_PHRASE.search(rest)
    got = extract(rest, section, labels)
    if source:
        got.rest = tidy(got.rest.replace(source.group(0), " ").replace(source.group(0).split(" ", 1)[1], " "))
        consumed.append(source.group(0))
    lead = _LEAD.match(got.rest)
    if lead and lead.group(0):
        consumed.append(lead.group(0))
        got.rest = got.rest[lead.end():]
    first = got.rest.split(" ", 1)[0] if got.rest else ""
    got.rest = tidy("ال" + got.rest[2:] if got.rest.startswith("لل") else _FOR.sub("", got.rest, count=1))
    if first and not got.rest.startswith(first):
        consumed.append(first)
    if funder and "funder" in {c.key for c in section.columns}:
        got.values["funder"] = funder.group(1).strip()
    got.consumed += consumed
    return got
