"""The library and the command line are the same thing: same names, same options, same refusals."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import odplan_xl
from odplan_xl.cli import app


def test_the_package_exports_the_commands_and_the_types():
    for name in ("check", "convert", "gantt", "new", "example", "batch", "Plan", "Report", "OdplanError"):
        assert name in odplan_xl.__all__ and getattr(odplan_xl, name) is not None


@pytest.mark.parametrize("name", ["convert", "gantt", "new", "example", "batch"])
def test_writers_take_overwrite_false_like_the_cli_force(name):
    params = inspect.signature(getattr(odplan_xl, name)).parameters
    assert params["overwrite"].default is False
    command = next(c for c in app.registered_commands if c.name == name)
    assert "force" in inspect.signature(command.callback).parameters


def test_importing_the_package_loads_no_heavy_library():
    code = ("import sys, odplan_xl; heavy = [m for m in ('docx', 'openpyxl', 'xlsxwriter', 'pydantic', 'typer') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("name, args", [
    ("new", ()), ("example", ()), ("gantt", ("plan",)), ("convert", ("plan",)),
])
def test_an_existing_output_is_replaced_only_when_asked(name, args, tmp_path, example_path):
    fn = getattr(odplan_xl, name)
    target = tmp_path / ("out.docx" if name == "convert" else "out.xlsx")
    target.write_bytes(b"kept")
    call = (lambda **kw: fn(example_path, target, **kw)) if args else (lambda **kw: fn(target, **kw))
    with pytest.raises(odplan_xl.OdplanError) as err:
        call()
    assert err.value.code == "output-exists" and target.read_bytes() == b"kept"
    call(overwrite=True)
    assert target.read_bytes() != b"kept"
