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


def test_our_bug_is_the_catalogues_internal_error_exit_3(example_path):
    """An unexpected exception: the catalogue's «internal-error» message, exit 3, no traceback."""
    code = ("import sys, odplan_xl.app.check as c\n"
            "def broken(path, **options):\n    raise ZeroDivisionError('boom')\n"
            "c.check = broken\n"
            "from odplan_xl.cli import main\n"
            f"sys.argv = ['odplan-xl', 'check', {str(example_path)!r}] + sys.argv[1:]\nmain()\n")
    for lang, words in (("ar", "خطأ داخلي غير متوقع (ZeroDivisionError): boom"),
                        ("fr", "Erreur interne inattendue (ZeroDivisionError) : boom")):
        res = subprocess.run([sys.executable, "-c", code, "--lang", lang], capture_output=True, text=True)
        assert res.returncode == 3, res.stderr
        assert words in res.stderr and "Traceback" not in res.stderr


# --- closed pipes --------------------------------------------------------------------------------

def _closed_pipe(*args, env=None):
    """Run a command whose reader has gone before it writes (as `| head` after its first line)."""
    proc = subprocess.Popen([sys.executable, "-m", "odplan_xl.cli", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    proc.stdout.close()
    with proc.stderr:
        stderr = proc.stderr.read().decode("utf-8")
    return proc.wait(timeout=300), stderr


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_closed_pipe_ends_quietly_with_the_checks_own_code(example_path, make_workbook, fmt):
    from odplan_xl.workbook.example import example_data

    data = example_data()
    data["sections"]["datasets"][0]["title"] = None
    for plan, code in ((example_path, 0), (make_workbook(data), 1)):
        assert _closed_pipe("check", plan, "--format", fmt) == (code, "")


def test_check_piped_into_head_in_a_shell(example_path):
    """The very line a user types: `odplan-xl check PLAN | head -1`."""
    script = f'"{sys.executable}" -m odplan_xl.cli check "{example_path}" | head -1; exit ${{PIPESTATUS[0]}}'
    res = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0 and res.stderr == "" and len(res.stdout.splitlines()) == 1


def test_a_closed_pipe_after_a_batch_keeps_its_exit_code(example_path, tmp_path):
    code, stderr = _closed_pipe("batch", example_path, "-o", tmp_path / "out", "-j", "1")
    assert code == 0 and "Error" not in stderr and "Traceback" not in stderr
    assert (tmp_path / "out" / "summary.json").is_file()


# --- the language, chosen once -------------------------------------------------------------------

def _env(**values):
    import os

    env = {k: v for k, v in os.environ.items() if k != "ODPLAN_LANG"}
    return {**env, **values}


def run_env(*args, **env):
    return subprocess.run([sys.executable, "-m", "odplan_xl.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300, env=_env(**env))


def test_a_missing_argument_in_arabic_by_default_and_french_from_the_environment():
    ar = run_env("convert")
    fr = run_env("convert", ODPLAN_LANG="fr")
    assert ar.returncode == fr.returncode == 2
    assert ar.stderr.startswith("✗ ينقص المعامل PLAN") and "odplan-xl convert --help" in ar.stderr
    assert fr.stderr.startswith("✗ Il manque l'argument PLAN") and "Missing" not in fr.stderr + ar.stderr


@pytest.mark.parametrize("args, ar, fr", [
    (["check", "x.xlsx", "--bogus"], "خيار غير معروف: --bogus", "Option inconnue : --bogus"),
    (["chek"], "أمر غير معروف: chek — هل تقصد check؟", "Commande inconnue : chek — Vouliez-vous dire check ?"),
    (["check", "x.xlsx", "--format", "xml"], "قيمة غير صالحة لـ --format: xml — القيم الممكنة: text | json.",
     "Valeur invalide pour --format : xml — Valeurs possibles : text | json."),
    (["batch", "x", "-o", "out", "-j", "0"], "لا يقل عن 1", "d'au moins 1"),
    (["batch", "x"], "ينقص الخيار -o/--outdir", "Il manque l'option -o/--outdir"),
    (["convert", "x.xlsx", "-o"], "الخيار -o يحتاج إلى قيمة", "L'option -o attend une valeur"),
    (["check", "a.xlsx", "b.xlsx"], "معامل زائد لا يقبله الأمر: b.xlsx", "Argument en trop : b.xlsx"),
])
def test_usage_errors_in_our_own_words(args, ar, fr):
    for where in ("before", "after") if not args[-1].startswith("-") else ("before",):
        lang = ["--lang", "fr"]
        res_fr = run_env(*(lang + args if where == "before" else args + lang))
        assert res_fr.returncode == 2 and fr in res_fr.stderr, res_fr.stderr
    res_ar = run_env(*args)
    assert res_ar.returncode == 2 and ar in res_ar.stderr, res_ar.stderr
    english = ("Usage:", "Error", "Missing", "No such", "Try ", "is not one of", "requires an argument")
    assert not any(word in res_ar.stderr + res_fr.stderr for word in english)


def test_the_language_before_or_after_the_command_and_from_the_environment(example_path):
    french = "Complétude par section"
    assert french in run_env("--lang", "fr", "check", example_path).stdout
    assert french in run_env("check", example_path, "--lang", "fr").stdout
    assert french in run_env("check", example_path, ODPLAN_LANG="fr").stdout
    assert "الاكتمال حسب القسم" in run_env("check", example_path, "--lang", "ar", ODPLAN_LANG="fr").stdout
    assert "الاكتمال حسب القسم" in run_env("check", example_path).stdout
    bad = run_env("check", example_path, ODPLAN_LANG="de")
    assert bad.returncode == 2 and "ODPLAN_LANG: de" in bad.stderr


def _params():
    from odplan_xl.cli import app_command

    group = app_command()
    return [(name, p.name) for name, command in group.commands.items() for p in command.params]


def test_every_command_and_option_has_its_help_in_arabic_and_french():
    from odplan_xl.cli import texts

    t = texts()
    names = [c.name for c in app.registered_commands]
    assert sorted(t["commands"]) == sorted(names)
    for command, param in _params():
        entry = t["commands"][command].get("params", {}).get(param) or t["params"].get(param)
        assert entry and entry["ar"] and entry["fr"], (command, param)
    assert all(t["commands"][n]["ar"] and t["commands"][n]["fr"] for n in names)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_help_of_every_command_speaks_the_language(lang):
    from odplan_xl.cli import texts

    t = texts()
    for name in [None, *(c.name for c in app.registered_commands)]:
        res = run_env(*([name] if name else []), "--help", ODPLAN_LANG=lang)
        assert res.returncode == 0 and res.stderr == "", (name, res.stderr)
        assert res.stdout.startswith(t["words"]["usage"][lang]), (name, res.stdout)
        assert "Show this message" not in res.stdout and "Usage:" not in res.stdout
        if name:
            assert t["commands"][name][lang] in res.stdout
            for command, param in _params():
                if command == name and param != "help":
                    entry = t["commands"][name].get("params", {}).get(param) or t["params"][param]
                    assert entry[lang] in res.stdout, (name, param)


def test_codes_and_errors_in_french_with_french_meanings():
    import tomllib

    from odplan_xl.errors import ERRORS, EXIT_CODES
    from odplan_xl.codes import CODES

    french = tomllib.loads((ROOT / "odplan_xl" / "texts" / "reference_fr.toml").read_text(encoding="utf-8"))
    assert set(french["codes"]) == set(CODES) and set(french["errors"]) == set(ERRORS)
    assert set(french["exit"]) == {str(c) for c in EXIT_CODES}
    codes = run_env("codes", "--lang", "fr").stdout
    errors = run_env("--lang", "fr", "errors").stdout
    assert all(french["codes"][c] in codes and CODES[c].doc not in codes for c in CODES)
    assert all(french["errors"][e] in errors and ERRORS[e].doc not in errors for e in ERRORS)
    assert run_env("codes").stdout == reference_markdown(live.where)


# --- output names checked before any work ----------------------------------------------------------

@pytest.mark.parametrize("args, code, suggestion", [
    (["new", "plan.docx"], "output-extension", "plan.xlsx / plan.xlsm"),
    (["example", "plan.csv"], "output-extension", "plan.xlsx / plan.xlsm"),
    (["gantt", "{plan}", "-o", "g.docx"], "output-extension", "g.xlsx / g.xlsm"),
    (["convert", "{plan}", "-o", "p.pdf"], "bad-output-name", "p.docx"),
    (["datasets", "{plan}", "-o", "d.json"], "catalogue-extension", "d.jsonld / d.jsonl / d.csv"),
    (["import", "{doc}", "-o", "i.docx"], "output-extension", "i.xlsx / i.xlsm"),
])
def test_a_wrong_output_name_is_refused_with_the_right_one(tmp_path, args, code, suggestion):
    """Refused before any work: the input is not even read (it does not exist here)."""
    absent = tmp_path / "absent.xlsx"
    res = run_env(*[a.format(plan=absent, doc=absent.with_suffix(".docx")) for a in args], "--lang", "fr")
    assert res.returncode == 2 and suggestion in res.stderr, res.stderr
    assert list(tmp_path.iterdir()) == []


# --- batch and national, as a user sees them ------------------------------------------------------

def test_a_batch_rerun_says_how_many_plans_were_up_to_date(example_path, tmp_path):
    first = run_env("batch", example_path, "-o", tmp_path / "out", "-j", "1")
    again = run_env("batch", example_path, "-o", tmp_path / "out", "-j", "1")
    again_fr = run_env("batch", example_path, "-o", tmp_path / "out", "-j", "1", ODPLAN_LANG="fr")
    assert first.returncode == again.returncode == 0 and "لم تتغير" not in first.stdout
    assert "1 خطة لم تتغير منذ التحويل السابق" in again.stdout
    assert "1 plan(s) inchangé(s)" in again_fr.stdout


def test_national_refuses_an_existing_output_before_any_progress_bar(example_path, tmp_path):
    out = tmp_path / "national"
    out.mkdir()
    (out / "national.docx").write_bytes(b"last year's")
    res = run_env("national", example_path, "-o", out)
    assert res.returncode == 2
    assert res.stderr.startswith("✗ الملف موجود مسبقا") and "━" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
