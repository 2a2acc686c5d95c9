"""Values derived from what the officer typed: dataset priority, budget totals (their one home)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from odplan_xl import schema
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


def budget_totals(plan: Plan) -> BudgetTotals:
    """Totals of the budget lines of a plan, recomputed from the lines."""
    totals = BudgetTotals({s: Decimal("0.000") for s in schema.FUNDING_SOURCES})
    extra: dict[str, Decimal] = {}
    for row in plan.sections["budget"].rows:
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
