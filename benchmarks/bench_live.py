"""The workbook's own check at scale: how long LibreOffice takes to recalculate every formula of a plan.

    .venv/bin/python benchmarks/bench_live.py [ROWS]      (default 8000 dataset rows; needs python3-uno)

Builds the bench's plan (the example doubled, ROWS rows in section 4), opens it in one headless
LibreOffice, runs calculateAll() (every formula, the live layer's included) and reads the panel back;
prints the times, the panel's figures and `check`'s, which must agree. Target: under 10 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import lo_helpers  # noqa: E402
from bench import plan_data  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from odplan_xl.app.check import check  # noqa: E402
from odplan_xl.workbook.template import build_workbook  # noqa: E402

TARGET_S = 10.0


def panel(path: Path) -> dict[str, float]:
    """live_errors, live_warnings, live_percent as LibreOffice computed them (the cover's panel)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    names = {n: next(iter(d.destinations)) for n, d in wb.defined_names.items()
             if n in ("live_errors", "live_warnings", "live_percent")}
    wb.close()
    book = CalamineWorkbook.from_path(str(path))
    out = {}
    for name, (sheet, ref) in names.items():
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        col = ord(ref.replace("$", "")[0]) - 64
        row = int("".join(ch for ch in ref if ch.isdigit()))
        out[name] = rows[row - 1][col - 1]
    return out


def main(argv: list[str]) -> int:
    rows = int(argv[0]) if argv else 8000
    missing = lo_helpers.unavailable(uno=True)
    if missing:
        print(f"{missing}: install it with {lo_helpers.INSTALL}")
        return 2
    with tempfile.TemporaryDirectory(prefix="bench_live_") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        path = build_workbook(folder / f"plan_{rows}.xlsx", plan_data(rows))
        built = time.perf_counter() - started
        times = lo_helpers.recalculate([path], folder / "calc")[path.name]
        figures = panel(folder / "calc" / path.name)
        report = check(path)[1].to_dict()
        kb = path.stat().st_size // 1024
    print(f"{rows:,} dataset rows: {kb} KB, built in {built:.1f} s")
    print(f"LibreOffice: load {times['load']:.1f} s, calculateAll {times['calculate']:.2f} s "
          f"(target < {TARGET_S:.0f} s)")
    print(f"panel: {figures}; check: errors {report['errors']}, warnings {report['warnings']}, "
          f"score {report['score']}")
    agree = (figures["live_errors"], figures["live_warnings"], round(figures["live_percent"], 1)) == \
        (report["errors"], report["warnings"], report["score"])
    return 0 if times["calculate"] < TARGET_S and agree else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
