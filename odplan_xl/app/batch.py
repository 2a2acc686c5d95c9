"""Batch conversion: many plans to Word in parallel processes, one bad file never stopping the run."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import importlib
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from odplan_xl.app import pool, summary
from odplan_xl.errors import OdplanError, internal_error, reason
from odplan_xl.files import refuse_overwrite_input, safe_name, writable_folder
from odplan_xl.sheets.summary import facts

INPUT_SUFFIXES = (".xlsx", ".xlsm")
# What the workers use and this process does not (it only hands out plans and writes the summary): imported
# once by the fork server the workers are forked from (pool.default_context), never here.
WORKER_MODULES = (*pool.WORKER_PRELOAD, "odplan_xl.app.convert")
SUMMARY_XLSX = "summary.xlsx"
SUMMARY_JSON = "summary.json"

# Results of one plan, from best to worst.
COMPLETE = "complete"        # converted, no errors
INCOMPLETE = "incomplete"    # converted, the document shows the gaps
REFUSED = "refused"          # --strict: has errors, nothing written
UNREADABLE = "unreadable"    # not a usable plan workbook (OdplanError while reading)
FAILED = "failed"            # could not be converted (unexpected error, crashed worker, no PDF)
RESULTS = (COMPLETE, INCOMPLETE, REFUSED, UNREADABLE, FAILED)


@dataclass(frozen=True)
class Input:
    """One plan to convert: where it is, how the user named it, and the relative name its output takes."""

    path: Path          # absolute
    shown: str          # as typed or found (relative to the current folder when the user gave it so)
    rel: PurePath       # inside the folder or pattern base it was found in; only its name for a file


@dataclass(frozen=True)
class BatchEvent:
    """One step of a run, for a progress display.

    kind: "begin" (total known), "start" (a plan handed to a worker), "file" (a plan finished; `result`
    set), "pdf" (LibreOffice starts on `total` documents), "end" (summary written).
    """

    kind: str
    done: int
    total: int
    file: str = ""
    result: str = ""


Progress = Callable[[BatchEvent], None]


@dataclass
class BatchResult:
    """What a run did: one record per plan (input order) and the summary files."""

    outdir: Path
    records: list[dict[str, Any]]
    summary_xlsx: Path
    summary_json: Path
    seconds: float = 0.0
    counts: Counter = field(default_factory=Counter)

    @property
    def exit_code(self) -> int:
        return exit_code(self.records)


# The file-system faults of a plan's own output (its row says which): the run goes on without it.
WRITE_FAULTS = frozenset({"write-denied", "read-only", "disk-full", "folder-in-the-way", "file-in-the-way",
                          "folder-missing", "name-too-long", "output-locked", "write-failed"})


def unwritten(record: dict[str, Any]) -> bool:
    """A plan read and checked whose document the file system refused (full disk, locked file...)."""
    return record["result"] == FAILED and (record.get("reason") or {}).get("code") in WRITE_FAULTS


def exit_code(records: Iterable[dict[str, Any]]) -> int:
    """The run's exit code: 0 all converted and complete; 1 some plans have errors (converted with gaps
    shown, or refused by --strict) or some documents could not be written while others were; 2 some
    plans could not be read or converted (PDF included, our bug, a crashed worker), or no document
    could be written at all."""
    records = list(records)
    lost = [r for r in records if unwritten(r)]
    if any(r["result"] in (UNREADABLE, FAILED) and not unwritten(r) for r in records) \
            or any(r.get("pdf_error") for r in records):
        return 2
    if lost:
        return 2 if all(unwritten(r) or r["result"] == REFUSED for r in records) else 1
    if any(r["result"] in (INCOMPLETE, REFUSED) for r in records):
        return 1
    return 0


# --- inputs -------------------------------------------------------------------------------

def _wanted(name: str) -> bool:
    """A plan file met while scanning: a workbook, not an Office lock file (~$x.xlsx), not hidden."""
    return (name.lower().endswith(INPUT_SUFFIXES) and not name.startswith(("~$", ".")))


def _scan(folder: Path, skip: set[Path]) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if _wanted(name) and path.resolve() not in skip:
                found.append(path)
    return found


def _pattern_base(pattern: str) -> Path:
    """The leading part of a glob pattern without wildcards: "plans/*/x.xlsx" -> "plans"."""
    parts = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def _relative(path: Path, base: Path) -> PurePath:
    try:
        return PurePath(path.relative_to(base))
    except ValueError:
        return PurePath(path.name)


def collect(inputs: Iterable[str | os.PathLike[str]], *, skip: Iterable[Path] = ()) -> list[Input]:
    """The plans named by files, folders (searched recursively) and glob patterns, each once.

    A path that does not exist and has no wildcard is kept: it is reported as not found. Folders and
    patterns only yield .xlsx/.xlsm files, without Office lock files and hidden files.
    """
    skipped = {Path(p).resolve() for p in skip}
    found: list[Input] = []
    seen: set[str] = set()

    def add(path: Path, rel: PurePath) -> None:
        key = os.path.normcase(str(path.resolve()))
        if key not in seen:
            seen.add(key)
            found.append(Input(path=path.absolute(), shown=str(path), rel=rel))

    for arg in inputs:
        text = os.fspath(arg)
        path = Path(text)
        if path.is_dir():
            for item in _scan(path, skipped):
                add(item, _relative(item, path))
        elif path.exists() or not glob.has_magic(text):
            add(path, PurePath(path.name))
        else:
            base = _pattern_base(text)
            for match in sorted(glob.glob(text, recursive=True)):
                item = Path(match)
                if item.is_dir():
                    for sub in _scan(item, skipped):
                        add(sub, _relative(sub, base))
                elif _wanted(item.name) and item.resolve() not in skipped:
                    add(item, _relative(item, base))
    return found


def _short_hash(path: Path) -> str:
    return hashlib.sha1(os.path.normcase(str(path)).encode("utf-8")).hexdigest()[:8]


def _stem(rel: PurePath) -> str:
    """The output name of a plan from its relative path: folders kept, joined by "__", made safe."""
    parts = [safe_name(p, max_len=60) for p in (*rel.parent.parts, rel.stem) if p not in ("", ".", "..")]
    stem = "__".join(parts) or "plan"
    # most file systems allow 255 bytes per name; Arabic takes 2 bytes a letter
    while len(stem.encode("utf-8")) > 150:
        stem = stem[1:]
    return stem.strip("._ ") or "plan"


def output_stems(items: list[Input]) -> list[str]:
    """One distinct, safe output name per input (no suffix); inputs sharing a name get a short hash.

    Names depend only on each input, not on the others, except that every member of a clash gets its
    hash: a re-run on the same inputs gives the same names, so it can skip what is up to date.
    """
    stems = [_stem(i.rel) for i in items]
    clashes = Counter(s.casefold() for s in stems)
    out = [f"{s}-{_short_hash(i.path)}" if clashes[s.casefold()] > 1 else s for s, i in zip(stems, items)]
    taken: set[str] = set()
    for k, name in enumerate(out):
        while name.casefold() in taken:      # a hashed name meeting a plain one: practically never
            name = f"{name}-{k}"
        taken.add(name.casefold())
        out[k] = name
    return out


# --- one plan (runs in a worker process) ---------------------------------------------------

@dataclass(frozen=True)
class _Task:
    index: int
    path: str
    shown: str
    output: str
    base: str | None
    strict: bool
    write: bool          # False: the output is up to date; read and check only, for the summary


def record(task: Any) -> dict[str, Any]:
    """A fresh record of one plan (`task.path`, `task.shown`): nothing read yet, result «failed» until the
    work says otherwise; the file's size and time, to know later whether it changed."""
    path = Path(task.path)
    try:
        stat = path.stat()
        size, mtime = stat.st_size, stat.st_mtime_ns
    except OSError:
        size = mtime = None
    return {"file": task.shown, "path": task.path, "result": FAILED, "skipped": False, "read": False,
            "structure": "", "year": None, "status": "", "completeness": 0.0, "errors": 0, "warnings": 0,
            "datasets": 0, "trainings": 0, "budget_total": None, "budget_by_source": {},
            "output": None, "pdf": None, "reason": None, "pdf_error": None, "findings": [],
            "size": size, "mtime_ns": mtime, "seconds": 0.0}


def internal_reason(exc: BaseException | str) -> dict[str, str]:
    """The reason recorded for an unexpected error (or its "Type: message"): the catalogue's
    «internal-error» in both languages, with the exception's type and text for the report."""
    error = internal_error(exc)
    return {**error.reason(), "type": str(error.params["name"]), "message": str(error.params["detail"])}


def odplan_reason(exc: OdplanError) -> dict[str, str]:
    return exc.reason()


def run_guarded(task: Any, work: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Run `work` on a fresh record of `task`, in a worker; never raises. `work` fills the record and sets
    `read` once the plan is read: a "cannot continue" before that makes the plan unreadable, after it the
    plan failed; any other exception (our bug in one plan) fails the plan and the run goes on."""
    started = time.perf_counter()
    rec = record(task)
    try:
        work(rec)
    except OdplanError as exc:
        rec["result"] = FAILED if rec["read"] else UNREADABLE
        rec["reason"] = odplan_reason(exc)
    except Exception as exc:      # one plan's bug must not stop the others: recorded, run continues
        rec["result"] = FAILED
        rec["reason"] = internal_reason(exc)
    rec["seconds"] = round(time.perf_counter() - started, 3)
    return rec


def lost_record(task: Any, why: str) -> dict[str, Any]:
    """The record of a plan whose worker died (`pool.CRASHED`) or failed outside `run_guarded`."""
    rec = record(task)
    rec["reason"] = dict(CRASH_REASON) if why == pool.CRASHED else internal_reason(why)
    return rec


def convert_one(task: _Task) -> dict[str, Any]:
    """Read, check and (unless up to date or refused) write one plan; never raises."""
    return run_guarded(task, lambda rec: _convert(task, rec))


def _convert(task: _Task, rec: dict[str, Any]) -> None:
    from odplan_xl.app.check import check
    from odplan_xl.app.convert import convert_plan

    plan, report = check(task.path)
    rec.update(read=True, **facts(plan, report))
    if task.strict and report.errors:
        rec["result"] = REFUSED
        return
    if task.write:
        convert_plan(plan, report, task.output, base=task.base, source=task.path, toc_pages=False)
    else:
        rec["skipped"] = True
    rec["output"] = task.output
    rec["result"] = COMPLETE if report.ok else INCOMPLETE


# --- the workers ---------------------------------------------------------------------------

CRASH_REASON = reason("worker-crashed")


class _Runner:
    """Counts finished plans and reports them; the work itself is done by `pool.run`."""

    def __init__(self, total: int, emit: Callable[..., None]):
        self.total, self.emit = total, emit
        self.done = 0
        self.records: dict[int, dict[str, Any]] = {}

    def finish(self, rec: dict[str, Any], index: int) -> None:
        self.records[index] = rec
        self.done += 1
        self.emit("file", file=rec["file"], result=rec["result"])

    def failed(self, task: _Task, why: str) -> None:
        self.finish(lost_record(task, why), task.index)

    def run(self, tasks: list[_Task], jobs: int) -> None:
        _import_in_background(summary.WRITER)
        try:
            pool.run(convert_one, tasks, jobs,
                     started=lambda task: self.emit("start", file=task.shown),
                     finished=lambda task, rec: self.finish(rec, task.index),
                     failed=self.failed, context=pool.default_context(WORKER_MODULES))
        except pool.PoolError as exc:
            raise OdplanError("workers-fail") from exc


def _import_in_background(module: str) -> None:
    """Import `module` on a thread of its own: while the fork server starts, this process only waits,
    and the summary's writer (openpyxl) is then ready when the last plan is done. A failure is left
    to the import that needs the module."""
    def load() -> None:
        with contextlib.suppress(Exception):
            importlib.import_module(module)

    threading.Thread(target=load, name="odplan-import", daemon=True).start()


# --- the run ------------------------------------------------------------------------------

def _newer(output: Path, than: Path) -> bool:
    try:
        return output.is_file() and output.stat().st_mtime_ns > than.stat().st_mtime_ns
    except OSError:
        return False


def _check_base(base: str | Path | None) -> str | None:
    """A bad base document stops the run before any work (it would fail every plan the same way)."""
    if base is None:
        return None
    from odplan_xl import word

    word.load_base(base)          # OdplanError "bad-base" with the reason
    return str(Path(base).absolute())


# One run from start to end (inputs, skips, workers, PDFs, summary): kept whole so its order reads top down.
def batch(inputs: Iterable[str | os.PathLike[str]], outdir: str | os.PathLike[str], *,
          jobs: int | None = None, pdf: bool = False, strict: bool = False, base: str | Path | None = None,
          overwrite: bool = False, progress: Progress | None = None) -> BatchResult:
    """Convert many plans into `outdir` (documents, summary.xlsx, summary.json); never stops at a bad file.

    `jobs`: worker processes (default: every core). A plan whose document is newer than the plan is
    not converted again unless `overwrite`; its summary row is kept from the previous run. With `pdf`,
    LibreOffice is started once for all documents. Raises OdplanError only when the run cannot
    start (no input, no LibreOffice, bad base document, a summary file would replace an input);
    Ctrl-C (KeyboardInterrupt) stops after the plans in progress, leaving no partial file.

    Workers are separate processes that import the main script again (as on Windows): a script
    calling this must do so under `if __name__ == "__main__":`.
    """
    started = time.perf_counter()
    outdir = Path(outdir).absolute()
    summary_xlsx, summary_json = outdir / SUMMARY_XLSX, outdir / SUMMARY_JSON
    items = collect(inputs, skip=[summary_xlsx])
    if not items:
        raise OdplanError("no-inputs")
    sources = [i.path for i in items]
    refuse_overwrite_input(summary_xlsx, *sources)
    refuse_overwrite_input(summary_json, *sources)
    if pdf:
        from odplan_xl.app.pdf import require_soffice

        require_soffice()                 # before any work: a clear message, nothing half done
    base_path = _check_base(base)
    jobs = max(1, jobs or os.cpu_count() or 1)
    total = len(items)

    def emit(kind: str, **kw: Any) -> None:
        if progress is not None:
            progress(BatchEvent(kind, runner.done, total, **kw))

    options, previous = summary.previous_run(summary_json)
    if options.get("base") != base_path:
        overwrite = True            # another letterhead: every document must be made again
    tasks: list[_Task] = []
    reused: list[tuple[int, dict[str, Any]]] = []
    input_set = {os.path.normcase(str(p.resolve())) for p in sources}
    for k, (item, stem) in enumerate(zip(items, output_stems(items))):
        docx = outdir / f"{stem}.docx"
        if os.path.normcase(str(docx.resolve())) in input_set:      # an input named like an output
            docx = outdir / f"{stem}-{_short_hash(item.path)}.docx"
        outputs = [docx, docx.with_suffix(".pdf")] if pdf else [docx]
        depends = [item.path, Path(base_path)] if base_path else [item.path]
        fresh = not overwrite and all(_newer(o, d) for o in outputs for d in depends)
        old = previous.get(str(item.path)) if fresh else None
        if old is not None and summary.still_valid(old, item.path, docx):
            reused.append((k, {**old, "file": item.shown, "skipped": True}))
        else:
            tasks.append(_Task(k, str(item.path), item.shown, str(docx), base_path, strict, write=not fresh))

    writable_folder(outdir)               # before any work: a folder that cannot be written stops the run
    runner = _Runner(total, emit)
    emit("begin")
    for k, rec in reused:
        runner.finish(rec, k)
    if tasks:
        runner.run(tasks, jobs)
    records = [runner.records[k] for k in range(total)]
    if pdf:
        _pdfs(records, emit)
    summary.write(records, summary_xlsx, summary_json,
                  options={"pdf": pdf, "strict": strict, "base": base_path, "jobs": jobs},
                  exit_code=exit_code(records))
    emit("end")
    return BatchResult(outdir, records, summary_xlsx, summary_json,
                       seconds=round(time.perf_counter() - started, 3),
                       counts=Counter(r["result"] for r in records))


def _pdfs(records: list[dict[str, Any]], emit: Callable[..., None]) -> None:
    """PDFs of the documents written or still missing: page numbers in the contents, then the PDFs.

    Two LibreOffice starts for the whole batch, whatever its size.
    """
    from odplan_xl.app.convert import finish_toc
    from odplan_xl.app.pdf import to_pdf

    todo = []
    for rec in records:
        if not rec["output"]:
            continue
        target = Path(rec["output"]).with_suffix(".pdf")
        if rec["skipped"] and _newer(target, Path(rec["path"])):
            rec["pdf"] = str(target)
        else:
            todo.append(rec)
    if not todo:
        return
    docs = [Path(r["output"]) for r in todo]
    emit("pdf", file=f"{len(docs)} PDF")
    try:
        finish_toc(docs)
        made = to_pdf(docs, [d.with_suffix(".pdf") for d in docs])
    except OdplanError as exc:
        for rec in todo:
            rec["pdf_error"] = odplan_reason(exc)
        return
    for rec, pdf_path in zip(todo, made, strict=True):
        if pdf_path is None:
            rec["pdf_error"] = reason("pdf-failed", name=Path(rec["output"]).name)
        else:
            rec["pdf"] = str(pdf_path)
