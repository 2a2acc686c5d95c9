"""The Excel buttons (check, Gantt, Word) on the open workbook, through xlwings: the only module using it.

The entry points `check_button()`, `gantt_button()` and `word_button()` take no argument: the VBA Subs
of the workbook call them (as odplan_xl.macros.check/gantt/word) with RunPython and they reach the workbook with `xw.Book.caller()`. The `*_book(book)` functions
do the work on any xlwings Book (desktop Excel, or the JSON books of xlwings Lite / Server), so the
Lite scripts call the same code. xlwings is imported inside functions: the package imports without it.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from odplan_xl import schema
from odplan_xl.app.check import check as check_source
from odplan_xl.errors import OdplanError
from odplan_xl.files import safe_name
from odplan_xl.plan.gantt import build_gantt
from odplan_xl.plan.reader import read_plan
from odplan_xl.rules.findings import Report, Severity
from odplan_xl.sheets.gantt import gantt_sheet
from odplan_xl.sheets.report import ERROR_FILL, WARNING_FILL, headline, report_sheet
from odplan_xl.sheets.spec import (
    DATE_FORMAT,
    SheetSpec,
    a1,
    column_letter,
    coordinate_to_tuple,
)

TITLE = "odplan-xl"
# Hidden sheet remembering which cells the last check coloured: colours cannot be read back on
# every engine, and cells must never be cleared that the check did not colour itself.
MARKS_SHEET = "odplan_marks"
MARKS_HEADER = ("odplan-xl", "cells coloured by the last check (cleared by the next one; do not edit)")

DETAILS_AR = "التفاصيل في ورقة «{sheet}»."
GANTT_DONE_AR = "تم إنشاء ورقة «{sheet}»: {n} نشاط مؤرخ."
GANTT_UNDATED_AR = "{n} نشاط دون تاريخ بداية مذكور أسفل المخطط."
WORD_DONE_AR = "تم إنشاء ملف Word:"
WORD_REPLACED_AR = "حلّ محل ملف Word السابق الذي يحمل الاسم نفسه."
WORD_FALLBACK_AR = ("المصنف غير محفوظ في مجلد على هذا الحاسوب (ملف جديد أو متزامن مع السحابة)، "
                    "لذلك حُفظ الملف في مجلد المستندات.")
WORD_ERRORS_AR = "تنبيه: الخطة غير مكتملة ({n} خطأ). استعمل زر «التحقق من اكتمال الخطة» لمعرفة التفاصيل."
WORD_IN_LITE_AR = ("التصدير إلى Word غير متاح في xlwings Lite لأنه لا يستطيع الكتابة في ملفات الحاسوب. "
                   "استعمل زر «تصدير إلى Word» في Excel المثبت عليه Python، أو الأمر odplan-xl convert.")
WORD_IN_LITE_FR = ("L'export Word n'est pas disponible dans xlwings Lite, qui ne peut pas écrire de "
                   "fichiers sur l'ordinateur. Utilisez le bouton d'Excel avec Python installé, "
                   "ou « odplan-xl convert ».")
LOCKED_AR = "تعذرت الكتابة في الملف:\n{path}\nإن كان مفتوحا في Word فأغلقه ثم أعد المحاولة."
UNEXPECTED_AR = ("حدث خطأ غير متوقع ({kind}) ولم تكتمل العملية.\n{text}\n"
                 "أرسل هذه الرسالة إلى فريق الإعلامية.")
LOG_AR = "التفاصيل الفنية في الملف:"
NO_CALLER_AR = ("تعذر الوصول إلى المصنف المفتوح من Python ({kind}). "
                "تحقق من إعداد ورقة xlwings.conf (مسار Python) ومن أن اسم الملف بحروف لاتينية.")

# Characters that make Excel read typed text as something else (a formula, a number, a date).
_TEXT_GUARD = re.compile(r"^[=+\-@'\d\s]")
# Left-to-right isolate around a path or an address inside an Arabic sentence.
LRI, PDI = "\u2066", "\u2069"

T = TypeVar("T")


# --- reading the live workbook -----------------------------------------------------------------

@dataclass(frozen=True)
class LiveTable:
    """An Excel Table of the open workbook, as the reader wants it."""

    name: str
    sheet: str
    ref: str                     # "A6:H20"
    totals_rows: int = 0

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        """(min_col, min_row, max_col, max_row)."""
        first, _, last = self.ref.partition(":")
        r0, c0 = coordinate_to_tuple(first)
        r1, c1 = coordinate_to_tuple(last or first)
        return c0, r0, c1, r1


class LiveGrid:
    """A GridSource over an open xlwings Book: the values as they are now, saved or not.

    Dates come as datetime and numbers as float; the reader's normalisers take both.
    """

    def __init__(self, book: Any):
        self.book = book
        self.name = book.name
        self._sheets = {sheet.name: sheet for sheet in book.sheets}

    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def tables(self) -> list[LiveTable]:
        out = []
        for name, sheet in self._sheets.items():
            for table in sheet.tables:
                out.append(LiveTable(name=table.name, sheet=name, ref=table.range.address.replace("$", ""),
                                     totals_rows=1 if table.show_totals else 0))
        return out

    def defined_names(self) -> dict[str, tuple[str, str]]:
        """Workbook-scoped names that point at cells: name -> (sheet, first cell)."""
        found: dict[str, tuple[str, str]] = {}
        for name in self.book.names:
            if "!" in name.name:        # sheet-scoped ("Sheet!name"): not ours
                continue
            try:
                target = name.refers_to_range
                sheet, address = target.sheet.name, target.address
            except Exception:           # a constant, a formula or another workbook: not a cell
                continue
            found[name.name] = (sheet, address.replace("$", "").split(":")[0])
        return found

    def values(self, sheet: str, min_row: int, min_col: int, max_row: int, max_col: int) -> list[list[Any]]:
        block = self._sheets[sheet].range((min_row, min_col), (max_row, max_col))
        # errors as their text ("#N/A"), so the reader reports them instead of seeing empty cells
        return block.options(ndim=2, err_to_str=True).value

    def dimensions(self, sheet: str) -> tuple[int, int]:
        last = self._sheets[sheet].used_range.last_cell
        return last.row, last.column


# --- writing a sheet description ------------------------------------------------------------------

def _desktop(book: Any) -> bool:
    """Excel itself (Windows or macOS), as opposed to the JSON books of xlwings Lite / Server."""
    return book.app.engine.name == "excel"


def _as_text(value: str) -> str:
    # A leading apostrophe makes Excel keep what follows as text, as when typing.
    return f"'{value}" if _TEXT_GUARD.match(value) else value


def link_formula(link: str, shown: Any) -> str:
    """=HYPERLINK("#'Sheet'!B7","B7"): the one link every engine writes the same way.

    Both arguments are string literals (quotes doubled), so no cell text becomes formula code.
    """
    def literal(text: str) -> str:
        return '"' + text.replace('"', '""')[:250] + '"'

    return f"=HYPERLINK({literal(link)},{literal('' if shown is None else str(shown))})"


def _cell_value(cell: Any) -> Any:
    value = cell.value
    if cell.link:
        return link_formula(cell.link, value)
    if isinstance(value, str):
        return _as_text(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def rectangles(cells: Iterable[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Few rectangles (row1, col1, row2, col2) covering exactly `cells`: one call each, not one per cell.

    Runs along each row, stacked while the next row has the same run.
    """
    by_row: dict[int, list[int]] = defaultdict(list)
    for row, col in cells:
        by_row[row].append(col)
    out: list[tuple[int, int, int, int]] = []
    growing: dict[tuple[int, int], list[int]] = {}     # (col1, col2) -> [row1, row2]
    for row in sorted(by_row):
        cols = sorted(set(by_row[row]))
        runs: set[tuple[int, int]] = set()
        start = prev = cols[0]
        for col in cols[1:]:
            if col != prev + 1:
                runs.add((start, prev))
                start = col
            prev = col
        runs.add((start, prev))
        for span in list(growing):
            if span not in runs or growing[span][1] != row - 1:
                r1, r2 = growing.pop(span)
                out.append((r1, span[0], r2, span[1]))
        for span in runs:
            if span in growing:
                growing[span][1] = row
            else:
                growing[span] = [row, row]
    out.extend((r1, span[0], r2, span[1]) for span, (r1, r2) in growing.items())
    return sorted(out)


def _groups(spec: SheetSpec) -> dict[tuple[str, Any], list[tuple[int, int]]]:
    """Cells by (attribute, value), leaving out what a new sheet already has."""
    groups: dict[tuple[str, Any], list[tuple[int, int]]] = defaultdict(list)
    for pos, cell in spec.cells.items():
        style = cell.style
        if isinstance(cell.value, dt.date) and style.number_format is None:
            style = style.but(number_format=DATE_FORMAT)
        if cell.link and style.color is None:
            style = style.but(color="0563C1")
        for attr, value in (("fill", style.fill), ("bold", style.bold), ("italic", style.italic),
                            ("color", style.color), ("size", style.size), ("wrap", style.wrap),
                            ("align", style.align), ("valign", style.valign),
                            ("number_format", style.number_format),
                            ("border", (style.border, style.border_color) if style.border else None)):
            if value not in (None, False, "bottom"):
                groups[(attr, value)].append(pos)
    return groups


def _ordered(groups: dict[tuple[str, Any], list[tuple[int, int]]]) -> list[tuple[tuple[str, Any], list]]:
    """Groups in a fixed order; the commonest border is drawn over every bordered cell first.

    Every bordered cell is drawn again by its own group afterwards, so the result is the same with
    far fewer rectangles (a Gantt grid becomes one block plus its bars): each border costs 18 calls.
    """
    plain = sorted(((k, v) for k, v in groups.items() if k[0] != "border"),
                   key=lambda kv: (kv[0][0], str(kv[0][1])))
    borders = sorted(((k, v) for k, v in groups.items() if k[0] == "border"),
                     key=lambda kv: (-len(kv[1]), str(kv[0][1])))
    if borders:
        everything = [pos for _key, cells in borders for pos in cells]
        borders = [(borders[0][0], everything)] + borders[1:]
    return plain + borders


def _apply(rng: Any, attr: str, value: Any) -> None:
    if attr == "fill":
        rng.color = f"#{value}"
    elif attr == "bold":
        rng.font.bold = True
    elif attr == "italic":
        rng.font.italic = True
    elif attr == "color":
        rng.font.color = f"#{value}"
    elif attr == "size":
        rng.font.size = value
    elif attr == "wrap":
        rng.wrap_text = True
    elif attr == "align":
        rng.horizontal_alignment = value
    elif attr == "valign":
        rng.vertical_alignment = value
    elif attr == "number_format":
        rng.number_format = value
    elif attr == "border":
        weight, colour = value
        rng.borders.set("all", line_style="continuous", weight=weight, color=f"#{colour}")


def _points(width: float) -> float:
    """Excel column width in characters -> points (Office.js sizes columns in points)."""
    return round((width * 7 + 5) * 0.75, 2)


def _runs(items: dict[int, float]) -> list[tuple[int, int, float]]:
    """Consecutive indexes with the same size: (first, last, size)."""
    out: list[tuple[int, int, float]] = []
    for index in sorted(items):
        size = items[index]
        if out and out[-1][1] == index - 1 and out[-1][2] == size:
            out[-1] = (out[-1][0], index, size)
        else:
            out.append((index, index, size))
    return out


def _replace_sheet(book: Any, title: str) -> Any:
    """Delete the sheet `title` if present and add an empty one at the same place (else at the end)."""
    names = [sheet.name for sheet in book.sheets]
    # Excel compares sheet names without regard to case
    index = next((i for i, name in enumerate(names) if name.casefold() == title.casefold()), None)
    if index is not None:
        book.sheets[index].delete()
    count = len(book.sheets)
    if index is None or index >= count:
        return book.sheets.add(title, after=book.sheets[count - 1])
    if index == 0:
        return book.sheets.add(title, before=book.sheets[0])
    # `after` the previous sheet: the JSON engines place `before=` one position too early
    return book.sheets.add(title, after=book.sheets[index - 1])


def write_spec(book: Any, spec: SheetSpec) -> Any:
    """Write a sheet description into the open workbook, replacing the sheet of the same title.

    No other sheet is touched. Values go in one block; each style attribute is applied to few
    rectangles; then merges, sizes and (desktop Excel only) direction, freeze panes and page setup.
    Returns the xlwings Sheet.
    """
    desktop = _desktop(book)
    app = book.app
    if desktop:
        app.screen_updating = False
    try:
        sheet = _replace_sheet(book, spec.title)
        rows, cols = spec.max_row, spec.max_col
        if rows and cols:
            block: list[list[Any]] = [[None] * cols for _ in range(rows)]
            for (row, col), cell in spec.cells.items():
                block[row - 1][col - 1] = _cell_value(cell)
            sheet.range((1, 1), (rows, cols)).value = block
        for (attr, value), cells in _ordered(_groups(spec)):
            for r1, c1, r2, c2 in rectangles(cells):
                _apply(sheet.range((r1, c1), (r2, c2)), attr, value)
        for r1, c1, r2, c2 in spec.merges:
            sheet.range((r1, c1), (r2, c2)).merge()
        for first, last, width in _runs(spec.widths):
            sheet.range((1, first), (1, last)).column_width = width if desktop else _points(width)
        for first, last, height in _runs(spec.heights):
            sheet.range((first, 1), (last, 1)).row_height = height
        if not spec.show_grid:
            sheet.show_gridlines = False
        if desktop:
            _desktop_view(book, sheet, spec)
        elif spec.freeze:
            frozen = _frozen_range(*spec.freeze)
            if frozen:
                sheet.freeze_panes.freeze_at(frozen)
    finally:
        if desktop:
            app.screen_updating = True
    return sheet


def _frozen_range(row: int, col: int) -> str | None:
    """The cells that stay in place when `row`, `col` is the first cell that scrolls."""
    if row > 1 and col > 1:
        return f"A1:{a1(row - 1, col - 1)}"
    if row > 1:
        return f"1:{row - 1}"
    if col > 1:
        return f"A:{column_letter(col - 1)}"
    return None


def _desktop_view(book: Any, sheet: Any, spec: SheetSpec) -> None:
    """Right-to-left, freeze panes and page setup through Excel's own object model (Windows).

    xlwings has no portable call for these; they change how the sheet looks, never its content, so a
    failure here is logged and the work goes on. On macOS the sheet keeps Excel's defaults.
    """
    if sys.platform != "win32":
        return
    try:
        ws = sheet.api
        ws.DisplayRightToLeft = spec.rtl
        setup = ws.PageSetup
        setup.Orientation = 2 if spec.landscape else 1        # xlLandscape / xlPortrait
        setup.PaperSize = 9                                    # xlPaperA4
        if spec.fit_width:
            setup.Zoom = False
            setup.FitToPagesWide = 1
            setup.FitToPagesTall = False
        if spec.repeat_rows:
            setup.PrintTitleRows = f"${spec.repeat_rows[0]}:${spec.repeat_rows[1]}"
        if spec.freeze:
            sheet.activate()
            window = book.app.api.ActiveWindow
            window.FreezePanes = False
            window.SplitRow, window.SplitColumn = spec.freeze[0] - 1, spec.freeze[1] - 1
            window.FreezePanes = True
    except Exception as exc:
        _log(exc)


# --- the coloured cells of the last check -------------------------------------------------------------

_ADDRESS = re.compile(r"\$?[A-Z]{1,3}\$?\d{1,7}(:\$?[A-Z]{1,3}\$?\d{1,7})?")


def _sheet_named(book: Any, name: str) -> Any | None:
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None


def read_marks(book: Any) -> list[tuple[str, str]]:
    """(sheet, "B7:B9") coloured by the last check, as remembered in the hidden sheet."""
    sheet = _sheet_named(book, MARKS_SHEET)
    if sheet is None:
        return []
    rows = sheet.used_range.options(ndim=2).value or []
    out = []
    for row in rows[1:]:
        if len(row) >= 2 and isinstance(row[0], str) and isinstance(row[1], str) \
                and _ADDRESS.fullmatch(row[1].strip()):
            out.append((row[0], row[1].strip()))
    return out


def clear_marks(book: Any, marks: Iterable[tuple[str, str]]) -> int:
    """Remove the fill of the cells the last check coloured, without reading any colour; returns the count."""
    done = 0
    for sheet_name, address in marks:
        sheet = _sheet_named(book, sheet_name)
        if sheet is None:            # renamed or deleted since: nothing of ours left to clear
            continue
        sheet.range(address).color = None
        done += 1
    return done


def finding_marks(book: Any, report: Report) -> list[tuple[str, str, str]]:
    """(sheet, "B7:B9", fill) to colour: errors light red, warnings light yellow (error wins on a cell)."""
    worst: dict[tuple[str, int, int], Severity] = {}
    present = {sheet.name for sheet in book.sheets}
    for finding in report.findings:
        if not finding.cell or finding.sheet not in present:
            continue
        try:
            row, col = coordinate_to_tuple(finding.cell)
        except ValueError:
            continue
        key = (finding.sheet, row, col)
        if worst.get(key) is not Severity.ERROR:
            worst[key] = finding.severity
    by_fill: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for (sheet, row, col), severity in worst.items():
        by_fill[(sheet, ERROR_FILL if severity is Severity.ERROR else WARNING_FILL)].append((row, col))
    marks = []
    for (sheet_name, fill), cells in sorted(by_fill.items()):
        for r1, c1, r2, c2 in rectangles(cells):
            address = a1(r1, c1) if (r1, c1) == (r2, c2) else f"{a1(r1, c1)}:{a1(r2, c2)}"
            marks.append((sheet_name, address, fill))
    return marks


def colour_marks(book: Any, marks: Iterable[tuple[str, str, str]]) -> None:
    for sheet_name, address, fill in marks:
        book.sheets[sheet_name].range(address).color = f"#{fill}"


def write_marks(book: Any, marks: list[tuple[str, str]]) -> None:
    """Remember the coloured ranges in the hidden sheet (created on first use)."""
    sheet = _sheet_named(book, MARKS_SHEET)
    if sheet is None:
        sheet = book.sheets.add(MARKS_SHEET, after=book.sheets[len(book.sheets) - 1])
        sheet.visible = False
    else:
        sheet.clear_contents()
    rows = [list(MARKS_HEADER)] + [[_as_text(s), a] for s, a in marks]
    sheet.range((1, 1), (len(rows), 2)).value = rows


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


def _log(exc: BaseException) -> Path | None:
    """Write the traceback where IT staff can find it; the officer sees only a short message."""
    try:
        path = Path(tempfile.gettempdir()) / "odplan-xl-error.txt"
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        path.write_text(f"{dt.datetime.now().isoformat(timespec='seconds')}\n{text}", encoding="utf-8")
        return path
    except OSError:
        return None


def guarded(action: Callable[[Any], T], book: Any) -> T | None:
    """Run `action(book)`; any failure becomes an Arabic alert in the workbook, never a traceback."""
    try:
        return action(book)
    except OdplanError as exc:
        message = exc.message("ar")
    except Exception as exc:
        log = _log(exc)
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
        _log(exc)
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
