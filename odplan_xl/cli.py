"""The `odplan-xl` command line: thin wrappers over the library functions of the same names.

Each command imports what it needs when it runs, so `--help`, `version` or `check` start quickly
(each Excel button and each command is a new Python process). rich is loaded only by the commands that
draw tables of their own or a progress bar (import, batch, national); the check report is plain text.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from odplan_xl.errors import OdplanError
from odplan_xl.version import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from odplan_xl.rules.findings import Report

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="الخطة السنوية لأنشطة البيانات المفتوحة — Plan annuel des données ouvertes.")


@functools.cache
def console(stderr: bool = False) -> Console:
    """rich's console on stdout (or stderr), made on first use by the commands that draw with rich."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


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
                write_json({"ok": False, "state": "refused", "error": error})
            shout(exc.message(lang))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            say("⏹ " + ("أُوقف التنفيذ." if lang == "ar" else "Interrompu."), sys.stderr)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # the last line of defence: a message, not a traceback
            msg = _INTERNAL[0 if lang == "ar" else 1].format(name=type(exc).__name__)
            shout(f"{msg}\n  {exc}")
            raise typer.Exit(3) from None

    return run


def write_json(doc: Any) -> None:
    import json

    say(json.dumps(doc, ensure_ascii=False, indent=2))


# --- plain output --------------------------------------------------------------------------------

_STYLES = {"bold": "1", "red": "31", "bold red": "1;31", "yellow": "33"}


def _coloured(stream: TextIO) -> bool:
    """Colours only on a terminal that shows them (NO_COLOR honoured; Windows: Windows Terminal)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if sys.platform == "win32" and "WT_SESSION" not in os.environ:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, style: str, stream: TextIO) -> str:
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if _coloured(stream) else text


def say(text: str = "", stream: TextIO | None = None) -> None:
    """One line on stdout (or `stream`), in UTF-8 even where the stream's own encoding cannot hold Arabic."""
    stream = stream or sys.stdout
    try:
        stream.write(text + "\n")
    except UnicodeEncodeError:
        stream.flush()
        stream.buffer.write((text + "\n").encode("utf-8"))
    stream.flush()


def shout(text: str) -> None:
    """An error line on stderr, marked ✗."""
    say(f"{paint('✗', 'bold red', sys.stderr)} {text}", sys.stderr)


def width(text: str) -> int:
    """Terminal cells of a text: combining marks (Arabic diacritics) and format characters take none."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(unicodedata.category(ch) not in ("Mn", "Me", "Cf") for ch in text)


def table_lines(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], *,
                right: frozenset[int] = frozenset(), free_last: bool = False,
                styles: Sequence[dict[int, str]] = (), stream: TextIO | None = None) -> list[str]:
    """A titled table as aligned plain lines, each row on one line.

    Columns are padded to their widest cell (those in `right` aligned right); with `free_last` the
    last column is not padded, so long messages stay whole on their line and a line break inside
    one continues under its column. `styles[i]` colours cells of row i on a terminal.
    """
    stream = stream or sys.stdout
    widths = [max([width(h), *(width(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    last = len(headers) - 1

    def cells(values: Sequence[str], style: dict[int, str] | None = None) -> str:
        out = []
        for i, value in enumerate(values):
            pad = " " * (widths[i] - width(value))
            if free_last and i == last:
                pad = ""
                value = value.replace("\n", "\n  " + " " * (sum(widths[:last]) + 2 * last))
            text = paint(value, style[i], stream) if style and i in style else value
            out.append(pad + text if i in right else text + pad)
        return ("  " + "  ".join(out)).rstrip()

    rules = ["─" * (width(headers[i]) if free_last and i == last else w) for i, w in enumerate(widths)]
    lines = [title, cells(headers), cells(rules)]
    lines += [cells(r, styles[n] if n < len(styles) else None) for n, r in enumerate(rows)]
    return lines


def print_report(report: Report, lang: str, stream: TextIO | None = None) -> None:
    """A readable report: completeness per section, then findings grouped by sheet with cell addresses."""
    from odplan_xl.findings import Severity

    stream = stream or sys.stdout
    ar = lang == "ar"
    lines = table_lines("الاكتمال حسب القسم" if ar else "Complétude par section",
                        ("القسم", "الأسطر", "الاكتمال") if ar else ("Section", "Lignes", "Complétude"),
                        [(s.sheet, str(s.rows), f"{s.percent:.0f}%") for s in report.sections],
                        right=frozenset({1, 2}), stream=stream)
    by_sheet: dict[str, list] = {}
    for f in report.findings:
        by_sheet.setdefault(f.sheet, []).append(f)
    for sheet, items in by_sheet.items():
        rows, styles = [], []
        for f in items:
            error = f.severity is Severity.ERROR
            sev = ("خطأ" if ar else "erreur") if error else ("تنبيه" if ar else "avertissement")
            rows.append((f.cell or "—", sev, f.code, f.message(lang)))
            styles.append({1: "red" if error else "yellow"})
        lines += ["", *table_lines(sheet, ("الخانة", "النوع", "الرمز", "الرسالة") if ar else
                                   ("Cellule", "Gravité", "Code", "Message"), rows, free_last=True,
                                   styles=styles, stream=stream)]
    say("\n".join(lines), stream)
    say(stream=stream)
    print_budget(report, lang, stream)
    say(stream=stream)
    say(summary_line(report, lang), stream)


def print_budget(report: Report, lang: str, stream: TextIO | None = None) -> None:
    """Section 10's totals per funding source and the grand total (the report's, as in Word and summaries)."""
    from odplan_xl.plan.display import format_amount

    stream = stream or sys.stdout
    ar = lang == "ar"
    rows = [(source, format_amount(amount)) for source, amount in report.budget.by_source.items()]
    rows.append(("المجموع" if ar else "Total", format_amount(report.budget.total)))
    say("\n".join(table_lines("الميزانية حسب مصدر التمويل (د.ت)" if ar else
                              "Budget par source de financement (TND)",
                              ("المصدر", "المبلغ") if ar else ("Source", "Montant"), rows,
                              right=frozenset({1}), styles=[{}] * (len(rows) - 1) + [{0: "bold", 1: "bold"}],
                              stream=stream)), stream)


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
    date: Annotated[str | None, typer.Option("--date", help="Judge late activities on this date "
                                                             "(dd/mm/yyyy or yyyy-mm-dd; default today).")] = None,
    lang: LangOpt = Lang.ar,
) -> None:
    """Check a plan: what is missing and where. Exit 0 complete, 1 errors, 2 unreadable."""
    from odplan_xl.app.check import check

    _, report = check(plan, today=_date(date))
    if format is Format.json:
        write_json(report.to_dict())
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

    say(f"✓ {new(path, overwrite=force)}")


@app.command("example")
@guarded
def example_cmd(
    path: Annotated[Path, typer.Argument(help="Where to write the example plan (.xlsx or .xlsm).")],
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """Write the example plan of a fictional ministry (a complete, realistic plan)."""
    from odplan_xl.app.workbooks import example

    say(f"✓ {example(path, overwrite=force)}")


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

    say(f"✓ {gantt(plan, output, weeks=weeks, overwrite=force)}")


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
        print_report(exc.report, lang, sys.stderr)
        raise typer.Exit(1) from None
    say(f"✓ {result.output}")
    if result.pdf:
        say(f"✓ {result.pdf}")
    say(summary_line(result.report, lang))


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
    say(f"✓ {result.output}")
    say(f"{result.rows} سطرا في {len(imported.sections)} قسما" if ar else
        f"{result.rows} ligne(s) dans {len(imported.sections)} section(s)")
    for warning in imported.warnings:
        say(f"{paint('!', 'yellow', sys.stderr)} {warning}", sys.stderr)
    if imported.unplaced:
        from rich.table import Table

        from odplan_xl.app.importing import moved_message

        table = Table(title=("نص غير مصنف (في الورقة «نص غير مصنف»)" if ar else
                             "Texte non classé (feuille « نص غير مصنف »)"))
        for title in (("الموضع", "النص") if ar else ("Emplacement", "Texte")):
            table.add_column(title, overflow="fold")
        for item in imported.unplaced:
            table.add_row(item.where, item.text if len(item.text) < 200 else item.text[:200] + "…")
        console(stderr=True).print(table)
        say(f"{paint('!', 'yellow', sys.stderr)} {moved_message(len(imported.unplaced), lang)}", sys.stderr)
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
                  TextColumn("{task.fields[current]}", style="dim"), console=console(stderr=True)) as bar:
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
    from odplan_xl.sheets.summary import RESULT_AR, RESULT_FR

    ar = lang == "ar"
    names = RESULT_AR if ar else RESULT_FR
    with progress_bar("التحويل" if ar else "Conversion", lang) as show:
        result = batch(inputs, outdir, jobs=jobs, pdf=pdf, strict=strict, base=base, overwrite=force,
                       progress=show)

    problems = [r for r in result.records if r["result"] != "complete" or r.get("pdf_error")]
    if problems:
        from rich.table import Table

        table = Table(title="ما يحتاج إلى متابعة" if ar else "À revoir")
        for title in (("الملف", "النتيجة", "السبب") if ar else ("Fichier", "Résultat", "Motif")):
            table.add_column(title, overflow="fold")
        for r in problems:
            reason = r.get("reason") or r.get("pdf_error")
            text = reason[lang] if reason else (f"{r['errors']} خطأ" if ar else f"{r['errors']} erreur(s)")
            table.add_row(r["file"], names[r["result"]], text)
        console().print(table)
    counts = " · ".join(f"{names[k]}: {result.counts[k]}" for k in RESULTS if result.counts[k])
    say(f"✓ {result.summary_xlsx}\n✓ {result.summary_json}\n{counts}")
    raise typer.Exit(result.exit_code)


@app.command("national")
@guarded
def national_cmd(
    inputs: Annotated[list[Path], typer.Argument(
        help="Plan workbooks, folders (searched recursively for .xlsx/.xlsm) or glob patterns.")],
    outdir: Annotated[Path, typer.Option("-o", "--outdir", help="Folder for national.xlsx, national.docx, "
                                         "datasets.jsonld, datasets.ckan.jsonl, organizations.ckan.jsonl "
                                         "and datasets.csv.")],
    jobs: Annotated[int | None, typer.Option("-j", "--jobs", min=1,
                                             help="Worker processes (default: every core).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Plan year kept (default: the most common).")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """The national picture of many plans: workbook with charts, report, catalogue of planned datasets.
    Exit 0 all complete, 1 some with errors, 2 some unreadable."""
    from odplan_xl.app.national import national
    from odplan_xl.sheets.summary import RESULT_AR, RESULT_FR

    ar = lang == "ar"
    names = RESULT_AR if ar else RESULT_FR
    with progress_bar("القراءة" if ar else "Lecture", lang) as show:
        result = national(inputs, outdir, jobs=jobs, year=year, overwrite=force, progress=show)

    problems = [r for r in result.records if not r.get("read")]
    if problems:
        from rich.table import Table

        table = Table(title="ملفات تعذرت قراءتها" if ar else "Fichiers illisibles")
        for title in (("الملف", "السبب") if ar else ("Fichier", "Motif")):
            table.add_column(title, overflow="fold")
        for r in problems:
            table.add_row(r["file"], (r.get("reason") or {}).get(lang, names[r["result"]]))
        console().print(table)
    for path in result.outputs:
        say(f"✓ {path}")
    for body, title, name in result.unknown_formats:
        say(f"! «{name}» ({body}، {title}): صيغة غير معروفة، لا dct:format" if ar else
            f"! «{name}» ({body}, {title}) : format inconnu, sans dct:format", sys.stderr)
    if result.year is None:
        kept = "لا خطة مقروءة" if ar else "aucun plan lisible"
    else:
        kept = f"{result.plans} خطة لسنة {result.year}" if ar else f"{result.plans} plan(s) de {result.year}"
    say(kept)
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
    import warnings

    from odplan_xl.app.national import datasets
    from odplan_xl.coordinator.catalogue import UnknownFormat

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnknownFormat)
        say(f"✓ {datasets(plan, output, overwrite=force)}")
    for warning in caught:
        say(f"! {warning.message}: " + ("صيغة غير معروفة، لا dct:format" if lang == "ar" else
                                        "format inconnu, sans dct:format"), sys.stderr)


# --- the second year: follow-up report, next year's plan, changes between versions --------------------

def _date(value: str | None) -> Any:
    """A --date option as a date (None: today); a date that cannot be read is refused (exit 2)."""
    if value is None:
        return None
    from odplan_xl.plan.normalize import parse_date

    try:
        return parse_date(value)
    except ValueError:
        shout(f"--date {value}: jj/mm/aaaa — يوم/شهر/سنة")
        raise typer.Exit(2) from None


@app.command("progress")
@guarded
def progress_cmd(
    plan: Annotated[Path, typer.Argument(help="The followed-up plan workbook (.xlsx/.xlsm).")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="The report to write (.docx).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="The follow-up's date (default today).")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """Write the follow-up report «تقرير متابعة تنفيذ الخطة السنوية» of a plan."""
    from odplan_xl.app.progress import progress_report
    from odplan_xl.plan.progress import STATE_AR, STATE_FR, STATES

    path, figures = progress_report(plan, output, today=_date(date), overwrite=force)
    names = STATE_AR if lang == "ar" else STATE_FR
    say(f"✓ {path}")
    say(" · ".join(f"{names[s]}: {n}" for s, n in figures.total.items() if s in STATES))


@app.command("next")
@guarded
def next_cmd(
    plan: Annotated[Path, typer.Argument(help="This year's followed-up plan workbook (.xlsx/.xlsm).")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="The new workbook (.xlsx, or .xlsm "
                                                                       "with buttons).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="The new plan's year (default: the plan's + 1).")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """Start next year's plan from this one: unfinished activities carried, dates left to set."""
    from odplan_xl import schema
    from odplan_xl.app.nextplan import next_plan

    path, carried = next_plan(plan, output, year=year, overwrite=force)
    ar = lang == "ar"
    rows = [((schema.section(k).sheet if k != "authors" else schema.COVER_SHEET), str(n),
             str(carried.left.get(k, {}).get("done", "")), str(carried.left.get(k, {}).get("cancelled", "")))
            for k, n in carried.carried.items()]
    say("\n".join(table_lines(("ما نُقل إلى خطة " if ar else "Repris dans le plan ") + str(carried.year),
                              ("القسم", "مُرحّل", "منجز (لم يُنقل)", "ملغى (لم يُنقل)") if ar else
                              ("Section", "Repris", "Réalisé (laissé)", "Annulé (laissé)"), rows,
                              right=frozenset({1, 2, 3}))))
    intros = carried.intros
    say(f"{schema.AUTHORS.heading}: {len(carried.data['authors'])} — مقدمات الأقسام: {intros} (مسودة للمراجعة)"
        if ar else f"Équipe ayant contribué : {len(carried.data['authors'])} — introductions : {intros} "
                   "(brouillon à revoir)")
    say(f"✓ {path}")


@app.command("diff")
@guarded
def diff_cmd(
    old: Annotated[Path, typer.Argument(help="The previous version of the plan (.xlsx/.xlsm).")],
    new: Annotated[Path, typer.Argument(help="The new version of the plan (.xlsx/.xlsm).")],
    format: Annotated[Format, typer.Option("--format", help="text (readable) or json.")] = Format.text,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="NEW's document with the changes "
                                                                       "tracked (.docx).")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """What changed between two versions of a plan. Exit 0 nothing changed, 1 changes."""
    from odplan_xl.app.diff import diff_plans, diff_text

    changes = diff_plans(old, new, output, overwrite=force)
    if format is Format.json:
        write_json(changes.to_dict())
    else:
        say(diff_text(changes, lang))
        if output is not None:
            say(f"✓ {output}")
    raise typer.Exit(1 if changes else 0)


@app.command("codes")
@guarded
def codes_cmd(lang: LangOpt = Lang.ar) -> None:
    """Print the reference of finding codes (Markdown)."""
    from odplan_xl import codes
    from odplan_xl.rules import live

    sys.stdout.write(codes.reference_markdown(live.where))


@app.command("errors")
@guarded
def errors_cmd(lang: LangOpt = Lang.ar) -> None:
    """Print the reference of errors that stop a command, and the exit codes (Markdown)."""
    from odplan_xl import errors

    sys.stdout.write(errors.reference_markdown())


@app.command("version")
def version_cmd() -> None:
    """Print the version of odplan-xl and of the schema."""
    from odplan_xl import schema

    say(f"odplan-xl {__version__} (schema {schema.SCHEMA_VERSION})")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
