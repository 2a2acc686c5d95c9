"""Thirty plan files of fictional bodies made from the example plan: ministries, municipalities, public
establishments; three years; some incomplete; unknown and blank funding sources; one corrupt file.

`inbox(folder)` writes them and returns, per file, the PlanData it was built from (None: corrupt), so
tests compute their own expected figures from the data, not from the library.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

from odplan_xl import schema
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import build_workbook

MINISTRIES = ("وزارة التجهيز والإسكان", "وزارة الصحة", "وزارة التربية", "وزارة الفلاحة والموارد المائية",
              "وزارة النقل", "وزارة المالية", "وزارة البيئة", "وزارة الشؤون الاجتماعية", "وزارة السياحة",
              "وزارة تكنولوجيات الاتصال")
MUNICIPALITIES = ("بلدية تونس", "بلدية صفاقس", "بلدية سوسة", "بلدية القيروان", "بلدية بنزرت", "بلدية قابس",
                  "بلدية أريانة", "بلدية قفصة", "بلدية المنستير", "بلدية نابل")
ESTABLISHMENTS = ("المعهد الوطني للإحصاء", "الشركة الوطنية لاستغلال وتوزيع المياه", "الوكالة الوطنية للتبغ والوقيد",
                  "الديوان الوطني للحماية المدنية", "المركز الوطني للإعلامية", "الوكالة العقارية للسكنى",
                  "ديوان الطيران المدني والمطارات", "الصندوق الوطني للتأمين على المرض",
                  "الوكالة التونسية للتكوين المهني")
NAMES = MINISTRIES + MUNICIPALITIES + ESTABLISHMENTS          # 29 bodies; the 30th file is corrupt

FORMATS = ("CSV", "XLSX", "JSON", "XML", "PDF", "CSV", "أخرى")
YEARS = {5: 2026, 17: 2026, 23: 2026, 11: 2028, 26: 2028}    # the others: 2027
INCOMPLETE = {2, 9, 14, 20}
BLANK_SOURCE, TYPED_SOURCE = 3, 8
UNKNOWN_SOURCE = "هبة من شريك أجنبي"
UNDATED_BODY = 14
INVALID_BODY = 6          # every cell filled, two of them invalid dates: errors, nothing missing
BAD_DATE = "31/02/2027"
YEAR = 2027


def _moved(value, year: int):
    return value.replace(year=year + (value.year - 2027)) if isinstance(value, dt.date) else value


def plan(i: int) -> dict:
    """The PlanData of body i (0..28), deterministic."""
    data = example_data()
    year = YEARS.get(i, YEAR)
    data["cover"]["structure"] = NAMES[i]
    data["cover"]["year"] = year
    data["cover"]["status"] = schema.STATUSES[i % 2]
    for key in ("prepared", "updated"):
        data["cover"][key] = _moved(data["cover"][key], year)
    for rows in data["sections"].values():
        for row in rows:
            for key, value in row.items():
                row[key] = _moved(value, year)
    base = data["sections"]["datasets"]
    n = (i * 7) % 21 or 3
    datasets = []
    for k in range(n):
        row = copy.deepcopy(base[(i + k) % len(base)])
        date = row["publish_date"]
        row["publish_date"] = dt.date(year, (date.month - 1 + i) % 12 + 1, min(date.day, 28))
        row["format"] = FORMATS[(i + k) % len(FORMATS)]
        row["frequency"] = schema.FREQUENCIES[(i * 3 + k) % len(schema.FREQUENCIES)]
        if (i + k) % 4 == 0:
            row["crit_demand"] = schema.NO_AR if row["crit_demand"] == schema.YES_AR else schema.YES_AR
        datasets.append(row)
    data["sections"]["datasets"] = datasets
    trainings = data["sections"]["trainings"][: 1 + i % 8]
    for t in trainings:
        t["participants"] = t["participants"] + i
    data["sections"]["trainings"] = trainings
    for line in data["sections"]["budget"]:
        line["amount"] = (line["amount"] * (1 + Decimal(i) / 10)).quantize(Decimal("0.001"))
    if i == BLANK_SOURCE:
        data["sections"]["budget"][1]["source"] = None
    if i == TYPED_SOURCE:
        data["sections"]["budget"][2]["source"] = UNKNOWN_SOURCE
    if i in INCOMPLETE:
        datasets[0]["title"] = None
    if i == UNDATED_BODY:
        datasets[1]["publish_date"] = None
    if i == INVALID_BODY:
        datasets[0]["publish_date"] = datasets[1]["publish_date"] = BAD_DATE
    return data


def file_name(i: int) -> str:
    kind = "ministries" if i < 10 else "municipalities" if i < 20 else "establishments"
    return f"{kind}/plan_{i:02d}.xlsx"


def inbox(folder: Path) -> dict[str, dict | None]:
    """Write the 30 files under `folder`; their relative path -> PlanData (None for the corrupt file)."""
    out: dict[str, dict | None] = {}
    for i in range(len(NAMES)):
        data = plan(i)
        build_workbook(folder / file_name(i), data)
        out[file_name(i)] = data
    whole = (folder / file_name(0)).read_bytes()
    (folder / "establishments/corrupt.xlsx").write_bytes(whole[: len(whole) // 3])
    out["establishments/corrupt.xlsx"] = None
    return out


# --- what the tests expect, computed here from the PlanData (never by the library) -------------------
YES = "نعم"
NO_SOURCE = "مصدر غير محدد"


def expected(files: dict[str, dict | None], year: int = YEAR) -> dict:
    """Per body of `year` (input order = sorted relative paths): the figures every output must show."""
    bodies = {}
    for rel in sorted(files):
        data = files[rel]
        if data is None or data["cover"]["year"] != year:
            continue
        sec = data["sections"]
        budget: dict[str, Decimal] = {}
        for line in sec["budget"]:
            key = line["source"] if line["source"] else NO_SOURCE
            budget[key] = budget.get(key, Decimal(0)) + line["amount"]
        months = [0] * 13
        for ds in sec["datasets"]:
            date = ds["publish_date"]
            months[date.month - 1 if isinstance(date, dt.date) else 12] += 1
        bodies[data["cover"]["structure"]] = {
            "file": rel,
            "status": data["cover"]["status"],
            "datasets": [(ds["title"], ds["publish_date"], ds["format"], ds["frequency"],
                          sum(ds[k] == YES for k in ("crit_quality", "crit_legal", "crit_open_format",
                                                     "crit_demand")), ds["channel"])
                         for ds in sec["datasets"]],
            "months": months,
            "trainings": len(sec["trainings"]),
            "participants": sum(t["participants"] for t in sec["trainings"]),
            "days": sum(t["days"] for t in sec["trainings"]),
            "budget": budget,
            "total": sum(budget.values(), Decimal(0)),
        }
    return bodies
