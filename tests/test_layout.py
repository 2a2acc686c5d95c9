"""The package's layout: each third-party library behind one subpackage; the layers of docs/architecture.md,
imported only downwards, with no cycle and no module importing its own package."""

from __future__ import annotations

import ast
import re
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


# --- layers ---------------------------------------------------------------------------------
# The layers are the table of docs/architecture.md ("## Layers"), read from there: the page and the code
# cannot drift apart.

ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"


def layer_table() -> list[tuple[str, list[str]]]:
    """(layer, its modules and packages as written: "schema.py", "plan/") from low to high."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].isdigit():
            continue
        rows.append((cells[1], re.findall(r"`([\w/]+(?:\.py|/))`", cells[2])))
    return rows


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {module_name(p): p for p in MODULES}


def rank_of(module: str, table: list[tuple[str, list[str]]]) -> int | None:
    rel = NAMES[module].relative_to(PACKAGE).as_posix()
    for rank, (_, entries) in enumerate(table):
        for entry in entries:
            if rel == entry or (entry.endswith("/") and rel.startswith(entry)):
                return rank
    return None


def _resolve(module: str, node: ast.ImportFrom) -> str | None:
    if not node.level:
        return node.module
    base = module.split(".")
    if NAMES[module].name != "__init__.py":
        base = base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str, source: str | None = None) -> dict[str, int]:
    """The package's modules `module` imports (module level, in functions, under TYPE_CHECKING alike),
    each with the line of its first import. `from P import x` is the module P.x when there is one, else P."""
    found: dict[str, int] = {}
    text = NAMES[module].read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            origin = _resolve(module, node)
            if origin:
                targets = [f"{origin}.{a.name}" if f"{origin}.{a.name}" in NAMES else origin for a in node.names]
        for target in targets:
            if target in NAMES and target != module:
                found.setdefault(target, node.lineno)
    return found


GRAPH = {m: imports_of(m) for m in NAMES}


def upward(graph: dict[str, dict[str, int]], table) -> list[str]:
    out = []
    for module, targets in sorted(graph.items()):
        for target, line in sorted(targets.items()):
            if rank_of(target, table) > rank_of(module, table):
                out.append(f"{module} (line {line}) imports {target}: {table[rank_of(target, table)][0]} is "
                           f"above {table[rank_of(module, table)][0]}")
    return out


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Every strongly connected group of two modules or more (Tarjan), as the modules it holds."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def own_package_imports(graph: dict[str, dict[str, int]]) -> list[str]:
    """A module importing its own package's __init__ (the re-exports are for the package's users)."""
    out = []
    for module, targets in sorted(graph.items()):
        for parent in (module.rsplit(".", k)[0] for k in range(1, module.count(".") + 1)):
            if parent in targets:
                out.append(f"{module} (line {targets[parent]}) imports its own package {parent}")
    return out


def test_every_module_has_a_layer_in_the_architecture_page():
    table = layer_table()
    assert [name for name, _ in table] == ["base", "plan", "rules", "formats", "application", "entry points"]
    missing = sorted(m for m in NAMES if rank_of(m, table) is None)
    assert missing == [], f"not in the layer table of docs/architecture.md: {missing}"
    stale = [e for _, entries in table for e in entries if not (PACKAGE / e).exists()]
    assert stale == [], f"the layer table names what is not in the package: {stale}"


def test_imports_point_down_the_layers():
    assert upward(GRAPH, layer_table()) == []


def test_no_import_cycle():
    assert cycles(GRAPH) == []


def test_modules_never_import_their_own_package():
    assert own_package_imports(GRAPH) == []


def test_the_walk_sees_a_planted_upward_import_and_a_planted_cycle():
    """The checks above would fail on what they exist to catch (imports as the walk reads them)."""
    table = layer_table()
    planted = {m: dict(t) for m, t in GRAPH.items()}
    planted["odplan_xl.plan.model"]["odplan_xl.rules.checker"] = 1          # plan importing rules
    assert any("odplan_xl.plan.model (line 1) imports odplan_xl.rules.checker" in u
               for u in upward(planted, table))
    planted = {m: dict(t) for m, t in GRAPH.items()}
    planted["odplan_xl.schema"]["odplan_xl.errors"] = 1
    planted["odplan_xl.errors"]["odplan_xl.schema"] = 1
    assert ["odplan_xl.errors", "odplan_xl.schema"] in cycles(planted)


def test_the_walk_reads_imports_in_functions_and_under_type_checking():
    source = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from odplan_xl.rules.findings import Report\n"
              "def f():\n    from ..app import check\n    import odplan_xl.word.toc as toc\n")
    found = imports_of("odplan_xl.plan.model", source)
    assert found == {"odplan_xl.rules.findings": 3, "odplan_xl.app.check": 5, "odplan_xl.word.toc": 6}
    assert len(upward({**GRAPH, "odplan_xl.plan.model": found}, layer_table())) == 3
