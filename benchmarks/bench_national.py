"""`national` against `batch` on the same typical plans: wall time of each, and their ratio.

Run: .venv/bin/python benchmarks/bench_national.py            (300 plans; or: make bench)
     .venv/bin/python benchmarks/bench_national.py --plans 60

The plans are the typical plan of bench.py (about 200 rows) under twenty body names, copied up to
--plans files. Each command runs in a fresh process with every core; `national` reads and checks every
plan and writes its five files, `batch` reads, checks and writes one Word document per plan.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET = 1.0          # national must take less time than batch


def build(folder: Path, count: int, bodies: int = 20) -> None:
    from bench import plan_data

    from odplan_xl.workbook.template import build_workbook

    folder.mkdir(parents=True, exist_ok=True)
    originals = []
    for k in range(min(bodies, count)):
        data = plan_data()
        data["cover"]["structure"] = f"{data['cover']['structure']} {k + 1}"
        originals.append(build_workbook(folder / f"plan_{k:03d}.xlsx", data))
    for k in range(len(originals), count):
        shutil.copyfile(originals[k % len(originals)], folder / f"plan_{k:03d}.xlsx")


def measure(kind: str, folder: Path, out: Path, jobs: int) -> dict:
    if kind == "national":
        from odplan_xl.app.national import national

        t0 = time.perf_counter()
        result = national([folder], out, jobs=jobs, overwrite=True)
    else:
        from odplan_xl.app.batch import batch

        t0 = time.perf_counter()
        result = batch([folder], out, jobs=jobs, overwrite=True)
    return {"seconds": time.perf_counter() - t0, "plans": len(result.records)}


def _child(*args: str) -> dict:
    res = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"measurement failed: {args}\n{res.stdout}\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--_kind", help=argparse.SUPPRESS)
    parser.add_argument("--_folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._kind:
        print(json.dumps(measure(args._kind, args._folder, args._out, args.jobs)))
        return
    tmp = Path(tempfile.mkdtemp(prefix="odplan_bench_national_"))
    try:
        folder = tmp / "plans"
        t0 = time.perf_counter()
        build(folder, args.plans)
        print(f"{args.plans} plans generated in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        got = {kind: _child("--_kind", kind, "--_folder", str(folder), "--_out", str(tmp / kind),
                            "--jobs", str(args.jobs))
               for kind in ("batch", "national")}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ratio = got["national"]["seconds"] / got["batch"]["seconds"]
    print(f"| {args.plans} typical plans, {args.jobs} worker(s) | wall time (s) | plans/s |")
    print("|---|---:|---:|")
    for kind in ("batch", "national"):
        r = got[kind]
        print(f"| {kind} | {r['seconds']:.1f} | {r['plans'] / r['seconds']:.2f} |")
    print(f"\nnational ÷ batch: {ratio:.2f}× {'✅' if ratio < TARGET else '❌'} (target: below {TARGET:.1f}×)")


if __name__ == "__main__":
    main()
