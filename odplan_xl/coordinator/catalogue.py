"""Planned datasets as an open-data catalogue: DCAT-AP 3.0.1 JSON-LD, CKAN organisation and package dicts
(JSON lines), CSV. The mapping is documented in docs/catalogue.md; every rule of it lives here.

One `dcat:Dataset` per section 4 row, all in one `dcat:Catalog` that names the profile it follows
(`dct:conformsTo` DCAT-AP 3.0.1). Every vocabulary IRI used is typed with the class DCAT-AP expects of
it (`dct:Frequency`, `dct:LinguisticSystem`, `dct:MediaTypeOrExtent`, `skos:Concept`…), so the catalogue
conforms on its own, without the EU vocabularies loaded beside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from odplan_xl import schema
from odplan_xl.coordinator.figures import Figures
from odplan_xl.files import atomic_path

AUTHORITY = "http://publications.europa.eu/resource/authority/"
FREQUENCY = AUTHORITY + "frequency/"
FILE_TYPE = AUTHORITY + "file-type/"
LANGUAGE = AUTHORITY + "language/"
DATA_THEME = AUTHORITY + "data-theme"
DISTRIBUTION_STATUS = AUTHORITY + "distribution-status/"
DEVELOP = DISTRIBUTION_STATUS + "DEVELOP"
COMPLETED = DISTRIBUTION_STATUS + "COMPLETED"
STATUS_LABELS = {DEVELOP: "under development", COMPLETED: "completed"}
DCAT_AP = "https://semiceu.github.io/DCAT-AP/releases/3.0.1"
NATIONAL_PORTAL = "https://data.gov.tn/"
# Fixed: identifiers depend only on the plan's year, body and title, so they are the same on every run.
NAMESPACE = uuid.UUID("5b0b54c4-6a0e-5c3d-9b53-0d1a9f0e2a71")
CKAN_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "adms": "http://www.w3.org/ns/adms#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CATALOG_TITLE = "مجموعات البيانات المبرمجة للنشر في الخطط السنوية لأنشطة البيانات المفتوحة"
CATALOG_PUBLISHER = "التنسيق الوطني للبيانات المفتوحة"


# --- text ----------------------------------------------------------------------------------------------

_HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")   # marks and tatweel
_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي"})


@lru_cache(maxsize=8192)
def name_key(text: str) -> str:
    """A body's or title's name as a key: the same name with or without harakat, with another hamza form,
    more spaces or another case gives the same key."""
    text = unicodedata.normalize("NFKC", text)
    text = _HARAKAT.sub("", text).translate(_HAMZA)
    return " ".join(text.split()).casefold()


def _arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\u08a0" <= ch <= "\u08ff" \
        or "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff"


@lru_cache(maxsize=8192)
def language(text: str) -> str | None:
    """The language tag of a text by its letters: "ar" (Arabic letters), "fr" (Latin letters), the
    majority when both (Arabic when as many), None when it has no letter (digits, signs)."""
    arabic = latin = 0
    for ch in text:
        if _arabic(ch):
            arabic += ch.isalpha()
        elif ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN"):
            latin += 1
    if not arabic and not latin:
        return None
    return "ar" if arabic >= latin else "fr"


def literal(text: str) -> dict[str, str] | str:
    """A JSON-LD literal tagged with the language of its script (untagged when it has no letter)."""
    tag = language(text)
    return {"@value": text, "@language": tag} if tag else text


# OWASP "CSV injection": a cell starting with one of these is run as a formula by Excel or LibreOffice.
# Full-width forms too: some spreadsheet locales read them as the ASCII signs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_text(value: Any) -> str:
    """A cell of a CSV or TSV file as a spreadsheet must take it: text that would start a formula, even
    after spaces, gets a leading single quote (OWASP); the csv module doubles the quotes inside."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) or text.lstrip(" \u00a0").startswith(FORMULA_START):
        return "'" + text
    return text


# --- vocabularies ----------------------------------------------------------------------------------------

# plan's update frequency -> EU frequency authority table (code, English label); French names too
FREQUENCIES = dict(zip(schema.FREQUENCIES, (("DAILY", "daily"), ("WEEKLY", "weekly"), ("MONTHLY", "monthly"),
                                            ("QUARTERLY", "quarterly"), ("ANNUAL_2", "semiannual"),
                                            ("ANNUAL", "annual"), ("IRREG", "irregular")), strict=True))
_FREQUENCY_WORDS = {name_key(k): v for k, v in FREQUENCIES.items()} | {
    "quotidienne": FREQUENCIES["يومية"], "journaliere": FREQUENCIES["يومية"],
    "hebdomadaire": FREQUENCIES["أسبوعية"], "mensuelle": FREQUENCIES["شهرية"],
    "trimestrielle": FREQUENCIES["ثلاثية"], "semestrielle": FREQUENCIES["سداسية"],
    "annuelle": FREQUENCIES["سنوية"], "irreguliere": FREQUENCIES["غير منتظمة"],
}

LANGUAGES = {"ar": ("ARA", "Arabic"), "fr": ("FRA", "French")}


@dataclass(frozen=True)
class Format:
    """What an officer's format names: an EU file type (`code`), a data service (an API), or both."""

    label: str                      # as a portal shows it (CKAN resource format)
    code: str | None = None         # EU file-type authority table
    service: bool = False           # reached through a data service: dcat:accessService
    standard: str | None = None     # the standard the service follows (dct:conformsTo)

    @property
    def uri(self) -> str | None:
        return FILE_TYPE + self.code if self.code else None


_OGC = "http://www.opengis.net/def/serviceType/ogc/"
_FORMATS: dict[str, Format] = {}


def _known(label: str, code: str | None, *spellings: str, service: bool = False,
           standard: str | None = None) -> None:
    fmt = Format(label, code, service, standard)
    for spelling in (label, code or "", *spellings):
        if spelling:
            _FORMATS[_format_key(spelling)] = fmt


@lru_cache(maxsize=8192)
def _format_key(text: str) -> str:
    text = name_key(text)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"[\s._\-()'\"«»]+", "", text).removeprefix("format").removeprefix("صيغة") or text


for _label, _code, *_more in (
    ("CSV", "CSV", "comma separated values"), ("TSV", "TSV"), ("XLSX", "XLSX", "excel", "اكسل", "إكسل"),
    ("XLS", "XLS", "excel 97"), ("ODS", "ODS", "opendocument spreadsheet", "libreoffice calc"),
    ("JSON", "JSON"), ("JSON-LD", "JSON_LD", "jsonld", "json ld"), ("GeoJSON", "GEOJSON", "geo json"),
    ("XML", "XML"), ("RDF", "RDF"), ("RDF/XML", "RDF_XML", "rdfxml", "rdf xml"),
    ("Turtle", "RDF_TURTLE", "ttl", "rdf turtle"), ("N-Triples", "RDF_N_TRIPLES", "nt", "ntriples"),
    ("PDF", "PDF"), ("DOCX", "DOCX", "word"), ("DOC", "DOC"), ("ODT", "ODT"), ("TXT", "TXT", "texte", "text"),
    ("HTML", "HTML", "page web", "web page"), ("ZIP", "ZIP"), ("GZIP", "GZIP", "gz"), ("7Z", "7Z"),
    ("RAR", "RAR"), ("TAR", "TAR"), ("SHP", "SHP", "shapefile", "shape", "esri shapefile", "shape file"),
    ("KML", "KML"), ("KMZ", "KMZ"), ("GPKG", "GPKG", "geopackage", "geo package"), ("GML", "GML"),
    ("GeoTIFF", "GEOTIFF", "geo tiff"), ("TIFF", "TIFF", "tif"), ("DXF", "DXF"), ("DWG", "DWG"),
    ("PNG", "PNG"), ("JPEG", "JPEG", "jpg"), ("SVG", "SVG"), ("NetCDF", "NETCDF"), ("SDMX", "SDMX"),
    ("SQL", "SQL"), ("GTFS", "GTFS"), ("YAML", "YAML", "yml"), ("Atom", "ATOM"), ("RSS", "RSS"),
    ("MDB", "MDB", "access"), ("DBF", "DBF"), ("ICS", "ICS", "ical", "icalendar"),
):
    _known(_label, _code, *_more)
_known("API", None, "api rest", "rest api", "rest", "web service", "webservice", "service web", "web api",
       "واجهة برمجية", "واجهة برمجة التطبيقات", "خدمة واب", "خدمة ويب", service=True)
_known("OpenAPI", None, "swagger", "open api", service=True, standard="https://spec.openapis.org/oas/v3.1.0")
_known("SPARQL", None, "sparql endpoint", service=True, standard="https://www.w3.org/TR/sparql11-protocol/")
_known("WMS", "WMS_SRVC", "ogc wms", service=True, standard=_OGC + "wms")
_known("WFS", "WFS_SRVC", "ogc wfs", service=True, standard=_OGC + "wfs")
_known("WMTS", "WMTS_SRVC", "ogc wmts", service=True, standard=_OGC + "wmts")
_known("WCS", "WCS_SRVC", "ogc wcs", service=True, standard=_OGC + "wcs")
_NO_FORMAT = {_format_key(schema.FORMATS[-1]), _format_key("other"), _format_key("autre")}
_SPLIT = re.compile(r"\s*(?:[,;،؛+&|]|\s/\s|\bet\b|\band\b|\s+و\s*)\s*")


@lru_cache(maxsize=8192)
def formats(text: str) -> tuple[list[Format], list[str]]:
    """The formats a cell names ("CSV", "geojson", "Shapefile", "CSV, JSON", "API REST"…), case and
    spelling tolerant, and the names it gives that are no known format («أخرى» and blanks are neither)."""
    text = " ".join(text.split())
    if not text or _format_key(text) in _NO_FORMAT:
        return [], []
    whole = _FORMATS.get(_format_key(text))
    if whole:
        return [whole], []
    found: list[Format] = []
    unknown: list[str] = []
    for part in (p for p in _SPLIT.split(text) if p and p.strip()):
        fmt = _FORMATS.get(_format_key(part))
        if fmt and fmt not in found:
            found.append(fmt)
        elif not fmt and _format_key(part) not in _NO_FORMAT:
            unknown.append(part.strip())
    return found, unknown


# Dataset themes (EU data-theme table) for the words a body's name or a title holds; the first that
# matches the title wins, then the body's name. Word stems as name_key gives them.
THEMES = {"AGRI": "Agriculture, fisheries, forestry and food", "ECON": "Economy and finance",
          "EDUC": "Education, culture and sport", "ENER": "Energy", "ENVI": "Environment",
          "GOVE": "Government and public sector", "HEAL": "Health", "INTR": "International issues",
          "JUST": "Justice, legal system and public safety", "REGI": "Regions and cities",
          "SOCI": "Population and society", "TECH": "Science and technology", "TRAN": "Transport"}
_THEME_WORDS = (
    ("HEAL", ("صحه", "صحي", "مستشفي", "تامين علي المرض", "sante", "hopita")),
    ("AGRI", ("فلاح", "زراع", "صيد البحري", "غابات", "موارد المائيه", "agricultur", "peche")),
    ("EDUC", ("تربيه", "تعليم", "مدارس", "جامع", "ثقاف", "رياض", "شباب", "تكوين المهني", "education",
              "enseignement", "culture", "sport")),
    ("TRAN", ("نقل", "طيران", "مطار", "طرقات", "موان", "transport", "aeroport", "rout", "ferroviaire")),
    ("ENER", ("طاقه", "كهرباء", "غاز", "محروقات", "energie", "electricite")),
    ("ENVI", ("بيئه", "مياه", "مناخ", "تلوث", "environnement", "climat", "eau")),
    ("ECON", ("ماليه", "ميزانيه", "اقتصاد", "تجاره", "سياحه", "استثمار", "جبايه", "تبغ", "finance",
              "budget", "econom", "commerce", "tourisme")),
    ("JUST", ("عدل", "قضاء", "محاكم", "سجون", "حمايه المدنيه", "امن", "justice", "tribuna")),
    ("TECH", ("تكنولوجي", "اتصال", "اعلاميه", "رقمي", "بحث العلمي", "technolog", "numerique",
              "informatique", "recherche")),
    ("SOCI", ("شؤون الاجتماعيه", "احصاء", "سكان", "تشغيل", "اسره", "مراه", "social", "statisti",
              "population", "emploi")),
    ("REGI", ("بلديه", "ولايه", "جهه", "سكني", "اسكان", "عقاري", "municipal", "commune", "region",
              "logement")),
    ("INTR", ("شؤون الخارجيه", "تعاون الدولي", "etrangeres", "international")),
    ("GOVE", ("وزاره", "رئاسه الحكومه", "وظيفه العموميه", "ministere", "gouvernement")),
)


@lru_cache(maxsize=8192)
def _words(text: str) -> str:
    """Words as theme stems match them: name_key without accents, ة as ه, without the article or a leading و."""
    out = []
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name_key(text)) if not unicodedata.combining(ch))
    for word in unicodedata.normalize("NFC", plain).replace("ة", "ه").split():
        if word.startswith("و") and len(word) > 4:
            word = word[1:]
        for article in ("بال", "لل", "ال"):
            if word.startswith(article) and len(word) > len(article) + 2:
                word = word[len(article):]
                break
        out.append(word)
    return " " + " ".join(out)


_THEME_STEMS = tuple((code, re.compile("|".join(re.escape(_words(w)) for w in words)))
                     for code, words in _THEME_WORDS)


@lru_cache(maxsize=8192)
def theme(*texts: str) -> str | None:
    """The EU data-theme code of the first text that names one (None: no theme can be mapped). A stem
    matches the start of a word ("صحه" the word «الصحة», not «الإسكان» for «سكان»)."""
    for text in texts:
        words = _words(text)
        for code, stems in _THEME_STEMS:
            if stems.search(words):
                return code
    return None


# The kind of a body by the first word of its name (ADMS publisher types, recommended by DCAT-AP for an
# agent's dct:type); other bodies (offices, agencies, companies) get none.
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
_PUBLISHER_TYPES = {"وزاره": ("NationalAuthority", "National authority"),
                    "رئاسه": ("NationalAuthority", "National authority"),
                    "ministere": ("NationalAuthority", "National authority"),
                    "بلديه": ("LocalAuthority", "Local authority"),
                    "commune": ("LocalAuthority", "Local authority"),
                    "municipalite": ("LocalAuthority", "Local authority"),
                    "ولايه": ("RegionalAuthority", "Regional authority"),
                    "gouvernorat": ("RegionalAuthority", "Regional authority"),
                    "جامعه": ("Academia-ScientificOrganisation", "Academia/Scientific organisation"),
                    "universite": ("Academia-ScientificOrganisation", "Academia/Scientific organisation")}


@lru_cache(maxsize=8192)
def publisher_type(body: str) -> tuple[str, str] | None:
    """(code, English label) of a body's kind in the ADMS publisher types, or None."""
    words = _words(body).split()
    return _PUBLISHER_KINDS.get(words[0]) if words else None


_PUBLISHER_KINDS = {_words(word).strip(): kind for word, kind in _PUBLISHER_TYPES.items()}


# --- links ------------------------------------------------------------------------------------------------

_URL = re.compile(r"(?i)\b(?:https?://[^\s<>\"«»]+|www\.[^\s<>\"«»]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.tn(?:/[^\s<>\"«»]*)?)")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


def url_in(text: str) -> str | None:
    """The first web address a text gives, as a URL ("www.x.tn" and "x.gov.tn" get https://)."""
    found = _URL.search(text or "")
    if not found:
        return None
    url = found.group(0).rstrip(".,;:)»،")
    return url if url.lower().startswith("http") else f"https://{url}"


def mailto(email: str) -> str | None:
    email = (email or "").strip()
    return f"mailto:{email}" if _EMAIL.match(email) else None


def tel(phone: str) -> str | None:
    """A Tunisian phone number as a tel: URI (+216 and eight digits); None when it is not one."""
    digits = re.sub(r"[\s.\-()/]", "", phone or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"\d{8}", digits):
        return f"tel:+216{digits}"
    return f"tel:{digits}" if re.fullmatch(r"\+\d{8,15}", digits) else None


@dataclass(frozen=True)
class Contact:
    """The plan's open-data officer (cover), the catalogue's contact point."""

    name: str = ""
    email: str = ""
    phone: str = ""

    @property
    def known(self) -> bool:
        return bool(self.name or mailto(self.email) or tel(self.phone))


# --- entries -------------------------------------------------------------------------------------------

# Latin letters for CKAN names (ASCII slugs), the way Tunisian names are usually written in French.
_LATIN = str.maketrans({
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ى": "a", "ء": "", "ؤ": "ou", "ئ": "i", "ب": "b", "ت": "t",
    "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "ch",
    "ص": "s", "ض": "dh", "ط": "t", "ظ": "dh", "ع": "a", "غ": "gh", "ف": "f", "ق": "k", "ك": "k", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "ou", "ي": "i", "ـ": "",
})


def slug(text: str, limit: int) -> str:
    """An ASCII slug (a-z, 0-9, "-") of Arabic or Latin text, at most `limit` characters."""
    text = unicodedata.normalize("NFKD", _HARAKAT.sub("", text).translate(_LATIN))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:limit].strip("-")


def _digest(text: str, n: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


@dataclass(frozen=True)
class Entry:
    """One planned dataset as the catalogue describes it."""

    year: int | None
    body: str
    title: str
    description: str
    producer: str
    format: str
    planned: dt.date | None
    frequency: str
    priority: int
    channel: str
    occurrence: int = 0        # the same title twice in one plan: 0, 1, ...
    contact: Contact = field(default_factory=Contact)
    site: str | None = None    # the body's own site, when the plan gives it
    done: bool = False         # followed up as published («منجز»)

    @property
    def status(self) -> str:
        """The distribution's status: published (followed up «منجز») or still planned."""
        return COMPLETED if self.done else DEVELOP

    @cached_property
    def uuid(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"{self.year}|{name_key(self.body)}|{name_key(self.title)}|{self.occurrence}")

    @property
    def identifier(self) -> str:
        return str(self.uuid)

    @property
    def iri(self) -> str:
        return f"urn:uuid:{self.uuid}"

    @cached_property
    def body_key(self) -> str:
        return name_key(self.body)

    @property
    def publisher_iri(self) -> str:
        return f"urn:uuid:{uuid.uuid5(NAMESPACE, 'agent|' + self.body_key)}"

    @property
    def contact_iri(self) -> str:
        return f"urn:uuid:{uuid.uuid5(NAMESPACE, 'contact|' + self.body_key)}"

    @property
    def org(self) -> str:
        """CKAN organisation name of the body: its Latin slug and a short hash of its name's key
        (the same body however written, one name; distinct bodies, distinct names)."""
        return f"{slug(self.body_key, 60) or 'org'}-{_digest(self.body_key, 8)}"

    @property
    def ckan_name(self) -> str:
        return f"{slug(self.title, 60) or 'dataset'}-{self.year or 'x'}-{self.uuid.hex[:12]}"

    @cached_property
    def frequency_code(self) -> tuple[str, str] | None:
        return _FREQUENCY_WORDS.get(_format_key(self.frequency)) or _FREQUENCY_WORDS.get(name_key(self.frequency))

    @property
    def frequency_uri(self) -> str | None:
        code = self.frequency_code
        return FREQUENCY + code[0] if code else None

    @cached_property
    def formats(self) -> tuple[list[Format], list[str]]:
        return formats(self.format)

    @property
    def format_uri(self) -> str | None:
        """The first file type's IRI (the CSV column)."""
        return next((f.uri for f in self.formats[0] if f.uri), None)

    @cached_property
    def language(self) -> str | None:
        return language(self.title)

    @cached_property
    def theme(self) -> str | None:
        return theme(self.title, self.body)

    @cached_property
    def access_url(self) -> str | None:
        """Where a person will find the data: an address typed as the channel, the national portal for
        «البوابة الوطنية…», the body's site for «بوابة الهيكل» when the plan gives it; None otherwise."""
        typed = url_in(self.channel)
        if typed:
            return typed
        if name_key(self.channel) == name_key(schema.CHANNELS[0]):
            return NATIONAL_PORTAL
        return self.site

    @property
    def notes(self) -> str:
        return self.description or f"مجموعة بيانات مبرمجة للنشر من قبل {self.body}."


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def entries_of(year: int | None, body: str, rows: list[dict[str, Any]], *, contact: Contact | None = None,
               site: str | None = None) -> list[Entry]:
    """The catalogue entries of one body's planned datasets (rows without a title are left out)."""
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        title = _text(row.get("title"))
        if not title:
            continue
        key = name_key(title)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        planned = row.get("publish_date")
        priority = row.get("priority")
        out.append(Entry(year=year, body=body, title=title, description=_text(row.get("description")),
                         producer=_text(row.get("producer")), format=_text(row.get("format")),
                         planned=planned if isinstance(planned, dt.date) else None,
                         frequency=_text(row.get("frequency")),
                         priority=priority if isinstance(priority, int) else 0,
                         channel=_text(row.get("channel")), occurrence=occurrence,
                         contact=contact or Contact(), site=site,
                         done=_text(row.get("progress")) == schema.PROGRESS_DONE))
    return out


def contact_of(record: dict[str, Any]) -> Contact:
    """The contact point a plan's record gives (its cover's officer)."""
    cover = record.get("contact") or {}
    return Contact(_text(cover.get("officer")), _text(cover.get("officer_email")),
                   _text(cover.get("officer_phone")))


def entries(f: Figures) -> list[Entry]:
    """Every planned dataset of the year's plans, body by body."""
    return [e for b in f.bodies
            for e in entries_of(f.year, b.name, b.datasets, contact=contact_of(b.record), site=b.record.get("site"))]


class UnknownFormat(UserWarning):
    """A format a plan names that is no known file type: the dataset gets no dct:format."""


def unknown_formats(items: Iterable[Entry]) -> list[tuple[str, str, str]]:
    """(body, title, name) of every format named in a plan that is no known format: no dct:format."""
    return [(e.body, e.title, name) for e in items for name in e.formats[1]]


# --- DCAT-AP -------------------------------------------------------------------------------------

def _concept(iri: str, kinds: tuple[str, ...], scheme: str, label: str) -> dict[str, Any]:
    return {"@id": iri, "@type": ["skos:Concept", *kinds], "skos:prefLabel": {"@value": label, "@language": "en"},
            "skos:inScheme": {"@id": scheme}}


def _distributions(e: Entry) -> list[dict[str, Any]]:
    url = e.access_url or NATIONAL_PORTAL        # mandatory: the portal that lists every body's data
    found = e.formats[0] or [None]
    out = []
    for k, fmt in enumerate(found):
        dist: dict[str, Any] = {
            "@id": f"{e.iri}#distribution-{k + 1}", "@type": "dcat:Distribution",
            "dct:title": literal(e.title if fmt is None else f"{e.title} ({fmt.label})"),
            "dcat:accessURL": {"@id": url},
            "adms:status": {"@id": e.status},
        }
        if fmt is not None and fmt.uri:
            dist["dct:format"] = {"@id": fmt.uri}
        if fmt is not None and fmt.service:
            service: dict[str, Any] = {
                "@id": f"{e.iri}#service-{k + 1}", "@type": "dcat:DataService",
                "dct:title": literal(f"{e.title} ({fmt.label})"),
                "dcat:endpointURL": {"@id": url}, "dcat:servesDataset": {"@id": e.iri},
            }
            if fmt.standard:
                service["dct:conformsTo"] = {"@id": fmt.standard}
            dist["dcat:accessService"] = service
        out.append(dist)
    return out


def dcat_dataset(e: Entry) -> dict[str, Any]:
    keywords = [literal(f"درجة الأولوية {e.priority}/4")]
    if e.producer:
        keywords.append(literal(e.producer))
    out: dict[str, Any] = {
        "@id": e.iri, "@type": "dcat:Dataset",
        "dct:identifier": e.identifier,
        "dct:title": literal(e.title),
        "dct:description": literal(e.notes),
        "dct:publisher": {"@id": e.publisher_iri},
        "dcat:keyword": keywords,
        "dcat:distribution": _distributions(e),
    }
    if e.contact.known:
        out["dcat:contactPoint"] = {"@id": e.contact_iri}
    if e.language:
        out["dct:language"] = {"@id": LANGUAGE + LANGUAGES[e.language][0]}
    if e.theme:
        out["dcat:theme"] = {"@id": f"{DATA_THEME}/{e.theme}"}
    if e.frequency_uri:
        out["dct:accrualPeriodicity"] = {"@id": e.frequency_uri}
    if e.planned and not e.done:   # will become available: planned, not issued (docs/catalogue.md)
        out["dct:available"] = {"@value": e.planned.isoformat(), "@type": "xsd:date"}
    return out


def _agent(iri: str, name: str, kind: tuple[str, str] | None = None) -> dict[str, Any]:
    node = {"@id": iri, "@type": "foaf:Agent", "foaf:name": literal(name)}
    if kind:
        node["dct:type"] = {"@id": PUBLISHER_TYPE + kind[0]}
    return node


def _contact(e: Entry) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": e.contact_iri, "@type": "vcard:Kind"}
    if e.contact.name:
        node["vcard:fn"] = literal(e.contact.name)
    if mailto(e.contact.email):
        node["vcard:hasEmail"] = {"@id": mailto(e.contact.email)}
    if tel(e.contact.phone):
        node["vcard:hasTelephone"] = {"@id": tel(e.contact.phone)}
    return node


def _vocabulary(items: list[Entry]) -> list[dict[str, Any]]:
    """The vocabulary IRIs the datasets use, each typed with the class DCAT-AP gives its property's range."""
    nodes: dict[str, dict[str, Any]] = {}
    standards: dict[str, str] = {}
    for e in items:
        if e.frequency_code:
            code, label = e.frequency_code
            nodes[FREQUENCY + code] = _concept(FREQUENCY + code, ("dct:Frequency",), FREQUENCY[:-1], label)
        if e.language:
            code, label = LANGUAGES[e.language]
            nodes[LANGUAGE + code] = _concept(LANGUAGE + code, ("dct:LinguisticSystem",), LANGUAGE[:-1], label)
        if e.theme:
            iri = f"{DATA_THEME}/{e.theme}"
            nodes[iri] = _concept(iri, (), DATA_THEME, THEMES[e.theme])
        for fmt in e.formats[0]:
            if fmt.uri:
                nodes[fmt.uri] = _concept(fmt.uri, ("dct:MediaTypeOrExtent",), FILE_TYPE[:-1], fmt.label)
            if fmt.standard:
                standards[fmt.standard] = fmt.label
        kind = publisher_type(e.body)
        if kind:
            nodes[PUBLISHER_TYPE + kind[0]] = _concept(PUBLISHER_TYPE + kind[0], (), PUBLISHER_TYPE + "1.0", kind[1])
        nodes[e.status] = _concept(e.status, (), DISTRIBUTION_STATUS[:-1], STATUS_LABELS[e.status])
    out = list(nodes.values())
    out += [{"@id": iri, "@type": "dct:Standard", "dct:title": literal(label)} for iri, label in standards.items()]
    if any(e.theme for e in items):
        out.append({"@id": DATA_THEME, "@type": "skos:ConceptScheme", "dct:title": literal("Data theme")})
    return out


def jsonld(items: list[Entry]) -> dict[str, Any]:
    """The catalogue as JSON-LD: the dcat:Catalog with its datasets, then the agents, contact points and
    vocabulary terms they refer to."""
    years = sorted({e.year for e in items if e.year})
    title = f"{CATALOG_TITLE} {'، '.join(map(str, years))}".strip()
    catalog: dict[str, Any] = {
        "@id": f"urn:uuid:{uuid.uuid5(NAMESPACE, 'catalog|' + title)}", "@type": "dcat:Catalog",
        "dct:title": literal(title),
        "dct:description": literal(f"{len(items)} مجموعة بيانات مبرمجة للنشر، كما وردت في القسم 4 من الخطط."),
        "dct:publisher": {"@id": f"urn:uuid:{uuid.uuid5(NAMESPACE, 'agent|catalog')}"},
        "dct:conformsTo": {"@id": DCAT_AP},
        "dct:language": [{"@id": LANGUAGE + LANGUAGES[tag][0]}
                         for tag in sorted({"ar"} | {e.language for e in items if e.language})],
    }
    if any(e.theme for e in items):
        catalog["dcat:themeTaxonomy"] = {"@id": DATA_THEME}
    catalog["dcat:dataset"] = [dcat_dataset(e) for e in items]
    agents = {catalog["dct:publisher"]["@id"]: _agent(catalog["dct:publisher"]["@id"], CATALOG_PUBLISHER)}
    contacts = {}
    for e in items:
        agents.setdefault(e.publisher_iri, _agent(e.publisher_iri, e.body, publisher_type(e.body)))
        if e.contact.known:
            contacts.setdefault(e.contact_iri, _contact(e))
    standard = {"@id": DCAT_AP, "@type": "dct:Standard", "dct:title": literal("DCAT-AP 3.0.1")}
    vocab = _vocabulary(items)
    if not any(n["@id"] == LANGUAGE + "ARA" for n in vocab):
        vocab.append(_concept(LANGUAGE + "ARA", ("dct:LinguisticSystem",), LANGUAGE[:-1], "Arabic"))
    return {"@context": CONTEXT,
            "@graph": [catalog, *agents.values(), *contacts.values(), standard, *vocab]}


# --- CKAN ---------------------------------------------------------------------------------------

_TAG = re.compile(r"[^\w .-]+")


def _tag(text: str) -> str:
    """A CKAN tag (letters of any script, digits, spaces, - _ .; at most 100 characters)."""
    return " ".join(_TAG.sub(" ", text).split())[:100].strip()


def ckan_organizations(items: list[Entry]) -> list[dict[str, Any]]:
    """One organization_create dict per body (bodies whose names differ only by harakat, hamza forms or
    spaces are one body, titled with the spelling most of its datasets use)."""
    spellings: dict[str, Counter[str]] = {}
    names: dict[str, str] = {}
    for e in items:
        spellings.setdefault(e.org, Counter())[e.body] += 1
        names.setdefault(e.org, e.body)
    return [{"name": org, "title": max(counts, key=lambda s: (counts[s], s == names[org])),
             "description": f"الهيكل العمومي الناشر لمجموعات البيانات المبرمجة في خطته السنوية: {names[org]}."}
            for org, counts in spellings.items()]


def ckan_package(e: Entry) -> dict[str, Any]:
    """A CKAN package dict, as `ckanapi load datasets` reads one per line. Extras hold URIs only."""
    url = e.access_url
    resources = []
    for fmt in e.formats[0] or [None]:
        resource: dict[str, Any] = {"name": e.title if fmt is None else f"{e.title} ({fmt.label})"}
        if url:
            resource["url"] = url
        if fmt is not None:
            resource["format"] = fmt.label
        resources.append(resource)
    extras = {"uri": e.iri, "status": e.status, "frequency": e.frequency_uri,
              "language": LANGUAGE + LANGUAGES[e.language][0] if e.language else None,
              "theme": f"{DATA_THEME}/{e.theme}" if e.theme else None}
    planned = f"تاريخ النشر المبرمج: {e.planned.isoformat()}." if e.planned else "تاريخ النشر المبرمج غير محدد."
    package: dict[str, Any] = {
        "name": e.ckan_name, "title": e.title, "notes": f"{e.notes}\n\n{planned}", "owner_org": e.org,
        "state": "active", "private": False,
        "tags": [{"name": t} for t in dict.fromkeys((_tag(e.producer), _tag(f"الأولوية {e.priority} من 4")))
                 if len(t) >= 2],
        "resources": resources,
        "extras": [{"key": k, "value": v} for k, v in extras.items() if v],
    }
    if e.contact.name:
        package["maintainer"] = e.contact.name
    if mailto(e.contact.email):
        package["maintainer_email"] = e.contact.email
    return package


def _unique(packages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    for p in packages:
        name, k = p["name"], 1
        while name in seen:
            k += 1
            name = f"{p['name'][:95]}-{k}"
        p["name"] = name
        seen.add(name)
    return packages


def jsonl(items: list[Entry]) -> str:
    return "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in _unique([ckan_package(e) for e in items]))


def organizations_jsonl(items: list[Entry]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in ckan_organizations(items))


# --- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS = ("identifier", "publisher", "title", "description", "producer", "format", "format_uri",
               "planned_date", "frequency", "frequency_uri", "priority", "channel", "access_url", "theme_uri",
               "contact_name", "contact_email", "ckan_name", "owner_org")


def csv_rows(items: list[Entry]) -> list[list[Any]]:
    return [[e.identifier, e.body, e.title, e.description, e.producer, e.format, e.format_uri or "",
             e.planned.isoformat() if e.planned else "", e.frequency, e.frequency_uri or "", e.priority,
             e.channel, e.access_url or "", f"{DATA_THEME}/{e.theme}" if e.theme else "", e.contact.name,
             e.contact.email if mailto(e.contact.email) else "", e.ckan_name, e.org] for e in items]


def csv_text(items: list[Entry]) -> str:
    """The catalogue for a spreadsheet: every cell spreadsheet-safe (`spreadsheet_text`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(items):
        writer.writerow([spreadsheet_text(v) for v in row])
    return buffer.getvalue()


# --- files ---------------------------------------------------------------------------------------

FORMATS = {".jsonld": "jsonld", ".jsonl": "jsonl", ".csv": "csv"}
ORGANIZATIONS_JSONL = "organizations.ckan.jsonl"


def write(items: list[Entry], path: Path) -> Path:
    """The catalogue in the format its suffix names (.jsonld, .jsonl, .csv), written atomically.

    CSV is UTF-8 with a byte-order mark, so Excel opens the Arabic text correctly. A `.jsonl` name
    ending in `organizations.ckan.jsonl` gets the CKAN organisations, any other the packages.
    """
    kind = FORMATS[path.suffix.lower()]
    if kind == "jsonld":
        # one dataset per line: readable, and json's fast encoder (an indent makes it five times slower)
        doc = jsonld(items)
        catalog, *rest = doc["@graph"]
        datasets = catalog.pop("dcat:dataset")
        head = json.dumps(catalog, ensure_ascii=False)[:-1]
        body = ",\n".join(json.dumps(d, ensure_ascii=False) for d in datasets)
        others = "".join(",\n" + json.dumps(n, ensure_ascii=False) for n in rest)
        data = (f'{{"@context": {json.dumps(CONTEXT)}, "@graph": [\n{head}, "dcat:dataset": [\n{body}\n]}}'
                f'{others}\n]}}\n')
        encoding = "utf-8"
    elif kind == "jsonl":
        data = organizations_jsonl(items) if path.name.endswith(ORGANIZATIONS_JSONL) else jsonl(items)
        encoding = "utf-8"
    else:
        data, encoding = csv_text(items), "utf-8-sig"
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.encode(encoding))
    return path
