"""The thirty generated plans and one `national` run on them, shared by the national tests."""

from __future__ import annotations

from pathlib import Path

import national_plans as gen
import openpyxl
import pytest

from odplan_xl.app.national import national


@pytest.fixture(scope="session")
def inbox(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("national_inbox")
    return root, gen.inbox(root)


@pytest.fixture(scope="session")
def run(inbox, tmp_path_factory):
    root, _ = inbox
    out = tmp_path_factory.mktemp("national_out")
    events = []
    result = national([root], out, jobs=2, progress=events.append)
    return result, out, events


@pytest.fixture(scope="session")
def want(inbox) -> dict:
    return gen.expected(inbox[1])


@pytest.fixture(scope="session")
def book(run):
    wb = openpyxl.load_workbook(run[1] / "national.xlsx")
    yield wb
    wb.close()


