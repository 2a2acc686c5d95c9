"""The entry points the workbook's VBA calls: `RunPython "import odplan_xl.macros as m; m.check()"`.

Workbooks already handed out call these names, so they stay here; the work is in odplan_xl.excel.
"""

from odplan_xl.excel.buttons import (
    check_book,
    check_button,
    diagnose_button,
    gantt_book,
    gantt_button,
    guarded,
    word_book,
    word_button,
)

check = check_button         # «التحقق من اكتمال الخطة» (VBA: OdplanCheck)
gantt = gantt_button         # «إنشاء مخطط غانت» (VBA: OdplanGantt)
word = word_button           # «تصدير إلى Word» (VBA: OdplanWord)
diagnose = diagnose_button   # «فحص التثبيت» (VBA: OdplanDiagnose)

__all__ = ["check", "check_book", "diagnose", "diagnose_book", "gantt", "gantt_book", "guarded", "word",
           "word_book"]


def __getattr__(name: str) -> object:
    if name == "diagnose_book":          # the installation check's module, loaded only when asked for
        from odplan_xl.excel.diagnosis import diagnose_book

        return diagnose_book
    raise AttributeError(f"module 'odplan_xl.macros' has no attribute {name!r}")
