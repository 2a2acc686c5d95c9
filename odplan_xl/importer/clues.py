"""What tells the parts of a Word plan apart: the template's own wording, cover labels, bullets, totals."""

from __future__ import annotations

import re

from odplan_xl import schema
from odplan_xl.importer import headings
from odplan_xl.importer.headings import norm, similarity
from odplan_xl.plan import derived
from odplan_xl.plan.normalize import ascii_digits, clean_text

BULLET = re.compile(r"^\s*(?:[-–—•▪◦●○■□➢❖✓→*·]|\(?\d{1,3}\s*[).\-]|\(?[أابجدهوزحطي]\s*[)\-]|[a-zA-Z]\))\s*")
BRACKETS = re.compile(r"\[[^\[\]]*\]?")
YEAR = re.compile(r"\b(20\d\d)\b")
# the checker's total labels, and the one a Word total row prints
TOTAL_WORDS = {norm(w) for w in (*derived.TOTAL_WORDS, "المجموع الجملي")}
NOT_APPLICABLE = re.compile(r"^\s*(?:لا ينطبق|لا تنطبق|غير منطبق|Sans objet|Non applicable)\s*[:،,\-—–.]?\s*(?:السبب\s*:)?\s*(.*)$",
                 re.I | re.S)



_GOALS = tuple(norm(g) for g in schema.DECREE_GOALS_AR)


def is_decree_goal(text: str) -> bool:
    """One of the decree's four goals, which the template quotes under section 1 (not an objective)."""
    key = norm(BULLET.sub("", text))
    return any(similarity(key, g) >= 0.85 for g in _GOALS)


def _template_norms() -> list[str]:
    """The template's instructions, normalised; the decree's goals are left to `is_decree_goal`."""
    texts = [schema.DECREE_AR]
    for sec in schema.SECTIONS:
        for title, text in sec.guidance_blocks:
            text = "\n".join(line for line in text.split("\n") if norm(line) not in _GOALS)
            texts.append(text)
            texts += re.split(r"(?<=[.:])\s+|\n", text)
        for sub in sec.subsections:
            texts += BRACKETS.findall(sub.guidance) + re.split(r"\[|\]", sub.guidance)
    return [n for n in (norm(t) for t in texts) if len(n) >= 12]


_TEMPLATE = _template_norms()


def is_template_text(text: str) -> bool:
    """The template's own instruction or quotation (bracketed text, guidance, the decree's goals)."""
    t = BULLET.sub("", text.strip())
    if t.startswith("[") or (t.startswith("(") and "[" in t[:3]):
        return True
    key = norm(t)
    if len(key) < 12:
        return False
    for ref in _TEMPLATE:
        if key in ref or similarity(key, ref) >= 0.88:
            return True
    return False


def strip_instructions(text: str) -> str:
    """The officer's text with the template's bracketed instructions left in it removed."""
    return BRACKETS.sub(lambda m: "" if len(m.group(0)) > 12 or is_template_text(m.group(0)) else m.group(0),
                         text).strip()


def cover_field(label: str) -> str | None:
    key = norm(label)
    if not key:
        return None
    best, score = None, 0.0
    for col in schema.COVER_FIELDS:
        for name in (col.ar, col.fr, *_COVER_VARIANTS.get(col.key, ())):
            s = similarity(key, norm(name))
            if s > score:
                best, score = col.key, s
    return best if score >= 0.8 else None


_COVER_VARIANTS = {
    "structure": ("الهيكل", "اسم الهيكل العمومي", "الوزارة", "المؤسسة", "Structure", "Organisme"),
    "year": ("السنة", "سنة", "Année"),
    "status": ("حالة الخطة", "Statut"),
    "officer": ("المسؤول المكلف بالبيانات المفتوحة", "إسم المسؤول المكلف بالبيانات المفتوحة بالوزارة",
                "اسم المسؤول المكلف بالبيانات المفتوحة", "المكلف بالبيانات المفتوحة", "Responsable"),
    "officer_title": ("الوظيفة", "الخطة", "Fonction"),
    "officer_email": ("البريد الالكتروني", "البريد", "Email", "E-mail", "Courriel"),
    "officer_phone": ("الهاتف", "رقم الهاتف", "Tél", "Téléphone"),
    "prepared": ("تاريخ اعداد الخطة", "تاريخ الإعداد", "Date d'élaboration"),
    "updated": ("تاريخ التحيين", "تاريخ آخر تحيين", "Date de mise à jour"),
}
AUTHORS_LABEL = norm(schema.AUTHORS.heading)


def is_title(text: str) -> bool:
    if headings.split_number(text)[0] is not None:
        return False
    return similarity(norm(YEAR.sub("", ascii_digits(text))), norm(schema.TITLE_AR)) >= 0.85


def plain_text(value: str) -> str:
    """Text as typed: cleaned, without the direction marks a document adds around numbers."""
    text, _ = clean_text(value)
    return (text or "").replace("\u200e", "").replace("\u200f", "").strip()


def form_prefix(text: str) -> str | None:
    """The form a paragraph of 8.1 starts with («أنشطة الاتصال الرسمي [مذكرات…] التي …»)."""
    key = norm(text)
    for form in (schema.COMM_INFORMAL, schema.COMM_FORMAL):
        if any(key.startswith(norm(v) + " ") for v in headings.FORM_VARIANTS[form]):
            return form
    return None
