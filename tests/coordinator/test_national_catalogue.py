"""The planned datasets as DCAT-AP, CKAN and CSV: parseable, complete, stable identifiers, valid names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import national_plans as gen
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from odplan_xl.app.national import datasets, national
from odplan_xl.errors import OdplanError

FREQ = "http://publications.europa.eu/resource/authority/frequency/"
FILETYPE = "http://publications.europa.eu/resource/authority/file-type/"
ADMS = Namespace("http://www.w3.org/ns/adms#")
FREQUENCIES = {"يومية": "DAILY", "أسبوعية": "WEEKLY", "شهرية": "MONTHLY", "ثلاثية": "QUARTERLY",
               "سداسية": "ANNUAL_2", "سنوية": "ANNUAL", "غير منتظمة": "IRREG"}


@pytest.fixture(scope="module")
def graph(run) -> Graph:
    g = Graph()
    g.parse(run[1] / "datasets.jsonld", format="json-ld")
    return g


def _planned(want):
    """(body, title, date, format, frequency) of every dataset with a title (no date when it is not one)."""
    return sorted(((n, t, d if isinstance(d, dt.date) else None, fmt, fr)
                   for n, w in want.items() for t, d, fmt, fr, _p, _c in w["datasets"] if t), key=repr)


def test_every_planned_dataset_is_a_dcat_dataset_in_the_catalog(graph, want):
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    catalog = catalogs[0]
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher):
        assert graph.value(catalog, prop) is not None
    found = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert set(graph.objects(catalog, DCAT.dataset)) == found
    assert len(found) == len(_planned(want))


def test_each_dataset_has_the_mandatory_and_asked_properties(graph, want):
    rows = []
    for ds in graph.subjects(RDF.type, DCAT.Dataset):
        title = graph.value(ds, DCTERMS.title)
        description = graph.value(ds, DCTERMS.description)
        assert isinstance(title, Literal) and title.language == "ar"
        assert isinstance(description, Literal) and description.language == "ar" and str(description)
        assert graph.value(ds, DCTERMS.identifier) is not None
        publisher = graph.value(ds, DCTERMS.publisher)
        assert (publisher, RDF.type, FOAF.Agent) in graph
        name = graph.value(publisher, FOAF.name)
        frequency = graph.value(ds, DCTERMS.accrualPeriodicity)
        assert isinstance(frequency, URIRef) and str(frequency).startswith(FREQ)
        dist = graph.value(ds, DCAT.distribution)
        assert (dist, RDF.type, DCAT.Distribution) in graph
        assert graph.value(dist, DCAT.accessURL) is not None
        assert str(graph.value(dist, ADMS.status)).endswith("/distribution-status/DEVELOP")
        fmt = graph.value(dist, DCTERMS.format)
        assert fmt is None or str(fmt).startswith(FILETYPE)
        assert graph.value(ds, DCTERMS.issued) is None        # planned, not issued
        issued = graph.value(ds, DCTERMS.available)
        keywords = {str(k) for k in graph.objects(ds, DCAT.keyword)}
        assert any(k.startswith("درجة الأولوية ") for k in keywords)
        rows.append((str(name), str(title), issued.toPython() if issued is not None else None,
                     str(fmt).rsplit("/", 1)[1] if fmt is not None else "أخرى",
                     str(frequency).rsplit("/", 1)[1]))
    expect = [(n, t, d, fmt, FREQUENCIES[fr]) for n, t, d, fmt, fr in _planned(want)]
    assert sorted(rows, key=repr) == sorted(expect, key=repr)


def test_identifiers_are_the_same_on_a_second_run(run, inbox, tmp_path):
    again = national([inbox[0]], tmp_path, jobs=2)
    assert again.year == run[0].year
    first = (run[1] / "datasets.jsonld").read_text(encoding="utf-8")
    second = (tmp_path / "datasets.jsonld").read_text(encoding="utf-8")
    ids = re.compile(r'"dct:identifier": "([^"]+)"')
    assert ids.findall(first) == ids.findall(second) and len(set(ids.findall(first))) == len(ids.findall(first))
    assert (run[1] / "datasets.ckan.jsonl").read_text(encoding="utf-8") == \
        (tmp_path / "datasets.ckan.jsonl").read_text(encoding="utf-8")


def test_ckan_lines(run, want):
    lines = (run[1] / "datasets.ckan.jsonl").read_text(encoding="utf-8").splitlines()
    packages = [json.loads(line) for line in lines]
    assert len(packages) == len(_planned(want))
    names = [p["name"] for p in packages]
    assert all(re.fullmatch(r"[a-z0-9_-]{2,100}", n) for n in names)
    assert len(set(names)) == len(names)
    orgs = {p["owner_org"] for p in packages}
    assert all(re.fullmatch(r"[a-z0-9_-]{2,100}", o) for o in orgs)
    assert len(orgs) == sum(1 for w in want.values() if any(d[0] for d in w["datasets"]))
    orgs = {o["name"] for o in map(json.loads, (run[1] / "organizations.ckan.jsonl").read_text(encoding="utf-8")
                                      .splitlines())}
    assert {p["owner_org"] for p in packages} == orgs
    for p in packages:
        assert p["title"] and p["notes"]
        extras = {e["key"]: e["value"] for e in p["extras"]}
        assert {"uri", "frequency"} <= set(extras)
        assert all(v.startswith(("http", "urn:")) for v in extras.values())


def test_csv_is_utf8_with_bom_and_has_every_dataset(run, want):
    raw = (run[1] / "datasets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    got = sorted(((r["publisher"], r["title"], r["planned_date"], r["format"], r["frequency"]) for r in rows), key=repr)
    expect = sorted(((n, t, d.isoformat() if d else "", fmt, fr) for n, t, d, fmt, fr in _planned(want)), key=repr)
    assert got == expect


def test_one_plan_gives_the_same_identifiers_as_the_national_run(run, inbox, tmp_path):
    root, files = inbox
    rel = next(r for r, d in files.items() if d and d["cover"]["year"] == gen.YEAR and len(d["sections"]["datasets"]) > 5)
    out = datasets(root / rel, tmp_path / "one.jsonld")
    ids = set(re.findall(r'"dct:identifier": "([^"]+)"', out.read_text(encoding="utf-8")))
    national_ids = set(re.findall(r'"dct:identifier": "([^"]+)"',
                                  (run[1] / "datasets.jsonld").read_text(encoding="utf-8")))
    assert ids and ids <= national_ids
    with pytest.raises(OdplanError) as exc:
        datasets(root / rel, out)
    assert exc.value.code == "output-exists"
    datasets(root / rel, out, overwrite=True)
    for suffix in (".jsonl", ".csv"):
        assert datasets(root / rel, tmp_path / f"one{suffix}").stat().st_size > 0
    with pytest.raises(OdplanError):
        datasets(root / rel, tmp_path / "one.txt")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "odplan_xl.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300)


def test_cli_national_and_datasets(inbox, tmp_path):
    root, _ = inbox
    res = _cli("national", root / "municipalities", root / "establishments", "-o", tmp_path, "-j", "2")
    assert res.returncode == 2, res.stderr          # the corrupt file: listed with its reason, no traceback
    assert "corrupt.xlsx" in res.stdout and "Traceback" not in res.stderr
    assert "national.xlsx" in res.stdout
    res = _cli("national", root / "municipalities", "-o", tmp_path)
    assert res.returncode == 2 and "--force" in res.stderr
    res = _cli("national", root / "municipalities", "-o", tmp_path, "--force", "--year", "2026", "--lang", "fr")
    assert res.returncode == 0, res.stderr
    res = _cli("datasets", root / gen.file_name(0), "-o", tmp_path / "m.jsonl")
    assert res.returncode == 0 and (tmp_path / "m.jsonl").exists()
    res = _cli("datasets", root / "establishments/corrupt.xlsx", "-o", tmp_path / "c.csv")
    assert res.returncode == 2 and "Traceback" not in res.stderr


def test_the_national_catalogue_conforms_to_dcat_ap_301(graph):
    import pyshacl

    shapes = Graph().parse(Path(__file__).parent / "shapes" / "dcat-ap-3.0.1.ttl")
    conforms, _graph, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, text
