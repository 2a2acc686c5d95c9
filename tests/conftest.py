"""Shared fixtures: real workbooks built from the schema by the template builder."""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

# Tests live in folders mirroring the package; their helpers (workbooks.py, officejs.py...) live here.
sys.path.insert(0, str(Path(__file__).resolve().parent))

# xlwings' own engines on Linux (tests of the Excel buttons) need these before xlwings is imported,
# whichever test module imports it first.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
os.environ.setdefault("XLWINGS_ON_SERVER", "true")

import lo_helpers
import pytest

from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import build_workbook


@pytest.fixture
def make_workbook(tmp_path):
    """Factory: make_workbook(data=None, name=None, *, vba=None) -> Path of a freshly built workbook.

    `data` is a PlanData dict (None: the blank template). Each call writes a new file in tmp_path.
    """
    counter = itertools.count(1)

    def make(data: dict | None = None, name: str | None = None, *, vba: bool | None = None) -> Path:
        path = tmp_path / (name or f"plan_{next(counter)}.xlsx")
        return build_workbook(path, data, vba=vba)

    return make


@pytest.fixture(scope="session")
def example_path(tmp_path_factory) -> Path:
    """The example plan, built once per test session (treat as read-only)."""
    return build_workbook(tmp_path_factory.mktemp("example") / "example_plan.xlsx", example_data())


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of LibreOffice's soffice. Missing: a failure when CI is set, else a skip saying how to install it."""
    return lo_helpers.require()


@pytest.fixture(scope="session")
def libreoffice_uno() -> str:
    """soffice and the UNO bridge for the system Python (python3-uno), under the same policy."""
    return lo_helpers.require(uno=True)
