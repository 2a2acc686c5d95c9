"""xlwings Lite scripts of the odplan-xl workbook: the Excel buttons, for PCs without Python.

Paste this file into the main.py tab of the xlwings Lite add-in and macros/lite/requirements.txt into
its requirements.txt tab (docs/excel.md says how). Each script runs the same library function as the
button of the desktop workbook, on the workbook the add-in passes in (no Book.caller()); any failure
is shown as an Arabic alert.
"""

import xlwings as xw
from xlwings import script

from odplan_xl import macros


@script(name="التحقق من اكتمال الخطة")
def odplan_check(book: xw.Book):
    """Writes the sheet «التحقق» and colours the cells to fix (errors red, warnings yellow)."""
    macros.guarded(macros.check_book, book)


@script(name="إنشاء مخطط غانت")
def odplan_gantt(book: xw.Book):
    """Writes the sheet «مخطط غانت» from the dated activities of sections 3 and 5-9."""
    macros.guarded(macros.gantt_book, book)


@script(name="تصدير إلى Word")
def odplan_word(book: xw.Book):
    """Explains that Lite cannot write files on the PC; the desktop button and the CLI can."""
    macros.guarded(macros.word_book, book)


@script(name="فحص التثبيت")
def odplan_diagnose(book: xw.Book):
    """Writes the sheet «التثبيت»: the Python of the add-in, the versions of xlwings and odplan-xl."""
    macros.guarded(macros.diagnose_book, book)
