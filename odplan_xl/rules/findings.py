"""The Report: a plan's findings (`odplan_xl.findings`) with completeness per section and the derived values."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from odplan_xl.findings import MISSING_CODES, Finding, Severity
from odplan_xl.plan.derived import BudgetTotals

__all__ = ["MISSING_CODES", "Finding", "Report", "SectionScore", "Severity"]

@dataclass
class SectionScore:
    """Completeness of one section: required cells filled over required cells expected."""

    key: str
    sheet: str
    rows: int = 0
    required: int = 0
    filled: int = 0
    not_applicable: bool = False

    @property
    def percent(self) -> float:
        if self.not_applicable and not self.rows:
            return 100.0
        return 100.0 * self.filled / self.required if self.required else 0.0


@dataclass
class Report:
    """All findings of a plan, completeness per section, and the values derived from the plan.

    `budget` holds section 10's totals per funding source and `priorities` each dataset row's priority
    (Excel row number -> 0..4): every output shows these, never figures of its own.
    """

    findings: list[Finding] = field(default_factory=list)
    sections: list[SectionScore] = field(default_factory=list)
    status: str = ""
    source: str = ""
    budget: BudgetTotals = field(default_factory=BudgetTotals)
    priorities: dict[int, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def missing(self) -> list[Finding]:
        """Errors that say something is not there (an empty required cell, section, table...)."""
        return [f for f in self.errors if f.code in MISSING_CODES]

    @property
    def state(self) -> str:
        """"complete" (no error), "incomplete" (something missing) or "invalid" (only wrong values)."""
        if not self.errors:
            return "complete"
        return "incomplete" if self.missing else "invalid"

    @property
    def score(self) -> float:
        """Overall completeness in percent: required cells filled over all required cells."""
        if not self.sections:
            return 0.0
        return sum(s.percent for s in self.sections) / len(self.sections)

    def flatten(self, keys: list[str]) -> list[list[Any]]:
        """Frictionless-style listing: [[f.code, f.cell], ...] for keys ["code", "cell"]."""
        return [[getattr(f, k) if k != "address" else f.address for k in keys] for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "ok": self.ok,
            "status": self.status,
            "score": round(self.score, 1),
            "state": self.state,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "sections": [{**asdict(s), "percent": round(s.percent, 1)} for s in self.sections],
            "budget": {"by_source": {k: f"{v:.3f}" for k, v in self.budget.by_source.items()},
                       "total": f"{self.budget.total:.3f}", "invalid": self.budget.invalid},
            "priorities": [{"row": row, "priority": p} for row, p in self.priorities.items()],
            "findings": [f.to_dict() for f in self.findings],
        }
