"""Speed and memory of the odplan-xl commands as whole processes, against floors measured in the same run.

Run: .venv/bin/python benchmarks/bench.py            (or: make bench)
     .venv/bin/python benchmarks/bench.py --quick    (typical plan only, 1 run each, batch of 20)

Every figure is a whole process, started as a user starts it: `odplan-xl check FILE`, `odplan-xl gantt
FILE -o OUT --force`, `odplan-xl convert FILE -o OUT --force` (the odplan-xl script next to the Python
running this file). Its time is the median of --repeat processes, its memory the peak resident size
(max RSS, from os.wait4) of the largest of them. A small launcher process starts each one (see LAUNCHER).

The floors are whole processes too, on the same file:
  interpreter start   python -c pass
  floor A             openpyxl load_workbook(read_only=True, data_only=True), then every cell of every sheet
  floor B             python-calamine CalamineWorkbook.from_path(load_tables=True), then every sheet .to_python()
  floor C             import typer, pydantic, then floor B
  floor W             python-docx reading the Word plan, every paragraph's text (for `odplan-xl import`)
The package's bytecode is written first, as installing it does. The machine may be busy: runs are interleaved (one of each process per round, the order rotating from
round to round), so the ratios of a command to the floors of the same run mean more than the seconds.

Plans are generated from the example plan scaled up: "typical" has about 200 rows over the ten
sections; "2000" and "8000" put that many rows in the datasets section. Batch converts copies of the
typical plan with 1 and with 2 workers. The imports table runs each command once more with
PYTHONPROFILEIMPORTTIME=1 and reads which modules it loaded. The button figure runs the check button
(odplan_xl.macros.check) on xlwings' own JSON engine, as the tests do (needs the dev extra).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# --- what is measured ---------------------------------------------------------------------------------

FLOOR_CODE = {
    "python": "pass",
    "floor_a": (
        "import sys, openpyxl\n"
        "wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)\n"
        "for ws in wb.worksheets:\n"
        "    for row in ws.iter_rows(values_only=True):\n"
        "        for value in row:\n"
        "            pass\n"
        "wb.close()\n"),
    "floor_b": (
        "import sys\n"
        "from python_calamine import CalamineWorkbook\n"
        "wb = CalamineWorkbook.from_path(sys.argv[1], load_tables=True)\n"
        "for name in wb.sheet_names:\n"
        "    wb.get_sheet_by_name(name).to_python()\n"),
}
FLOOR_CODE["floor_c"] = "import typer, pydantic\n" + FLOOR_CODE["floor_b"]
# floor W: python-docx merely reading a Word document, every paragraph's text
FLOOR_CODE["floor_w"] = (
    "import sys, docx\n"
    "for p in docx.Document(sys.argv[1]).paragraphs:\n"
    "    p.text\n")
IMPORT_PARAGRAPHS = 8000

# the processes run on each plan file, in the order of the tables
ITEMS = ("python", "floor_a", "floor_b", "floor_c", "check", "gantt", "convert")
FLOORS = ("floor_a", "floor_b", "floor_c")
COMMANDS = ("check", "gantt", "convert")
TITLES = {
    "python": "interpreter start: `python -c pass`",
    "floor_a": "floor A: openpyxl read-only, every cell",
    "floor_b": "floor B: calamine, every sheet",
    "floor_c": "floor C: `import typer, pydantic` + floor B",
    "check": "`odplan-xl check`",
    "gantt": "`odplan-xl gantt`",
    "convert": "`odplan-xl convert`",
}
# an incomplete plan makes check exit 1: still a full run
OK_CODES = {"check": (0, 1), "batch": (0, 1)}

IMPORT_COMMANDS = ("check", "convert", "gantt", "--help", "version")
HEAVY = ("openpyxl", "python_calamine", "docx", "lxml", "jinja2", "xlsxwriter", "pydantic", "rich", "numpy",
         "PIL", "matplotlib", "odplan_xl.app.batch")

BATCH_JOBS = (1, 2)
TARGETS = {
    "check_floor_c": 1.5,                   # check, typical plan: at most 1.5x floor C
    "big_convert_floor_a": 1.0,             # convert, 8,000 rows: at most floor A
    "big_convert_mb": 400.0,                # ... and at most 400 MB
    "typical_convert_s": 0.6,               # convert, typical plan
    "batch_s_per_100": 4.95,                # 100 typical plans on 2 workers (half the 9.9 s measured before)
    "button_s": 0.3,                        # check button, Python work after the interpreter started
    "import_s": 5.0,                        # import of a Word plan of 8,000 paragraphs
}
NOT_IN_CHECK = ("docx", "jinja2", "xlsxwriter", "odplan_xl.app.batch")
NOT_IN_HELP = ("openpyxl", "python_calamine", "docx", "lxml", "jinja2", "xlsxwriter", "pydantic")
BIG = "8000"


# --- plans ----------------------------------------------------------------------------------------------

def _variant(row: dict, key: str | None, k: int) -> dict:
    """Copy k of a row: its activity text numbered, so copies are distinct rows, not duplicates."""
    row = dict(row)
    if k and key and isinstance(row.get(key), str):
        row[key] = f"{row[key]} ({k + 1})"
    return row


def plan_data(datasets: int | None = None) -> dict:
    """The example plan with every section doubled (about 200 rows); `datasets` rows in section 4 if given."""
    from odplan_xl import schema
    from odplan_xl.workbook.example import example_data

    data = example_data()
    for spec in schema.SECTIONS:
        rows = data["sections"][spec.key]
        want = 2 * len(rows) if datasets is None or spec.key != "datasets" else datasets
        data["sections"][spec.key] = [_variant(rows[i % len(rows)], spec.activity, i // len(rows))
                                      for i in range(want)]
    return data


def word_plan(path: Path, paragraphs: int) -> Path:
    """A plan written in Word of about `paragraphs` paragraphs: the ten sections, each a heading and a list of
    activities with a date and a person in charge, as officers type them."""
    import docx

    from odplan_xl import schema

    doc = docx.Document()
    doc.add_heading(schema.TITLE_AR, 0)
    doc.add_paragraph("اسم الهيكل: وزارة الصحة")
    per = max(1, (paragraphs - 2) // len(schema.SECTIONS) - 1)
    for sec in schema.SECTIONS:
        doc.add_heading(sec.numbered_heading, 1)
        for i in range(per):
            doc.add_paragraph(f"{i + 1}) نشاط عدد {i} من القسم {sec.number} حول بيانات المستشفيات في الولاية "
                              f"{i % 24 + 1} "
                              f"({i % 28 + 1:02d}/{i % 12 + 1:02d}/2027) - المسؤول: إدارة الإعلامية")
    doc.save(path)
    return path


def size_arg(size: str) -> int | None:
    return None if size == "typical" else int(size)


def build_plans(folder: Path, sizes: list[str]) -> dict[str, Path]:
    """One workbook per size in `folder` (kept when it is already there)."""
    from odplan_xl.workbook.template import build_workbook

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for size in sizes:
        path = folder / f"plan_{size}.xlsx"
        if not path.exists():
            build_workbook(path, plan_data(size_arg(size)))
        out[size] = path
    return out


def row_count(size: str) -> int:
    return sum(len(rows) for rows in plan_data(size_arg(size))["sections"].values())


def size_title(size: str) -> str:
    return "typical plan (≈200 rows)" if size == "typical" else f"{int(size):,} dataset rows"


# --- pure helpers (tests/test_bench.py) ------------------------------------------------------------------

def parse_importtime(text: str) -> dict:
    """What `-X importtime` wrote on stderr: every module imported, and two totals in milliseconds.

    `odplan_ms` adds the cumulative time of the top-level imports (nesting level 0) of odplan_xl modules,
    `all_ms` that of every top-level import (interpreter start-up and lazy imports included).
    Lines that are not import times (the command's own messages) are skipped.
    """
    modules: list[str] = []
    odplan_us = all_us = 0
    for line in text.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:"):].split("|", 2)
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue                                    # the header line
        cumulative = int(parts[1])
        field = parts[2].rstrip("\n")
        name = field.strip()
        level = (len(field) - len(field.lstrip(" ")) - 1) // 2
        modules.append(name)
        if level == 0:
            all_us += cumulative
            if is_module(name, "odplan_xl"):
                odplan_us += cumulative
    return {"modules": modules, "odplan_ms": odplan_us / 1000, "all_ms": all_us / 1000}


def is_module(name: str, package: str) -> bool:
    """`name` is `package` or one of its submodules."""
    return name == package or name.startswith(package + ".")


def loaded(modules: Iterable[str], wanted: Sequence[str] = HEAVY) -> list[str]:
    """Those of `wanted` found among `modules` (a package counts as loaded when any of its modules is)."""
    names = set(modules)
    return [w for w in wanted if any(is_module(n, w) for n in names)]


def summarize(runs: list[dict]) -> dict:
    """Median seconds and largest peak memory of repeated runs of one process."""
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs), "runs": runs}


def rotated(items: Sequence[str], k: int) -> list[str]:
    """`items` starting at position k (modulo its length): round k of the interleaved runs."""
    k %= len(items)
    return [*items[k:], *items[:k]]


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def _ratio_target(label: str, result: dict, command: str, floor: str, limit: float, digits: int) -> dict:
    """A target "command ≤ limit × floor" on one plan size, judged on this run's medians."""
    ratio = result[command]["seconds"] / result[floor]["seconds"]
    name = "floor " + floor.rpartition("_")[2].upper()
    return {"target": f"{label} ≤ {limit}× {name}",
            "measured": f"{ratio:.2f}× ({result[command]['seconds']:.{digits}f} s ÷ "
                        f"{result[floor]['seconds']:.{digits}f} s)",
            "ok": ratio <= limit}


def evaluate(sizes: dict, batch: dict, imports: dict, button: dict | None, batch_plans: int,
             word: dict | None = None) -> list[dict]:
    """The targets this run can judge: name, what was measured, and whether it meets the target."""
    rows = []
    if word and word["paragraphs"] == IMPORT_PARAGRAPHS:
        s = word["import"]["seconds"]
        rows.append({"target": f"`import`, {IMPORT_PARAGRAPHS:,} paragraphs ≤ {TARGETS['import_s']:.0f} s",
                     "measured": f"{s:.2f} s ({word['paragraphs'] / s:,.0f} paragraphs/s, "
                                 f"{_x(s, word['floor_w']['seconds'])} floor W)",
                     "ok": s <= TARGETS["import_s"]})
    typical, big = sizes.get("typical"), sizes.get(BIG)
    if typical:
        rows.append(_ratio_target("`check`, typical plan", typical, "check", "floor_c", TARGETS["check_floor_c"], 3))
    if big:
        rows.append(_ratio_target("`convert`, 8,000 rows", big, "convert", "floor_a",
                                  TARGETS["big_convert_floor_a"], 2))
        mb = big["convert"]["peak_mb"]
        rows.append({"target": f"`convert`, 8,000 rows ≤ {TARGETS['big_convert_mb']:.0f} MB",
                     "measured": f"{mb:.0f} MB", "ok": mb <= TARGETS["big_convert_mb"]})
    if typical:
        s = typical["convert"]["seconds"]
        rows.append({"target": f"`convert`, typical plan ≤ {TARGETS['typical_convert_s']} s",
                     "measured": f"{s:.3f} s", "ok": s <= TARGETS["typical_convert_s"]})
    if 2 in batch:
        limit = TARGETS["batch_s_per_100"] * batch_plans / 100
        s = batch[2]["seconds"]
        scaled = "" if batch_plans == 100 else f" ({TARGETS['batch_s_per_100']} s per 100, pro rata)"
        measured = f"{s:.2f} s"
        if 1 in batch:
            measured += f"; 1 worker ÷ 2 workers = {batch[1]['seconds'] / s:.2f}×"
        rows.append({"target": f"batch of {batch_plans} on 2 workers ≤ {limit:.2f} s{scaled}",
                     "measured": measured, "ok": s <= limit})
    if "check" in imports:
        bad = loaded(imports["check"]["modules"], NOT_IN_CHECK)
        rows.append({"target": f"`check` loads none of {', '.join(NOT_IN_CHECK)}",
                     "measured": ", ".join(bad) if bad else "none loaded", "ok": not bad})
    for command in ("--help", "version"):
        if command in imports:
            bad = loaded(imports[command]["modules"], NOT_IN_HELP)
            rows.append({"target": f"`{command}` loads none of {', '.join(NOT_IN_HELP)}",
                         "measured": ", ".join(bad) if bad else "none loaded", "ok": not bad})
    if button:
        s = button["seconds"]
        rows.append({"target": f"check button, Python work (interpreter start excluded) ≤ "
                               f"{TARGETS['button_s']} s",
                     "measured": f"{s:.3f} s", "ok": s <= TARGETS["button_s"]})
    return rows


# --- one whole process -----------------------------------------------------------------------------------

# Linux gives a process started by exec the peak memory of the process it replaced (the parent's, when
# Python spawns it), so the benchmark does not start the measured process itself: a launcher of a few MB
# forks it, times it and reads its peak memory with os.wait4. Started with -I, the launcher ignores the
# PYTHON* variables (PYTHONPROFILEIMPORTTIME) that the measured process inherits and obeys.
LAUNCHER = """\
import json, os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - t0
with open(result, "w") as f:
    json.dump({"seconds": seconds, "maxrss": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}, f)
"""


def _peak_mb(maxrss: int) -> float:
    # ru_maxrss: kilobytes on Linux, bytes on macOS
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def run_process(argv: list[str], *, ok: Sequence[int] = (0,), env: dict | None = None) -> dict:
    """Run one process to its end through the launcher: wall time from its start to its end, peak memory
    (its own or that of its largest waited-for child, such as a batch worker), exit code and what it wrote
    on stderr. Stops the benchmark on an exit code not in `ok`."""
    with tempfile.TemporaryDirectory(prefix="odplan_run_") as tmp, tempfile.TemporaryFile() as err:
        result = Path(tmp) / "result.json"
        launcher = subprocess.run([sys.executable, "-I", "-S", "-c", LAUNCHER, str(result), *argv],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env,
                                  cwd=ROOT, check=False)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        if launcher.returncode != 0 or not result.exists():
            raise SystemExit(f"could not run: {' '.join(argv)}\n{stderr[-3000:]}")
        got = json.loads(result.read_text(encoding="utf-8"))
    if got["code"] not in ok:
        raise SystemExit(f"failed (exit {got['code']}): {' '.join(argv)}\n{stderr[-3000:]}")
    return {"seconds": got["seconds"], "peak_mb": _peak_mb(got["maxrss"]), "code": got["code"], "stderr": stderr}


def child_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPROFILEIMPORTTIME"}
    env.update(extra)
    return env


def odplan_script() -> Path:
    script = Path(sys.executable).parent / "odplan-xl"
    if not script.exists():
        raise SystemExit(f"no odplan-xl script next to {sys.executable}: run this with the project's "
                         f"virtual environment (.venv/bin/python benchmarks/bench.py)")
    return script


def argv_for(item: str, plan: Path, out: Path) -> list[str]:
    if item in FLOOR_CODE:
        return [sys.executable, "-c", FLOOR_CODE[item], str(plan)]
    script = str(odplan_script())
    if item == "check":
        return [script, "check", str(plan)]
    if item == "gantt":
        return [script, "gantt", str(plan), "-o", str(out / f"{plan.stem}_gantt.xlsx"), "--force"]
    if item == "convert":
        return [script, "convert", str(plan), "-o", str(out / f"{plan.stem}.docx"), "--force"]
    raise ValueError(item)


def timed(item: str, plan: Path, out: Path) -> dict:
    run = run_process(argv_for(item, plan, out), ok=OK_CODES.get(item, (0,)), env=child_env())
    del run["stderr"]
    return run


# --- the phases ------------------------------------------------------------------------------------------

def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure_sizes(plans: dict[str, Path], out: Path, repeat: int) -> dict:
    """Every process on every plan, `repeat` rounds; each round runs each once, in a rotating order."""
    first = next(iter(plans.values()))
    log(f"warm-up: one untimed run of each process on {first.name}")
    for item in ITEMS:
        timed(item, first, out)
    pairs = [(size, item) for size in plans for item in ITEMS]
    runs: dict[str, dict[str, list[dict]]] = {size: {item: [] for item in ITEMS} for size in plans}
    for k in range(repeat):
        log(f"round {k + 1}/{repeat}")
        # each round starts further along the list: no process always runs right after the same one
        for size, item in rotated(pairs, k * (len(ITEMS) + 1)):
            run = timed(item, plans[size], out)
            runs[size][item].append(run)
            log(f"  {size:>8} {item:<8} {run['seconds']:7.3f} s {run['peak_mb']:6.0f} MB")
    return {size: {item: summarize(r) for item, r in items.items()} for size, items in runs.items()}


def measure_batch(typical: Path, work: Path, plans: int, repeat: int) -> dict:
    """`odplan-xl batch` of `plans` copies of the typical plan, on 1 and on 2 workers, alternately."""
    folder = work / f"batch_{plans}"
    if not folder.exists() or len(list(folder.glob("*.xlsx"))) != plans:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for i in range(plans):
            shutil.copyfile(typical, folder / f"plan_{i:03d}.xlsx")
    runs: dict[int, list[dict]] = {jobs: [] for jobs in BATCH_JOBS}
    for k in range(repeat):
        for jobs in rotated(BATCH_JOBS, k):
            outdir = work / "out" / f"batch_{jobs}"
            shutil.rmtree(outdir, ignore_errors=True)
            run = run_process([str(odplan_script()), "batch", str(folder), "-o", str(outdir),
                               "--jobs", str(jobs), "--force"], ok=OK_CODES["batch"], env=child_env())
            del run["stderr"]
            runs[jobs].append(run)
            log(f"  batch {plans} plans, {jobs} worker(s): {run['seconds']:.2f} s, {run['peak_mb']:.0f} MB")
    return {jobs: {**summarize(r), "plans": plans, "plans_per_s": plans / statistics.median(
        x["seconds"] for x in r)} for jobs, r in runs.items()}


def measure_word_import(doc: Path, paragraphs: int, out: Path, repeat: int) -> dict:
    """`odplan-xl import` of a Word plan against floor W (python-docx reading it), interleaved."""
    argv = {"import": [str(odplan_script()), "import", str(doc), "-o", str(out / "imported.xlsx"), "--force"],
            "floor_w": [sys.executable, "-c", FLOOR_CODE["floor_w"], str(doc)]}
    runs: dict[str, list[dict]] = {k: [] for k in argv}
    for k in range(repeat + 1):                        # the first round warms up, untimed
        for item in rotated(list(argv), k):
            run = run_process(argv[item], ok=(0, 1), env=child_env())
            del run["stderr"]
            if k:
                runs[item].append(run)
                log(f"  import {item:<8} {run['seconds']:7.3f} s {run['peak_mb']:6.0f} MB")
    result = {item: summarize(r) for item, r in runs.items()}
    result["paragraphs"] = paragraphs
    return result


def import_argv(command: str, plan: Path, out: Path) -> list[str]:
    if command in COMMANDS:
        return argv_for(command, plan, out)
    return [str(odplan_script()), command]


def measure_imports(plan: Path, out: Path, repeat: int) -> dict:
    """Each command with PYTHONPROFILEIMPORTTIME=1: the modules it loaded and the import totals (median)."""
    runs: dict[str, list[dict]] = {c: [] for c in IMPORT_COMMANDS}
    for k in range(repeat):
        for command in rotated(IMPORT_COMMANDS, k):
            run = run_process(import_argv(command, plan, out), ok=OK_CODES.get(command, (0,)),
                              env=child_env(PYTHONPROFILEIMPORTTIME="1"))
            runs[command].append(parse_importtime(run["stderr"]))
    result = {}
    for command, parsed in runs.items():
        modules = sorted({m for p in parsed for m in p["modules"]})
        result[command] = {"odplan_ms": statistics.median(p["odplan_ms"] for p in parsed),
                           "all_ms": statistics.median(p["all_ms"] for p in parsed),
                           "modules": modules, "heavy": loaded(modules)}
        log(f"  imports {command:<8} odplan_xl {result[command]['odplan_ms']:6.0f} ms, "
            f"heavy: {', '.join(result[command]['heavy']) or '-'}")
    return result


# --- the check button on xlwings' JSON engine -----------------------------------------------------------

BUTTON_ENV = {"XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_ON_SERVER": "true"}


def button_child(payload_file: Path, result_file: Path) -> None:
    """In a fresh process: xlwings and the workbook as Excel sends it are ready, as when a VBA button
    calls RunPython; then time `import odplan_xl.macros` and the check button to its end."""
    for key, value in BUTTON_ENV.items():
        os.environ.setdefault(key, value)
    payload = json.loads(payload_file.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    import xlwings as xw
    xlwings_s = time.perf_counter() - t0
    book = xw.Book(json=payload)
    book.set_mock_caller()
    t0 = time.perf_counter()
    import odplan_xl.macros as macros
    macros.check()
    seconds = time.perf_counter() - t0
    alerts = [a["args"] for a in book.json()["actions"] if a.get("func") == "alert"]
    result = {"seconds": seconds, "xlwings_s": xlwings_s,
              "alert": alerts[0][0].splitlines()[0] if alerts else "",
              "failed": not alerts or alerts[0][3] == "critical"}
    result_file.write_text(json.dumps(result), encoding="utf-8")


def measure_button(plan: Path, out: Path, repeat: int) -> dict | None:
    """The check button on the typical plan, median of `repeat` fresh processes; None without xlwings."""
    try:
        import xlwings  # noqa: F401  (only whether it is installed: the dev extra)
    except ImportError:
        log("button: xlwings is not installed (dev extra), skipped")
        return None
    sys.path.insert(0, str(ROOT / "tests"))
    from officejs import payload

    payload_file, result_file = out / "button_payload.json", out / "button_result.json"
    payload_file.write_text(json.dumps(payload(plan), ensure_ascii=False, default=str), encoding="utf-8")
    runs = []
    for _ in range(repeat):
        result_file.unlink(missing_ok=True)
        run = run_process([sys.executable, __file__, "--_button", str(payload_file), str(result_file)],
                          env=child_env(**BUTTON_ENV))
        got = json.loads(result_file.read_text(encoding="utf-8"))
        if got["failed"]:
            raise SystemExit(f"the check button did not run to its end: {got['alert']}")
        runs.append({**got, "process_s": run["seconds"], "peak_mb": run["peak_mb"]})
        log(f"  button check {got['seconds']:.3f} s (xlwings import before it: {got['xlwings_s']:.3f} s)")
    return {**summarize(runs), "xlwings_s": statistics.median(r["xlwings_s"] for r in runs)}


# --- the report -------------------------------------------------------------------------------------------

def _runs(n: int, word: str = "run") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}es" if word.endswith("s") else f"{n} {word}s"


def _x(value: float, floor: float) -> str:
    return f"{value / floor:.2f}×"


def report(meta: dict, sizes: dict, batch: dict, imports: dict, button: dict | None,
           targets: list[dict], word: dict | None = None) -> str:
    lines = [f"{meta['date']}, {meta['cores']} cores, Python {meta['python']}. Whole processes; time = median "
             f"of {_runs(meta['repeat'], 'process')}, peak MB = the largest max RSS of them; ÷ A, ÷ B, ÷ C = time "
             f"over floor A, B, C on the same file in this run.", ""]
    for size, items in sizes.items():
        meta_size = meta["plans"][size]
        lines += [f"**{size_title(size)}** ({meta_size['rows']:,} rows, {meta_size['kb']:,} KB)", "",
                  "| process | time (s) | peak MB | ÷ A | ÷ B | ÷ C |", "|---|---:|---:|---:|---:|---:|"]
        for item in ITEMS:
            r = items[item]
            ratios = " | ".join(_x(r["seconds"], items[f]["seconds"]) for f in FLOORS)
            lines.append(f"| {TITLES[item]} | {r['seconds']:.3f} | {r['peak_mb']:.0f} | {ratios} |")
        lines.append("")
    if batch:
        plans = next(iter(batch.values()))["plans"]
        one = batch.get(1, {}).get("seconds")
        lines += [f"| `odplan-xl batch`, {plans} typical plans | time (s) | plans/s | 1 worker ÷ this | peak MB |",
                  "|---|---:|---:|---:|---:|"]
        for jobs, b in sorted(batch.items()):
            speed = f"{one / b['seconds']:.2f}×" if one else "—"
            lines.append(f"| {jobs} worker{'s' if jobs > 1 else ''} (`--jobs {jobs}`) | {b['seconds']:.2f} | "
                         f"{b['plans_per_s']:.1f} | {speed} | {b['peak_mb']:.0f} |")
        lines += ["", f"Batch time: median of {_runs(meta['batch_repeat'])}; peak MB: the largest process, "
                      f"main or worker.", ""]
    if word:
        n = word["paragraphs"]
        floor = word["floor_w"]["seconds"]
        lines += [f"| Word plan, {n:,} paragraphs | time (s) | paragraphs/s | ÷ W | peak MB |",
                  "|---|---:|---:|---:|---:|"]
        for item, title in (("floor_w", "floor W: python-docx reads every paragraph"),
                            ("import", "`odplan-xl import`")):
            r = word[item]
            lines.append(f"| {title} | {r['seconds']:.3f} | {n / r['seconds']:,.0f} | {_x(r['seconds'], floor)} | "
                         f"{r['peak_mb']:.0f} |")
        lines += ["", f"Import: median of {_runs(meta['repeat'], 'process')}, the workbook written included.", ""]
    if imports:
        short = {"python_calamine": "calamine", "odplan_xl.app.batch": "app.batch"}
        heads = " | ".join(short.get(h, h) for h in HEAVY)
        lines += [f"| command | odplan_xl imports (ms) | all imports (ms) | {heads} |",
                  "|---|---:|---:|" + ":-:|" * len(HEAVY)]
        for command, r in imports.items():
            marks = " | ".join("●" if h in r["heavy"] else "·" for h in HEAVY)
            lines.append(f"| `{command}` | {r['odplan_ms']:.0f} | {r['all_ms']:.0f} | {marks} |")
        lines += ["", "Imports: `-X importtime`, median of the cumulative times of the top-level imports: those of "
                  "odplan_xl modules, then all of them, interpreter start-up and lazy imports included; "
                  "● = the module was loaded.", ""]
    if button:
        lines += [f"Check button (`odplan_xl.macros.check` on xlwings' JSON engine, typical plan): "
                  f"{button['seconds']:.3f} s from `import odplan_xl.macros` to the end of the check, median "
                  f"of {_runs(len(button['runs']), 'process')} (interpreter start and the import of xlwings, "
                  f"{button['xlwings_s']:.3f} s, excluded); peak {button['peak_mb']:.0f} MB.", ""]
    if targets:
        lines += ["| target | measured | |", "|---|---|---|"]
        lines += [f"| {t['target']} | {t['measured']} | {mark(t['ok'])} |" for t in targets]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=f"typical,2000,{BIG}",
                        help="comma-separated plan sizes: typical and/or dataset row counts")
    parser.add_argument("--repeat", type=int, default=5, help="processes per figure (the median is shown)")
    parser.add_argument("--batch", type=int, default=100, help="typical plans in the batch test (0: skip)")
    parser.add_argument("--batch-repeat", type=int, default=1, help="runs of each batch (median)")
    parser.add_argument("--no-button", action="store_true", help="skip the check button figure")
    parser.add_argument("--import-paragraphs", type=int, default=IMPORT_PARAGRAPHS,
                        help="paragraphs of the Word plan imported (0: skip)")
    parser.add_argument("--workdir", type=Path, help="keep generated plans and outputs here "
                                                     "(default: a temporary folder, removed at the end)")
    parser.add_argument("--quick", action="store_true", help="typical plan only, 1 run each, batch of 20")
    parser.add_argument("--json", type=Path, help="also write the raw numbers to this file")
    parser.add_argument("--_button", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._button:                                    # child: one run of the check button
        button_child(*args._button)
        return
    if args.quick:
        args.sizes, args.repeat, args.batch = "typical", 1, min(args.batch, 20)
        args.import_paragraphs = min(args.import_paragraphs, 2000)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in sizes:
        if size != "typical" and not size.isdigit():
            parser.error(f"--sizes: {size!r} is neither 'typical' nor a row count")
    if args.repeat < 1 or args.batch_repeat < 1:
        parser.error("--repeat and --batch-repeat must be at least 1")
    odplan_script()

    with contextlib.ExitStack() as stack:
        if args.workdir:
            work = args.workdir.resolve()
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="odplan_bench_")))
        run(args, sizes, work)


def compile_package() -> None:
    """Write the package's bytecode, as installing it does (pip compiles on install): without it, and
    with PYTHONDONTWRITEBYTECODE set, every process would compile odplan_xl from source again."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "odplan_xl")], check=True)


def run(args: argparse.Namespace, sizes: list[str], work: Path) -> None:
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)
    compile_package()
    t0 = time.perf_counter()
    need_typical = bool(args.batch) or not args.no_button     # batch and button use the typical plan
    plans = build_plans(work / "plans", [*sizes, "typical"] if need_typical and "typical" not in sizes else sizes)
    meta = {"date": dt.date.today().isoformat(), "cores": os.cpu_count(), "python": sys.version.split()[0],
            "repeat": args.repeat, "batch_repeat": args.batch_repeat,
            "plans": {s: {"rows": row_count(s), "kb": p.stat().st_size // 1024} for s, p in plans.items()}}
    log(f"plans ready in {time.perf_counter() - t0:.1f} s: " + ", ".join(
        f"{s} = {m['rows']} rows, {m['kb']} KB" for s, m in meta["plans"].items()))

    sizes_result = measure_sizes({s: plans[s] for s in sizes}, out, args.repeat)
    batch = {}
    if args.batch:
        log(f"batch of {args.batch} typical plans")
        batch = measure_batch(plans["typical"], work, args.batch, args.batch_repeat)
    log("imports")
    imports = measure_imports(plans.get("typical", plans[sizes[0]]), out, args.repeat)
    button = None
    if not args.no_button:
        log("check button")
        button = measure_button(plans["typical"], out, args.repeat)
    word = None
    if args.import_paragraphs:
        log(f"import of a Word plan of {args.import_paragraphs} paragraphs")
        doc = word_plan(work / "plans" / "word_plan.docx", args.import_paragraphs)
        word = measure_word_import(doc, args.import_paragraphs, out, args.repeat)
    targets = evaluate(sizes_result, batch, imports, button, args.batch, word)

    sys.stdout.write(report(meta, sizes_result, batch, imports, button, targets, word))
    if args.json:
        raw = {"meta": meta, "sizes": sizes_result, "batch": batch, "imports": imports, "button": button,
               "word": word, "targets": targets}
        args.json.write_text(json.dumps(raw, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
