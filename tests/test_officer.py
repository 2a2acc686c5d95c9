"""Workbooks filled the way officers fill them: the expected findings and exit code, and nothing lost."""

from __future__ import annotations

import officer
import pytest

CASES = list(officer.CASES)


@pytest.fixture(scope="session")
def outcome(tmp_path_factory):
    """outcome(name) -> officer.Outcome: each case built, checked and converted once per test run."""
    folder = tmp_path_factory.mktemp("officer")
    done: dict[str, officer.Outcome] = {}

    def get(name: str) -> officer.Outcome:
        if name not in done:
            try:
                done[name] = officer.run_case(name, folder)
            except FileNotFoundError as exc:     # LibreOffice makes the .ods and the re-saved files
                pytest.skip(f"cannot build {name}: {exc}")
        return done[name]

    return get


@pytest.mark.parametrize("name", CASES)
def test_exit_code(outcome, name):
    assert officer.problems(outcome(name))["exit"] == []


@pytest.mark.parametrize("name", CASES)
def test_expected_findings(outcome, name):
    out = outcome(name)
    assert not out.error, out.error
    assert officer.problems(out)["findings"] == []


@pytest.mark.parametrize("name", CASES)
def test_expected_word_text(outcome, name):
    out = outcome(name)
    if out.expect is not None and out.expect.refused:
        assert out.exit == 2 and not out.word          # refused: no document at all
        return
    assert not out.error and out.word, out.error or "no Word document"
    assert officer.problems(out)["word"] + officer.problems(out)["headline"] == []


@pytest.mark.parametrize("name", CASES)
def test_nothing_lost(outcome, name):
    """Every value typed in the cover or a section sheet is in its section's Word text or named at its cell."""
    out = outcome(name)
    if out.expect is not None and out.expect.refused:
        assert out.exit == 2 and (out.stderr.strip() or out.stdout.strip())   # refused whole, with a message
        return
    assert not out.error, out.error
    assert out.typed, "the case typed nothing"
    assert [f"{t.sheet}!{t.cell}: {t.value!r}" for t in out.lost] == []


def test_the_count_finds_a_lost_value(outcome):
    """The count can fail: a remark with its finding taken away, a row with its Word text taken away."""
    out = outcome("example_as_is")
    assert len(out.shown) == len(out.typed) > 500 and not out.lost
    remark = outcome("remark_right_of_row")
    typed = [t for t in remark.typed if t.value == "يُراجع هذا الهدف بعد السداسي الأول"]
    assert len(typed) == 1
    _, _, lost = officer.tally(remark.typed, [], remark.word)
    assert typed[0] in lost
    row = officer.OUTSIDE_INVENTORY[0]["activity"]
    rows = outcome("rows_under_table")
    word = {k: v.replace(row, "") for k, v in rows.word.items()}
    _, _, lost = officer.tally(rows.typed, [f for f in rows.findings if f["code"] != "row-outside-table"], word)
    assert row in [t.value for t in lost]


def test_every_case_says_what_the_officer_did():
    assert all(fn.__doc__ and fn.__doc__.strip() for fn in officer.CASES.values())
