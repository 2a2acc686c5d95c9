"""odplan-xl: the Tunisian annual open-data plan as an Excel workbook, checked, drawn and sent to Word.

The library functions have the command line's names and options (`--force` is `overwrite=True`):

    import odplan_xl
    plan, report = odplan_xl.check("plan.xlsx")
    odplan_xl.convert("plan.xlsx", "plan.docx", pdf=True, overwrite=True)

They are imported on first use, so `import odplan_xl` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

from odplan_xl.version import __version__

_EXPORTS = {
    "check": "odplan_xl.app.check",
    "convert": "odplan_xl.app.convert",
    "gantt": "odplan_xl.app.gantt",
    "new": "odplan_xl.app.workbooks",
    "example": "odplan_xl.app.workbooks",
    "batch": "odplan_xl.app.batch",
    "national": "odplan_xl.app.national",
    "datasets": "odplan_xl.app.national",
    "import_docx": "odplan_xl.app.importing",
    "progress_report": "odplan_xl.app.progress",
    "next_plan": "odplan_xl.app.nextplan",
    "diff_plans": "odplan_xl.app.diff",
    "Plan": "odplan_xl.plan.model",
    "Report": "odplan_xl.rules.findings",
    "OdplanError": "odplan_xl.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'odplan_xl' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
