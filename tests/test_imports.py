"""Each command imports only what its path needs: every command and every Excel button is a new Python
process, and what it imports is what the officer waits for.

Each case runs in a fresh interpreter, which records every module imported and, for each, the module
that imported it first; the command's forbidden modules must be absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbook_template" / "example_plan.xlsx"

# Heavy libraries, and the packages that load them.
LIBRARIES = {"openpyxl", "python_calamine", "docx", "lxml", "jinja2", "xlsxwriter", "pydantic", "numpy"}
WRITERS = {"odplan_xl.word", "odplan_xl.workbook", "odplan_xl.coordinator",
           "odplan_xl.app.batch", "odplan_xl.app.summary", "odplan_xl.app.pool", "odplan_xl.app.convert",
           "odplan_xl.app.national"}

# --help, version, codes, errors: the command line itself, nothing of the library's work.
LIGHT = LIBRARIES | WRITERS | {"odplan_xl.app", "rich", "matplotlib"}

# check: reads and checks; nothing of Word, XlsxWriter, charts or batch; its report is plain text.
CHECK = {"docx", "lxml", "jinja2", "xlsxwriter", "matplotlib", "numpy", "rich"} | WRITERS

# check reads with python-calamine: openpyxl (and the lxml and numpy it brings) stay out
CHECK_READER = {"openpyxl"}

# The check button in Excel: what the button adds to the process RunPython started (xlwings is there).
BUTTON = {"openpyxl", "python_calamine", "docx", "lxml", "jinja2", "xlsxwriter", "matplotlib", "numpy",
          "rich", "typer", "odplan_xl.cli"} | WRITERS

COMMANDS = {
    "--help": (["--help"], LIGHT),
    "version": (["version"], LIGHT),
    "codes": (["codes"], LIGHT),
    "errors": (["errors"], LIGHT),
    "check": (["check", str(EXAMPLE)], CHECK | CHECK_READER),
    "check --format json": (["check", str(EXAMPLE), "--format", "json"], CHECK | CHECK_READER),
    "check --lang fr": (["check", str(EXAMPLE), "--lang", "fr"], CHECK | CHECK_READER),
}

# Records every import and the module that asked for it, and writes them when the process ends.
SPY = r'''
import sys

def _spy():
    first = {}

    class Spy:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name not in first:
                frame = sys._getframe(1)
                while frame is not None and frame.f_globals.get("__name__", "").startswith(
                        ("importlib", "_frozen_importlib")):
                    frame = frame.f_back
                first[name] = frame.f_globals.get("__name__") if frame is not None else None
            return None

    sys.meta_path.insert(0, Spy)
    return first

IMPORTERS = _spy()
BEFORE = set(sys.modules)

def _write():
    modules = sorted(sys.modules)
    import json
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"modules": modules, "before": sorted(BEFORE), "importers": IMPORTERS}, f)

import atexit
atexit.register(_write)
'''

CLI = SPY + r'''
sys.argv = ["odplan-xl", *ARGS]
from odplan_xl.cli import main
main()
'''

BUTTON_RUN = SPY.replace("BEFORE = set(sys.modules)", "") + r'''
import json as _json
import xlwings as xw
with open(PAYLOAD, encoding="utf-8") as f:
    book = xw.Book(json=_json.load(f))
book.set_mock_caller()
BEFORE = set(sys.modules)
import odplan_xl.macros as m
m.check()
for action in book.json()["actions"]:
    if action["func"] == "alert":
        print(action["args"][0])
'''


def run(code: str, tmp_path: Path, **names: object) -> tuple[subprocess.CompletedProcess, dict]:
    out = tmp_path / "modules.json"
    prelude = "".join(f"{k} = {v!r}\n" for k, v in {"OUT": str(out), **names}.items())
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_ON_SERVER": "true",
           "NO_COLOR": "1"}
    res = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path, env=env)
    assert out.exists(), res.stderr
    return res, json.loads(out.read_text(encoding="utf-8"))


def present(record: dict, forbidden: set[str], *, new_only: bool = False) -> dict[str, str]:
    """Forbidden modules imported (itself or a submodule): name -> the first such module imported."""
    modules = set(record["modules"]) - (set(record["before"]) if new_only else set())
    order = list(record["importers"])             # the order modules were first looked for
    found = {}
    for name in sorted(forbidden):
        hits = [m for m in modules if m == name or m.startswith(name + ".")]
        if hits:
            found[name] = min(hits, key=lambda m: order.index(m) if m in order else len(order))
    return found


def chain(record: dict, module: str) -> list[str]:
    """Who imported `module`, who imported that one, ... up to the command."""
    out, seen = [module], {module}
    while (parent := record["importers"].get(out[-1])) and parent not in seen:
        out.append(parent)
        seen.add(parent)
    return out


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_imports_only_what_it_needs(name, tmp_path):
    args, forbidden = COMMANDS[name]
    res, record = run(CLI, tmp_path, ARGS=args)
    assert res.returncode == 0, res.stdout + res.stderr      # the example plan is complete
    found = present(record, forbidden)
    assert found == {}, {name: chain(record, module) for name, module in found.items()}


def test_the_check_button_imports_nothing_of_word_or_batch(tmp_path):
    pytest.importorskip("xlwings")
    from officejs import payload  # tests/ is on the path (conftest.py)

    path = tmp_path / "payload.json"
    path.write_text(json.dumps(payload(EXAMPLE)), encoding="utf-8")
    res, record = run(BUTTON_RUN, tmp_path, PAYLOAD=str(path))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "الخطة مكتملة" in res.stdout                      # the button's alert: it ran
    found = present(record, BUTTON, new_only=True)
    assert found == {}, {name: chain(record, module) for name, module in found.items()}


def test_the_spy_sees_a_forbidden_import(tmp_path):
    """The recording itself: a command that does import a forbidden module is caught, with its importer."""
    code = SPY + "import odplan_xl.workbook.template\n"
    _, record = run(code, tmp_path)
    assert "xlsxwriter" in present(record, LIGHT)
    assert chain(record, "xlsxwriter")[1:3] == ["odplan_xl.workbook.template", "__main__"] or \
        "odplan_xl.workbook" in chain(record, "xlsxwriter")[1]
