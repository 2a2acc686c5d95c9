"""'Cannot continue' errors: every code raised is in the catalogue, documented, with its exit code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from odplan_xl.errors import ERRORS, EXIT_CODES, OdplanError, reference_markdown

ROOT = Path(__file__).resolve().parents[1]


def _raised_codes() -> dict[str, list[str]]:
    """Code -> places, for every OdplanError(...) (the file reader's _cannot(...), and reason(...) for what is
    recorded without being raised) in the package."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "odplan_xl").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("OdplanError", "_cannot", "reason")):
                continue
            first = node.args[0] if node.args else None
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                # messages come from the catalogue: a call passes the code and values, never text
                assert all(not isinstance(a, ast.Constant) for a in node.args[1:]), where
                found.setdefault(first.value, []).append(where)
    return found


def test_every_raised_code_is_in_the_catalogue_and_every_entry_is_raised():
    raised = _raised_codes()
    assert sorted(set(raised) - set(ERRORS)) == []
    assert sorted(set(ERRORS) - set(raised)) == []


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_each_message_fills_in_arabic_and_french(code):
    names = {n for t in (ERRORS[code].ar, ERRORS[code].fr) for n in re.findall(r"{(\w+)}", t)}
    err = OdplanError(code, **{n: f"<{n}>" for n in names})
    assert err.ar and err.fr and "{" not in err.ar + err.fr
    assert all(f"<{n}>" in err.ar + err.fr for n in names)
    assert re.search("[\u0600-\u06ff]", err.message("ar")) and err.exit_code == ERRORS[code].exit
    assert err.exit_code == (3 if code == "internal-error" else 2)


def test_errors_reference_is_up_to_date():
    assert (ROOT / "docs" / "errors.md").read_text(encoding="utf-8") == reference_markdown()


def test_readme_lists_every_exit_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = {int(m) for m in re.findall(r"^\| (\d+) \|", readme, re.M)}
    assert listed == set(EXIT_CODES)


def test_internal_error_wording_is_the_catalogues_in_the_cli_and_in_batch():
    """One wording for our bugs: the command line's message and batch's recorded reason are both the entry's."""
    from odplan_xl.app.batch import internal_reason
    from odplan_xl.errors import internal_error

    exc = ZeroDivisionError("division by zero")
    entry = ERRORS["internal-error"]
    recorded = internal_reason(exc)
    sent = internal_reason("ZeroDivisionError: division by zero")      # as a worker reports it
    assert recorded == sent
    assert recorded["ar"] == entry.ar.format(name="ZeroDivisionError", detail="division by zero")
    assert recorded["fr"] == internal_error(exc).message("fr")
    assert recorded["type"] == "ZeroDivisionError" and internal_error(exc).exit_code == 3


def test_readme_exit_codes_say_what_the_catalogue_says():
    """The words of the README's table are the ones `odplan-xl errors` prints, for every command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", readme, re.M))
    for code, meaning in EXIT_CODES.items():
        assert rows[str(code)].replace("(an OdplanError: see docs/errors.md)", "(see docs/errors.md)") == meaning
