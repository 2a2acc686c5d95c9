Attribute VB_Name = "OdplanButtons"
' The buttons of the odplan-xl workbook. Each Sub takes no argument so that a form button
' can be bound to it; each runs one Python entry point through xlwings' RunPython, and the
' Python side reaches this workbook with xw.Book.caller().
' Built into vbaProject.bin by: python -m tools.vba_build
Option Explicit

' Check that the plan is complete; writes the report sheet and colours the cells to fix.
Public Sub OdplanCheck()
    RunPython "import odplan_xl.macros as m; m.check()"
End Sub

' Build the Gantt sheet from the dated activities of the plan.
Public Sub OdplanGantt()
    RunPython "import odplan_xl.macros as m; m.gantt()"
End Sub

' Export the plan to a Word document next to the workbook.
Public Sub OdplanWord()
    RunPython "import odplan_xl.macros as m; m.word()"
End Sub
