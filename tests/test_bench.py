"""The pure helpers of benchmarks/bench.py: reading `-X importtime`, spotting loaded modules, judging targets."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench  # noqa: E402

IMPORTTIME = """\
import time: self [us] | cumulative | imported package
import time:       100 |        100 | encodings
import time:        50 |         50 |   encodings.aliases
import time:       200 |       3000 | odplan_xl
import time:      1000 |       1000 |   typer
import time:       500 |       1500 |   odplan_xl.cli
import time:       400 |        400 |     pydantic.main
✗ a message of the command on stderr
import time:      2000 |       5000 | odplan_xl.app.check
import time:      3000 |       3000 |   openpyxl.reader
import time:       700 |        700 | lxml.etree
"""


def test_parse_importtime_lists_every_module_and_adds_the_top_level_ones():
    parsed = bench.parse_importtime(IMPORTTIME)
    assert parsed["modules"] == ["encodings", "encodings.aliases", "odplan_xl", "typer", "odplan_xl.cli",
                                 "pydantic.main", "odplan_xl.app.check", "openpyxl.reader", "lxml.etree"]
    assert parsed["odplan_ms"] == 8.0                     # odplan_xl (3 ms) + odplan_xl.app.check (5 ms)
    assert parsed["all_ms"] == 8.8                        # + encodings and lxml.etree, top level too


def test_a_package_is_loaded_when_any_of_its_modules_is():
    modules = bench.parse_importtime(IMPORTTIME)["modules"]
    assert bench.loaded(modules, ("openpyxl", "docx", "pydantic", "odplan_xl.app.batch", "lxml")) == \
        ["openpyxl", "pydantic", "lxml"]
    assert not bench.is_module("openpyxl_extra", "openpyxl")
    assert bench.is_module("odplan_xl.app.batch", "odplan_xl.app.batch")


def test_rounds_rotate_the_order():
    assert bench.rotated("abc", 0) == ["a", "b", "c"]
    assert bench.rotated("abc", 4) == ["b", "c", "a"]


def test_summary_is_the_median_time_and_the_largest_memory():
    runs = [{"seconds": s, "peak_mb": m} for s, m in ((3.0, 10), (1.0, 30), (2.0, 20))]
    got = bench.summarize(runs)
    assert (got["seconds"], got["peak_mb"]) == (2.0, 30)


def _figures(seconds: dict[str, float], mb: float = 100) -> dict:
    return {item: {"seconds": s, "peak_mb": mb} for item, s in seconds.items()}


def test_targets_are_judged_on_the_numbers_of_the_run():
    sizes = {"typical": _figures({"floor_a": 0.4, "floor_c": 0.2, "check": 0.29, "convert": 0.7}),
             "8000": _figures({"floor_a": 2.0, "convert": 1.9}, mb=401)}
    batch = {1: {"seconds": 2.0}, 2: {"seconds": 1.0}}
    imports = {"check": {"modules": ["odplan_xl.cli", "openpyxl"]},
               "--help": {"modules": ["typer", "pydantic.main"]}}
    judged = bench.evaluate(sizes, batch, imports, {"seconds": 0.31}, batch_plans=20)
    assert [(r["target"].split(" ")[0], r["ok"]) for r in judged] == [
        ("`check`,", True),           # 0.29 s = 1.45x floor C
        ("`convert`,", True),         # 8,000 rows: 0.95x floor A
        ("`convert`,", False),        # ... 401 MB
        ("`convert`,", False),        # typical: 0.7 s
        ("batch", False),             # 20 plans: 1.0 s against 0.99 s pro rata
        ("`check`", True),            # openpyxl is allowed
        ("`--help`", False),          # pydantic is not
        ("check", False),             # the button: 0.31 s
    ]
    assert judged[4]["target"].startswith("batch of 20 on 2 workers ≤ 0.99 s")
    assert judged[4]["measured"] == "1.00 s; 1 worker ÷ 2 workers = 2.00×"
    assert judged[6]["measured"] == "pydantic"
