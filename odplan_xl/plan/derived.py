"""Values derived from what the officer typed: dataset priority, budget totals (their one home)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from odplan_xl import schema
from odplan_xl.plan.normalize import choice_key

if TYPE_CHECKING:      # only named in annotations: the report's types import without the plan model
    from odplan_xl.plan.model import Plan, Row

CRITERIA = tuple(c.key for c in schema.section("datasets").columns if c.key.startswith("crit_"))


def priority(row: Row) -> int:
    """Section 4's priority: how many of the four criteria the dataset meets (0..4).

    Always recomputed from the criteria: the workbook's cached formula result is never trusted.
    """
    return sum(1 for key in CRITERIA if row.get(key) is True)


@dataclass
class BudgetTotals:
    """Section 10's totals: per funding source, and the grand total they add up to.

    Sources are the schema's in their order (even at zero), then any other source typed in a line,
    under its typed name, then «مصدر غير محدد» for lines with no source. `invalid` counts lines whose
    amount is not a number (they are reported by the checker and left out of every figure).
    """

    by_source: dict[str, Decimal] = field(default_factory=dict)
    invalid: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.by_source.values(), Decimal("0.000"))

    @property
    def extra_sources(self) -> list[str]:
        """Sources that are not the schema's (typed names, then the unspecified one)."""
        return [s for s in self.by_source if s not in schema.FUNDING_SOURCES]


def source_name(value: object) -> str:
    """The funding source a budget line is counted under."""
    text = str(value).strip() if value is not None else ""
    return text or schema.UNSPECIFIED_SOURCE_AR


TOTAL_WORDS = ("المجموع", "المجموع العام", "الجملة", "الجملة العامة", "المبلغ الجملي", "جملة", "مجموع",
               "total", "total général", "totaux", "sous-total", "somme")
_TOTAL_KEYS = frozenset(choice_key(w) for w in TOTAL_WORDS)


def total_lines(plan: Plan) -> list[Row]:
    """Budget lines that are totals of the others, not activities: left out of every figure.

    A line is a total when its activity is a total label (المجموع, الجملة, Total…), or when its
    amount equals the sum of the other lines' amounts (at least two of them).
    """
    rows = plan.sections["budget"].rows
    labelled = [r for r in rows if isinstance(r.get("activity"), str)
                and choice_key(r.get("activity").rstrip(" :：")) in _TOTAL_KEYS]
    named = {id(r) for r in labelled}
    amounts = [(r, r.get("amount")) for r in rows
               if id(r) not in named and isinstance(r.get("amount"), Decimal)]
    whole = sum((a for _, a in amounts), Decimal(0))
    summed = [r for r, a in amounts if len(amounts) >= 3 and a > 0 and a == whole - a]
    return labelled + summed[:1]


def plan_dates(plan: Plan) -> list[tuple[Row, str, dt.date]]:
    """Every date typed in the sections' rows: (row, column key, date)."""
    out = []
    for spec in schema.SECTIONS:
        cols = [c.key for c in spec.columns if c.kind is schema.Kind.DATE]
        for row in plan.sections[spec.key].rows:
            out += [(row, k, v) for k in cols if isinstance(v := row.get(k), dt.date)]
    return out


def dates_year(plan: Plan) -> int | None:
    """The year most of the plan's dates fall in, when most fall outside the cover's year (else None)."""
    years = Counter(d.year for _, _, d in plan_dates(plan))
    total = sum(years.values())
    if not total or plan.year is None or years.get(plan.year, 0) * 2 >= total:
        return None
    return min(years, key=lambda y: (-years[y], y))


def budget_totals(plan: Plan) -> BudgetTotals:
    """Totals of the budget lines of a plan, recomputed from the lines (total lines left out)."""
    totals = BudgetTotals({s: Decimal("0.000") for s in schema.FUNDING_SOURCES})
    extra: dict[str, Decimal] = {}
    skipped = {id(r) for r in total_lines(plan)}
    for row in plan.sections["budget"].rows:
        if id(row) in skipped:
            continue
        amount = row.get("amount")
        if not isinstance(amount, Decimal):
            totals.invalid += amount not in (None, "")
            continue
        source = source_name(row.get("source"))
        if source in totals.by_source:
            totals.by_source[source] += amount
        else:
            extra[source] = extra.get(source, Decimal("0.000")) + amount
    unspecified = extra.pop(schema.UNSPECIFIED_SOURCE_AR, None)
    totals.by_source.update(extra)
    if unspecified is not None:
        totals.by_source[schema.UNSPECIFIED_SOURCE_AR] = unspecified
    return totals
