"""The Word stage against its floor: build + save of plans with 200 / 2,000 / 8,000 dataset rows.

Run: .venv/bin/python benchmarks/bench_word.py [ROWS ...] [--repeat 5] [--against SRC] [--pdf]

The *floor* is a bare lxml program doing the least that gives the same table: it takes the document
written for a small plan, deep-copies the first body row of its datasets table (the same cell, paragraph
and run properties as ours, Arabic runs with w:rtl) once per row, fills in the texts, splits the rows into
tables of CHUNK_ROWS as ours are, and saves the package (zip, same compression). Our writer is
`word.write` (what `convert` and `batch` call). Each measurement runs in its own process, after a
warm-up document (imports, templates, the default base): writer, floor (and the code at SRC, e.g. an
older checkout, with --against) take turns, --repeat times; figures are medians, memory the largest
peak resident size (ru_maxrss) of those processes, and above it what the process held before the run.

Checking that the output did not change (see also tests/word/test_word_output.py):
  .venv/bin/python benchmarks/bench_word.py --dump OLD --src /path/to/older/checkout
  .venv/bin/python benchmarks/bench_word.py --dump NEW
  .venv/bin/python benchmarks/bench_word.py --compare OLD NEW
--dump writes the XML parts of the example plan's document, of the tests' rich and hostile plans (the rich
one also on a letterhead --base with a logo) and of 2,000 / 200 dataset rows (through `write` and through
`build_document` + `save`);
docProps/core.xml is left out (it holds the time of writing). --compare says, part by part, whether the
bytes are equal, and when not whether the canonical XML (C14N 2.0) is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _src_from_argv() -> Path:
    """--src chooses the odplan_xl to import (this checkout by default); read before any import of it."""
    if "--src" in sys.argv:
        return Path(sys.argv[sys.argv.index("--src") + 1]).resolve()
    return ROOT


sys.path.insert(0, str(_src_from_argv()))

from odplan_xl import schema  # noqa: E402
from odplan_xl.plan.model import Plan, Row, SectionData  # noqa: E402

PRODUCERS = ("الإدارة العامة للطرقات والجسور", "إدارة تصنيف المقاولات", "الإدارة العامة للإسكان",
             "وحدة التصرف حسب الأهداف", "الإدارة العامة للتهيئة الترابية")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def dataset(i: int) -> dict:
    return {"title": f"مجموعة البيانات رقم {i} حول مشاريع البنية التحتية",
            "description": "قائمة مفصلة حسب الولاية والسنة مع الكلفة ونسبة التقدم في الإنجاز",
            "producer": PRODUCERS[i % len(PRODUCERS)], "format": schema.FORMATS[i % 4],
            "crit_quality": True, "crit_legal": i % 3 != 0, "crit_open_format": i % 2 == 0,
            "crit_demand": i % 5 != 0, "priority": 2 + (i % 3 != 0) - (i % 2 != 0) + (i % 5 != 0),
            "publish_date": dt.date(2027, 1 + i % 12, 1 + i % 28), "frequency": schema.FREQUENCIES[i % 7],
            "channel": schema.CHANNELS[i % 2]}


def plan_with(rows: int) -> Plan:
    def section(key: str, values: list[dict]) -> SectionData:
        spec = schema.section(key)
        return SectionData(key=key, sheet=spec.sheet, rows=[
            Row(number=7 + i, values=v, cells={k: f"{spec.sheet}!A{7 + i}" for k in v})
            for i, v in enumerate(values)])

    d = dt.date
    sections = {s.key: section(s.key, []) for s in schema.SECTIONS}
    sections["datasets"] = section("datasets", [dataset(i) for i in range(rows)])
    sections["inventory"] = section("inventory", [
        {"activity": f"ورشة جرد رقم {i}", "activity_type": schema.INVENTORY_TYPES[0],
         "start": d(2027, 1 + i, 1), "end": d(2027, 1 + i, 20), "responsible": "وحدة البيانات"}
        for i in range(10)])
    sections["budget"] = section("budget", [
        {"activity": f"نشاط {i}", "amount": Decimal(1000 * i + 250), "source": schema.FUNDING_SOURCES[i % 3]}
        for i in range(10)])
    return Plan(cover={"structure": "وزارة المثال", "year": 2027, "status": schema.STATUS_DRAFT,
                       "officer": "سنية بن عمر", "prepared": d(2026, 11, 1), "updated": d(2026, 12, 1)},
                authors=SectionData(key="authors", sheet=schema.COVER_SHEET), sections=sections)


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss     # kilobytes on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# --- the floor ------------------------------------------------------------------------------------------

def _floor_texts(values: dict) -> tuple[str, ...]:
    """A dataset row's cell texts, formatted inline (the floor does no more than this)."""
    yes = {True: schema.YES_AR, False: schema.NO_AR}
    d = values["publish_date"]
    return (values["title"], values["description"], values["producer"], values["format"],
            yes[values["crit_quality"]], yes[values["crit_legal"]], yes[values["crit_open_format"]],
            yes[values["crit_demand"]], f"{values['priority']}/4", f"{d.day:02d}/{d.month:02d}/{d.year:04d}",
            values["frequency"], values["channel"])


def floor(small: Path, rows: list[dict], out: Path, chunk_rows: int) -> None:
    """The bare lxml writer: `small`'s datasets table grown to `rows` by deep copies of its first row."""
    import copy
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(small) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    table = next(t for t in root.iter(f"{W}tbl") if any(
        (t_.text or "").startswith("مجموعة البيانات رقم") for t_ in t.iter(f"{W}t")))
    trs = table.findall(f"{W}tr")
    prototype = trs[1]
    for tr in trs[1:]:
        table.remove(tr)
    shell = copy.deepcopy(table)                 # tblPr, tblGrid and the header row
    spacer = table.getnext()                     # the paragraph between chunks
    current, last = table, table
    for i, values in enumerate(rows):
        if i and i % chunk_rows == 0:
            gap, current = copy.deepcopy(spacer), copy.deepcopy(shell)
            last.addnext(gap)
            gap.addnext(current)
            last = current
        tr = copy.deepcopy(prototype)
        for t, text in zip(tr.iter(f"{W}t"), _floor_texts(values), strict=True):
            t.text = text
        current.append(tr)
    parts["word/document.xml"] = etree.tostring(root, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)


# --- one measurement, in a fresh process ------------------------------------------------------------------

def _measure(kind: str, rows: int, small: Path, out: Path) -> dict:
    from odplan_xl.word import document as word

    word.write(plan_with(10), None, out)                     # warm-up: imports, templates, the default base
    if kind == "floor":
        data = [dataset(i) for i in range(rows)]
        floor(small, data[:1], out, word.CHUNK_ROWS)         # warm-up of the floor's own path
        baseline = _peak_mb()
        t0 = time.perf_counter()
        floor(small, data, out, word.CHUNK_ROWS)
    else:
        plan = plan_with(rows)
        baseline = _peak_mb()
        t0 = time.perf_counter()
        word.write(plan, None, out)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "peak_mb": _peak_mb(), "baseline_mb": baseline,
            "size_mb": out.stat().st_size / 1e6}


def _child(kind: str, rows: int, small: Path, out: Path, src: Path | None) -> dict:
    cmd = [sys.executable, __file__, "--_measure", kind, "--_rows", str(rows), "--_small", str(small),
           "--_out", str(out)]
    if src is not None:
        cmd += ["--src", str(src)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"measurement failed: {cmd}\n{res.stdout}\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def bench(args: argparse.Namespace) -> None:
    from odplan_xl.word import document as word

    kinds = ["ours", "floor"] + (["against"] if args.against else [])
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.docx"
        word.write(plan_with(2), None, small)
        head = f"{'rows':>6} {'ours s':>7} {'floor s':>8} {'ours/floor':>10}"
        head += f" {'against s':>9} {'against/floor':>13}" if args.against else ""
        print(head + f" {'ours MB':>8} {'floor MB':>8}" + (f" {'against MB':>10}" if args.against else "")
              + (f" {'pdf s':>6}" if args.pdf else ""), flush=True)
        for rows in args.rows:
            got: dict[str, list[dict]] = {k: [] for k in kinds}
            for _ in range(args.repeat):
                for kind in kinds:                            # in turns: the machine's load hits all alike
                    src = args.against if kind == "against" else None
                    got[kind].append(_child("floor" if kind == "floor" else "writer", rows, small,
                                            Path(tmp) / f"{kind}_{rows}.docx", src))
            med = {k: statistics.median(r["seconds"] for r in v) for k, v in got.items()}
            mem = {k: (max(r["peak_mb"] for r in v), min(r["baseline_mb"] for r in v)) for k, v in got.items()}
            line = f"{rows:>6} {med['ours']:>7.3f} {med['floor']:>8.3f} {med['ours'] / med['floor']:>9.2f}×"
            if args.against:
                line += f" {med['against']:>9.3f} {med['against'] / med['floor']:>12.2f}×"
            line += "".join(f" {mem[k][0]:>5.0f}/{mem[k][1]:<4.0f}" for k in kinds)
            if args.pdf:
                from odplan_xl.app import pdf

                t0 = time.perf_counter()
                pdf.to_pdf([Path(tmp) / f"ours_{rows}.docx"], timeout=3600)
                line += f" {time.perf_counter() - t0:>6.1f}"
            print(line, flush=True)
            if args.json:
                with args.json.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"rows": rows, "runs": got}) + "\n")
    print(f"medians of {args.repeat} runs each; MB: peak / before the run (resident, whole process)")


# --- the output check -------------------------------------------------------------------------------------

def _parts(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels")) and n != "docProps/core.xml"}


def dump(folder: Path) -> None:
    """The XML parts of reference documents, one folder per document."""
    from odplan_xl.app.check import check
    from odplan_xl.word import document as word

    plans: dict[str, tuple[Plan, object]] = {}
    plans["example"] = check(ROOT / "workbook_template" / "example_plan.xlsx")
    sys.path.insert(0, str(ROOT / "tests" / "word"))
    from word_docs import hostile_plan, make_base, rich_plan

    plans["rich"] = (rich_plan(), None)
    plans["letterhead"] = (rich_plan(), None)
    plans["hostile"] = (hostile_plan(), None)
    plans["rows2000"] = (plan_with(2000), None)
    plans["rows200"] = (plan_with(200), None)
    ways = {"write": lambda p, r, path, base: word.write(p, r, path, base=base),
            "tree": lambda p, r, path, base: word.save(word.build_document(p, r, base=base), path)}
    for name, (plan, report) in plans.items():
        for way, fn in ways.items():
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "plan.docx"
                base = make_base(Path(tmp) / "base.docx", logo=True) if name == "letterhead" else None
                fn(plan, report, path, base)
                for part, blob in _parts(path).items():
                    target = folder / f"{name}.{way}" / part
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(blob)
    print(f"written: {folder}")


def compare(a: Path, b: Path) -> int:
    """0 when every part under `a` and `b` is byte for byte the same."""
    from lxml import etree

    names = sorted({str(p.relative_to(a)) for p in a.rglob("*") if p.is_file()}
                   | {str(p.relative_to(b)) for p in b.rglob("*") if p.is_file()})
    bad = 0
    for name in names:
        pa, pb = a / name, b / name
        if not (pa.exists() and pb.exists()):
            print(f"ONLY IN {'A' if pa.exists() else 'B'}: {name}")
            bad += 1
            continue
        if pa.read_bytes() == pb.read_bytes():
            continue
        same = (etree.tostring(etree.parse(str(pa)), method="c14n2")
                == etree.tostring(etree.parse(str(pb)), method="c14n2"))
        print(f"DIFFERENT BYTES{' (same canonical XML)' if same else ''}: {name}")
        bad += 1
    print(f"{len(names)} parts compared, {bad} different")
    return 1 if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="*", type=int, default=[200, 2000, 8000])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (median)")
    parser.add_argument("--against", type=Path, help="also time the odplan_xl of this checkout (older code)")
    parser.add_argument("--pdf", action="store_true", help="also time LibreOffice's PDF export (once)")
    parser.add_argument("--json", type=Path, help="append every run's figures to this file")
    parser.add_argument("--src", type=Path, help="import odplan_xl from this checkout")
    parser.add_argument("--dump", type=Path, help="write reference documents' XML parts to this folder")
    parser.add_argument("--compare", type=Path, nargs=2, help="compare two --dump folders")
    parser.add_argument("--_measure", help=argparse.SUPPRESS)
    parser.add_argument("--_rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--_small", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._measure:
        print(json.dumps(_measure(args._measure, args._rows, args._small, args._out)))
    elif args.compare:
        raise SystemExit(compare(*args.compare))
    elif args.dump:
        dump(args.dump)
    else:
        bench(args)


if __name__ == "__main__":
    main()
