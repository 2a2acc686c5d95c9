"""Row validation: the column table of plan/model.py gives what the per-section pydantic row models gave.

The reference below is the earlier implementation (one pydantic model per section, built with
`create_model`, the parsers as BeforeValidators); `validate_row` must return the same values, of the
same types, and the same failures, for anything a spreadsheet cell can hold.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    create_model,
)
from pydantic_core import PydanticCustomError

from odplan_xl import schema
from odplan_xl.plan import normalize
from odplan_xl.plan.model import ROW_COLUMNS, validate_row

# --- the reference: pydantic row models ---------------------------------------------------------------


def _checked(parse: Callable[[Any], Any], code: str) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        try:
            return parse(value)
        except (ValueError, ArithmeticError):
            raise PydanticCustomError(code, "{value}", {"value": value}) from None
    return validate


def _as_stored(value: Any) -> Any:
    """A date format on a count or a year cell: the number the cell holds, as the workbook's formulas read
    it (since 0.2.0; pydantic's models refused it)."""
    if isinstance(value, dt.datetime):
        return (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(value, dt.date):
        return (value - dt.date(1899, 12, 30)).days
    return value


def _nonnegative_int(value: Any) -> int | None:
    value = _as_stored(value)
    number = normalize.parse_int(value)
    if number is not None and number < 0:
        raise ValueError(value)
    return number


def _year(value: Any) -> int | None:
    value = _as_stored(value)
    year = normalize.parse_int(value)
    if year is not None and not schema.YEAR_MIN <= year <= schema.YEAR_MAX:
        raise ValueError(value)
    return year


def _text(value: Any) -> str | None:
    return normalize.clean_text(value)[0]


def _field(col: schema.Column) -> Any:
    kind = col.kind
    if kind is schema.Kind.DATE:
        return Annotated[dt.date | None, BeforeValidator(_checked(normalize.parse_date, "bad-date"))]
    if kind is schema.Kind.AMOUNT:
        return Annotated[Decimal | None, BeforeValidator(_checked(normalize.parse_amount, "bad-amount"))]
    if kind is schema.Kind.INTEGER:
        return Annotated[int | None, BeforeValidator(_checked(_nonnegative_int, "bad-number"))]
    if kind is schema.Kind.YEAR:
        return Annotated[int | None, BeforeValidator(_checked(_year, "bad-year"))]
    if kind is schema.Kind.YESNO:
        return Annotated[bool | None, BeforeValidator(_checked(normalize.parse_yesno, "bad-yesno"))]
    if kind is schema.Kind.CHOICE:
        choose = functools.partial(normalize.parse_choice, choices=col.choices)
        return Annotated[str | None, BeforeValidator(_checked(choose, "bad-choice"))]
    return Annotated[str | None, BeforeValidator(_text)]


def _row_model(key: str, columns: tuple[schema.Column, ...]) -> type[BaseModel]:
    fields = {c.key: (_field(c), None) for c in columns if not c.computed}
    return create_model(f"{key.title()}Row", __config__=ConfigDict(extra="ignore"), **fields)


def _columns(key: str) -> tuple[schema.Column, ...]:
    if key == "cover":
        return schema.COVER_FIELDS
    return schema.AUTHORS.columns if key == "authors" else schema.section(key).columns


KEYS = ["cover", "authors", *(s.key for s in schema.SECTIONS)]
REFERENCE = {key: _row_model(key, _columns(key)) for key in KEYS}


def reference_validate_row(key: str, raw: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    model = REFERENCE[key]
    try:
        return model.model_validate(raw).model_dump(), []
    except ValidationError as exc:
        failed = [(str(err["loc"][0]), err["type"]) for err in exc.errors()]
    bad = {k for k, _ in failed}
    values = model.model_validate({k: v for k, v in raw.items() if k not in bad}).model_dump()
    for k in bad:
        values[k] = normalize.clean_text(normalize.as_typed(raw[k]))[0]
    return values, failed


# --- what a cell can hold ----------------------------------------------------------------------------


class Year(enum.IntEnum):          # an int subclass: pydantic gave a plain int
    PLAN = 2027


class Day(dt.date):                # a date subclass: pydantic kept it
    pass


ALL_CHOICES = sorted({c for cols in map(_columns, KEYS) for col in cols for c in col.choices})
WORDS = [*normalize.YES_WORDS, *normalize.NO_WORDS, *ALL_CHOICES, "Oui", " نعم ", "أولوية", "الاولويه", "x",
         "12 500,500", "12.500,500", "1.250.000", "7.800", "(12,5)", "-3", "١٢٣", "2027", "٢٠٢٧", "12,5 د.ت",
         "05/03/2027", "2027-03-05T00:00:00.000Z", "31/02/2027", "5-3-2027", "0", "1", "1.0", "+7",
         "\u00a0 05/03/2027", "a\x0bb", "\ufeffnon", "\u202eoui", "\uf0b7 item", "", "   ", "nan", "inf"]

texts = st.one_of(
    st.sampled_from(WORDS),
    st.text(alphabet=st.sampled_from("0123456789٠١٢٣٤٥٦٧٨٩ ,.-+()/:TZ\u00a0\u202fدت"), max_size=16),
    st.text(max_size=12),
    st.builds(lambda w, pre, post: pre + w + post, st.sampled_from(WORDS),
              st.sampled_from(["", " ", "\u00a0", "\u200b", "ـ"]), st.sampled_from(["", " ", "\n", "\x00"])),
)
cells = st.one_of(
    st.none(),
    texts,
    st.booleans(),
    st.integers(min_value=-10, max_value=10),
    st.integers(min_value=2000, max_value=2200),
    st.integers(min_value=18000, max_value=80000),           # Excel serial numbers around plausible dates
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e6, max_value=1e6).map(lambda f: round(f, 3)),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-10**6, max_value=10**6, places=3),
    st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"), Decimal("1E+3"), Decimal("10") ** 15,
                     Year.PLAN, Day(2027, 3, 5), Day(1905, 7, 19)]),
    st.dates(),
    st.datetimes(),
    st.datetimes(min_value=dt.datetime(1940, 1, 1), max_value=dt.datetime(2110, 1, 1)).map(
        lambda d: d.replace(hour=0, minute=0, second=0, microsecond=0)),
    st.times(),
    st.timedeltas(),
)


def typed(values: dict[str, Any]) -> list[tuple[str, type, str]]:
    """Values with their exact types (1 == 1.0 == True and Decimal('1') == Decimal('1.000'))."""
    return [(k, type(v), repr(v)) for k, v in values.items()]


def same(key: str, raw: dict[str, Any]) -> None:
    try:
        expected = reference_validate_row(key, raw)
    except Exception as exc:                       # the reference refuses: so must the table
        with pytest.raises(type(exc)):
            validate_row(key, raw)
        return
    values, failed = validate_row(key, raw)
    assert typed(values) == typed(expected[0])
    assert failed == expected[1]


# --- properties ----------------------------------------------------------------------------------------

# Examples per column kind (and per section for whole rows: half as many); raise it for a long run,
# e.g. ODPLAN_ROW_EXAMPLES=5000.
EXAMPLES = int(os.environ.get("ODPLAN_ROW_EXAMPLES", "400"))

def _one_of_each_kind() -> list[tuple[str, str]]:
    """(row key, column key): every kind of column, and every choice column (their choices differ)."""
    seen, out = set(), []
    for key in KEYS:
        for col in _columns(key):
            if col.computed:
                continue
            ident = col.choices if col.kind is schema.Kind.CHOICE else col.kind
            if ident not in seen:
                seen.add(ident)
                out.append((key, col.key))
    return out


COLUMNS = _one_of_each_kind()


def test_the_table_has_every_typed_column_in_order():
    for key in KEYS:
        assert [c for c, _, _ in ROW_COLUMNS[key]] == list(REFERENCE[key].model_fields)


def test_every_kind_is_sampled():
    kinds = {col.kind for key, column in COLUMNS for col in _columns(key) if col.key == column}
    assert kinds == set(schema.Kind)


@pytest.mark.parametrize("key, column", COLUMNS, ids=[f"{k}.{c}" for k, c in COLUMNS])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=cells)
def test_one_value_of_each_kind_as_pydantic_gave_it(key, column, value):
    same(key, {column: value})


@pytest.mark.parametrize("key", KEYS)
@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_whole_rows_as_pydantic_gave_them(key, data):
    columns = [c.key for c in _columns(key)]          # computed columns too: they are ignored
    raw = data.draw(st.dictionaries(st.sampled_from([*columns, "not-a-column", "x"]), cells))
    same(key, raw)


@pytest.mark.parametrize("key, raw, values, failed", [
    ("cover", {"year": 2027.0, "status": "النسخه النهائيه", "prepared": dt.datetime(2027, 1, 5)},
     {"year": 2027, "status": schema.STATUS_FINAL, "prepared": dt.date(2027, 1, 5)}, []),
    ("cover", {"year": 1999, "prepared": dt.datetime(1905, 7, 19), "unknown": "kept out"},
     {"year": "1999", "prepared": "2027"}, [("year", "bad-year"), ("prepared", "bad-date")]),
    ("budget", {"amount": "12 500,5"}, {"amount": Decimal("12500.500")}, []),
    ("budget", {"amount": True}, {"amount": "نعم"}, [("amount", "bad-amount")]),
])
def test_examples(key, raw, values, failed):
    got, got_failed = validate_row(key, raw)
    assert list(got) == [c for c, _, _ in ROW_COLUMNS[key]]
    assert {k: v for k, v in got.items() if k in values} == values
    assert got_failed == failed
