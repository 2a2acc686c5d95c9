"""The command line: exit codes, messages instead of tracebacks, every command documented."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from odplan_xl.cli import app
from odplan_xl.codes import reference_markdown
from odplan_xl.rules import live

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return subprocess.run([sys.executable, "-m", "odplan_xl.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_check_example_exits_0(example_path):
    res = run("check", example_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "الخطة مكتملة" in res.stdout


def test_check_json_lists_findings(make_workbook):
    from odplan_xl.workbook.example import example_data

    data = example_data()
    data["sections"]["datasets"][0]["title"] = None
    res = run("check", make_workbook(data), "--format", "json")
    assert res.returncode == 1
    doc = json.loads(res.stdout)
    assert [f["code"] for f in doc["findings"]] == ["missing-value"]


@pytest.mark.parametrize("content, words", [
    (b"", "فارغ"),
    (b"hello, not a workbook", "ليس مصنف"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
])
def test_unreadable_files_exit_2_without_traceback(tmp_path, content, words):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(content)
    res = run("check", bad)
    assert res.returncode == 2
    assert words in res.stderr
    assert "Traceback" not in res.stderr + res.stdout


def test_french_messages(tmp_path):
    res = run("check", tmp_path / "absent.xlsx", "--lang", "fr")
    assert res.returncode == 2 and "Fichier introuvable" in res.stderr


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name for c in app.registered_commands if c.name != "version"]
    missing = [n for n in names if not re.search(rf"odplan-xl {n}\b", readme)]
    assert missing == []


def test_codes_reference_is_up_to_date():
    assert (ROOT / "docs" / "codes.md").read_text(encoding="utf-8") == reference_markdown(live.where)


def test_json_is_printed_even_when_the_file_is_refused(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    res = run("check", bad, "--format", "json")
    assert res.returncode == 2
    doc = json.loads(res.stdout)
    assert doc["ok"] is False and doc["error"]["code"] == "not-a-workbook"
    assert "مصنف" in doc["error"]["ar"] and "classeur" in doc["error"]["fr"]


def test_only_invalid_values_never_read_as_incomplete(make_workbook):
    from odplan_xl.workbook.example import example_data

    data = example_data()
    data["sections"]["tools"][0]["start"] = "35/13/2027"       # there, but not a date
    res = run("check", make_workbook(data))
    assert res.returncode == 1
    assert "غير صالحة" in res.stdout and "غير مكتملة" not in res.stdout
