"""Planned datasets as an open-data catalogue: DCAT-AP JSON-LD, CKAN package dicts (JSON lines), CSV.

Mapping of a section 4 row (one `dcat:Dataset` per row, all in one `dcat:Catalog`):

| plan | DCAT-AP | CKAN | CSV |
|---|---|---|---|
| مجموعة البيانات | dct:title @ar | title | title |
| الوصف (or a sentence naming the body when blank) | dct:description @ar | notes | description |
| اسم الهيكل (cover) | dct:publisher → foaf:Agent, foaf:name @ar | owner_org (slug) | publisher |
| — | dct:identifier (stable: year, body, title) | extras identifier; name | identifier |
| تاريخ النشر المبرمج | dct:issued (xsd:date) | extras planned_date | planned_date |
| دورية التحيين | dct:accrualPeriodicity (EU frequency authority table) | extras frequency (URI) | frequency, frequency_uri |
| الصيغة | dcat:distribution → dct:format (EU file-type table; «أخرى»: none) | resources[0].format | format |
| — (planned) | distribution adms:status …/distribution-status/DEVELOP | extras status "planned" | — |
| درجة الأولوية (0–4) | dcat:keyword "درجة الأولوية n/4" @ar | extras priority | priority |
| الإدارة المنتجة | dcat:keyword @ar | extras producer | producer |
| قناة النشر | distribution dcat:accessURL: the national portal for «البوابة الوطنية…», else the dataset's own IRI (no address yet) | extras channel | channel |
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
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from odplan_xl import schema
from odplan_xl.coordinator.figures import Figures
from odplan_xl.files import atomic_path

FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/ARA"
DEVELOP = "http://publications.europa.eu/resource/authority/distribution-status/DEVELOP"
NATIONAL_PORTAL = "https://data.gov.tn/"
FREQUENCIES = dict(zip(schema.FREQUENCIES, ("DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL_2", "ANNUAL",
                                            "IRREG"), strict=True))
FILE_TYPES = {name: name for name in ("CSV", "XLSX", "JSON", "XML", "PDF")}
# Fixed: identifiers depend only on the plan's year, body and title, so they are the same on every run.
NAMESPACE = uuid.UUID("5b0b54c4-6a0e-5c3d-9b53-0d1a9f0e2a71")
CKAN_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "adms": "http://www.w3.org/ns/adms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CATALOG_TITLE = "مجموعات البيانات المبرمجة للنشر في الخطط السنوية لأنشطة البيانات المفتوحة"
CATALOG_PUBLISHER = "التنسيق الوطني للبيانات المفتوحة"

# Latin letters for CKAN names (ASCII slugs), the way Tunisian names are usually written in French.
_LATIN = str.maketrans({
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ى": "a", "ء": "", "ؤ": "ou", "ئ": "i", "ب": "b", "ت": "t",
    "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "ch",
    "ص": "s", "ض": "dh", "ط": "t", "ظ": "dh", "ع": "a", "غ": "gh", "ف": "f", "ق": "k", "ك": "k", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "ou", "ي": "i", "ـ": "",
})


def slug(text: str, limit: int) -> str:
    """An ASCII slug (a-z, 0-9, "-") of Arabic or Latin text, at most `limit` characters."""
    text = unicodedata.normalize("NFKD", text.translate(_LATIN))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:limit].strip("-")


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

    @cached_property
    def uuid(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"{self.year}|{_norm(self.body)}|{_norm(self.title)}|{self.occurrence}")

    @property
    def identifier(self) -> str:
        return str(self.uuid)

    @property
    def iri(self) -> str:
        return f"urn:uuid:{self.uuid}"

    @property
    def publisher_iri(self) -> str:
        return f"urn:uuid:{uuid.uuid5(NAMESPACE, 'agent|' + _norm(self.body))}"

    @property
    def org(self) -> str:
        """CKAN organisation name of the body: its Latin slug and a short hash (distinct bodies, distinct names)."""
        digest = hashlib.sha1(_norm(self.body).encode("utf-8")).hexdigest()[:6]
        return f"{slug(self.body, 50) or 'org'}-{digest}"

    @property
    def ckan_name(self) -> str:
        return f"{slug(self.title, 60) or 'dataset'}-{self.year or 'x'}-{self.uuid.hex[:10]}"

    @property
    def frequency_uri(self) -> str | None:
        code = FREQUENCIES.get(self.frequency)
        return FREQUENCY + code if code else None

    @property
    def format_uri(self) -> str | None:
        code = FILE_TYPES.get(self.format.upper())
        return FILE_TYPE + code if code else None

    @property
    def notes(self) -> str:
        return self.description or f"مجموعة بيانات مبرمجة للنشر من قبل {self.body}."


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def entries_of(year: int | None, body: str, rows: list[dict[str, Any]]) -> list[Entry]:
    """The catalogue entries of one body's planned datasets (rows without a title are left out)."""
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        title = _text(row.get("title"))
        if not title:
            continue
        key = _norm(title)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        planned = row.get("publish_date")
        priority = row.get("priority")
        out.append(Entry(year=year, body=body, title=title, description=_text(row.get("description")),
                         producer=_text(row.get("producer")), format=_text(row.get("format")),
                         planned=planned if isinstance(planned, dt.date) else None,
                         frequency=_text(row.get("frequency")),
                         priority=priority if isinstance(priority, int) else 0,
                         channel=_text(row.get("channel")), occurrence=occurrence))
    return out


def entries(f: Figures) -> list[Entry]:
    return [e for b in f.bodies for e in entries_of(f.year, b.name, b.datasets)]


# --- DCAT-AP ------------------------------------------------------------------------------------

def _ar(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "ar"}


def dcat_dataset(e: Entry) -> dict[str, Any]:
    distribution: dict[str, Any] = {
        "@id": f"{e.iri}#distribution", "@type": "dcat:Distribution",
        "dct:title": _ar(e.title),
        "dcat:accessURL": {"@id": NATIONAL_PORTAL if e.channel == schema.CHANNELS[0] else e.iri},
        "adms:status": {"@id": DEVELOP},
    }
    if e.format_uri:
        distribution["dct:format"] = {"@id": e.format_uri}
    keywords = [_ar(f"درجة الأولوية {e.priority}/4")]
    if e.producer:
        keywords.append(_ar(e.producer))
    out: dict[str, Any] = {
        "@id": e.iri, "@type": "dcat:Dataset",
        "dct:identifier": e.identifier,
        "dct:title": _ar(e.title),
        "dct:description": _ar(e.notes),
        "dct:publisher": {"@id": e.publisher_iri, "@type": "foaf:Agent", "foaf:name": _ar(e.body)},
        "dct:language": {"@id": LANGUAGE},
        "dcat:keyword": keywords,
        "dcat:distribution": [distribution],
    }
    if e.planned:
        out["dct:issued"] = {"@value": e.planned.isoformat(), "@type": "xsd:date"}
    if e.frequency_uri:
        out["dct:accrualPeriodicity"] = {"@id": e.frequency_uri}
    return out


def jsonld(items: list[Entry]) -> dict[str, Any]:
    """A dcat:Catalog of the entries (JSON-LD)."""
    years = sorted({e.year for e in items if e.year})
    title = f"{CATALOG_TITLE} {'، '.join(map(str, years))}".strip()
    return {
        "@context": CONTEXT,
        "@id": f"urn:uuid:{uuid.uuid5(NAMESPACE, 'catalog|' + title)}", "@type": "dcat:Catalog",
        "dct:title": _ar(title),
        "dct:description": _ar(f"{len(items)} مجموعة بيانات مبرمجة للنشر، كما وردت في القسم 4 من الخطط."),
        "dct:publisher": {"@id": f"urn:uuid:{uuid.uuid5(NAMESPACE, 'agent|catalog')}", "@type": "foaf:Agent",
                          "foaf:name": _ar(CATALOG_PUBLISHER)},
        "dcat:dataset": [dcat_dataset(e) for e in items],
    }


# --- CKAN ---------------------------------------------------------------------------------------

def ckan_package(e: Entry) -> dict[str, Any]:
    """A CKAN package dict, as `ckanapi load datasets` reads one per line."""
    extras = {"identifier": e.identifier, "planned_date": e.planned.isoformat() if e.planned else "",
              "frequency": e.frequency_uri or e.frequency, "priority": str(e.priority),
              "producer": e.producer, "channel": e.channel, "status": "planned"}
    return {
        "name": e.ckan_name, "title": e.title, "notes": e.notes, "owner_org": e.org,
        "resources": [{"name": e.title, "format": FILE_TYPES.get(e.format.upper(), e.format), "url": ""}],
        "extras": [{"key": k, "value": v} for k, v in extras.items() if v],
    }


def jsonl(items: list[Entry]) -> str:
    return "".join(json.dumps(ckan_package(e), ensure_ascii=False) + "\n" for e in items)


# --- CSV ----------------------------------------------------------------------------------------

CSV_COLUMNS = ("identifier", "publisher", "title", "description", "producer", "format", "planned_date",
               "frequency", "frequency_uri", "priority", "channel", "ckan_name", "owner_org")


def csv_text(items: list[Entry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in items:
        writer.writerow([e.identifier, e.body, e.title, e.description, e.producer, e.format,
                         e.planned.isoformat() if e.planned else "", e.frequency, e.frequency_uri or "",
                         e.priority, e.channel, e.ckan_name, e.org])
    return buffer.getvalue()


# --- files ---------------------------------------------------------------------------------------

FORMATS = {".jsonld": "jsonld", ".jsonl": "jsonl", ".csv": "csv"}


def write(items: list[Entry], path: Path) -> Path:
    """The catalogue in the format its suffix names (.jsonld, .jsonl, .csv), written atomically.

    CSV is UTF-8 with a byte-order mark, so Excel opens the Arabic text correctly.
    """
    kind = FORMATS[path.suffix.lower()]
    if kind == "jsonld":
        # one dataset per line: readable, and json's fast encoder (an indent makes it five times slower)
        doc = jsonld(items)
        datasets = doc.pop("dcat:dataset")
        head = json.dumps(doc, ensure_ascii=False)[:-1]
        body = ",\n".join(json.dumps(d, ensure_ascii=False) for d in datasets)
        data = f'{head}, "dcat:dataset": [\n{body}\n]}}\n'
        encoding = "utf-8"
    elif kind == "jsonl":
        data, encoding = jsonl(items), "utf-8"
    else:
        data, encoding = csv_text(items), "utf-8-sig"
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.encode(encoding))
    return path
