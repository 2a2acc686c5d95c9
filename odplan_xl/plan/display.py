"""How values are shown to people (documents, sheets, messages): one format for dates, amounts and text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from odplan_xl import schema

LRM = "\u200e"
NNBSP = "\u202f"      # groups thousands and keeps its order in right-to-left text
MILLIME = Decimal("0.001")

_XML_INVALID = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c]")
# Embeddings, overrides and isolates reorder the text after them (spoofing, unreadable cells): dropped.
# LRM/RLM, ZWJ/ZWNJ have no scope and are kept.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPECIAL = re.compile("[\x00-\x1f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_NEEDS_LTR = re.compile(r"\d.*[\s+\-]|[\s+\-].*\d", re.S)


def clean(text: str) -> str:
    """Text safe for a document: line breaks kept, XML-invalid and bidi-override characters removed."""
    if not _SPECIAL.search(text):
        return text
    text = _BREAKS.sub("\n", text)
    return _BIDI_CONTROLS.sub("", _XML_INVALID.sub("", text))


def ltr_guard(text: str) -> str:
    """Keep phone numbers and other Latin/number text in typed order inside right-to-left lines.

    "+216 71 123 456" in an RTL paragraph shows its digit groups reversed; a leading LRM makes the
    numbers left-to-right. Text with Arabic letters is left to the bidi algorithm.
    """
    if RTL_LETTER.search(text) or not _NEEDS_LTR.search(text):
        return text
    return LRM + text


def format_date(value: dt.date) -> str:
    """dd/mm/yyyy, as Tunisian administrations write dates."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_amount(value: Decimal | int | float, currency: bool = False) -> str:
    """Dinars with millimes: '12 500,250' (thousands grouped by a narrow no-break space)."""
    amount = Decimal(str(value)).quantize(MILLIME, rounding=ROUND_HALF_UP)
    sign, digits = ("-" if amount < 0 else ""), f"{abs(amount):.3f}"
    whole, millimes = digits.split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = f"{sign}{NNBSP.join(groups)},{millimes}"
    if sign:
        text = LRM + text + LRM   # the minus stays on the left of the number
    return f"{text} {schema.CURRENCY_AR}" if currency else text


def format_number(value: Decimal | int | float, decimals: int = 0) -> str:
    """A number as Tunisian readers write it: thousands grouped by a narrow no-break space, a decimal
    comma ('9 750', '99,9')."""
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign, digits = ("-" if number < 0 else ""), f"{abs(number):.{decimals}f}"
    whole, _, fraction = digits.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = sign + NNBSP.join(groups) + (f",{fraction}" if fraction else "")
    return LRM + text + LRM if sign else text


def format_percent(share: float, decimals: int = 1) -> str:
    """A part of 1 as a percentage in the Tunisian way: '97,8%'."""
    return f"{format_number(share * 100, decimals)}%"


def format_value(value: Any, column: schema.Column | None = None) -> str:
    """A value as a document prints it ('' when empty). Unparsed text is printed as typed."""
    if value is None:
        return ""
    if type(value) is str:
        return ltr_guard(clean(value).strip())
    if isinstance(value, bool):
        return schema.YES_AR if value else schema.NO_AR
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal) or (column is not None and column.kind is schema.Kind.AMOUNT
                                      and isinstance(value, int | float)):
        try:
            return format_amount(value)
        except (InvalidOperation, ValueError):
            return clean(str(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return ltr_guard(clean(str(value)).strip())
