"""Time the Word document of plans with 200 / 2,000 / 8,000 dataset rows (build + save, median of 3).

Run: .venv/bin/python benchmarks/bench_word.py [ROWS ...] [--pdf]
With --pdf, also times LibreOffice turning each document into a PDF (once; slow on big plans).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from odplan_xl import schema  # noqa: E402
from odplan_xl.plan.model import Plan, Row, SectionData  # noqa: E402
from odplan_xl.word import document as word  # noqa: E402

PRODUCERS = ("الإدارة العامة للطرقات والجسور", "إدارة تصنيف المقاولات", "الإدارة العامة للإسكان",
             "وحدة التصرف حسب الأهداف", "الإدارة العامة للتهيئة الترابية")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="*", type=int, default=[200, 2000, 8000])
    parser.add_argument("--pdf", action="store_true", help="also time LibreOffice's PDF export")
    args = parser.parse_args()
    word.build_document(plan_with(10))          # warm-up: imports, templates, styles
    print(f"{'rows':>6} {'build s':>8} {'save s':>7} {'total s':>8} {'per 1k rows':>11} {'MB':>6}"
          + (f" {'pdf s':>7}" if args.pdf else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            plan = plan_with(rows)
            builds, saves = [], []
            path = Path(tmp) / f"plan_{rows}.docx"
            for _ in range(3):
                t0 = time.perf_counter()
                doc = word.build_document(plan)
                t1 = time.perf_counter()
                word.save(doc, path)
                t2 = time.perf_counter()
                builds.append(t1 - t0)
                saves.append(t2 - t1)
            build, save = statistics.median(builds), statistics.median(saves)
            line = (f"{rows:>6} {build:>8.2f} {save:>7.2f} {build + save:>8.2f} "
                    f"{(build + save) / rows * 1000:>11.3f} {path.stat().st_size / 1e6:>6.1f}")
            if args.pdf:
                from odplan_xl.app import pdf
                t0 = time.perf_counter()
                pdf.to_pdf([path], timeout=3600)
                line += f" {time.perf_counter() - t0:>7.1f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
