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
from odplan_xl.excel.diagnosis import diagnose_book

check = check_button         # «التحقق من اكتمال الخطة» (VBA: OdplanCheck)
gantt = gantt_button         # «إنشاء مخطط غانت» (VBA: OdplanGantt)
word = word_button           # «تصدير إلى Word» (VBA: OdplanWord)
diagnose = diagnose_button   # «فحص التثبيت» (VBA: OdplanDiagnose)

__all__ = ["check", "check_book", "diagnose", "diagnose_book", "gantt", "gantt_book", "guarded", "word",
           "word_book"]
