"""The blank workbook and the example plan, as files: `new`, `example`, and the committed copies."""

from __future__ import annotations

import sys
from pathlib import Path

from odplan_xl.files import refuse_existing, require_suffix
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import VBA_BIN, build_workbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def new(path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the blank plan workbook (.xlsm with the buttons, or .xlsx) from the schema."""
    return build_workbook(refuse_existing(require_suffix(path, WORKBOOK_SUFFIXES), overwrite))


def example(path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the complete example plan of a fictional ministry (.xlsx, or .xlsm with the buttons)."""
    return build_workbook(refuse_existing(require_suffix(path, WORKBOOK_SUFFIXES), overwrite), example_data())


def build_all(folder: str | Path) -> list[Path]:
    """Regenerate the committed workbooks: blank template(s) and the example plan."""
    folder = Path(folder)
    made = [new(folder / "template.xlsx", overwrite=True)]
    if VBA_BIN.exists():
        made.append(new(folder / "template.xlsm", overwrite=True))
    made.append(example(folder / "example_plan.xlsx", overwrite=True))
    return made


def main(argv: list[str] | None = None) -> int:
    """`python -m odplan_xl.app.workbooks FOLDER`: regenerate the committed workbooks (make templates)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path("workbook_template")
    for p in build_all(folder):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
