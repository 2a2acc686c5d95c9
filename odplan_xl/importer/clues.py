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
_GOAL_INDEX = headings.Wordings([(g, g) for g in _GOALS])


def is_decree_goal(text: str) -> bool:
    """One of the decree's four goals, which the template quotes under section 1 (not an objective)."""
    return _GOAL_INDEX.nearest(norm(BULLET.sub("", text)), 0.85 - 1e-9)[1] >= 0.85


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


_TEMPLATE = headings.Wordings([(t, t) for t in dict.fromkeys(_template_norms())])
_VOCABULARY = frozenset(w for _, ref, _ in _TEMPLATE.rows for w in ref.split())
# A ratio of 0.88 needs lengths within this factor of each other (2·short / (short + long) ≥ 0.88).
_BAND = 0.88 / (2 - 0.88)


def is_template_text(text: str) -> bool:
    """The template's own instruction or quotation (bracketed text, guidance, the decree's goals)."""
    t = BULLET.sub("", text.strip())
    if t.startswith("[") or (t.startswith("(") and "[" in t[:3]):
        return True
    key = norm(t)
    if len(key) < 12:
        return False
    if key in _TEMPLATE.joined:               # the key inside one of them (none holds a line break)
        return True
    # being close to one (or holding one of 0.4 of its length) needs a good share of the template's words
    words = key.split()
    if sum(len(w) for w in words if w in _VOCABULARY) < 0.3 * sum(len(w) for w in words):
        return False
    # one of them inside the key, long enough to count as close (similarity's containment ≥ 0.88)
    if _TEMPLATE.contained_in(key, 0.4):
        return True
    return _TEMPLATE.nearest(key, 0.88 - 1e-9, band=_BAND)[1] >= 0.88


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
                "اسم المسؤول المكلف بالبيانات المفتوحة", "المكلف بالبيانات المفتوحة", "المسؤول عن البيانات المفتوحة",
                "Responsable"),
    "officer_title": ("الوظيفة", "الخطة", "Fonction"),
    "officer_email": ("البريد الالكتروني", "البريد", "Email", "E-mail", "Courriel"),
    "officer_phone": ("الهاتف", "رقم الهاتف", "Tél", "Téléphone"),
    "prepared": ("تاريخ اعداد الخطة", "تاريخ الإعداد", "Date d'élaboration"),
    "updated": ("تاريخ التحيين", "تاريخ آخر تحيين", "Date de mise à jour"),
}
AUTHORS_LABEL = norm(schema.AUTHORS.heading)


def title_score(text: str) -> float:
    """How close a line is to the plan's title (its year left out)."""
    return similarity(norm(YEAR.sub("", ascii_digits(text))), norm(schema.TITLE_AR))


def is_title(text: str) -> bool:
    if headings.split_number(text)[0] is not None:
        return False
    return title_score(text) >= 0.85


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


# --- one paragraph, several items ------------------------------------------------------------------
_LETTER_MARK = re.compile(r"(?:^|(?<=\s))([أابجدهو])\s*\)\s*")
_LABEL = re.compile(r"^([^:،؛\n]{1,30}):\s*(\S.*)$", re.S)


def item_parts(text: str) -> list[tuple[str, str]]:
    """The items of one paragraph, each with the label of its group: «أ) رسمي: … ؛ … ب) غير رسمي: …»,
    items separated by «؛» or by line breaks. One part (the text, "") when it holds one item."""
    marks = list(_LETTER_MARK.finditer(text))
    if len(marks) >= 2 and [m.group(1) for m in marks[:2]] in (["أ", "ب"], ["ا", "ب"]):
        groups = [text[m.end():(marks[i + 1].start() if i + 1 < len(marks) else len(text))]
                  for i, m in enumerate(marks)]
        lead = text[:marks[0].start()].strip()
        if lead:
            groups[0] = f"{lead} {groups[0]}"
    else:
        groups = [text]
    out: list[tuple[str, str]] = []
    for group in groups:
        label, body = "", group.strip()
        m = _LABEL.match(body)
        if m and len(m.group(1).split()) <= 3 and len(groups) > 1:
            label, body = m.group(1).strip(), m.group(2)
        pieces = [p.strip(" .،,") for line in body.split("\n") for p in re.split(r"\s*؛\s*", line)]
        out += [(p, label) for p in pieces if p]
    if len(out) < 2:
        return [(text, "")]
    return out


# The words an item says its own subsection or form with, read in its label, in brackets or at its start.
_SAYS: dict[str, tuple[tuple[str, str], ...]] = {
    "trainings": ((r"غير (?:ال)?(?:فني|فنيه|تقني|تقنيه)", schema.TRAINING_NONTECH),
                  (r"(?:^| )(?:ال)?(?:فني|فنيه|تقني|تقنيه)(?: |$)", schema.TRAINING_TECH)),
    "reuse": ((r"(?:^| )(?:ال)?داخلي(?:ا|ه)?(?: |$)", schema.REUSE_INTERNAL),
              (r"(?:^| )(?:ال)?خارجي(?:ا|ه)?(?: |$)", schema.REUSE_EXTERNAL)),
    "communication": ((r"(?:^| )(?:ال)?داخلي(?:ا|ه)?(?: |$)", schema.COMM_INTERNAL),
                      (r"(?:^| )(?:ال)?خارجي(?:ا|ه)?(?: |$)", schema.COMM_EXTERNAL)),
}
_FORMS = ((r"غير (?:ال)?رسمي(?:ه)?", schema.COMM_INFORMAL), (r"(?:^| )(?:ال)?رسمي(?:ه)?(?: |$)", schema.COMM_FORMAL))
_BRACKETED = re.compile(r"\(([^()]{2,40})\)")


def says(text: str, label: str, section: schema.Section) -> tuple[str | None, str | None, list[str]]:
    """The subsection and form an item names itself («غير فني», «داخليا», «رسمي»), with the words read.

    Only its group's label, a bracket or its own label («داخليا: …») are read: an activity about
    «المنشآت الفنية» says nothing of its kind."""
    zones = [label] + _BRACKETED.findall(text)
    m = _LABEL.match(text)
    if m and len(m.group(1).split()) <= 3:
        zones.append(m.group(1))
    category = form = None
    read: list[str] = []
    for zone in zones:
        key = norm(zone)
        if not key:
            continue
        for pattern, value in _SAYS.get(section.key, ()):
            if category is None and re.search(pattern, key):
                category = value
                read.append(zone)
                break
        if section.key == "communication":
            for pattern, value in _FORMS:
                if form is None and re.search(pattern, key):
                    form = value
                    read.append(zone)
                    break
    return category, form, read


# --- an inline list of names («فريق العمل: أ – ب – ج») -------------------------------------------------
_NAME_SEPARATORS = re.compile(r"\s[–—-]\s|[،؛,;]")
_INSIDE_WORDS = ("فريق", "الفريق", "داخل", "داخليا", "الداخلي")
_OUTSIDE_WORDS = ("الأطراف", "الاطراف", "خارج", "خارجيا", "الخارجية", "الشركاء")


def name_list(text: str) -> tuple[str, list[str]] | None:
    """(its label, the names) of a line listing names after a label, or of three names and more."""
    m = _LABEL.match(text)
    label, rest = (m.group(1).strip(), m.group(2)) if m else ("", text)
    names = [n.strip(" .") for n in _NAME_SEPARATORS.split(rest) if n.strip(" .")]
    least = 1 if label and team_side(label) else 2 if label else 3
    if len(names) < least or any(len(n.split()) > 8 for n in names):
        return None
    return label, names


def team_side(label: str) -> str | None:
    words = set(norm(label).split())
    if words & {norm(w) for w in _OUTSIDE_WORDS}:
        return schema.TEAM_EXTERNAL
    if words & {norm(w) for w in _INSIDE_WORDS}:
        return schema.TEAM_INSIDE
    return None


# --- the cover ----------------------------------------------------------------------------------------
_BODY_WORDS = re.compile(r"^(?:ال)?(?:وزارة|ديوان|بلدية|معهد|وكالة|هيئة|مركز|شركة|مؤسسة|إدارة|ادارة|مندوبية|ولاية|"
                         r"جامعة|مستشفى|صندوق|مصالح|رئاسة|كتابة|Ministère|Agence|Office|Institut|Commune|"
                         r"Municipalité|Centre|Société|Caisse|Instance|Direction)\b", re.I)
_STATUS_KEYS = tuple((norm(s), s) for s in sorted(schema.STATUSES, key=len, reverse=True))


_UNIT_WORDS = re.compile(r"^(?:ال)?(?:إدارة|ادارة|مصلحة|وحدة|مكتب|دائرة|كتابة|خلية|قسم|Direction|Service|Bureau|"
                         r"Cellule|Unité)\b", re.I)


def is_unit_name(text: str) -> bool:
    """A department's name («إدارة الإعلامية», «مصلحة الإحصاء»), not a person's."""
    return bool(_UNIT_WORDS.match(text.strip()))


def is_body_name(text: str) -> bool:
    """A public body's name («وزارة …», «ديوان …», «Agence …»): short, opening with what bodies are called."""
    return len(text) <= 100 and bool(_BODY_WORDS.match(text.strip()))


def status_named(text: str) -> str | None:
    """The plan status a short cover line names («نسخة داخلية مصادق عليها», «الحالة: مسودة»)."""
    key = norm(text)
    if len(key) > 60:
        return None
    return next((s for k, s in _STATUS_KEYS if k in key), None)
