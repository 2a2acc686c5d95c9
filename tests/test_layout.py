"""The package's layout: each third-party library behind one subpackage, modules of one job and a readable size."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "odplan_xl"

# library -> where it may be imported (paths relative to the package)
HOMES = {
    "openpyxl": ("xlsx/",),
    "python_calamine": ("xlsx/",),
    "xlsxwriter": ("workbook/",),
    "docx": ("word/",),
    "lxml": ("word/",),
    "jinja2": ("word/",),
    "xlwings": ("excel/",),
    "typer": ("cli.py",),
    "rich": ("cli.py",),
    "pypdf": ("app/pdf.py",),
    "matplotlib": ("coordinator/charts.py",),
    "arabic_reshaper": ("coordinator/charts.py",),
    "bidi": ("coordinator/charts.py",),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("library", sorted(HOMES))
def test_each_library_lives_behind_one_home(library):
    users = [str(p.relative_to(PACKAGE)) for p in MODULES if library in _imports(p)]
    strays = [u for u in users if not u.startswith(HOMES[library])]
    assert users, f"{library} is imported nowhere: drop it from the table"
    assert strays == [], f"{library} is imported outside {HOMES[library]}"
