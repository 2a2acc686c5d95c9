"""Speed and memory of odplan-xl per stage and end to end, against the floor of reading the same workbook.

Run: .venv/bin/python benchmarks/bench.py            (or: make bench)
     .venv/bin/python benchmarks/bench.py --quick    (typical plan only, 20-plan batch)

Plans are generated from the example plan scaled up: "typical" has about 200 rows over the ten
sections; "2000" and "8000" add that many dataset rows. Each measurement runs in a fresh Python
process (imports are not timed: "work after start-up"); the time is the median of --repeat runs,
the memory the peak resident size of that process (ru_maxrss). The floor is openpyxl's
load_workbook(read_only=True) plus reading every cell's value, on the same file. Batch throughput
converts copies of the typical plan with 1 worker and with every core.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STAGES = ("floor", "read", "check", "gantt", "word", "e2e")
STAGE_TITLES = {
    "floor": "floor: openpyxl read-only load + every cell",
    "read": "read (reader)",
    "check": "check (rules, after read)",
    "gantt": "Gantt model + sheet spec",
    "word": "Word build + save",
    "e2e": "end to end: convert()",
}
TARGETS = {"typical_e2e_s": 0.5, "floor_ratio": 3.0, "big_e2e_s": 5.0, "big_mb": 500.0, "speedup": 1.7}


# --- plans ----------------------------------------------------------------------------------

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


def build_plans(folder: Path, sizes: list[str]) -> dict[str, Path]:
    from odplan_xl.workbook.template import build_workbook

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for size in sizes:
        path = folder / f"plan_{size}.xlsx"
        if not path.exists():
            build_workbook(path, plan_data(None if size == "typical" else int(size)))
        out[size] = path
    return out


def row_count(path: Path) -> int:
    from odplan_xl.plan.reader import read_plan

    plan, _ = read_plan(path)
    return sum(len(s.rows) for s in plan.sections.values())


# --- one measurement, in a fresh process --------------------------------------------------------

def _rss_mb() -> float:
    # ru_maxrss: kilobytes on Linux, bytes on macOS
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(stage: str, path: Path, tmp: Path, warm: int = 2) -> dict:
    """Run one stage on one plan (prerequisites untimed): the first run in this fresh process
    ("cold": lazy imports, compiled templates and models, caches) and `warm` more (what each
    further plan costs a batch worker); plus the peak memory of the process."""
    import openpyxl

    from odplan_xl.app.check import check
    from odplan_xl.app.convert import convert
    from odplan_xl.plan.gantt import build_gantt
    from odplan_xl.plan.reader import read_plan
    from odplan_xl.rules.checker import check_plan
    from odplan_xl.sheets.gantt import gantt_sheet
    from odplan_xl.word import document as word

    baseline = _rss_mb()
    before: dict = {}
    if stage == "check":
        before["plan"], before["findings"] = read_plan(path)
    elif stage in ("gantt", "word"):
        before["plan"], before["report"] = check(path)

    def floor() -> None:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for _value in row:
                    pass
        wb.close()

    work = {
        "floor": floor,
        "read": lambda: read_plan(path),
        "check": lambda: check_plan(before["plan"], before["findings"]),
        "gantt": lambda: gantt_sheet(build_gantt(before["plan"])),
        "word": lambda: word.save(word.build_document(before["plan"], before["report"]), tmp / "out.docx"),
        "e2e": lambda: convert(path, tmp / "e2e.docx"),
    }[stage]
    times = []
    for _ in range(1 + warm):
        # python-docx documents are cyclic garbage: without a full collection between runs a stage
        # repeated alone (no reading to trigger the collector) would pile up earlier documents
        gc.collect()
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return {"cold": times[0], "warm": statistics.median(times[1:]) if warm else times[0],
            "peak_mb": _rss_mb(), "baseline_mb": baseline}


def measure_batch(folder: Path, out: Path, jobs: int) -> dict:
    from odplan_xl.app.batch import batch

    t0 = time.perf_counter()
    result = batch([folder], out, jobs=jobs, overwrite=True)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "plans": len(result.records), "counts": dict(result.counts),
            "peak_mb": _rss_mb()}


def _child(*args: str) -> dict:
    """Run this script in a fresh interpreter for one measurement; its last stdout line is JSON."""
    res = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"measurement failed: {args}\n{res.stdout}\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


# --- the report ---------------------------------------------------------------------------------

def _ok(value: float, limit: float, *, above: bool = False) -> str:
    return "✅" if (value >= limit if above else value <= limit) else "❌"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="typical,2000,8000", help="comma-separated: typical and/or row counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--batch", type=int, default=100, help="plans in the batch throughput test (0: skip)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers for the parallel batch")
    parser.add_argument("--workdir", type=Path, help="keep generated plans here (default: a temporary folder)")
    parser.add_argument("--quick", action="store_true", help="typical plan only, 20-plan batch, 1 run each")
    parser.add_argument("--json", type=Path, help="also write the raw numbers to this file")
    parser.add_argument("--warm", type=int, default=2, help="further runs in the same process, after the first")
    parser.add_argument("--_stage", help=argparse.SUPPRESS)
    parser.add_argument("--_batch", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--_file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._stage:                                     # child: one measurement
        print(json.dumps(measure(args._stage, args._file, args._out, args.warm)))
        return
    if args._batch:
        print(json.dumps(measure_batch(args._file, args._out, args._batch)))
        return

    if args.quick:
        args.sizes, args.repeat, args.batch = "typical", 1, min(args.batch, 20)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    tmp_root = Path(tempfile.mkdtemp(prefix="odplan_bench_"))
    work = args.workdir or tmp_root
    try:
        run(args, sizes, work, tmp_root)
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)


def run(args: argparse.Namespace, sizes: list[str], work: Path, tmp: Path) -> None:
    t0 = time.perf_counter()
    plans = build_plans(work / "plans", sizes)
    print(f"plans generated in {time.perf_counter() - t0:.1f} s: "
          + ", ".join(f"{s} = {row_count(p)} rows, {p.stat().st_size // 1024} KB" for s, p in plans.items()),
          file=sys.stderr)
    results: dict[str, dict[str, dict]] = {}
    for size, path in plans.items():
        results[size] = {}
        for stage in STAGES:
            runs = [_child("--_stage", stage, "--_file", str(path), "--_out", str(tmp), "--warm", str(args.warm))
                    for _ in range(args.repeat)]
            got = results[size][stage] = {
                "cold": statistics.median(r["cold"] for r in runs),
                "warm": statistics.median(r["warm"] for r in runs),
                "peak_mb": max(r["peak_mb"] for r in runs),
                "baseline_mb": min(r["baseline_mb"] for r in runs)}
            print(f"  {size:>8} {stage:<6} first {got['cold']:7.3f} s, next {got['warm']:7.3f} s, "
                  f"{got['peak_mb']:5.0f} MB", file=sys.stderr)

    batch: dict[int, dict] = {}
    if args.batch:
        folder = work / f"batch_{args.batch}"
        if not folder.exists() or len(list(folder.glob("*.xlsx"))) != args.batch:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            typical = build_plans(work / "plans", ["typical"])["typical"]
            for i in range(args.batch):
                shutil.copyfile(typical, folder / f"plan_{i:03d}.xlsx")
        for jobs in sorted({1, args.jobs}):
            batch[jobs] = _child("--_batch", str(jobs), "--_file", str(folder), "--_out", str(tmp / f"out{jobs}"))
            print(f"  batch {args.batch} plans, {jobs} worker(s): {batch[jobs]['seconds']:.1f} s", file=sys.stderr)

    print(report(results, batch, args))
    if args.json:
        args.json.write_text(json.dumps({"stages": results, "batch": batch}, indent=1), encoding="utf-8")


def report(results: dict, batch: dict, args: argparse.Namespace) -> str:
    lines = [f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}. Each figure: median of "
             f"{args.repeat} fresh processes; *first* = the first plan a process handles (after imports), "
             f"*next* = each further plan (median of {args.warm}); memory = peak RSS of the process.", ""]
    for size, stages in results.items():
        title = "typical plan (≈200 rows)" if size == "typical" else f"{int(size):,} dataset rows"
        lines += [f"**{title}**", "", "| stage | first (s) | next (s) | peak MB |", "|---|---:|---:|---:|"]
        for stage in STAGES:
            r = stages[stage]
            lines.append(f"| {STAGE_TITLES[stage]} | {r['cold']:.3f} | {r['warm']:.3f} | {r['peak_mb']:.0f} |")
        e2e, floor = stages["e2e"], stages["floor"]
        lines += [f"| end to end ÷ floor | {e2e['cold'] / floor['cold']:.1f}× | {e2e['warm'] / floor['warm']:.1f}× | |",
                  ""]
    base = min(r["floor"]["baseline_mb"] for r in results.values())
    lines.append(f"A fresh process holds {base:.0f} MB after its imports (included in every peak).")
    if batch:
        lines += ["", f"| batch of {args.batch} typical plans | wall time (s) | plans/s | speed-up |",
                  "|---|---:|---:|---:|"]
        one = batch.get(1, {}).get("seconds")
        for jobs, b in sorted(batch.items()):
            speed = f"{one / b['seconds']:.2f}×" if one else "—"
            lines.append(f"| {jobs} worker(s) | {b['seconds']:.1f} | {b['plans'] / b['seconds']:.2f} | {speed} |")

    lines += ["", "| target | measured | |", "|---|---:|---|"]
    if "typical" in results:
        e2e, floor = results["typical"]["e2e"], results["typical"]["floor"]
        lines.append(f"| typical plan end to end ≤ {TARGETS['typical_e2e_s']} s | first {e2e['cold']:.3f} s, "
                     f"next {e2e['warm']:.3f} s | {_ok(e2e['cold'], TARGETS['typical_e2e_s'])} |")
        ratio = e2e["cold"] / floor["cold"]
        ratio_warm = e2e["warm"] / floor["warm"]
        lines.append(f"| typical plan ≤ {TARGETS['floor_ratio']:.0f}× the read floor | first {ratio:.1f}×, "
                     f"next {ratio_warm:.1f}× | {_ok(ratio, TARGETS['floor_ratio'])} |")
    if "8000" in results:
        big = results["8000"]["e2e"]
        lines.append(f"| 8,000 rows ≤ {TARGETS['big_e2e_s']:.0f} s | {big['cold']:.2f} s | "
                     f"{_ok(big['cold'], TARGETS['big_e2e_s'])} |")
        lines.append(f"| 8,000 rows ≤ {TARGETS['big_mb']:.0f} MB | {big['peak_mb']:.0f} MB | "
                     f"{_ok(big['peak_mb'], TARGETS['big_mb'])} |")
    if len(batch) > 1 and 1 in batch:
        jobs = max(batch)
        speed = batch[1]["seconds"] / batch[jobs]["seconds"]
        lines.append(f"| batch: {jobs} workers ≥ {TARGETS['speedup']}× faster than 1 | {speed:.2f}× | "
                     f"{_ok(speed, TARGETS['speedup'], above=True)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
