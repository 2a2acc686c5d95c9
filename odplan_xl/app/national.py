"""The national picture of many plans (`national`) and one plan's planned datasets as a catalogue (`datasets`)."""

from __future__ import annotations

import os
import time
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from odplan_xl.app.batch import BatchEvent
from odplan_xl.app.gather import Progress
from odplan_xl.files import refuse_existing, refuse_overwrite_input, require_suffix, writable_folder

NATIONAL_XLSX = "national.xlsx"
NATIONAL_DOCX = "national.docx"
DATASETS_JSONLD = "datasets.jsonld"
DATASETS_JSONL = "datasets.ckan.jsonl"
DATASETS_CSV = "datasets.csv"
ORGANIZATIONS_JSONL = "organizations.ckan.jsonl"
OUTPUTS = (NATIONAL_XLSX, NATIONAL_DOCX, DATASETS_JSONLD, DATASETS_JSONL, DATASETS_CSV, ORGANIZATIONS_JSONL)


@dataclass
class NationalResult:
    """What a run read (one record per input, input order), the year kept, and the files written."""

    outdir: Path
    year: int | None
    records: list[dict[str, Any]]
    outputs: list[Path]
    plans: int = 0                 # plans of the year in the figures
    included: list[dict[str, Any]] = field(default_factory=list)   # their records and the unreadable files
    seconds: float = 0.0
    counts: Counter = field(default_factory=Counter)
    unknown_formats: list[tuple[str, str, str]] = field(default_factory=list)   # (body, title, format named)

    @property
    def exit_code(self) -> int:
        """0 every file read and every plan of the year complete, 1 some of those plans have errors,
        2 some files could not be read."""
        from odplan_xl.app.batch import exit_code

        return exit_code(self.included)


def national(inputs: Iterable[str | os.PathLike[str]], outdir: str | os.PathLike[str], *,
             jobs: int | None = None, year: int | None = None, overwrite: bool = False,
             progress: Progress | None = None) -> NationalResult:
    """Read and check every plan in parallel and write the national picture of one year into `outdir`:
    national.xlsx, national.docx, datasets.jsonld, datasets.ckan.jsonl, organizations.ckan.jsonl and
    datasets.csv. A format a plan names that is no known file type is listed in `unknown_formats`.

    `year`: the plans kept (default: the most common plan year). A file that cannot be read is listed
    with its reason and costs only itself. Existing outputs are replaced only with `overwrite`. Raises
    OdplanError when the run cannot start (no input, an output exists, an output would replace an input).
    Workers import the main script again: call this under `if __name__ == "__main__":`.
    """
    from odplan_xl.app import national_report
    from odplan_xl.app.gather import read_all, read_inputs
    from odplan_xl.coordinator import catalogue, workbook
    from odplan_xl.coordinator.figures import figures

    started = time.perf_counter()
    outdir = Path(outdir).absolute()
    targets = [outdir / name for name in OUTPUTS]
    items = read_inputs(inputs, skip=targets)
    for target in targets:
        refuse_overwrite_input(target, *(i.path for i in items))
    for target in targets:
        refuse_existing(target, overwrite)
    writable_folder(outdir)               # before reading every plan: a folder that cannot be written stops here
    records = read_all(items, jobs=jobs, progress=progress)
    f = figures(records, year)
    if progress is not None:
        progress(BatchEvent("write", len(records), len(records), file=str(outdir)))
    xlsx, docx, ld, jl, csv_path, orgs = targets
    workbook.write(f, xlsx)
    national_report.write(f, docx)
    planned = catalogue.entries(f)
    for path in (ld, jl, csv_path, orgs):
        catalogue.write(planned, path)
    if progress is not None:
        progress(BatchEvent("end", len(records), len(records)))
    return NationalResult(outdir, f.year, records, targets, plans=len(f.bodies), included=f.overview_records,
                          seconds=round(time.perf_counter() - started, 3),
                          counts=Counter(r["result"] for r in records),
                          unknown_formats=catalogue.unknown_formats(planned))


def datasets(plan: str | os.PathLike[str], output: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """One plan's planned datasets as a catalogue: `output` ends with .jsonld (DCAT-AP), .jsonl (CKAN)
    or .csv (UTF-8 with BOM), with the same mapping and identifiers as `national`. A format the plan names
    that is no known file type is warned of (`catalogue.UnknownFormat`)."""
    from odplan_xl.app.check import check
    from odplan_xl.app.gather import rows
    from odplan_xl.coordinator import catalogue

    source = Path(plan)
    target = require_suffix(output, tuple(catalogue.FORMATS), code="catalogue-extension")
    refuse_overwrite_input(target, source)
    refuse_existing(target, overwrite)
    found, _report = check(source)
    year = found.year
    body = found.structure or source.stem
    facts = rows(found)
    items = catalogue.entries_of(year, body, facts["dataset_rows"], contact=catalogue.contact_of(facts),
                                 site=facts["site"])
    for _body, title, name in catalogue.unknown_formats(items):
        warnings.warn(catalogue.UnknownFormat(f"«{name}» ({title})"), stacklevel=2)
    return catalogue.write(items, target)


__all__ = ["national", "datasets", "NationalResult", "OUTPUTS"]
