"""Convert a plan workbook to its Word document (and PDF): the library behind `odplan-xl convert`."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from odplan_xl import word
from odplan_xl.app import pdf as pdf_tool
from odplan_xl.app.check import check
from odplan_xl.files import atomic_path, refuse_existing, refuse_overwrite_input, require_suffix
from odplan_xl.plan.model import Plan
from odplan_xl.rules.findings import Report


class PlanHasErrors(Exception):
    """Strict mode: the plan has errors, nothing was written. Carries the report to print."""

    exit_code = 1

    def __init__(self, report: Report):
        self.report = report
        super().__init__(f"{len(report.errors)} error(s) in {report.source or 'the plan'}")


@dataclass
class ConvertResult:
    output: Path                 # the .docx written
    pdf: Path | None             # the .pdf written, when asked
    report: Report
    toc_pages: bool = False      # the table of contents carries page numbers (read from a PDF render)


def default_output(path: str | Path) -> Path:
    """`<input stem>.docx` next to the input."""
    return Path(path).with_suffix(".docx")


def _outputs(source: Path | None, output: str | Path | None, pdf: bool,
             base: str | Path | None) -> tuple[Path, Path | None]:
    if output is None:
        if source is None:
            raise ValueError("output is required when the plan has no source file")
        output = default_output(source)
    out = require_suffix(output, (".docx",), code="bad-output-name")
    pdf_out = out.with_suffix(".pdf") if pdf else None
    inputs = [p for p in (source, Path(base) if base else None) if p is not None]
    for target in (out, pdf_out):
        if target is not None:
            refuse_overwrite_input(target, *inputs)
    return out, pdf_out


def convert_plan(plan: Plan, report: Report, output: str | Path | None = None, *, pdf: bool = False,
                 base: str | Path | None = None, strict: bool = False, source: str | Path | None = None,
                 toc_pages: bool | None = None) -> ConvertResult:
    """Write an already read and checked plan as .docx (and .pdf).

    `toc_pages`: fill the table of contents' page numbers from a first LibreOffice render; by default
    only when a PDF is asked for (the .docx always asks Word to update its fields on opening).
    """
    if strict and report.errors:
        raise PlanHasErrors(report)
    src = Path(source) if source else None
    out, pdf_out = _outputs(src, output, pdf, base)
    if pdf or toc_pages:
        pdf_tool.require_soffice()        # before any work: a clear message, nothing half done
    doc = word.build_for_saving(plan, report, base=base)
    with atomic_path(out) as part:
        word.save(doc, part)
    paged = False
    if pdf or toc_pages:
        paged = finish_toc([out])[0]
    if pdf_out is not None:
        pdf_tool.convert_one(out, pdf_out)
    return ConvertResult(out, pdf_out, report, paged)


def convert(path: str | Path, output: str | Path | None = None, *, pdf: bool = False,
            base: str | Path | None = None, strict: bool = False, overwrite: bool = False,
            toc_pages: bool | None = None) -> ConvertResult:
    """Read and check a plan workbook, then write its Word document (default `<stem>.docx` beside it).

    Never overwrites the input, nor an existing output unless `overwrite`; files are written atomically. With `strict`, a plan with errors raises
    PlanHasErrors (nothing written). With `pdf`, a PDF is made by LibreOffice (OdplanError if absent).
    """
    path = Path(path)
    target, pdf_target = _outputs(path, output, pdf, base)     # refuses replacing an input first
    for out in (target, pdf_target):
        if out is not None:
            refuse_existing(out, overwrite)
    plan, report = check(path)
    return convert_plan(plan, report, target, pdf=pdf, base=base, strict=strict, source=path,
                        toc_pages=toc_pages)


def finish_toc(documents: Sequence[str | Path]) -> list[bool]:
    """Write real page numbers into the tables of contents of saved documents (one LibreOffice start).

    Each document is rendered once, the page of each heading is read from the PDF's named
    destinations, and the document is saved again (atomically) with those numbers. Returns, per
    document, whether its numbers were set. Batch conversion calls this once for all its files, then
    `pdf.to_pdf` once for the final PDFs.
    """
    docs = [Path(d) for d in documents]
    done = [False] * len(docs)
    with tempfile.TemporaryDirectory(prefix="odplan_toc_") as tmp:
        drafts = [Path(tmp) / f"draft{i:05d}.pdf" for i in range(len(docs))]
        made = pdf_tool.to_pdf(docs, drafts)
        for i, (doc_path, draft) in enumerate(zip(docs, made, strict=True)):
            if draft is None:
                continue
            pages = pdf_tool.bookmark_pages(draft)
            document = word.open_document(doc_path)
            if pages and word.set_toc_pages(document, pages):
                with atomic_path(doc_path) as part:
                    word.save(document, part)
                done[i] = True
    return done
