"""Normalising what officers really type: tables of messy-but-valid values, and properties."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odplan_xl.plan import display
from odplan_xl.plan import normalize as n
from odplan_xl.schema import FUNDING_SOURCES, STATUSES

D = dt.date


@pytest.mark.parametrize("raw, expected", [
    (dt.datetime(2027, 3, 5, 0, 0), D(2027, 3, 5)),
    (D(2027, 3, 5), D(2027, 3, 5)),
    (46451, D(2027, 3, 5)),
    (46451.0, D(2027, 3, 5)),
    ("05/03/2027", D(2027, 3, 5)),
    ("5/3/2027", D(2027, 3, 5)),
    ("5-3-2027", D(2027, 3, 5)),
    ("05.03.2027", D(2027, 3, 5)),
    ("2027-03-05", D(2027, 3, 5)),
    ("2027-03-05 00:00:00", D(2027, 3, 5)),
    ("2027-03-05T00:00:00.000Z", D(2027, 3, 5)),
    ("٠٥/٠٣/٢٠٢٧", D(2027, 3, 5)),
    ("۰۵/۰۳/۲۰۲۷", D(2027, 3, 5)),
    ("\u00a005/03/2027 ", D(2027, 3, 5)),
    ("   ", None),
    (None, None),
])
def test_dates(raw, expected):
    assert n.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["32/13/2027", "demain", "2027", "31/02/2027", -3, True, "05/03/27"])
def test_bad_dates(raw):
    with pytest.raises(ValueError):
        n.parse_date(raw)


@pytest.mark.parametrize("raw, expected", [
    ("12 500,500", "12500.500"),
    ("12.500,500", "12500.500"),
    ("12,500.500", "12500.500"),
    ("12500.5", "12500.500"),
    ("12500,5", "12500.500"),
    ("1.250.000", "1250000.000"),
    ("1 250 000", "1250000.000"),
    ("12\u202f500,250 د.ت", "12500.250"),
    ("15000 TND", "15000.000"),
    ("١٢٥٠٠٫٥", "12500.500"),
    ("-40", "-40.000"),
    (12500.5, "12500.500"),
    (7, "7.000"),
    (0.1 + 0.2, "0.300"),
    ("  ", None),
])
def test_amounts(raw, expected):
    assert n.parse_amount(raw) == (Decimal(expected) if expected else None)


@pytest.mark.parametrize("raw", ["abc", "12,500,5", "1.2.3,4,5", "12,", float("nan"), "1 2a"])
def test_bad_amounts(raw):
    with pytest.raises(ValueError):
        n.parse_amount(raw)


@pytest.mark.parametrize("raw, expected", [
    ("نعم", True), ("لا", False), ("oui", True), ("Non", False), ("x", True), ("X", True),
    ("✓", True), ("✔", True), (1, True), (0, False), (True, True), ("yes", True), (" نعم ", True),
    ("", None), (None, None),
])
def test_yesno(raw, expected):
    assert n.parse_yesno(raw) is expected


@pytest.mark.parametrize("raw, choices, expected", [
    ("النسخة النهائية", STATUSES, "النسخة النهائية"),
    ("النسخه النهائيه", STATUSES, "النسخة النهائية"),       # ta marbuta typed as ha
    ("مسودّة", STATUSES, "مسودة"),                          # with a shadda
    ("  ميزانية   الهيكل ", FUNDING_SOURCES, "ميزانية الهيكل"),
    ("csv", ("CSV", "XLSX"), "CSV"),
])
def test_choices(raw, choices, expected):
    assert n.parse_choice(raw, choices) == expected


@pytest.mark.parametrize("raw, expected, removed", [
    ("  نص  ", "نص", False),
    ("سطر\x0bثان", "سطر\nثان", False),           # Excel's own line break (_x000B_): no warning
    ("\uf0b7 بند", "• بند", False),                # a Symbol-font bullet pasted from Word
    ("a\x00b\x1fc", "abc", True),
    ("\u202eevil", "evil", True),
    ("zero\u200bwidth", "zerowidth", True),
    ("non\u00a0breaking", "non breaking", False),
    (71123456.0, "71123456", False),
    ("\u00a0 \t", None, False),
])
def test_clean_text(raw, expected, removed):
    assert n.clean_text(raw) == (expected, removed)


def test_format_amount_groups_with_narrow_spaces():
    assert display.format_amount(Decimal("1250000.5")) == "1\u202f250\u202f000,500"
    assert display.format_amount(Decimal("0")) == "0,000"


# --- properties: never an unexpected exception, idempotent, round trip -----------------------
anything = st.one_of(st.none(), st.text(), st.integers(), st.floats(allow_nan=True),
                     st.booleans(), st.dates(), st.datetimes())
PARSERS = [n.parse_date, n.parse_amount, n.parse_int, n.parse_yesno,
           lambda v: n.parse_choice(v, STATUSES)]


@settings(max_examples=300, deadline=None)
@given(value=anything, which=st.integers(0, len(PARSERS) - 1))
def test_parsers_only_raise_value_error(value, which):
    try:
        PARSERS[which](value)
    except ValueError:
        pass


@settings(max_examples=300, deadline=None)
@given(value=anything)
def test_clean_text_is_idempotent(value):
    once, _ = n.clean_text(value)
    assert n.clean_text(once) == (once, False)


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.dates(min_value=D(1900, 3, 1)), st.text()))
def test_parse_date_is_idempotent(value):
    try:
        parsed = n.parse_date(value)
    except ValueError:
        return
    assert n.parse_date(parsed) == parsed
    if parsed is not None:
        assert n.parse_date(display.format_date(parsed)) == parsed


@settings(max_examples=300, deadline=None)
@given(amount=st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False))
def test_amount_round_trips_through_its_display(amount):
    shown = display.format_amount(amount)
    assert n.parse_amount(shown) == amount
    assert n.parse_amount(n.parse_amount(shown)) == amount


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.text(), st.integers(), st.booleans()))
def test_parse_yesno_is_idempotent(value):
    try:
        parsed = n.parse_yesno(value)
    except ValueError:
        return
    assert n.parse_yesno(parsed) is parsed
