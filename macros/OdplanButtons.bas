Attribute VB_Name = "OdplanButtons"
' The buttons of the odplan-xl workbook. Each Sub takes no argument so that a form button
' can be bound to it; each runs one Python entry point through xlwings' RunPython, and the
' Python side reaches this workbook with xw.Book.caller().
' Built into vbaProject.bin by: python -m tools.vba_build
' Text in this module stays ASCII or French lower-case accents, which read the same in the
' project code page (1252) and on Arabic Windows (1256); Arabic is built with ChrW.
Option Explicit

' Where Python writes the token it was given by OdplanDiagnose (odplan_xl/sheets/diagnosis.py).
Private Const DIAGNOSIS_TOKEN_CELL As String = "C4"

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

' Installation check, for the first run on a PC. VBA first says what Excel alone can tell (its
' version and bitness, the Python it will start), because nothing can be reported by Python if
' Python does not start. Python then writes its own report in the sheet of the diagnosis with
' the token given here; if the token is not there afterwards, Python did not start or did not
' reach this workbook, and this Sub says what to change in the sheet xlwings.conf.
Public Sub OdplanDiagnose()
    Dim bits As String, interpreter As String, state As String, token As String, nl As String
    nl = vbNewLine
    #If Win64 Then
        bits = "64"
    #Else
        bits = "32"
    #End If
    On Error Resume Next
    #If Mac Then
        interpreter = GetConfig("INTERPRETER_MAC", "")
    #Else
        interpreter = GetConfig("INTERPRETER_WIN", "")
    #End If
    If interpreter = "" Then interpreter = GetConfig("INTERPRETER", "python")
    If interpreter = "python" Or interpreter = "pythonw" Then
        state = "not set: the first python on the PATH / non défini : python du PATH"
    ElseIf FileExists(interpreter) Then
        state = "found / trouvé"
    Else
        state = "NOT FOUND / INTROUVABLE"
    End If
    On Error GoTo 0

    If MsgBox("odplan-xl - installation check / diagnostic de l'installation (1/2: Excel)" & nl & nl & _
              "Excel " & Application.Version & " (" & bits & " bits), " & Application.OperatingSystem & nl & _
              "xlwings (VBA) " & XLWINGS_VERSION & nl & _
              "Python: " & interpreter & nl & "   -> " & state & nl & nl & _
              "OK: start Python for part 2/2. / OK : lancer Python pour la partie 2/2.", _
              vbOKCancel + vbInformation, "odplan-xl") <> vbOK Then Exit Sub

    Randomize
    token = "T" & Format(Now, "yyyymmddhhnnss") & CStr(Int(Rnd() * 1000000))
    RunPython "import odplan_xl.macros as m; m.diagnose('" & token & "', '" & Application.Version & _
              "', '" & bits & "', '" & XLWINGS_VERSION & "')"
    #If Mac Then
        Exit Sub  ' RunPython may return before Python is done on macOS: no answer to look for
    #End If
    If DiagnosisAnswered(token) Then Exit Sub

    MsgBox "odplan-xl - no answer from Python (2/2) / pas de réponse de Python (2/2)" & nl & nl & _
           "Python tried / essayé : " & interpreter & " (" & state & ")" & nl & nl & _
           "If an error message came just before, it gives the reason. Otherwise:" & nl & _
           "1. Sheet xlwings.conf, cell B1 (INTERPRETER_WIN): the full path of pythonw.exe, e.g. " & _
           "%LOCALAPPDATA%\Programs\Python\Python312\pythonw.exe" & nl & _
           "2. With that Python: python -m pip install ""odplan-xl[excel]"" (xlwings " & XLWINGS_VERSION & ")" & nl & _
           "3. A file name in Latin letters, in a local folder (not opened from OneDrive in the browser)." & nl & _
           "4. Sheet xlwings.conf: Show Console = True shows Python's own messages." & nl & nl & _
           "Sinon : feuille xlwings.conf, B1 = chemin complet de pythonw.exe ; y installer " & _
           "odplan-xl[excel] ; nom de fichier en lettres latines ; Show Console = True pour voir Python.", _
           vbExclamation, "odplan-xl"
End Sub

' Whether Python wrote `token` in the sheet of the diagnosis during this click.
Private Function DiagnosisAnswered(token As String) As Boolean
    Dim found As Variant
    On Error Resume Next
    found = ThisWorkbook.Worksheets(DiagnosisSheetName()).Range(DIAGNOSIS_TOKEN_CELL).Value
    DiagnosisAnswered = (Err.Number = 0 And CStr(found) = token)
    On Error GoTo 0
End Function

' The sheet's Arabic name, built from code points: module text is stored in code page 1252.
Private Function DiagnosisSheetName() As String
    DiagnosisSheetName = ChrW(&H627) & ChrW(&H644) & ChrW(&H62A) & ChrW(&H62B) & ChrW(&H628) & _
                         ChrW(&H64A) & ChrW(&H62A)
End Function
