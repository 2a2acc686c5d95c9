"""Import time grows with the document, not with the document times the template: 8,000 paragraphs < 5 s."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from odplan_xl.app.importing import import_docx

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench  # noqa: E402


def _cpu_seconds(doc: Path, out: Path) -> float:
    """Processor time of one import (read, placed, self-audited, the workbook written): the machine's other
    work does not count, as it would in wall time."""
    start = time.process_time()
    result = import_docx(doc, out, overwrite=True)
    seconds = time.process_time() - start
    assert result.rows >= 0.95 * (int(doc.stem.split("_")[-1]) - 12)
    return seconds


def test_an_8000_paragraph_document_imports_in_under_5_seconds_and_linearly(tmp_path):
    small = bench.word_plan(tmp_path / "plan_2000.docx", 2000)
    big = bench.word_plan(tmp_path / "plan_8000.docx", 8000)
    _cpu_seconds(small, tmp_path / "warm.xlsx")
    # the better of two runs: a machine busy with other work slows even the processor time a little
    t_small = min(_cpu_seconds(small, tmp_path / "small.xlsx") for _ in range(2))
    t_big = min(_cpu_seconds(big, tmp_path / "big.xlsx") for _ in range(2))
    assert t_big < 5.0, f"{t_big:.2f} s"
    assert t_big / t_small < 5.5, f"4 times the paragraphs: {t_big / t_small:.1f} times the time"
