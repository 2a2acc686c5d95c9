"""Findings: problems in a plan, as values (stable code, severity, where, what in Arabic and French).

Below the plan reader and the rules, which both emit them; their catalogue of codes is `odplan_xl.codes`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

# Errors that mean "not there" rather than "wrong": they make a plan incomplete.
MISSING_CODES = frozenset({"missing-value", "empty-section", "missing-authors", "missing-section",
                           "missing-column", "missing-cover-field"})


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem: stable code, severity, where (sheet, cell, field) and what, in ar and fr."""

    code: str
    severity: Severity
    sheet: str
    cell: str          # "B7" ("" when the finding is about a whole section or sheet)
    field: str         # column / cover key ("" when not about one field)
    ar: str
    fr: str
    section: str = ""  # section key ("cover" for the cover)

    @property
    def address(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def message(self, lang: str = "ar") -> str:
        return self.ar if lang == "ar" else self.fr

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "severity": str(self.severity), "address": self.address}
