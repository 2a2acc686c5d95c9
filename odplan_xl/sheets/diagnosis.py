"""The installation check as a sheet «التثبيت»: what Excel and Python reported, in Arabic and French."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from odplan_xl.sheets.report import ERROR_FILL, GOOD_FILL, WARNING_FILL
from odplan_xl.sheets.spec import (
    GRID_COLOUR,
    HEADER_FILL,
    HEADER_TEXT,
    NOTE_COLOUR,
    TITLE_COLOUR,
    SheetSpec,
    Style,
    coordinate_to_tuple,
)

DIAGNOSIS_SHEET = "التثبيت"
# The VBA Sub OdplanDiagnose gives Python a token and looks for it here afterwards: found, Python
# started and reached the workbook; not found, the Sub explains what to change in xlwings.conf.
# macros/OdplanButtons.bas holds the same address (a test keeps them equal).
TOKEN_CELL = "C4"

TITLE = "فحص التثبيت — Diagnostic de l'installation"
ALL_GOOD = ("يعمل Python ويصل إلى المصنف: يمكن استعمال الأزرار.",
            "Python fonctionne et atteint le classeur : les boutons sont utilisables.")
SOME_WARNINGS = ("يعمل Python ويصل إلى المصنف، مع ملاحظات أسفله.",
                 "Python fonctionne et atteint le classeur ; voir les remarques ci-dessous.")
CHECKED = ("تاريخ الفحص", "Date du diagnostic")
TOKEN = ("رمز هذا الفحص", "Jeton de ce diagnostic")
HEADERS = ("البند", "Élément", "القيمة — Valeur", "ملاحظة — Remarque")
WIDTHS = (30, 30, 58, 70)
NOTE = ("أُنشئت هذه الورقة بزر «فحص التثبيت» وتُعوَّض في كل فحص. أرسلها (أو صورة منها) إلى فريق الإعلامية "
        "عند طلب المساعدة. — Feuille créée par le bouton « فحص التثبيت », remplacée à chaque diagnostic : "
        "envoyez-la à l'informatique avec toute demande d'aide.")


@dataclass(frozen=True)
class Fact:
    """One line of the diagnosis: what was looked at, what was found, and whether it is a problem."""

    ar: str
    fr: str
    value: str
    ok: bool | None = None          # None: information only; False: something to change
    note_ar: str = ""
    note_fr: str = ""


def verdict(facts: list[Fact]) -> tuple[str, str]:
    """The headline in Arabic and French."""
    return SOME_WARNINGS if any(f.ok is False for f in facts) else ALL_GOOD


def diagnosis_sheet(facts: list[Fact], *, token: str = "", now: dt.datetime | None = None) -> SheetSpec:
    """The sheet «التثبيت» as a library-free description."""
    now = now or dt.datetime.now()
    spec = SheetSpec(title=DIAGNOSIS_SHEET, rtl=True, landscape=True, fit_width=True)
    for col, width in enumerate(WIDTHS, 1):
        spec.widths[col] = width
    last = len(WIDTHS)
    problems = any(f.ok is False for f in facts)
    spec.put(1, 1, TITLE, Style(bold=True, size=15, color=TITLE_COLOUR, align="center"))
    spec.put(2, 1, " — ".join(verdict(facts)),
             Style(bold=True, align="center", wrap=True, fill=WARNING_FILL if problems else GOOD_FILL))
    spec.heights[1], spec.heights[2] = 26, 34
    for row in (1, 2):
        spec.merge(row, 1, row, last)
    label = Style(border="thin", border_color=GRID_COLOUR, align="right", wrap=True)
    value = label.but(align="left")        # paths and versions read left to right
    spec.put(3, 1, CHECKED[0], label)
    spec.put(3, 2, CHECKED[1], label)
    spec.put(3, 3, now.strftime("%d/%m/%Y %H:%M:%S"), value)
    token_row, token_col = coordinate_to_tuple(TOKEN_CELL)
    spec.put(token_row, 1, TOKEN[0], label)
    spec.put(token_row, 2, TOKEN[1], label)
    spec.put(token_row, token_col, token, value)
    row = token_row + 2
    head = Style(fill=HEADER_FILL, bold=True, color=HEADER_TEXT, align="center", wrap=True, border="thin")
    for col, text in enumerate(HEADERS, 1):
        spec.put(row, col, text, head)
    for fact in facts:
        row += 1
        fill = None if fact.ok is None else (GOOD_FILL if fact.ok else ERROR_FILL)
        spec.put(row, 1, fact.ar, label)
        spec.put(row, 2, fact.fr, label)
        spec.put(row, 3, fact.value, value.but(fill=fill))
        note = "\n".join(n for n in (fact.note_ar, fact.note_fr) if n)
        spec.put(row, 4, note, label)
        lines = max(1, -(-len(fact.value) // 55), note.count("\n") + 1 + len(note) // 70)
        if lines > 1:
            spec.heights[row] = 15 * lines + 3
    row += 2
    spec.put(row, 1, NOTE, Style(italic=True, color=NOTE_COLOUR, wrap=True, align="right"))
    spec.merge(row, 1, row, last)
    spec.heights[row] = 48
    return spec
