"""Turn what officers really type into clean values: text, dates, amounts, numbers, yes/no, choices.

Every function here accepts anything a spreadsheet cell can hold (str, int, float, datetime, bool,
None) and never raises: it returns the parsed value, or raises ValueError only where the docstring says
so (plan/model.py turns those into located findings).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from odplan_xl import expr, schema
from odplan_xl.plan.display import format_date

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Characters an XML 1.0 document cannot hold (python-docx and openpyxl refuse them).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Invisible characters that reorder or hide text: bidi embeddings/overrides/isolates, zero-width space,
# BOM. (ZWJ/ZWNJ and LRM/RLM are kept: Arabic and Persian text legitimately uses them.)
_INVISIBLE = re.compile("[\u200b\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile("[\u00a0\u2007\u202f\u2000-\u200a\u3000]")
# anything clean_text would change inside a string (besides leading/trailing spaces)
_SPECIAL = re.compile("[\x00-\x1f\u00a0\u2000-\u200b\u202a-\u202f\u2066-\u2069\u3000\ufeff\ufffe\uffff"
                      "\uf000-\uf0ff]")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Bullets pasted from Word in the Symbol and Wingdings fonts arrive as private-use characters, shown
# as boxes by every other font: the characters they stand for.
SYMBOL_BULLETS = {0xF0B7: "•", 0xF0A7: "▪", 0xF0A8: "□", 0xF0D8: "➢", 0xF076: "❖", 0xF0FC: "✓",
                  0xF0E0: "→", 0xF06E: "■", 0xF0B2: "◊", 0xF02D: "-"}
_SYMBOL_BULLETS = re.compile("[" + "".join(chr(c) for c in SYMBOL_BULLETS) + "]")
# Dates before this are numbers typed into a date cell (2027 shows as 19/07/1905), not dates.
FIRST_PLAUSIBLE_DATE = schema.FIRST_PLAUSIBLE_DATE
# One separator followed by exactly three digits: "7.800" is 7 dinars 800 millimes or 7,800 dinars.
_AMBIGUOUS = re.compile(r"[-+(]?\d{1,3}[.,]\d{3}\)?")
MILLIME = Decimal("0.001")
MAX_AMOUNT = schema.MAX_AMOUNT       # a thousand billion dinars: beyond any public budget

# Yes/no words and the list-comparison table: one home, the schema (the workbook's formulas read them too)
YES_WORDS = frozenset(schema.YES_WORDS)
NO_WORDS = frozenset(schema.NO_WORDS)


_STORED = {kind: expr.truth(test(expr.ref("value"))) for kind, test in schema.STORED_REFUSED.items()}


@functools.lru_cache(maxsize=8192, typed=True)   # plans repeat dates and amounts (typed: 0 is not False)
def _refused(kind: schema.Kind, value: Any) -> bool:
    return _STORED[kind]({"value": expr.cell_value(value)})


def refused(kind: schema.Kind, value: Any) -> bool:
    """Whether a cell of this kind may not hold this number, date or boolean: schema.STORED_REFUSED, the
    expression the workbook's formulas test too (2027 in a date cell, 2.5 in a count, -1 as a year)."""
    if isinstance(value, Decimal):
        value = float(value)
    return _refused(kind, value)


def clean_text(value: Any) -> tuple[str | None, bool]:
    """Text of a cell: (text or None when empty, whether unsafe characters were removed).

    `\\x0b` (Alt+Enter in old files) becomes a line break; other XML-invalid and invisible
    direction-changing characters are removed; non-breaking spaces become spaces.
    """
    if value is None:
        return None, False
    if isinstance(value, str) and not _SPECIAL.search(value):   # the common case, fast
        return (value.strip() or None), False
    if isinstance(value, bool):
        text = "نعم" if value else "لا"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime):
        text = value.strftime("%d/%m/%Y" if value.time() == dt.time() else "%d/%m/%Y %H:%M")
    elif isinstance(value, dt.date):
        text = format_date(value)
    else:
        text = str(value)
    # \x0b is Excel's own line break in older files (Alt+Enter, "_x000B_"): a line break, not a removal
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    removed = False
    if _SYMBOL_BULLETS.search(text):
        text = text.translate(SYMBOL_BULLETS)
    if _XML_INVALID.search(text) or _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", _XML_INVALID.sub("", text))
        removed = True
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.strip().split("\n"))
    return (text or None), removed


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII digits."""
    return text.translate(_DIGITS)


@functools.lru_cache(maxsize=8192)   # officers' lists repeat the same few values thousands of times
def choice_key(text: str) -> str:
    """A loose form of a choice for matching: schema.NORMALISE's replacements (hamza forms, ى, ة,
    tatweel, diacritics), spaces collapsed, lower case — what the workbook's formulas compute too.

    Python alone also folds compatibility forms (NFKC: Arabic presentation forms) and any other
    combining mark: the workbook leaves those to `check` (docs/excel.md).
    """
    text = unicodedata.normalize("NFKC", text)
    for old, new in schema.NORMALISE:
        if old in text:
            text = text.replace(old, new)
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", text).strip().casefold()


def parse_choice(value: Any, choices: tuple[str, ...]) -> str | None:
    """The canonical choice matching the value (tolerant of spelling variants); ValueError if none."""
    text, _ = clean_text(value)
    if text is None:
        return None
    if text in choices:
        return text
    key = choice_key(text)
    for choice in choices:
        if choice_key(choice) == key:
            return choice
    raise ValueError(text)


_DATE_PATTERNS = (
    (re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})"), ("d", "m", "y")),
    (re.compile(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})"), ("y", "m", "d")),
)


def excel_serial(value: dt.date) -> int:
    """The number Excel stores for a date (what was typed when a number shows as a date)."""
    return (value - _EXCEL_EPOCH).days


def as_typed(value: Any) -> Any:
    """The value as the officer typed it: a number typed into a date cell is shown as that number."""
    if isinstance(value, dt.date) and (value.date() if isinstance(value, dt.datetime) else value) < \
            FIRST_PLAUSIBLE_DATE:
        return excel_serial(value.date() if isinstance(value, dt.datetime) else value)
    return value


def ambiguous_amount(text: str) -> bool:
    """Whether typed text is an amount with one separator and exactly three digits after it (7.800)."""
    return bool(_AMBIGUOUS.fullmatch(re.sub(r"\s+", "", ascii_digits(text))))


def parse_date(value: Any) -> dt.date | None:
    """A date from a datetime, an Excel serial number, or text (dd/mm/yyyy, d-m-yyyy, yyyy-mm-dd)."""
    if value is None:
        return None
    if isinstance(value, dt.date | bool | int | float):
        # a number typed into a date cell (shown as a 1905 date), a serial number that cannot be a plan's
        # date, a boolean: refused as the workbook refuses them
        if refused(schema.Kind.DATE, value):
            raise ValueError(value)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text, _ = clean_text(value)
    if text is None:
        return None
    text = ascii_digits(text)
    # "2027-03-05 00:00:00" or "2027-03-05T00:00:00.000Z" (what some clients send): keep the date
    text = re.sub(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?Z?$", "", text).strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                day = dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                break
            if refused(schema.Kind.DATE, day):     # the same bounds, typed as text
                break
            return day
    raise ValueError(value)


def parse_amount(value: Any) -> Decimal | None:
    """An amount in dinars as a Decimal with 3 decimals.

    Text may group thousands with spaces or dots and use a comma or a dot for millimes:
    "12 500,500", "12.500,500", "12500.5", "12,5", "1.250.000". One separator alone is decimal
    (Tunisian prices are written "12,500" or "12.500" for twelve dinars five hundred millimes).
    """
    if value is None:
        return None
    if isinstance(value, dt.date):              # a date format on an amount cell: its number, as stored
        value = expr.cell_value(value)
    if isinstance(value, bool | int | float | Decimal):
        try:
            amount = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(value) from exc
        # a boolean or a number beyond any budget: refused as the workbook refuses them (a spreadsheet
        # holds no NaN or infinity: Python's own guard)
        if not amount.is_finite() or refused(schema.Kind.AMOUNT, value):
            raise ValueError(value)
        return amount.quantize(MILLIME, rounding=ROUND_HALF_UP)
    text, _ = clean_text(value)
    if text is None:
        return None
    text = ascii_digits(text).replace("٫", ",").replace("٬", " ").replace("−", "-")
    text = re.sub(r"(?i)(د\.?\s?ت\.?|دينار|tnd|dt)$", "", text.strip()).strip()
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = re.sub(r"\s+", "", text.strip("()").lstrip("-+"))
    if not re.fullmatch(r"\d[\d.,]*", text) or text[-1] in ".,":
        raise ValueError(value)
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        if text.count(decimal_sep) > 1:
            raise ValueError(value)
        text = text.replace(thousands, "").replace(decimal_sep, ".")
    elif commas > 1 or dots > 1:
        sep = "," if commas else "."
        if not re.fullmatch(rf"\d{{1,3}}(\{sep}\d{{3}})+", text):
            raise ValueError(value)
        text = text.replace(sep, "")
    else:
        text = text.replace(",", ".")
    amount = Decimal(text)
    if refused(schema.Kind.AMOUNT, amount):     # the same bound, typed as text
        raise ValueError(value)
    amount = amount.quantize(MILLIME, rounding=ROUND_HALF_UP)
    return -amount if negative else amount


def parse_int(value: Any) -> int | None:
    """A whole number from a number or text (Arabic-Indic digits allowed)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(value)
    text, _ = clean_text(value)
    if text is None:
        return None
    text = re.sub(r"\s+", "", ascii_digits(text))
    if re.fullmatch(r"[+-]?\d{1,12}(\.0+)?", text):
        return int(float(text)) if "." in text else int(text)
    raise ValueError(value)


def parse_yesno(value: Any) -> bool | None:
    """True/False from نعم/لا, oui/non, yes/no, x, ✓, 1/0, TRUE/FALSE."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text, _ = clean_text(value)
    if text is None:
        return None
    key = choice_key(ascii_digits(text))
    if key in _YES_KEYS:
        return True
    if key in _NO_KEYS:
        return False
    raise ValueError(value)


_YES_KEYS = frozenset(choice_key(w) for w in YES_WORDS)
_NO_KEYS = frozenset(choice_key(w) for w in NO_WORDS)
