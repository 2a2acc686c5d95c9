"""The Excel buttons (check, Gantt, Word, installation check) on the open workbook, and the guard around each.

The entry points `check_button()`, `gantt_button()` and `word_button()` take no argument: the VBA Subs
of the workbook call them (as odplan_xl.macros.check/gantt/word) with RunPython, and they reach the
workbook with `xw.Book.caller()`. The `*_book(book)` functions do the work on any xlwings Book
(desktop Excel, or the JSON books of xlwings Lite / Server), so the Lite scripts call the same code.
xlwings is imported inside functions: the package imports without it. What only one button needs (the
Gantt model, the installation check, Word) is imported by that button, so each click loads its own path.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from odplan_xl import schema
from odplan_xl.app.check import check as check_source
from odplan_xl.errors import OdplanError
from odplan_xl.excel.grid import LiveGrid
from odplan_xl.excel.log import log_error
from odplan_xl.excel.marks import (
    clear_marks,
    colour_marks,
    finding_marks,
    read_marks,
    write_marks,
)
from odplan_xl.excel.writer import write_spec
from odplan_xl.files import safe_name
from odplan_xl.plan.reader import read_plan
from odplan_xl.rules.findings import Report
from odplan_xl.sheets.report import headline, report_sheet

TITLE = "odplan-xl"

DETAILS_AR = "التفاصيل في ورقة «{sheet}»."
GANTT_DONE_AR = "تم إنشاء ورقة «{sheet}»: {n} نشاط مؤرخ."
GANTT_UNDATED_AR = "{n} نشاط دون تاريخ بداية مذكور أسفل المخطط."
WORD_DONE_AR = "تم إنشاء ملف Word:"
WORD_REPLACED_AR = "حلّ محل ملف Word السابق الذي يحمل الاسم نفسه."
WORD_FALLBACK_AR = ("المصنف غير محفوظ في مجلد على هذا الحاسوب (ملف جديد أو متزامن مع السحابة)، "
                    "لذلك حُفظ الملف في مجلد المستندات.")
WORD_ERRORS_AR = "تنبيه: الخطة غير مكتملة ({n} خطأ). استعمل زر «التحقق من اكتمال الخطة» لمعرفة التفاصيل."
UNEXPECTED_AR = ("حدث خطأ غير متوقع ({kind}) ولم تكتمل العملية.\n{text}\n"
                 "أرسل هذه الرسالة إلى فريق الإعلامية.")
LOG_AR = "التفاصيل الفنية في الملف:"
NO_CALLER_AR = ("تعذر الوصول إلى المصنف المفتوح من Python ({kind}). "
                "تحقق من إعداد ورقة xlwings.conf (مسار Python) ومن أن اسم الملف بحروف لاتينية.")

# Left-to-right isolate around a path or an address inside an Arabic sentence.
LRI, PDI = "\u2066", "\u2069"

T = TypeVar("T")


# --- the three buttons -------------------------------------------------------------------------------

def check_book(book: Any, *, now: dt.datetime | None = None) -> Report:
    """Check the open plan: report sheet «التحقق», coloured cells, and a short alert."""
    _plan, report = check_source(LiveGrid(book))
    clear_marks(book, read_marks(book))
    sheet = write_spec(book, report_sheet(report, now=now))
    marks = finding_marks(book, report)
    # remembered before colouring: if anything stops midway, the next check still clears them all
    write_marks(book, [(name, address) for name, address, _fill in marks])
    colour_marks(book, marks)
    sheet.activate()
    details = DETAILS_AR.format(sheet=schema.REPORT_SHEET)
    alert(book, f"{headline(report)}\n{details}")
    return report


def gantt_book(book: Any, *, today: dt.date | None = None) -> int:
    """Write the sheet «مخطط غانت» from the open plan; returns the number of dated activities."""
    from odplan_xl.plan.gantt import build_gantt
    from odplan_xl.sheets.gantt import gantt_sheet

    plan, _findings = read_plan(LiveGrid(book))
    chart = build_gantt(plan)
    sheet = write_spec(book, gantt_sheet(chart, today=today))
    sheet.activate()
    lines = [GANTT_DONE_AR.format(sheet=schema.GANTT_SHEET, n=len(chart.activities))]
    if chart.undated:
        lines.append(GANTT_UNDATED_AR.format(n=len(chart.undated)))
    alert(book, "\n".join(lines))
    return len(chart.activities)


def _documents() -> Path:
    home = Path.home()
    documents = home / "Documents"
    return documents if documents.is_dir() else home


def output_folder(book: Any) -> tuple[Path, bool]:
    """The workbook's folder, or (Documents, True) when it has none on this computer."""
    fullname = str(book.fullname or "")
    if "://" not in fullname:
        path = Path(fullname)
        if path.is_absolute() and path.parent.is_dir():
            return path.parent, False
    return _documents(), True


def word_book(book: Any) -> Path:
    """Write the open plan as a Word document beside the workbook (or in Documents); returns its path."""
    if sys.platform == "emscripten":      # xlwings Lite: Python runs in the browser, no file system
        raise OdplanError("word-in-lite")
    from odplan_xl.app.convert import (
        convert_plan,  # python-docx is loaded only when a document is made
    )

    plan, report = check_source(LiveGrid(book))
    folder, fallback = output_folder(book)
    name = Path(str(book.name).replace("\\", "/")).name
    out = folder / f"{safe_name(Path(name).stem, fallback='plan')}.docx"
    source = Path(str(book.fullname)) if not fallback else None
    replaced = out.exists()
    try:
        convert_plan(plan, report, out, source=source)
    except PermissionError as exc:
        raise OdplanError("output-locked", path=f"{LRI}{out}{PDI}") from exc
    lines = [WORD_DONE_AR, f"{LRI}{out}{PDI}"]
    if replaced:
        lines.append(WORD_REPLACED_AR)
    if fallback:
        lines.append(WORD_FALLBACK_AR)
    if report.errors:
        lines.append(WORD_ERRORS_AR.format(n=len(report.errors)))
    alert(book, "\n".join(lines))
    return out


# --- alerts and the guard around every button ------------------------------------------------------------

def alert(book: Any, text: str, *, critical: bool = False) -> None:
    book.app.alert(text, title=TITLE, mode="critical" if critical else "info")


def guarded(action: Callable[[Any], T], book: Any) -> T | None:
    """Run `action(book)`; any failure becomes an Arabic alert in the workbook, never a traceback."""
    try:
        return action(book)
    except OdplanError as exc:
        message = exc.message("ar")
    except Exception as exc:
        log = log_error(exc)
        message = UNEXPECTED_AR.format(kind=type(exc).__name__, text=str(exc)[:300])
        if log is not None:
            message += f"\n{LOG_AR}\n{LRI}{log}{PDI}"
    try:
        alert(book, message, critical=True)
    except Exception:
        # no way to show it in Excel: RunPython shows what Python leaves on stderr
        raise SystemExit(message) from None
    return None


def _from_excel(action: Callable[[Any], Any]) -> None:
    try:
        import xlwings as xw

        book = xw.Book.caller()
    except Exception as exc:
        log_error(exc)
        raise SystemExit(NO_CALLER_AR.format(kind=type(exc).__name__)) from None
    guarded(action, book)


def check_button() -> None:
    """Button «التحقق من اكتمال الخطة» (VBA: OdplanCheck)."""
    _from_excel(check_book)


def gantt_button() -> None:
    """Button «إنشاء مخطط غانت» (VBA: OdplanGantt)."""
    _from_excel(gantt_book)


def word_button() -> None:
    """Button «تصدير إلى Word» (VBA: OdplanWord)."""
    _from_excel(word_book)


def diagnose_button(token: str = "", excel: str = "", bits: str = "", vba_xlwings: str = "") -> None:
    """Button «فحص التثبيت» (VBA: OdplanDiagnose), which passes what only VBA knows.

    `token` is looked for in the sheet afterwards by the VBA Sub; `excel` is Application.Version,
    `bits` "32" or "64" (Excel's), `vba_xlwings` the xlwings version of the workbook's VBA module.
    """
    from odplan_xl.excel.diagnosis import diagnose_book

    _from_excel(lambda book: diagnose_book(book, token=token, excel=excel, bits=bits,
                                           vba_xlwings=vba_xlwings))
