"""A Word table's header labels mapped to the schema's columns (Arabic, French and the usual variants)."""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from odplan_xl import schema
from odplan_xl.importer.headings import norm

# Other labels people give the columns, by column key (in any section that has that key).
VARIANTS: dict[str, tuple[str, ...]] = {
    "activity": ("النشاط", "الأنشطة", "الانشطة", "النشاط المبرمج", "الأنشطة المبرمجة", "العمل", "البند", "البنود",
                 "Activité",
                 "Activités", "Action"),
    "objective": ("الهدف", "الأهداف", "Objectif", "Objectifs"),
    "priority": ("الأولوية", "درجة الأولوية", "Priorité"),
    "indicator": ("المؤشر", "مؤشر المتابعة", "مؤشرات المتابعة", "Indicateur"),
    "basis": ("المرجع", "السند", "Fondement", "Référence"),
    "decree_goal": ("الهدف المرتبط بالأمر الحكومي", "هدف الأمر الحكومي", "Objectif du décret"),
    "name": ("الفريق أو الإدارة أو الجهة", "الجهة", "الإدارة", "الهيكل", "الفريق", "المتدخل", "الطرف",
             "الأطراف", "Organisme", "Direction", "Équipe", "Partie prenante"),
    "party_type": ("نوع الجهة", "صنف الجهة", "Type"),
    "role": ("الدور", "الدور في الخطة", "المهام", "المهمة", "Rôle"),
    "contact_person": ("الشخص المرجعي", "المخاطب", "الاسم واللقب", "الإسم واللقب", "الاسم", "العضو", "Interlocuteur",
                       "Personne de contact", "Nom et prénom"),
    "contact": ("وسيلة الاتصال", "الاتصال", "البريد الإلكتروني", "الهاتف", "Contact", "Courriel"),
    "activity_type": ("نوع النشاط", "صنف النشاط", "Type d'activité", "Type"),
    "start": ("تاريخ البداية", "البداية", "بداية", "من", "التاريخ", "الموعد", "الفترة", "الفترة الزمنية",
              "الآجال", "الأجل", "الرزنامة", "الروزنامة", "Date", "Période", "Début", "Date de début",
              "Délai", "Échéance", "Calendrier"),
    "end": ("تاريخ النهاية", "النهاية", "نهاية", "إلى", "Fin", "Date de fin"),
    "date": ("التاريخ", "الموعد", "الفترة", "الآجال", "Date", "Période", "Échéance"),
    "responsible": ("المسؤول", "الجهة المسؤولة", "المسؤول عن التنفيذ", "الهيكل المسؤول", "المكلف",
                    "المسؤول عن النشاط", "Responsable", "Porteur"),
    "participants": ("المشاركون", "المشاركين", "الفئة المستهدفة", "Participants"),
    "output": ("النتيجة المنتظرة", "النتائج المنتظرة", "النتيجة", "المخرجات", "Résultat attendu", "Résultat"),
    "title": ("مجموعة البيانات", "مجموعات البيانات", "البيانات", "اسم مجموعة البيانات", "عنوان الدورة",
              "الدورة", "الدورة التكوينية", "عنوان التكوين", "التكوين", "Jeu de données", "Jeux de données",
              "Intitulé", "Formation"),
    "description": ("الوصف", "وصف", "المحتوى", "Description"),
    "producer": ("الإدارة المنتجة", "الهيكل المنتج", "المصدر", "الجهة المنتجة", "المسؤول", "Producteur",
                 "Direction productrice"),
    "format": ("الصيغة", "صيغة النشر", "الشكل", "Format"),
    "publish_date": ("تاريخ النشر", "موعد النشر", "تاريخ النشر المبرمج", "التاريخ", "الموعد",
                     "Date de publication", "Date"),
    "frequency": ("دورية التحيين", "الدورية", "التحيين", "Fréquence", "Périodicité"),
    "channel": ("قناة النشر", "قناة الاتصال", "القناة", "الوسيلة", "Canal", "Support"),
    "tool": ("الأداة", "الأدوات", "Outil", "Outils"),
    "tool_type": ("نوع الأداة", "Type d'outil"),
    "use_case": ("حالة الاستعمال", "الفئة المستهدفة", "حالة الاستعمال أو الفئة المستهدفة", "Cas d'usage",
                 "Public cible"),
    "partners": ("الشركاء", "الأطراف الشريكة", "Partenaires"),
    "kind": ("نوع التكوين", "Type de formation"),
    "topics": ("المحاور", "المواضيع", "المحتوى", "Thèmes", "Contenu"),
    "audience": ("الفئة المستهدفة", "المستهدفون", "المشاركون", "Public cible", "Public"),
    "days": ("المدة بالأيام", "المدة", "عدد الأيام", "Durée", "Jours"),
    "scope": ("النطاق", "Portée"),
    "form": ("الصبغة", "Forme"),
    "parties": ("الأطراف المعنية", "الأطراف", "الجمهور", "Parties concernées", "Cible"),
    "section": ("القسم المرتبط", "القسم", "Section"),
    "amount": ("المبلغ", "الكلفة", "التكلفة", "الكلفة التقديرية", "الاعتمادات", "المبلغ بالدينار",
               "المبلغ (د.ت)", "Montant", "Coût", "Budget"),
    "source": ("مصدر التمويل", "التمويل", "المصدر", "Source de financement", "Financement", "Source"),
    "funder": ("الجهة الممولة", "الممول", "البرنامج", "Bailleur", "Programme"),
    "note": ("ملاحظات", "ملاحظة", "Remarques", "Observations"),
    # the cover's team table
    "unit": ("الإدارة أو الوحدة", "الإدارة", "الوحدة", "الهيكل", "Direction", "Unité"),
}
_AUTHOR_VARIANTS = {"name": ("الاسم واللقب", "الاسم", "الإسم واللقب", "Nom", "Nom et prénom"),
                    "role": ("الصفة", "الخطة", "الوظيفة", "Qualité", "Fonction")}


_STOP = frozenset(("او", "أو", "في", "من", "على", "عن", "و", "ou", "de", "du", "des", "la", "le", "les", "l", "d",
                   "et", "en", "par", "د", "ت", "tnd"))


def _token(word: str) -> str:
    """A label's word reduced for comparing: no article, no plural or feminine ending, no plural «s»."""
    for prefix in ("بال", "وال", "لل", "ال"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix):]
            break
    for suffix in ("يات", "ات", "ون", "ين", "يه", "ه", "ي"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def tokens(label: str) -> frozenset[str]:
    """The meaningful words of a header label, normalised («المستهدفون» and «المستهدفة» alike)."""
    return frozenset(_token(w) for w in norm(label).split() if w not in _STOP)


@lru_cache(maxsize=None)
def _label_tokens(section_key: str) -> tuple[tuple[frozenset[str], str], ...]:
    """(tokens, column key) of each column's Arabic and French labels and usual variants."""
    return tuple((tokens(name), col) for name, col, _ in _labels(section_key) if tokens(name))


def _overlap(key_tokens: frozenset[str], section_key: str) -> tuple[str | None, float]:
    """The column whose labels share the most of a header's words, and the share (0 when none)."""
    best, score = None, 0.0
    if not key_tokens:
        return None, 0.0
    for name_tokens, col in _label_tokens(section_key):
        shared = len(key_tokens & name_tokens)
        if not shared:
            continue
        # the share of the header's words found, a little less when the label has words the header lacks
        s = shared / len(key_tokens) - 0.001 * len(name_tokens - key_tokens)
        if s > score:
            best, score = col, s
    return best, score


@lru_cache(maxsize=None)
def _labels(section_key: str) -> tuple[tuple[str, str, int], ...]:
    """(normalised label, column key, strength) for a section: its own labels first."""
    sec = schema.AUTHORS if section_key == "authors" else schema.section(section_key)
    out = []
    for col in sec.columns:
        out += [(norm(col.ar), col.key, 3), (norm(col.fr), col.key, 3)]
        extra = _AUTHOR_VARIANTS.get(col.key, ()) if section_key == "authors" else VARIANTS.get(col.key, ())
        out += [(norm(v), col.key, 2) for v in extra]
        if section_key != "authors" and col.key == sec.activity and col.key != "activity":
            out += [(norm(v), col.key, 1) for v in VARIANTS["activity"]]
    return tuple(out)


def column_of(label: str, section_key: str) -> str | None:
    """The column a header label names in a section, or None."""
    key = norm(label.replace("*", ""))
    if not key:
        return None
    best, score = None, 0.0
    for name, col, strength in _labels(section_key):
        if key == name:
            s = 2.0 + strength
        elif len(name) >= 4 and (f" {name} " in f" {key} ") and len(name) >= len(key) / 3:
            s = 1.0 + len(name) / len(key)
        else:
            r = SequenceMatcher(None, key, name, autojunk=False).ratio()
            s = r if r >= 0.85 else 0.0
        if s > score:
            best, score = col, s
    if score < 2.0:
        # no label typed as the schema's: the column whose labels share most of the header's words
        col, share = _overlap(tokens(key), section_key)
        if col is not None and share >= 0.49 and 1.0 + share > score:
            best = col
    return best


def map_header(labels: list[str], section_key: str) -> dict[int, str]:
    """Header cell index -> column key (each column once; the best label wins)."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for i, label in enumerate(labels):
        col = column_of(label, section_key) if label.strip() else None
        if col is None:
            continue
        if col in used:
            # "التاريخ" twice, or "من" / "إلى": the second date label is the end
            sec = schema.section(section_key) if section_key != "authors" else None
            if sec is not None and col == sec.start and sec.end and sec.end not in used:
                col = sec.end
            else:
                continue
        out[i] = col
        used.add(col)
    return out


@lru_cache(maxsize=None)
def inline_labels(section_key: str) -> dict[str, str]:
    """Normalised-free label words that may introduce a value inside an item («المسؤول: …»)."""
    sec = schema.section(section_key)
    keys = {c.key for c in sec.columns if not c.computed} - {sec.activity, sec.category}
    words: dict[str, str] = {}
    for col in sec.columns:
        if col.key not in keys:
            continue
        for label in (col.ar, col.fr, *VARIANTS.get(col.key, ())):
            if len(label) >= 4 and label not in ("التاريخ", "Date") or col.key in (sec.start, "date"):
                words.setdefault(label, col.key)
    return words
