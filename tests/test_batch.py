"""Batch conversion on a real folder: good plans converted, bad files reported, summary right, inputs intact."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path, PurePath

import openpyxl
import pytest

from odplan_xl import schema
from odplan_xl.app.batch import (
    BatchEvent,
    Input,
    batch,
    collect,
    exit_code,
    output_stems,
)
from odplan_xl.app.check import check
from odplan_xl.errors import OdplanError
from odplan_xl.sheets import summary
from odplan_xl.word import document_text, open_document
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import VBA_BIN, build_workbook

GOOD = ("north/plan.xlsx", "south/plan.xlsx", "ministry.xlsm")


def _plan(structure: str) -> dict:
    data = example_data()
    data["cover"]["structure"] = structure
    return data


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    """The workbooks of a coordinator's inbox, built once (tests copy them)."""
    root = tmp_path_factory.mktemp("inbox")
    build_workbook(root / "north/plan.xlsx", _plan("الإدارة الجهوية بالشمال"))
    build_workbook(root / "south/plan.xlsx", _plan("الإدارة الجهوية بالجنوب"))
    if VBA_BIN.exists():
        build_workbook(root / "ministry.xlsm", _plan("وزارة التجهيز"))
    else:   # the macro-free twin keeps the test meaningful where the VBA project is not built
        build_workbook(root / "ministry.xlsm", _plan("وزارة التجهيز"), vba=False)
    incomplete = _plan("بلدية المثال")
    incomplete["sections"]["datasets"][0]["title"] = None      # a required cell left empty
    build_workbook(root / "incomplete.xlsx", incomplete)
    whole = (root / "north/plan.xlsx").read_bytes()
    (root / "corrupt.xlsx").write_bytes(whole[: len(whole) // 3])       # a truncated e-mail attachment
    (root / "notes.xlsx").write_text("not a workbook at all", encoding="utf-8")
    (root / "~$plan.xlsx").write_bytes(b"\0" * 165)                  # Excel's lock file: ignored
    (root / ".hidden.xlsx").write_bytes(whole)                       # hidden: ignored
    (root / "readme.txt").write_text("ignored", encoding="utf-8")
    return root


@pytest.fixture
def inbox(sources, tmp_path) -> Path:
    target = tmp_path / "inbox"
    shutil.copytree(sources, target)
    return target


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _by_file(result) -> dict[str, dict]:
    return {Path(r["path"]).relative_to(result_root(result)).as_posix(): r for r in result.records}


def result_root(result) -> Path:
    return Path(os.path.commonpath([r["path"] for r in result.records]))


def _parts(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if ".part" in p.name]


def test_good_plans_converted_bad_ones_reported(inbox, tmp_path):
    before = _hashes(inbox)
    out = tmp_path / "out"
    events: list[BatchEvent] = []
    result = batch([inbox], out, jobs=2, progress=events.append)

    recs = _by_file(result)
    assert sorted(recs) == sorted([*GOOD, "incomplete.xlsx", "corrupt.xlsx", "notes.xlsx"])
    for name in GOOD:
        assert recs[name]["result"] == "complete", recs[name]
        assert Path(recs[name]["output"]).is_file()
    assert recs["incomplete.xlsx"]["result"] == "incomplete"
    assert recs["incomplete.xlsx"]["errors"] == 1
    assert Path(recs["incomplete.xlsx"]["output"]).is_file()      # converted, gaps shown in the document
    for name in ("corrupt.xlsx", "notes.xlsx"):
        assert recs[name]["result"] == "unreadable"
        assert recs[name]["output"] is None
        assert recs[name]["reason"]["code"] in ("not-a-workbook", "damaged-workbook")
        assert "Excel" in recs[name]["reason"]["ar"] and recs[name]["reason"]["fr"]
    assert result.exit_code == 2

    # two plan.xlsx in different folders: two documents, each with its own plan
    north, south = Path(recs["north/plan.xlsx"]["output"]), Path(recs["south/plan.xlsx"]["output"])
    assert north != south and north.parent == south.parent == out
    assert "الإدارة الجهوية بالشمال" in document_text(open_document(north))
    assert "الإدارة الجهوية بالجنوب" in document_text(open_document(south))
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["north__plan.docx", "south__plan.docx", "ministry.docx", "incomplete.docx",
         "summary.xlsx", "summary.json"])

    assert _hashes(inbox) == before                                # inputs byte-identical
    assert not _parts(out)
    assert [e.kind for e in events][0] == "begin" and events[-1].kind == "end"
    finished = [e for e in events if e.kind == "file"]
    assert [e.done for e in finished] == list(range(1, 7)) and {e.total for e in events} == {6}


def test_summary_workbook_rows(inbox, tmp_path):
    result = batch([inbox], tmp_path / "out", jobs=2)
    wb = openpyxl.load_workbook(result.summary_xlsx)
    ws = wb[summary.TITLE]
    assert ws.sheet_view.rightToLeft
    assert ws.freeze_panes == "B2"
    header = [c.value for c in ws[1]]
    fixed = [h for _, h, _ in summary.COLUMNS]
    money = [f"{source} (د.ت)" for source in schema.FUNDING_SOURCES]   # the example uses the schema's only
    at = fixed.index("الميزانية الجملية (د.ت)") + 1
    assert header == fixed[:at] + money + fixed[at:]
    assert all(c.font.b for c in ws[1])
    col = {key: header.index(h) for key, h, _ in summary.COLUMNS}
    col.update({f"budget:{source}": header.index(h) for source, h in zip(schema.FUNDING_SOURCES, money)})
    rows = {r[col["file"]].value.lstrip("\u200e"): r for r in ws.iter_rows(min_row=2, max_row=7)}
    assert len(rows) == 6 and ws.max_row == 8                      # header, six plans, totals

    # the figures, computed here from the data the workbook was built from
    data = example_data()
    per_source = {source: Decimal("0.000") for source in schema.FUNDING_SOURCES}
    for line in data["sections"]["budget"]:
        per_source[line["source"]] += Decimal(str(line["amount"]))
    total = sum(per_source.values())
    assert total == Decimal("155301.500")
    south = rows[str(inbox / "south/plan.xlsx")]
    assert south[col["structure"]].value == "الإدارة الجهوية بالجنوب"
    assert south[col["year"]].value == 2027
    assert south[col["status"]].value == data["cover"]["status"]
    assert south[col["result"]].value == "مكتملة"
    assert south[col["completeness"]].value == pytest.approx(1.0)
    assert south[col["datasets"]].value == len(data["sections"]["datasets"])
    assert south[col["trainings"]].value == len(data["sections"]["trainings"])
    assert Decimal(str(south[col["budget_total"]].value)) == total
    assert south[col["budget_total"]].number_format == "#,##0.000"
    for source in schema.FUNDING_SOURCES:
        assert Decimal(str(south[col[f"budget:{source}"]].value)).quantize(Decimal("0.001")) == per_source[source]
    link = south[col["output"]]
    assert link.value == "south__plan.docx" and link.hyperlink.target == "south__plan.docx"

    incomplete = rows[str(inbox / "incomplete.xlsx")]
    assert incomplete[col["result"]].value == "غير مكتملة"
    assert incomplete[col["errors"]].value == 1
    assert "مجموعة البيانات" in incomplete[col["note"]].value
    corrupt = rows[str(inbox / "corrupt.xlsx")]
    assert corrupt[col["result"]].value == "تعذرت القراءة"
    assert corrupt[col["structure"]].value is None and corrupt[col["budget_total"]].value is None
    assert "تالف" in corrupt[col["note"]].value or "ليس مصنف" in corrupt[col["note"]].value

    totals = [c.value for c in ws[8]]
    assert totals[col["datasets"]] == sum(r[col["datasets"]].value or 0 for r in rows.values())
    assert Decimal(str(totals[col["budget_total"]])) == 4 * total    # the four readable plans share a budget

    doc = json.loads(result.summary_json.read_text(encoding="utf-8"))
    assert doc["exit_code"] == 2 and doc["counts"]["complete"] == 3 and doc["counts"]["unreadable"] == 2
    by_path = {p["path"]: p for p in doc["plans"]}
    _, inc_report = check(inbox / "incomplete.xlsx")
    inc = by_path[str(inbox / "incomplete.xlsx")]
    assert inc["findings"] == json.loads(json.dumps([f.to_dict() for f in inc_report.findings]))
    assert by_path[str(inbox / "south/plan.xlsx")]["budget_total"] == f"{total:.3f}"
    assert by_path[str(inbox / "south/plan.xlsx")]["budget_by_source"] == {k: f"{v:.3f}" for k, v in per_source.items()}


@pytest.mark.parametrize("results, pdf_error, code", [
    (["complete", "complete"], None, 0),
    (["complete", "incomplete"], None, 1),
    (["complete", "refused"], None, 1),
    (["incomplete", "unreadable"], None, 2),
    (["complete", "failed"], None, 2),
    (["complete"], {"code": "pdf-failed"}, 2),
    (["complete", "failed:disk-full"], None, 1),          # one document not written, the other is
    (["incomplete", "failed:output-locked"], None, 1),
    (["failed:disk-full", "failed:read-only"], None, 2),  # nothing could be written
    (["failed:disk-full", "failed:internal-error"], None, 2),
    (["complete", "failed:worker-crashed"], None, 2),
])
def test_exit_code(results, pdf_error, code):
    records = [{"result": r.partition(":")[0], "pdf_error": None,
                "reason": {"code": r.partition(":")[2]} if ":" in r else None} for r in results]
    records[0]["pdf_error"] = pdf_error
    assert exit_code(records) == code


def test_only_good_and_incomplete_exit_1_and_strict_refuses(inbox, tmp_path):
    files = [inbox / "north/plan.xlsx", inbox / "incomplete.xlsx"]
    assert batch(files, tmp_path / "lenient", jobs=1).exit_code == 1
    assert batch(files[:1], tmp_path / "good", jobs=1).exit_code == 0
    strict = batch(files, tmp_path / "strict", jobs=2, strict=True)
    recs = {Path(r["path"]).name: r for r in strict.records}
    assert recs["incomplete.xlsx"]["result"] == "refused" and recs["incomplete.xlsx"]["output"] is None
    assert not (tmp_path / "strict/incomplete.docx").exists()
    assert (tmp_path / "strict/plan.docx").exists()
    assert strict.exit_code == 1


def test_rerun_skips_up_to_date_and_force_redoes(inbox, tmp_path):
    out = tmp_path / "out"
    first = batch([inbox], out, jobs=2)
    docs = sorted(out.glob("*.docx"))
    stamps = {p: p.stat().st_mtime_ns for p in docs}

    again = batch([inbox], out, jobs=2)
    recs = _by_file(again)
    assert all(recs[n]["skipped"] for n in (*GOOD, "incomplete.xlsx"))
    assert not recs["corrupt.xlsx"]["skipped"]
    assert {p: p.stat().st_mtime_ns for p in docs} == stamps       # not written again
    # the summary still has every plan, with the same facts as the first run
    keep = ("result", "structure", "completeness", "errors", "datasets", "budget_total", "output")
    assert [{k: r[k] for k in keep} for r in again.records] == [{k: r[k] for k in keep} for r in first.records]
    assert again.exit_code == 2

    edited = inbox / "south/plan.xlsx"
    later = stamps[out / "south__plan.docx"] + 10**9
    os.utime(edited, ns=(later, later))                              # the officer sent a new version
    third = _by_file(batch([inbox], out, jobs=2))
    assert not third["south/plan.xlsx"]["skipped"] and third["north/plan.xlsx"]["skipped"]
    assert (out / "south__plan.docx").stat().st_mtime_ns > stamps[out / "south__plan.docx"]

    forced = _by_file(batch([inbox], out, jobs=2, overwrite=True))
    assert not any(r["skipped"] for r in forced.values())
    assert (out / "north__plan.docx").stat().st_mtime_ns > stamps[out / "north__plan.docx"]


def test_ctrl_c_leaves_no_partial_files(inbox, tmp_path):
    out = tmp_path / "out"
    before = _hashes(inbox)

    def interrupt(event: BatchEvent) -> None:
        if event.kind == "file":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        batch([inbox], out, jobs=2, progress=interrupt)
    assert not _parts(out)
    assert not (out / "summary.xlsx").exists()
    done = list(out.glob("*.docx"))
    assert len(done) < 4                      # stopped before the end
    for doc in done:                          # what was written is whole
        with zipfile.ZipFile(doc) as zf:
            assert zf.testzip() is None and "word/document.xml" in zf.namelist()
    assert _hashes(inbox) == before
    # the next run finishes the job
    assert batch([inbox], out, jobs=2).counts["complete"] == 3


def _workers() -> list[int]:
    """Our grandchildren: the pool's workers, forked by the fork server (a child of ours)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    return [g for c in children.get(os.getpid(), []) for g in children.get(c, [])]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_killed_worker_does_not_lose_plans(inbox, tmp_path):
    killed = []

    def kill_a_worker(event: BatchEvent) -> None:
        if event.kind == "start" and not killed:
            workers = _workers()
            assert workers
            os.kill(max(workers), signal.SIGKILL)
            killed.append(max(workers))

    result = batch([inbox], tmp_path / "out", jobs=2, progress=kill_a_worker)
    assert killed
    recs = _by_file(result)
    assert all(recs[n]["result"] == "complete" for n in GOOD)        # the lost plan was tried again
    assert recs["incomplete.xlsx"]["result"] == "incomplete"
    assert not _parts(tmp_path / "out")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_plan_that_kills_its_worker_twice_is_reported(inbox, tmp_path):
    def kill_on_ministry(event: BatchEvent) -> None:
        if event.kind == "start" and event.file.endswith("ministry.xlsm"):
            for pid in _workers():          # one worker (jobs=1): the one holding ministry.xlsm
                os.kill(pid, signal.SIGKILL)

    result = batch([inbox], tmp_path / "out", jobs=1, progress=kill_on_ministry)
    recs = _by_file(result)
    assert recs["ministry.xlsm"]["result"] == "failed"
    assert recs["ministry.xlsm"]["reason"]["code"] == "worker-crashed"
    assert recs["north/plan.xlsx"]["result"] == recs["south/plan.xlsx"]["result"] == "complete"
    assert result.exit_code == 2 and not _parts(tmp_path / "out")


def test_a_folder_in_the_way_of_one_output_is_recorded_in_its_row(inbox, tmp_path):
    out = tmp_path / "out"
    (out / "incomplete.docx").mkdir(parents=True)         # something in the way of one output
    result = batch([inbox], out, jobs=2)
    recs = _by_file(result)
    failed = recs["incomplete.xlsx"]
    assert failed["result"] == "failed"
    assert failed["reason"]["code"] == "folder-in-the-way" and "incomplete.docx" in failed["reason"]["ar"]
    assert all(recs[n]["result"] == "complete" for n in GOOD)
    assert result.exit_code == 2 and not _parts(out)           # 2: the inbox has unreadable plans too
    # the readable plans alone: one document not written while the others were is 1, not 2
    readable = [r for r in result.records if r["result"] != "unreadable"]
    assert exit_code(readable) == 1


# --- inputs and names ------------------------------------------------------------------------

def test_collect_files_folders_patterns(inbox, tmp_path):
    names = lambda items: sorted(i.rel.as_posix() for i in items)   # noqa: E731
    assert names(collect([inbox])) == sorted([*GOOD, "incomplete.xlsx", "corrupt.xlsx", "notes.xlsx"])
    assert names(collect([f"{inbox}/*/*.xlsx"])) == ["north/plan.xlsx", "south/plan.xlsx"]
    assert names(collect([f"{inbox}/**/plan.xlsx"])) == ["north/plan.xlsx", "south/plan.xlsx"]
    # the same file twice, and a missing one kept (it is reported as not found)
    items = collect([inbox / "ministry.xlsm", inbox / "ministry.xlsm", tmp_path / "absent.xlsx"])
    assert [i.rel.as_posix() for i in items] == ["ministry.xlsm", "absent.xlsx"]


def test_summary_in_the_input_folder_is_not_an_input(inbox):
    result = batch([inbox / "north"], inbox / "north", jobs=1)
    assert [Path(r["path"]).name for r in result.records] == ["plan.xlsx"]
    again = batch([inbox / "north"], inbox / "north", jobs=1)
    assert [Path(r["path"]).name for r in again.records] == ["plan.xlsx"]   # summary.xlsx not picked up


def test_missing_input_is_reported(tmp_path):
    result = batch([tmp_path / "absent.xlsx"], tmp_path / "out", jobs=1)
    assert result.records[0]["result"] == "unreadable"
    assert result.records[0]["reason"]["code"] == "not-found"
    assert result.exit_code == 2


def test_nothing_to_convert_stops(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(OdplanError) as err:
        batch([tmp_path / "empty"], tmp_path / "out")
    assert err.value.code == "no-inputs"


def _inp(path: str, rel: str) -> Input:
    return Input(path=Path(path), shown=path, rel=PurePath(rel))


@pytest.mark.parametrize("inputs, expected", [
    ([("/a/x/plan.xlsx", "x/plan.xlsx"), ("/a/y/plan.xlsx", "y/plan.xlsx")], ["x__plan", "y__plan"]),
    ([("/a/plan.xlsx", "plan.xlsx"), ("/b/plan.xlsx", "plan.xlsx")], ["plan-#", "plan-#"]),
    ([("/a/Plan.xlsx", "Plan.xlsx"), ("/b/plan.xlsm", "plan.xlsm")], ["Plan-#", "plan-#"]),
    ([("/a/../../etc/passwd.xlsx", "../../etc/passwd.xlsx")], ["etc__passwd"]),
    ([("/a/CON.xlsx", "CON.xlsx")], ["plan_CON"]),
    ([("/a/خطة وزارة الصحة.xlsx", "خطة وزارة الصحة.xlsx")], ["خطة_وزارة_الصحة"]),
    ([("/a/x\u202e.xlsx", "x\u202e.xlsx")], ["x"]),
])
def test_output_names(inputs, expected):
    stems = output_stems([_inp(p, r) for p, r in inputs])
    assert [s if "-" not in s else s.rsplit("-", 1)[0] + "-#" for s in stems] == expected
    assert len({s.casefold() for s in stems}) == len(stems)
    for stem in stems:
        assert "/" not in stem and "\\" not in stem and not stem.startswith(".")


def test_long_names_fit_the_file_system():
    rel = "/".join(["مجلد طويل جدا للإدارة الجهوية"] * 6) + "/plan.xlsx"
    (stem,) = output_stems([_inp("/x/" + rel, rel)])
    assert len((stem + ".docx").encode("utf-8")) <= 255


def test_pdf_for_the_whole_batch(inbox, tmp_path, soffice):
    from odplan_xl.app.pdf import page_count

    out = tmp_path / "out"
    result = batch([inbox / "north", inbox / "incomplete.xlsx"], out, jobs=2, pdf=True)
    for rec in result.records:
        assert rec["pdf"] and page_count(rec["pdf"]) > 3, rec
        assert rec["pdf_error"] is None
    assert result.exit_code == 1
    again = batch([inbox / "north", inbox / "incomplete.xlsx"], out, jobs=2, pdf=True)
    assert all(r["skipped"] and r["pdf"] for r in again.records)


def test_bad_base_document_stops_before_any_work(inbox, tmp_path):
    with pytest.raises(OdplanError) as err:
        batch([inbox], tmp_path / "out", base=inbox / "notes.xlsx")
    assert err.value.code == "bad-base"
    assert not (tmp_path / "out").exists()


def test_script_without_main_guard_gets_a_clear_error(inbox, tmp_path):
    script = tmp_path / "unguarded.py"
    script.write_text(f"from odplan_xl.app.batch import batch\nbatch([{str(inbox / 'north')!r}], "
                      f"{str(tmp_path / 'out')!r}, jobs=2)\n", encoding="utf-8")
    res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert res.returncode != 0
    assert "workers-fail" in res.stderr and '__name__ == "__main__"' in res.stderr


def test_another_base_document_converts_again(inbox, tmp_path):
    from odplan_xl.word import document as word

    base = word.save(word.load_base(None), tmp_path / "letterhead.docx")
    out = tmp_path / "out"
    batch([inbox / "north"], out, jobs=1)
    assert batch([inbox / "north"], out, jobs=1).records[0]["skipped"]
    assert not batch([inbox / "north"], out, jobs=1, base=base).records[0]["skipped"]
    assert batch([inbox / "north"], out, jobs=1, base=base).records[0]["skipped"]
