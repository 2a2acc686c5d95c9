"""The `odplan-xl` command line: thin wrappers over the library functions of the same names."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from odplan_xl import __version__, errors, schema
from odplan_xl.errors import OdplanError
from odplan_xl.rules import codes
from odplan_xl.rules.findings import Report, Severity

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="الخطة السنوية لأنشطة البيانات المفتوحة — Plan annuel des données ouvertes.")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class Lang(StrEnum):
    ar = "ar"
    fr = "fr"


class Format(StrEnum):
    text = "text"
    json = "json"


LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of messages: ar or fr.")]

_INTERNAL = ("خطأ داخلي غير متوقع ({name}). الرجاء إبلاغ فريق odplan-xl مع الملف المعني.",
             "Erreur interne inattendue ({name}). Merci de la signaler avec le fichier concerné.")


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Library errors become a clear message and exit code 2; nothing reaches the user as a traceback."""

    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        lang = kwargs.get("lang", Lang.ar)
        try:
            return fn(*args, **kwargs)
        except OdplanError as exc:
            if kwargs.get("format") is Format.json:   # scripts always get a JSON object
                error = {"code": exc.code, "ar": exc.ar, "fr": exc.fr, "where": exc.where}
                sys.stdout.write(json.dumps({"ok": False, "state": "refused", "error": error},
                                            ensure_ascii=False, indent=2) + "\n")
            err.print(f"[bold red]✗[/] {exc.message(lang)}", markup=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("⏹ " + ("أُوقف التنفيذ." if lang == "ar" else "Interrompu."))
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # the last line of defence: a message, not a traceback
            msg = _INTERNAL[0 if lang == "ar" else 1].format(name=type(exc).__name__)
            err.print(f"[bold red]✗[/] {msg}\n  {exc}", markup=True)
            raise typer.Exit(3) from None

    return run


def print_report(report: Report, lang: str, console: Console = out) -> None:
    """A readable report: completeness per section, then findings grouped by sheet with cell addresses."""
    ar = lang == "ar"
    scores = Table(title="الاكتمال حسب القسم" if ar else "Complétude par section", show_lines=False)
    for title in (("القسم", "الأسطر", "الاكتمال") if ar else ("Section", "Lignes", "Complétude")):
        scores.add_column(title)
    for s in report.sections:
        scores.add_row(s.sheet, str(s.rows), f"{s.percent:.0f}%")
    console.print(scores)
    by_sheet: dict[str, list] = {}
    for f in report.findings:
        by_sheet.setdefault(f.sheet, []).append(f)
    for sheet, items in by_sheet.items():
        table = Table(title=sheet, title_justify="left")
        for title in (("الخانة", "النوع", "الرمز", "الرسالة") if ar else
                      ("Cellule", "Gravité", "Code", "Message")):
            table.add_column(title, overflow="fold")
        for f in items:
            sev = ("خطأ" if ar else "erreur") if f.severity is Severity.ERROR else (
                "تنبيه" if ar else "avertissement")
            style = "red" if f.severity is Severity.ERROR else "yellow"
            table.add_row(f.cell or "—", f"[{style}]{sev}[/]", f.code, f.message(lang))
        console.print(table)
    print_budget(report, lang, console)
    console.print(summary_line(report, lang))


def print_budget(report: Report, lang: str, console: Console = out) -> None:
    """Section 10's totals per funding source and the grand total (the report's, as in Word and summaries)."""
    from odplan_xl.plan.display import format_amount

    ar = lang == "ar"
    table = Table(title="الميزانية حسب مصدر التمويل (د.ت)" if ar else "Budget par source de financement (TND)")
    table.add_column("المصدر" if ar else "Source")
    table.add_column("المبلغ" if ar else "Montant", justify="right")
    for source, amount in report.budget.by_source.items():
        table.add_row(source, format_amount(amount))
    table.add_row("المجموع" if ar else "Total", format_amount(report.budget.total), style="bold")
    console.print(table)


HEADLINES = {
    "ar": {"complete": "✓ الخطة مكتملة", "incomplete": "✗ الخطة غير مكتملة",
           "invalid": "✗ الخطة تحتوي على قيم غير صالحة"},
    "fr": {"complete": "✓ Plan complet", "incomplete": "✗ Plan incomplet",
           "invalid": "✗ Le plan contient des valeurs invalides"},
}


def summary_line(report: Report, lang: str) -> str:
    """Complete, incomplete (something is missing) or invalid (all there, some values wrong)."""
    head = HEADLINES["ar" if lang == "ar" else "fr"][report.state]
    if lang == "ar":
        return (f"{head} — الاكتمال {report.score:.0f}% — {len(report.errors)} خطأ، "
                f"{len(report.warnings)} تنبيه")
    return (f"{head} — complétude {report.score:.0f} % — {len(report.errors)} erreur(s), "
            f"{len(report.warnings)} avertissement(s)")


@app.command("check")
@guarded
def check_cmd(
    plan: Annotated[Path, typer.Argument(help="The plan workbook (.xlsx/.xlsm).")],
    format: Annotated[Format, typer.Option("--format", help="text (readable) or json.")] = Format.text,
    lang: LangOpt = Lang.ar,
) -> None:
    """Check a plan: what is missing and where. Exit 0 complete, 1 errors, 2 unreadable."""
    from odplan_xl.app.check import check

    _, report = check(plan)
    if format is Format.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_report(report, lang)
    raise typer.Exit(0 if report.ok else 1)


ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]


@app.command("new")
@guarded
def new_cmd(
    path: Annotated[Path, typer.Argument(help="Where to write the blank workbook (.xlsm with buttons, or .xlsx).")],
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """Create the blank plan workbook from the schema."""
    from odplan_xl.app.workbooks import new

    out.print(f"✓ {new(path, overwrite=force)}")


@app.command("example")
@guarded
def example_cmd(
    path: Annotated[Path, typer.Argument(help="Where to write the example plan (.xlsx or .xlsm).")],
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """Write the example plan of a fictional ministry (a complete, realistic plan)."""
    from odplan_xl.app.workbooks import example

    out.print(f"✓ {example(path, overwrite=force)}")


@app.command("gantt")
@guarded
def gantt_cmd(
    plan: Annotated[Path, typer.Argument(help="The plan workbook (.xlsx/.xlsm); it is never modified.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="The new workbook to write.")] = None,
    weeks: Annotated[bool, typer.Option("--weeks", help="Add week columns.")] = False,
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """Write a new workbook: the plan plus the Gantt sheet «مخطط غانت»."""
    from odplan_xl.app.gantt import gantt

    out.print(f"✓ {gantt(plan, output, weeks=weeks, overwrite=force)}")


@app.command("convert")
@guarded
def convert_cmd(
    plan: Annotated[Path, typer.Argument(help="The plan workbook (.xlsx/.xlsm).")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="The .docx to write.")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF (needs LibreOffice).")] = False,
    base: Annotated[Path | None, typer.Option("--base", help="A .docx letterhead: styles, header, logo.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Refuse a plan that has errors (exit 1).")] = False,
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """Convert a plan to the final Word document (RTL Arabic, the official template's structure)."""
    from odplan_xl.app.convert import PlanHasErrors, convert

    try:
        result = convert(plan, output, pdf=pdf, base=base, strict=strict, overwrite=force)
    except PlanHasErrors as exc:
        print_report(exc.report, lang, console=err)
        raise typer.Exit(1) from None
    out.print(f"✓ {result.output}")
    if result.pdf:
        out.print(f"✓ {result.pdf}")
    out.print(summary_line(result.report, lang))


@app.command("import")
@guarded
def import_cmd(
    doc: Annotated[Path, typer.Argument(help="A plan written on the official Word template (.docx).")],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="The workbook to write (.xlsx, or .xlsm with buttons).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="The plan year, when the document does not say it.")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """Bring a plan written in Word into a new plan workbook. Exit 0 all placed, 1 some text unplaced, 2 unusable."""
    from odplan_xl.app.importing import import_docx

    result = import_docx(doc, output, overwrite=force, year=year)
    imported = result.imported
    ar = lang == "ar"
    out.print(f"✓ {result.output}")
    out.print((f"{result.rows} سطرا في {len(imported.sections)} قسما" if ar else
               f"{result.rows} ligne(s) dans {len(imported.sections)} section(s)"))
    for warning in imported.warnings:
        err.print(f"[yellow]![/] {warning}", markup=True)
    if imported.unplaced:
        table = Table(title=("نص غير مصنف (في الورقة «نص غير مصنف»)" if ar else
                             "Texte non classé (feuille « نص غير مصنف »)"))
        for title in (("الموضع", "النص") if ar else ("Emplacement", "Texte")):
            table.add_column(title, overflow="fold")
        for item in imported.unplaced:
            table.add_row(item.where, item.text if len(item.text) < 200 else item.text[:200] + "…")
        err.print(table)
    raise typer.Exit(result.exit_code)


@contextlib.contextmanager
def progress_bar(title: str, lang: str) -> Iterator[Callable[[Any], None]]:
    """A progress bar on stderr fed by the events of batch and national (begin, start, file, pdf, write, end)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    ar = lang == "ar"
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[current]}", style="dim"), console=err) as bar:
        task = bar.add_task(title, total=None, current="")

        def show(event: Any) -> None:
            if event.kind == "begin":
                bar.update(task, total=event.total, completed=event.done)
            elif event.kind == "start":
                bar.update(task, current=event.file)
            elif event.kind == "file":
                bar.update(task, completed=event.done)
            elif event.kind == "pdf":
                bar.update(task, description="PDF (LibreOffice)", current=event.file)
            elif event.kind == "write":
                bar.update(task, description="الكتابة" if ar else "Écriture", current="")
            elif event.kind == "end":
                bar.update(task, current="")

        yield show


@app.command("batch")
@guarded
def batch_cmd(
    inputs: Annotated[list[Path], typer.Argument(
        help="Plan workbooks, folders (searched recursively for .xlsx/.xlsm) or glob patterns.")],
    outdir: Annotated[Path, typer.Option("-o", "--outdir",
                                         help="Folder for the documents, summary.xlsx and summary.json.")],
    jobs: Annotated[int | None, typer.Option("-j", "--jobs", min=1,
                                             help="Worker processes (default: every core).")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write PDFs (one LibreOffice start for all).")] = False,
    base: Annotated[Path | None, typer.Option("--base", help="A .docx letterhead: styles, header, logo.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Do not convert plans that have errors.")] = False,
    force: Annotated[bool, typer.Option("--force",
                                        help="Convert again even when a document is newer than its plan.")] = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """Convert many plans in parallel, with a summary. Exit 0 all complete, 1 some with errors, 2 some unreadable."""
    from odplan_xl.app.batch import RESULTS, batch
    from odplan_xl.app.summary import RESULT_AR, RESULT_FR

    ar = lang == "ar"
    names = RESULT_AR if ar else RESULT_FR
    with progress_bar("التحويل" if ar else "Conversion", lang) as show:
        result = batch(inputs, outdir, jobs=jobs, pdf=pdf, strict=strict, base=base, overwrite=force,
                       progress=show)

    problems = [r for r in result.records if r["result"] != "complete" or r.get("pdf_error")]
    if problems:
        table = Table(title="ما يحتاج إلى متابعة" if ar else "À revoir")
        for title in (("الملف", "النتيجة", "السبب") if ar else ("Fichier", "Résultat", "Motif")):
            table.add_column(title, overflow="fold")
        for r in problems:
            reason = r.get("reason") or r.get("pdf_error")
            text = reason[lang] if reason else (f"{r['errors']} خطأ" if ar else f"{r['errors']} erreur(s)")
            table.add_row(r["file"], names[r["result"]], text)
        out.print(table)
    counts = " · ".join(f"{names[k]}: {result.counts[k]}" for k in RESULTS if result.counts[k])
    out.print(f"✓ {result.summary_xlsx}\n✓ {result.summary_json}\n{counts}")
    raise typer.Exit(result.exit_code)


@app.command("national")
@guarded
def national_cmd(
    inputs: Annotated[list[Path], typer.Argument(
        help="Plan workbooks, folders (searched recursively for .xlsx/.xlsm) or glob patterns.")],
    outdir: Annotated[Path, typer.Option("-o", "--outdir", help="Folder for national.xlsx, national.docx, "
                                         "datasets.jsonld, datasets.ckan.jsonl and datasets.csv.")],
    jobs: Annotated[int | None, typer.Option("-j", "--jobs", min=1,
                                             help="Worker processes (default: every core).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Plan year kept (default: the most common).")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """The national picture of many plans: workbook with charts, report, catalogue of planned datasets.
    Exit 0 all complete, 1 some with errors, 2 some unreadable."""
    from odplan_xl.app.summary import RESULT_AR, RESULT_FR
    from odplan_xl.coordinator import national

    ar = lang == "ar"
    names = RESULT_AR if ar else RESULT_FR
    with progress_bar("القراءة" if ar else "Lecture", lang) as show:
        result = national(inputs, outdir, jobs=jobs, year=year, overwrite=force, progress=show)

    problems = [r for r in result.records if not r.get("read")]
    if problems:
        table = Table(title="ملفات تعذرت قراءتها" if ar else "Fichiers illisibles")
        for title in (("الملف", "السبب") if ar else ("Fichier", "Motif")):
            table.add_column(title, overflow="fold")
        for r in problems:
            table.add_row(r["file"], (r.get("reason") or {}).get(lang, names[r["result"]]))
        out.print(table)
    for path in result.outputs:
        out.print(f"✓ {path}")
    kept = (f"{result.plans} خطة لسنة {result.year}" if ar else f"{result.plans} plan(s) de {result.year}")
    out.print(kept)
    raise typer.Exit(result.exit_code)


@app.command("datasets")
@guarded
def datasets_cmd(
    plan: Annotated[Path, typer.Argument(help="The plan workbook (.xlsx/.xlsm).")],
    output: Annotated[Path, typer.Option("-o", "--output",
                                         help="OUT.jsonld (DCAT-AP), OUT.jsonl (CKAN) or OUT.csv.")],
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """One plan's planned datasets (section 4) as an open-data catalogue."""
    from odplan_xl.coordinator import datasets

    out.print(f"✓ {datasets(plan, output, overwrite=force)}")


@app.command("codes")
@guarded
def codes_cmd(lang: LangOpt = Lang.ar) -> None:
    """Print the reference of finding codes (Markdown)."""
    sys.stdout.write(codes.reference_markdown())


@app.command("errors")
@guarded
def errors_cmd(lang: LangOpt = Lang.ar) -> None:
    """Print the reference of errors that stop a command, and the exit codes (Markdown)."""
    sys.stdout.write(errors.reference_markdown())


@app.command("version")
def version_cmd() -> None:
    """Print the version of odplan-xl and of the schema."""
    out.print(f"odplan-xl {__version__} (schema {schema.SCHEMA_VERSION})")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
