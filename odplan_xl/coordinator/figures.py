"""Every national figure, computed once from the plans' records: the workbook, the report and the
catalogue only lay them out."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from odplan_xl import schema
from odplan_xl.findings import MISSING_CODES
from odplan_xl.sheets import summary

UNDATED = "دون تاريخ"          # a planned dataset without a valid publication date
MONTH_LABELS = (*schema.MONTHS_AR, UNDATED)
NO_YEAR = "سنة غير محددة"
ZERO = Decimal("0.000")

# A plan of the year is in one of three states; the report never shows one with errors as complete.
COMPLETE, INVALID, MISSING = "complete", "invalid", "missing"
STATES = (COMPLETE, INVALID, MISSING)
STATE_AR = {COMPLETE: "مكتملة وصحيحة", INVALID: "بها قيم غير صحيحة", MISSING: "بها خانات ناقصة"}
CELL_AR = {COMPLETE: "خانات معمّرة وصحيحة", INVALID: "قيم غير صحيحة", MISSING: "خانات فارغة"}


@dataclass(frozen=True)
class Cells:
    """A plan's required cells: filled with a valid value, holding an invalid value, empty. An error
    that is about no cell (a section, a total) counts as one invalid or missing cell, so a plan with
    errors never shows all its cells valid."""

    valid: int
    invalid: int
    missing: int

    @property
    def total(self) -> int:
        return self.valid + self.invalid + self.missing

    def shares(self) -> tuple[float, float, float]:
        """valid, invalid, missing as parts of 1 (all 0 when the plan has no required cell)."""
        if not self.total:
            return 0.0, 0.0, 0.0
        return self.valid / self.total, self.invalid / self.total, self.missing / self.total


@dataclass
class Body:
    """One plan of the year: its summary record (batch's facts) and its rows."""

    record: dict[str, Any]

    @property
    def name(self) -> str:
        return self.record.get("structure") or Path(self.record["file"]).stem

    @property
    def datasets(self) -> list[dict[str, Any]]:
        return self.record.get("dataset_rows") or []

    @property
    def trainings(self) -> list[dict[str, Any]]:
        return self.record.get("training_rows") or []

    @property
    def complete(self) -> bool:
        return self.record["result"] == "complete"

    @property
    def result_ar(self) -> str:
        return summary.RESULT_AR.get(self.record["result"], self.record["result"])

    @property
    def completeness(self) -> float:
        """0..1"""
        return float(self.record.get("completeness") or 0) / 100

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [f for f in self.record.get("findings") or () if f.get("severity") == "error"]

    @property
    def state(self) -> str:
        """COMPLETE (no error), MISSING (something required is not there) or INVALID (only wrong values)."""
        errors = self.errors
        if not errors and not self.record.get("errors"):
            return COMPLETE
        return MISSING if any(f.get("code") in MISSING_CODES for f in errors) else INVALID

    @property
    def state_ar(self) -> str:
        return STATE_AR[self.state]

    @property
    def cells(self) -> Cells:
        counts = self.record.get("cells") or {}
        required, filled = int(counts.get("required") or 0), int(counts.get("filled") or 0)
        errors = self.errors
        wrong = {(f.get("sheet"), f.get("cell") or f"{f.get('code')}|{f.get('field')}")
                 for f in errors if f.get("code") not in MISSING_CODES}
        absent = any(f.get("code") in MISSING_CODES for f in errors)
        missing = max(required - filled, 1 if absent else 0)
        invalid = len(wrong) or (1 if self.record.get("errors") and not absent else 0)
        return Cells(max(required - missing - invalid, 0), invalid, missing)

    def months(self) -> list[int]:
        """Planned datasets per month, January first, then those without a valid date."""
        counts = [0] * 13
        for row in self.datasets:
            counts[month_index(row.get("publish_date"))] += 1
        return counts

    def budget(self, source: str) -> Decimal:
        return (self.record.get("budget_by_source") or {}).get(source) or ZERO

    @property
    def budget_total(self) -> Decimal:
        return self.record.get("budget_total") or ZERO

    @property
    def participants(self) -> int:
        return sum(_int(t.get("participants")) for t in self.trainings)

    @property
    def training_days(self) -> int:
        return sum(_int(t.get("days")) for t in self.trainings)


def month_index(value: Any) -> int:
    """0..11 for a date (its month), 12 for anything else (no valid date)."""
    return value.month - 1 if isinstance(value, dt.date) else 12


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def choose_year(records: list[dict[str, Any]]) -> int | None:
    """The most common plan year among the plans read (the latest of equally common years)."""
    years = Counter(r["year"] for r in records if r.get("read") and isinstance(r.get("year"), int))
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


@dataclass
class Figures:
    """The national picture of one year."""

    year: int | None
    records: list[dict[str, Any]]                     # every input, input order
    bodies: list[Body] = field(init=False)            # plans of the year, input order
    unreadable: list[dict[str, Any]] = field(init=False)
    other_years: list[dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.bodies, self.unreadable, self.other_years = [], [], []
        for rec in self.records:
            if not rec.get("read"):
                self.unreadable.append(rec)
            elif rec.get("year") == self.year and self.year is not None:
                self.bodies.append(Body(rec))
            else:
                self.other_years.append(rec)

    def key_figures(self) -> list[tuple[str, int | Decimal]]:
        """The headline figures, labelled, as the dashboard and the report show them."""
        return [
            ("الملفات المستلمة", len(self.records)),
            (f"خطط سنة {self.year_label}", len(self.bodies)),
            ("خطط مكتملة وصحيحة", self.complete),
            ("خطط بها قيم غير صحيحة", self.states[INVALID]),
            ("خطط بها خانات ناقصة", self.states[MISSING]),
            ("ملفات تعذرت قراءتها", len(self.unreadable)),
            ("خطط سنوات أخرى", len(self.other_years)),
            ("مجموعات البيانات المبرمجة", self.datasets),
            ("الدورات التكوينية", self.trainings),
            ("المشاركون في التكوين", self.participants),
            ("أيام التكوين", self.training_days),
            ("الميزانية الجملية (د.ت)", self.budget_total),
        ]

    month_labels = MONTH_LABELS

    # -- plans
    @property
    def overview_records(self) -> list[dict[str, Any]]:
        """The rows of the overview: plans of the year, then files that could not be read."""
        return [b.record for b in self.bodies] + self.unreadable

    def completeness_bands(self) -> list[tuple[str, int]]:
        """How many plans fall in each band of completeness (a chart of many bodies)."""
        bands = [("100%", 1.0), ("90% – 99%", 0.9), ("75% – 89%", 0.75), ("50% – 74%", 0.5), ("< 50%", 0.0)]
        counts = [0] * len(bands)
        for body in self.bodies:
            value = round(body.completeness, 3)
            counts[next(k for k, (_, low) in enumerate(bands) if value >= low)] += 1
        return [(label, n) for (label, _), n in zip(bands, counts, strict=True)]

    @property
    def year_label(self) -> str:
        """The year as text ("غير محددة" when no plan gave one): never «None»."""
        return str(self.year) if self.year is not None else "غير محددة"

    @property
    def states(self) -> Counter:
        """Plans of the year per state (COMPLETE, INVALID, MISSING)."""
        return Counter(b.state for b in self.bodies)

    def state_counts(self) -> tuple[int, int, int]:
        """Plans complete, with invalid values only, with something missing."""
        states = self.states
        return states[COMPLETE], states[INVALID], states[MISSING]

    def state_bars(self) -> list[tuple[str, int]]:
        """Plans per state, then the files that could not be read (the chart of many bodies)."""
        states = self.states
        return [*((STATE_AR[s], states[s]) for s in STATES), ("ملفات تعذرت قراءتها", len(self.unreadable))]

    @property
    def complete(self) -> int:
        return sum(1 for b in self.bodies if b.complete)

    @property
    def incomplete(self) -> int:
        return len(self.bodies) - self.complete

    # -- datasets
    @property
    def datasets(self) -> int:
        return sum(len(b.datasets) for b in self.bodies)

    @cached_property
    def months(self) -> list[int]:
        """Planned datasets per month over all bodies, then those without a valid date."""
        total = [0] * 13
        for body in self.bodies:
            for k, n in enumerate(body.months()):
                total[k] += n
        return total

    def calendar(self) -> list[tuple[Body, dict[str, Any]]]:
        """Every planned dataset with its body, by planned date (undated last), then body and title."""
        items = [(b, row) for b in self.bodies for row in b.datasets]
        far = dt.date.max

        def key(item: tuple[Body, dict[str, Any]]) -> tuple:
            date = item[1].get("publish_date")
            return (date if isinstance(date, dt.date) else far, item[0].name, str(item[1].get("title") or ""))

        return sorted(items, key=key)

    # -- trainings
    @property
    def trainings(self) -> int:
        return sum(len(b.trainings) for b in self.bodies)

    @property
    def participants(self) -> int:
        return sum(b.participants for b in self.bodies)

    @property
    def training_days(self) -> int:
        return sum(b.training_days for b in self.bodies)

    # -- budget
    @cached_property
    def sources(self) -> list[str]:
        return summary.sources([b.record for b in self.bodies])

    def budget(self, source: str) -> Decimal:
        return sum((b.budget(source) for b in self.bodies), ZERO)

    @property
    def budget_total(self) -> Decimal:
        return sum((b.budget_total for b in self.bodies), ZERO)


def figures(records: list[dict[str, Any]], year: int | None = None) -> Figures:
    """The national figures of `year` (default: the most common plan year)."""
    return Figures(year if year is not None else choose_year(records), records)
