"""What the workbook puts in and around its cells: computed columns' formulas, validation rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from odplan_xl import schema
from odplan_xl.schema import Column, Kind, Section


def list_name(owner: str, column: Column) -> str:
    """Defined name of the range holding a choice column's dropdown values."""
    return f"lst_{owner}_{column.key}"


def escape_header(label: str) -> str:
    """A column label inside a structured reference: ' escapes [ ] # and itself."""
    return "".join("'" + ch if ch in "[]#'" else ch for ch in label)


def formula(sec: Section, col: Column) -> str:
    """The computed column's formula: how many yes/no criteria of the row are «نعم»."""
    flags = [i for i, c in enumerate(sec.columns) if c.kind is Kind.YESNO]
    if not flags or flags != list(range(flags[0], flags[-1] + 1)):
        raise ValueError(f"{sec.key}.{col.key}: the yes/no criteria must be adjacent columns")
    a = escape_header(sec.columns[flags[0]].ar)
    b = escape_header(sec.columns[flags[-1]].ar)
    span = f"{sec.table}[[#This Row],[{a}]:[{b}]]"
    return f'=IF(COUNTA({span})=0,"",COUNTIF({span},"{schema.YES_AR}"))'


def computed_value(sec: Section, col: Column, values: dict) -> Any:
    """The cached result of the computed column, so viewers that do not recalculate show it."""
    flags = [c.key for c in sec.columns if c.kind is Kind.YESNO]
    given = [values.get(k) for k in flags]
    if all(v in (None, "") for v in given):
        return ""
    return sum(1 for v in given if v == schema.YES_AR or v is True)


def number(value: Any) -> Decimal:
    if isinstance(value, bool):
        return Decimal(0)
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(0)


def _validation_options(col: Column, owner: str, top_left: str) -> dict | None:
    """XlsxWriter data_validation options for one column (Arabic prompts and errors)."""
    base: dict[str, Any] = {"input_title": clip(col.ar, 32)}
    if col.guidance:
        base["input_message"] = col.guidance
    kind = col.kind
    if col.choices:
        return {**base, "validate": "list", "source": f"={list_name(owner, col)}",
                "input_message": base.get("input_message", "اختر قيمة من القائمة المنسدلة."),
                "error_title": "قيمة غير مقبولة", "error_type": "stop",
                "error_message": "اختر قيمة من القائمة المنسدلة."}
    if kind is Kind.DATE:
        year = schema.cover_name("year")
        msg = "تاريخ بصيغة يوم/شهر/سنة (مثلا 15/03/2027) ضمن سنة الخطة المحددة في الغلاف."
        return {**base, "validate": "date", "criteria": "between",
                "minimum": f"=DATE(IF(ISNUMBER({year}),{year},1900),1,1)",
                "maximum": f"=DATE(IF(ISNUMBER({year}),{year},9999),12,31)",
                "input_message": (col.guidance + "\n" if col.guidance else "") + msg,
                "error_title": "تاريخ خارج سنة الخطة", "error_type": "warning",
                "error_message": "هذا التاريخ ليس ضمن سنة الخطة المحددة في الغلاف، أو ليس تاريخا صالحا. "
                                 "اكتب التاريخ بصيغة يوم/شهر/سنة. هل تريد الإبقاء عليه؟"}
    if kind is Kind.YEAR:
        return {**base, "validate": "integer", "criteria": "between",
                "minimum": schema.YEAR_MIN, "maximum": schema.YEAR_MAX,
                "input_message": col.guidance or "سنة بأربعة أرقام",
                "error_title": "سنة غير صالحة", "error_type": "stop",
                "error_message": f"اكتب سنة بأربعة أرقام بين {schema.YEAR_MIN} و{schema.YEAR_MAX}."}
    if kind is Kind.INTEGER and not col.computed:
        return {**base, "validate": "integer", "criteria": ">=", "value": 0,
                "input_message": col.guidance or "عدد صحيح موجب",
                "error_title": "عدد غير صالح", "error_type": "stop",
                "error_message": "اكتب عددا صحيحا موجبا (0 أو أكثر)، دون كسور."}
    if kind is Kind.AMOUNT:
        return {**base, "validate": "decimal", "criteria": ">=", "value": 0,
                "input_message": col.guidance or "مبلغ بالدينار التونسي",
                "error_title": "مبلغ غير صالح", "error_type": "stop",
                "error_message": "اكتب مبلغا موجبا بالدينار التونسي (مثلا 12500,250)."}
    if kind is Kind.EMAIL:
        return {**base, "validate": "custom", "value": f'=ISNUMBER(FIND("@",{top_left}))',
                "input_message": col.guidance or "عنوان بريد إلكتروني، مثلا name@example.tn",
                "error_title": "بريد إلكتروني غير صالح", "error_type": "warning",
                "error_message": "عنوان البريد الإلكتروني يجب أن يحتوي على @."}
    if col.guidance:
        return {**base, "validate": "any"}
    return None


def validation(col: Column, owner: str, top_left: str) -> dict | None:
    """XlsxWriter data_validation options for one column, within Excel's length limits."""
    opts = _validation_options(col, owner, top_left)
    if opts:
        for key, limit in (("input_title", 32), ("error_title", 32), ("input_message", 255),
                           ("error_message", 255)):
            if key in opts:
                opts[key] = clip(opts[key], limit)
    return opts


def clip(text: str, limit: int) -> str:
    """Text cut at a word boundary to fit Excel's limit, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
