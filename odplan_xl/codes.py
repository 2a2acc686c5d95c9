"""Every finding code: severity, meaning, and its Arabic and French message (the reference docs come from here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from odplan_xl.findings import Finding, Severity
from odplan_xl.schema import YEAR_MAX, YEAR_MIN

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    doc: str       # one line for the reference (English)
    ar: str        # str.format templates: {cell} {field} {value} {row} {section} {n} ...
    fr: str


CODES: dict[str, Code] = {c.code: c for c in (
    Code("missing-value", E, "A required cell of a filled row (or of the cover) is empty.",
         "الخانة {cell} فارغة: ‹{field}› معطى إلزامي.",
         "Cellule {cell} vide : « {field} » est obligatoire."),
    Code("bad-date", E, "A date cell holds something that is not a date.",
         "التاريخ في الخانة {cell} غير صالح: {value}. اكتب التاريخ بالشكل يوم/شهر/سنة.",
         "Date invalide en {cell} : {value}. Écrivez la date au format jj/mm/aaaa."),
    Code("bad-number", E, "A whole-number cell holds something else (or a negative number).",
         "القيمة في الخانة {cell} ليست عددا صحيحا موجبا: {value}.",
         "La valeur en {cell} n'est pas un entier positif : {value}."),
    Code("bad-amount", E, "An amount cell holds something that is not an amount in dinars.",
         "المبلغ في الخانة {cell} غير صالح: {value}.",
         "Montant invalide en {cell} : {value}."),
    Code("negative-amount", E, "A budget amount is below zero.",
         "المبلغ في الخانة {cell} سالب: {value}.",
         "Le montant en {cell} est négatif : {value}."),
    Code("bad-choice", E, "A cell with a list holds a value that is not in the list.",
         "القيمة في الخانة {cell} ليست من الاختيارات المتاحة لـ ‹{field}›: {value}.",
         "La valeur en {cell} ne fait pas partie des choix de « {field} » : {value}."),
    Code("bad-yesno", E, "A yes/no cell holds something other than نعم or لا.",
         "الخانة {cell} تقبل نعم أو لا فقط: {value}.",
         "La cellule {cell} n'accepte que oui ou non : {value}."),
    Code("bad-year", E, f"The plan year is not a year between {YEAR_MIN} and {YEAR_MAX}.",
         "سنة الخطة في الخانة {cell} غير صالحة: {value}.",
         "Année du plan invalide en {cell} : {value}."),
    Code("bad-email", W, "The officer's e-mail address does not look like one.",
         "البريد الإلكتروني في الخانة {cell} غير صالح: {value}.",
         "Adresse électronique douteuse en {cell} : {value}."),
    Code("end-before-start", E, "An end date is before the start date of the same row.",
         "تاريخ النهاية يسبق تاريخ البداية في السطر {row} (الخانة {cell}).",
         "La date de fin précède la date de début (ligne {row}, cellule {cell})."),
    Code("outside-plan-year", W, "A date falls outside the plan year.",
         "التاريخ في الخانة {cell} خارج سنة الخطة {year}.",
         "La date en {cell} est hors de l'année du plan {year}."),
    Code("update-before-prepared", E, "The date of last update is before the date the plan was prepared.",
         "تاريخ آخر تحديث في الخانة {cell} يسبق تاريخ إعداد الخطة.",
         "La date de mise à jour en {cell} précède la date d'élaboration."),
    Code("empty-section", E, "A section has no rows and no not-applicable reason.",
         "القسم {n} فارغ: أضف نشاطًا واحدًا على الأقل أو اذكر سبب عدم الانطباق في الخانة {cell}.",
         "La section {n} est vide : ajoutez une activité ou indiquez en {cell} pourquoi elle est sans objet."),
    Code("na-with-rows", W, "A section is marked not applicable but also has rows.",
         "القسم {n} يحتوي على أنشطة رغم ذكر سبب عدم الانطباق في الخانة {cell}.",
         "La section {n} contient des lignes alors qu'elle est déclarée sans objet ({cell})."),
    Code("empty-subsection", W, "A subsection of a filled section has no rows.",
         "القسم الفرعي {n} لا يحتوي على أي سطر.",
         "La sous-section {n} ne contient aucune ligne."),
    Code("missing-authors", E, "The cover's table of the team that prepared the plan is empty.",
         "فريق العمل المساهم في إعداد الخطة غير مذكور في الغلاف ({cell}).",
         "L'équipe ayant contribué au plan n'est pas indiquée sur la couverture ({cell})."),
    Code("no-criteria-met", W, "A dataset to publish meets none of the four priority criteria.",
         "مجموعة البيانات في السطر {row} لا تستوفي أي معيار من معايير الأولوية.",
         "Le jeu de données de la ligne {row} ne remplit aucun critère de priorité."),
    Code("budget-without-activity", W,
         "A budget line refers to a section that has no activity in the plan.",
         "سطر الميزانية {row} مرتبط بالقسم {value} الذي لا يحتوي على أي نشاط.",
         "La ligne budgétaire {row} renvoie à la section {value} qui n'a aucune activité."),
    Code("no-budget", W, "The budget has no line with an amount.",
         "الميزانية لا تتضمن أي مبلغ.", "Le budget ne contient aucun montant."),
    Code("duplicate-row", W, "The same row appears twice in a section.",
         "السطر {row} مكرر (نفس محتوى السطر {other}).",
         "La ligne {row} est un doublon de la ligne {other}."),
    Code("invalid-characters", W, "Invisible or control characters were removed from a cell.",
         "حُذفت رموز غير مرئية أو غير صالحة من الخانة {cell}.",
         "Des caractères invisibles ou invalides ont été supprimés de la cellule {cell}."),
    Code("text-too-long", E, "A cell holds more text than Excel allows (32,767 characters).",
         "النص في الخانة {cell} أطول من الحد المسموح به ({n} حرفا).",
         "Le texte de la cellule {cell} dépasse la longueur permise ({n} caractères)."),
    Code("formula-error", E, "A cell shows a formula error (#REF!, #DIV/0!…).",
         "الخانة {cell} تحتوي على خطأ في صيغة: {value}.",
         "La cellule {cell} contient une erreur de formule : {value}."),
    Code("missing-section", E, "A section's table cannot be found in the workbook.",
         "لم يتم العثور على جدول القسم {n} (‹{field}›) في المصنف.",
         "Le tableau de la section {n} (« {field} ») est introuvable dans le classeur."),
    Code("missing-column", E, "A column of a section table was deleted or renamed.",
         "العمود ‹{field}› غير موجود في جدول الورقة {sheet}.",
         "La colonne « {field} » est absente du tableau de la feuille {sheet}."),
    Code("extra-column", W, "A section table has a column the template does not know; it is ignored.",
         "العمود ‹{field}› في الخانة {cell} غير معروف وسيتم تجاهله.",
         "La colonne « {field} » ({cell}) est inconnue et sera ignorée."),
    Code("missing-cover-field", E, "A cover field's named cell is missing from the workbook.",
         "خانة ‹{field}› غير موجودة في الغلاف.",
         "Le champ « {field} » est absent de la couverture."),
    Code("row-outside-table", W,
         "A row typed under a section's table, outside the Excel Table: read as a row of the section.",
         "سطر خارج الجدول في الخانة {cell}: أُدرج في الخطة؛ وسّع الجدول ليشمله.",
         "Ligne hors du tableau en {cell} : prise en compte ; agrandissez le tableau pour l'inclure."),
    Code("text-outside-tables", W,
         "Text typed outside the tables and the named cells: it does not reach the document.",
         "نص خارج الجداول في الخانة {cell}: لن يظهر في الخطة. انقله إلى الجدول أو إلى خانة مقدمة القسم.",
         "Texte hors des tableaux en {cell} : il n'apparaîtra pas dans le plan. Déplacez-le dans le "
         "tableau ou dans la cellule d'introduction de la section."),
    Code("duplicate-section", E,
         "A section is present twice (a copied sheet or a second table); the original is used.",
         "القسم {n} موجود مرتين: {value} نسخة من الورقة ‹{other}›. تعتمد الخطة على ‹{other}› ولا يُقرأ شيء "
         "من النسخة: انقل ما يلزم إلى الأصل واحذف النسخة.",
         "La section {n} figure deux fois : {value} est une copie de la feuille « {other} ». Le plan "
         "utilise « {other} » et ignore la copie : reportez-y ce qu'il faut puis supprimez la copie."),
    Code("year-mismatch", E, "Most dated rows fall outside the plan year typed on the cover.",
         "سنة الخطة في الخانة {cell} لا تطابق تواريخ الأنشطة: أغلبها في {year}.",
         "L'année du plan en {cell} ne correspond pas aux dates des activités : la plupart sont en {year}."),
    Code("merged-cells", W, "Cells merged vertically inside a table: the value is spread to every row.",
         "دُمجت الخانات {value} في الجدول: نُسخت قيمة الخانة {cell} إلى كل الأسطر التي تغطيها.",
         "Cellules fusionnées {value} dans le tableau : la valeur de {cell} est reportée sur chaque ligne."),
    Code("ambiguous-amount", W,
         "An amount with one separator followed by three digits (7.800): read as dinars and millimes.",
         "قُرئ المبلغ في الخانة {cell} {value} على أنه {reading} د.ت. إن كان المقصود غير ذلك فاكتبه دون "
         "فاصل (مثلا 7800) أو بفاصل المليمات (7,800).",
         "Le montant en {cell} {value} a été lu comme {reading} TND. Sinon, écrivez-le sans séparateur "
         "(7800) ou avec les millimes (7,800)."),
    Code("total-line", W, "A budget line that is a total of the others: left out of the totals.",
         "سطر الميزانية {row} مجموع وليس نشاطا: لم يُحتسب في المجاميع (الخانة {cell}).",
         "La ligne budgétaire {row} est un total, pas une activité : exclue des totaux ({cell})."),
    Code("computed-overwritten", W, "A value typed over a computed cell differs from the computed value.",
         "القيمة المكتوبة {value} في الخانة {cell} تختلف عن القيمة المحسوبة {computed}.",
         "La valeur saisie {value} en {cell} diffère de la valeur calculée {computed}."),
    Code("formula-without-result", E,
         "A formula whose result was never computed (a file written by a program, not saved by Excel).",
         "صيغة بدون نتيجة محسوبة في الخانة {cell}: افتح الملف واحفظه في Excel.",
         "Formule sans résultat calculé en {cell} : ouvrez le fichier et enregistrez-le dans Excel."),
    Code("done-before-start", W, "An activity marked «منجز» (done) has not started yet (its start date is ahead).",
         "السطر {row}: النشاط مسجّل «منجز» ولم يحن تاريخ بدايته {value} بعد (الخانة {cell}).",
         "Ligne {row} : l'activité est marquée « Réalisé » mais ne commence que le {value} ({cell})."),
    Code("late-activity", W, "An activity whose end date has passed is neither done nor cancelled.",
         "نشاط متأخر في السطر {row}: انتهى أجله {value} ولم يُسجّل «منجز» أو «ملغى» (الخانة {cell}).",
         "Activité en retard ligne {row} : échéance {value} passée, ni réalisée ni annulée ({cell})."),
    Code("not-final", E, "The plan is marked final but still has errors.",
         "لا يمكن اعتبار الخطة نسخة نهائية: تحتوي على {n} خطأ يجب إصلاحه.",
         "Le plan ne peut pas être en version finale : il contient {n} erreur(s) à corriger."),
)}


def isolate(text: str) -> str:
    """Wrap a left-to-right token (a cell address) so it keeps its order inside Arabic text."""
    return f"\u2066{text}\u2069" if text else text


def make(code: str, *, sheet: str = "", cell: str = "", field: str = "", section: str = "",
         field_ar: str = "", field_fr: str = "", **params: object) -> Finding:
    """A finding of `code` with its messages filled in."""
    spec = CODES[code]
    where = f"{sheet}!{cell}" if sheet and cell else (cell or sheet)
    value = params.pop("value", "")
    value_text = str(value)
    if len(value_text) > 60:
        value_text = value_text[:57] + "…"
    common = {"sheet": sheet, "row": params.get("row", ""), **params}
    ar = spec.ar.format(cell=isolate(where), field=field_ar or field, value=f"«{value_text}»", **common)
    fr = spec.fr.format(cell=where, field=field_fr or field, value=f"« {value_text} »", **common)
    return Finding(code=code, severity=spec.severity, sheet=sheet, cell=cell, field=field, ar=ar, fr=fr,
                   section=section)


def reference_markdown(where: Callable[[str], str] | None = None) -> str:
    """The finding-code reference, generated from the code (docs/codes.md).

    `where(code)`: the column saying whether the workbook checks the code by itself (rules/live.py).
    """
    extra = ("| live in the workbook / check only (why) ", "---|") if where else ("", "")
    lines = ["# Finding codes", "", "Generated by `odplan-xl codes`; do not edit by hand.", "",
             f"| code | severity | meaning {extra[0]}| message (ar) | message (fr) |",
             f"|---|---|---|{extra[1]}---|---|"]
    for c in CODES.values():
        column = f" {where(c.code)} |" if where else ""
        lines.append(f"| `{c.code}` | {c.severity} | {c.doc} |{column} {c.ar} | {c.fr} |")
    return "\n".join(lines) + "\n"
