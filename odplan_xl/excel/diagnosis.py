"""What the button «فحص التثبيت» finds from the Python side: interpreter, versions, the workbook, timings."""

from __future__ import annotations

import datetime as dt
import platform
import statistics
import struct
import sys
import tempfile
import time
from typing import Any

from odplan_xl.errors import OdplanError
from odplan_xl.excel.grid import LiveGrid
from odplan_xl.excel.log import LOG_NAME
from odplan_xl.excel.writer import desktop, write_spec
from odplan_xl.plan.reader import read_plan
from odplan_xl.sheets.diagnosis import DIAGNOSIS_SHEET, Fact, diagnosis_sheet, verdict
from odplan_xl.version import __version__

UNKNOWN = "غير معروف — inconnu"
LRI, PDI = "\u2066", "\u2069"     # keeps a path or a version left to right inside Arabic text
ALERT_AR = "فحص التثبيت: {verdict}\nPython {python} ({bits} بت)، xlwings {xlwings}، odplan-xl {odplan}.\n" \
           "التفاصيل في ورقة «{sheet}»."
ALERT_FR = "Diagnostic : {verdict}\nPython {python} ({bits} bits), xlwings {xlwings}, odplan-xl {odplan}.\n" \
           "Détails dans la feuille « {sheet} »."


def _ltr(text: str) -> str:
    return f"{LRI}{text}{PDI}"


def _xlwings_version() -> str:
    try:
        import xlwings

        return xlwings.__version__
    except Exception:            # the Lite add-in or a broken install: say so, do not fail
        return UNKNOWN


def _excel_fact(book: Any, excel: str, bits: str) -> Fact:
    """Excel's version and bitness: as the VBA Sub read them, else as xlwings can tell."""
    if not excel:
        try:
            excel = str(book.app.version) if desktop(book) else ""
        except Exception:
            excel = ""
    shown = f"{excel} ({bits} bits)" if excel and bits else excel or UNKNOWN
    return Fact("برنامج Excel (الإصدار)", "Excel (version)", shown)


def _round_trip_ms(book: Any, reads: int = 5) -> float:
    """Median time of reading one cell of the workbook: one round trip to Excel on the desktop."""
    cell = book.sheets[0].range("A1")
    times = []
    for _ in range(reads):
        start = time.perf_counter()
        _ = cell.value
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _plan_fact(book: Any) -> Fact:
    """How long reading the whole plan takes (what each button pays), or why it cannot be read."""
    start = time.perf_counter()
    try:
        plan, _findings = read_plan(LiveGrid(book))
    except OdplanError as exc:
        return Fact("قراءة الخطة", "Lecture du plan", exc.fr, False, exc.ar)
    seconds = time.perf_counter() - start
    rows = sum(len(s.rows) for s in plan.sections.values())
    return Fact("قراءة الخطة", "Lecture du plan", f"{seconds:.2f} s — {rows} lignes / أسطر", True)


def facts(book: Any, *, excel: str = "", bits: str = "", vba_xlwings: str = "") -> list[Fact]:
    """Everything the diagnosis reports, in the order of the sheet."""
    python_bits = struct.calcsize("P") * 8
    xlwings_version = _xlwings_version()
    found = [
        _excel_fact(book, excel, bits),
        Fact("برنامج Python المستعمل", "Interpréteur Python", sys.executable or UNKNOWN, None,
             "هو المسار المكتوب في ورقة xlwings.conf (الخانة B1)، أو Python الموجود في PATH إن كانت فارغة.",
             "Le chemin de la feuille xlwings.conf (B1), ou Python du PATH si elle est vide."),
        Fact("إصدار Python", "Version de Python",
             f"{platform.python_version()} ({python_bits} bits), {platform.system()} {platform.release()}"),
    ]
    mismatch = bool(vba_xlwings) and vba_xlwings != xlwings_version
    found.append(Fact(
        "إصدار xlwings", "Version de xlwings",
        f"{xlwings_version} (Python) / {vba_xlwings or UNKNOWN} (VBA)", not mismatch if vba_xlwings else None,
        f"يجب أن يتطابق الإصداران: ثبّت ‎xlwings=={vba_xlwings}‎ في برنامج Python هذا." if mismatch else "",
        f"Les deux versions doivent être égales : installez xlwings=={vba_xlwings} dans ce Python."
        if mismatch else ""))
    found.append(Fact("إصدار odplan-xl", "Version d'odplan-xl", __version__))
    found.append(Fact("وصول Python إلى المصنف (Book.caller)", "Classeur atteint (Book.caller)",
                      str(book.name), True))
    found.append(Fact("مكان المصنف", "Emplacement du classeur", str(book.fullname or "") or UNKNOWN))
    found.append(Fact("زمن ذهاب وإياب مع Excel (قراءة خانة)", "Aller-retour avec Excel (lecture d'une cellule)",
                      f"{_round_trip_ms(book):.1f} ms"))
    found.append(_plan_fact(book))
    found.append(Fact("ملف تفاصيل الأخطاء", "Fichier du détail des erreurs",
                      str(tempfile.gettempdir()) + ("\\" if sys.platform == "win32" else "/") + LOG_NAME))
    return found


def diagnose_book(book: Any, *, token: str = "", excel: str = "", bits: str = "", vba_xlwings: str = "",
                  now: dt.datetime | None = None) -> list[Fact]:
    """Write the sheet «التثبيت» with what Python finds, and show its gist in Arabic and French."""
    found = facts(book, excel=excel, bits=bits, vba_xlwings=vba_xlwings)
    sheet = write_spec(book, diagnosis_sheet(found, token=token, now=now))
    sheet.activate()
    ar, fr = verdict(found)
    python = platform.python_version()
    python_bits = struct.calcsize("P") * 8
    xlwings_version = _xlwings_version()
    text = "\n\n".join((
        ALERT_AR.format(verdict=ar, python=_ltr(python), bits=python_bits, xlwings=_ltr(xlwings_version),
                        odplan=_ltr(__version__), sheet=DIAGNOSIS_SHEET),
        ALERT_FR.format(verdict=fr, python=python, bits=python_bits, xlwings=xlwings_version,
                        odplan=__version__, sheet=DIAGNOSIS_SHEET)))
    book.app.alert(text, title="odplan-xl", mode="info")
    return found
