"""The `odplan-xl` command line: thin wrappers over the library functions of the same names.

Each command imports what it needs when it runs, so `--help`, `version` or `check` start quickly
(each Excel button and each command is a new Python process). rich is loaded only by the commands that
draw tables of their own or a progress bar (import, batch, national); the check report is plain text.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from odplan_xl.errors import OdplanError, internal_error
from odplan_xl.version import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from odplan_xl.rules.findings import Report

LANGS = ("ar", "fr")
_CHOSEN: list[str] = []          # the language main() chose for this run (from --lang or ODPLAN_LANG)


def current_lang() -> str:
    """The language of this run: the one chosen once on the command line, else ODPLAN_LANG, else Arabic."""
    if _CHOSEN:
        return _CHOSEN[-1]
    env = os.environ.get("ODPLAN_LANG", "").strip()
    return env if env in LANGS else "ar"


@functools.cache
def texts() -> dict[str, Any]:
    """What the command line says about itself (help, usage errors), read only when it is shown."""
    import tomllib

    return tomllib.loads((Path(__file__).parent / "texts" / "cli.toml").read_text(encoding="utf-8"))


class _Localised:
    """--help in the run's language, from texts/cli.toml."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(help_text(self, ctx, current_lang()))


class LocalCommand(_Localised, typer.core.TyperCommand):
    pass


class LocalGroup(_Localised, typer.core.TyperGroup):
    pass


app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, cls=LocalGroup,
                  pretty_exceptions_enable=False,
                  help="الخطة السنوية لأنشطة البيانات المفتوحة — Plan annuel des données ouvertes.")


def command(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A command of `app` whose help speaks the run's language."""
    return app.command(name, cls=LocalCommand)


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


LangOpt = Annotated[Lang, typer.Option("--lang", envvar="ODPLAN_LANG", show_envvar=False,
                                       help="Language of messages: ar or fr (default: $ODPLAN_LANG, else ar).")]

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
        except OSError as exc:    # a fault of the operating system outside the safe writer: an input's read
            from odplan_xl.files import os_fault

            error = os_fault(exc)
            shout(error.message(lang))
            raise typer.Exit(error.exit_code) from None
        except Exception as exc:  # the last line of defence: a message, not a traceback
            error = internal_error(exc)
            shout(error.message(lang))
            raise typer.Exit(error.exit_code) from None

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


@command("check")
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


@command("new")
@guarded
def new_cmd(
    path: Annotated[Path, typer.Argument(help="Where to write the blank workbook (.xlsm with buttons, or .xlsx).")],
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """Create the blank plan workbook from the schema."""
    from odplan_xl.app.workbooks import new

    say(f"✓ {new(path, overwrite=force)}")


@command("example")
@guarded
def example_cmd(
    path: Annotated[Path, typer.Argument(help="Where to write the example plan (.xlsx or .xlsm).")],
    force: ForceOpt = False,
    lang: LangOpt = Lang.ar,
) -> None:
    """Write the example plan of a fictional ministry (a complete, realistic plan)."""
    from odplan_xl.app.workbooks import example

    say(f"✓ {example(path, overwrite=force)}")


@command("gantt")
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


@command("convert")
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


@command("import")
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
    """A progress bar on stderr fed by the events of batch and national (begin, start, file, pdf, write, end).

    The bar appears with the first event: a run refused before its work (an output exists, a folder
    that cannot be written) shows only its message.
    """
    ar = lang == "ar"
    state: dict[str, Any] = {}

    def bar_and_task() -> tuple[Any, Any]:
        if "bar" not in state:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeElapsedColumn(), TextColumn("{task.fields[current]}", style="dim"),
                           console=console(stderr=True))
            bar.start()
            state.update(bar=bar, task=bar.add_task(title, total=None, current=""))
        return state["bar"], state["task"]

    def show(event: Any) -> None:
        bar, task = bar_and_task()
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

    try:
        yield show
    finally:
        if "bar" in state:
            state["bar"].stop()


@command("batch")
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
    """Convert many plans in parallel, with a summary. Exit 0 all complete, 1 some with errors or some documents
    not written, 2 some unreadable or no document written."""
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
    skipped = sum(1 for r in result.records if r.get("skipped"))
    if skipped:
        say(f"{skipped} خطة لم تتغير منذ التحويل السابق: تُركت وثائقها كما هي (‎--force‎ لإعادة تحويلها)." if ar else
            f"{skipped} plan(s) inchangé(s) depuis la conversion précédente : documents laissés tels quels "
            "(--force pour les reconvertir).")
    raise typer.Exit(result.exit_code)


@command("national")
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
        say(unknown_format(f"«{name}» ({body}، {title})" if ar else f"«{name}» ({body}, {title})", lang), sys.stderr)
    if result.year is None:
        kept = "لا خطة مقروءة" if ar else "aucun plan lisible"
    else:
        kept = f"{result.plans} خطة لسنة {result.year}" if ar else f"{result.plans} plan(s) de {result.year}"
    say(kept)
    raise typer.Exit(result.exit_code)


@command("datasets")
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
        say(unknown_format(str(warning.message), lang), sys.stderr)


def unknown_format(what: str, lang: str) -> str:
    """The line naming a dataset format no file-type table knows (the catalogue gives it no dct:format)."""
    return f"! {what}" + (": صيغة غير معروفة، لا dct:format" if lang == "ar" else " : format inconnu, sans dct:format")


# --- the second year: follow-up report, next year's plan, changes between versions --------------------

def _date(value: str | None) -> Any:
    """A --date option as a date (None: today); a date that cannot be read is refused (exit 2)."""
    if value is None:
        return None
    from odplan_xl.plan.normalize import parse_date

    try:
        return parse_date(value)
    except ValueError:
        lang = current_lang()
        words = texts()["usage"]
        shout(words["bad_value"][lang].format(name="--date", value=value)
              + (" — يوم/شهر/سنة" if lang == "ar" else " — jj/mm/aaaa"))
        raise typer.Exit(2) from None


@command("progress")
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


@command("next")
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


@command("diff")
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


@command("codes")
@guarded
def codes_cmd(lang: LangOpt = Lang.ar) -> None:
    """Print the reference of finding codes (Markdown)."""
    from odplan_xl import codes
    from odplan_xl.rules import live

    if lang is Lang.fr:
        french = _reference_fr()["codes"]
        lines = ["# Codes des constats", "", "| code | gravité | signification | message |", "|---|---|---|---|"]
        lines += [f"| `{c.code}` | {'erreur' if c.severity.value == 'error' else 'avertissement'} | "
                  f"{french[c.code]} | {c.fr} |" for c in codes.CODES.values()]
        sys.stdout.write("\n".join(lines) + "\n")
    else:
        sys.stdout.write(codes.reference_markdown(live.where))


@command("errors")
@guarded
def errors_cmd(lang: LangOpt = Lang.ar) -> None:
    """Print the reference of errors that stop a command, and the exit codes (Markdown)."""
    from odplan_xl import errors

    if lang is Lang.fr:
        french = _reference_fr()
        lines = ["# Erreurs qui arrêtent une commande", "", "| code | sortie | signification | message |",
                 "|---|---|---|---|"]
        lines += [f"| `{e.code}` | {e.exit} | {french['errors'][e.code]} | {e.fr.replace(chr(10), ' ')} |"
                  for e in errors.ERRORS.values()]
        lines += ["", "## Codes de sortie", "", "| code | signification |", "|---|---|"]
        lines += [f"| {code} | {french['exit'][str(code)]} |" for code in errors.EXIT_CODES]
        sys.stdout.write("\n".join(lines) + "\n")
    else:
        sys.stdout.write(errors.reference_markdown())


def _reference_fr() -> dict[str, Any]:
    """The French meanings of the finding codes, error codes and exit codes."""
    import tomllib

    return tomllib.loads((Path(__file__).parent / "texts" / "reference_fr.toml").read_text(encoding="utf-8"))


@command("version")
def version_cmd() -> None:
    """Print the version of odplan-xl and of the schema."""
    from odplan_xl import schema

    say(f"odplan-xl {__version__} (schema {schema.SCHEMA_VERSION})")


# --- the language, help and usage errors ---------------------------------------------------------

def _click() -> Any:
    """The exceptions of the click that typer carries (typer is pinned in pyproject)."""
    from typer._click import exceptions

    return exceptions


def _words(lang: str) -> dict[str, str]:
    words = {key: value[lang] for key, value in texts()["words"].items()}
    words["colon"] = " :" if lang == "fr" else ":"          # French puts a space before a colon
    return words


def _param_help(command_name: str | None, param: Any, lang: str) -> str:
    """A parameter's help in `lang`: the command's own entry, else the shared one, else its English help."""
    own = texts()["commands"].get(command_name or "", {}).get("params", {})
    entry = own.get(param.name) or texts()["params"].get(param.name)
    return entry[lang] if entry else (param.help or "")


def _metavar(param: Any) -> str:
    """How a value is shown: PLAN for an argument, [a|b] for a choice, PATH, INTEGER..."""
    if param.param_type_name == "argument":
        return param.name.upper() + ("..." if param.nargs == -1 else "")
    if getattr(param, "is_flag", False):
        return ""
    if getattr(param.type, "choices", None):
        return "[" + "|".join(map(str, param.type.choices)) + "]"
    return "N" if param.type.name.startswith("integer") else param.type.name.upper()


def _columns(rows: list[tuple[str, str]]) -> list[str]:
    left = max((width(name) for name, _ in rows), default=0)
    return [f"  {name}{' ' * (left - width(name))}   {text}".rstrip() for name, text in rows]


def help_text(command: Any, ctx: Any, lang: str) -> str:
    """The help of the program or of one command, every word in `lang` (texts/cli.toml)."""
    w = _words(lang)
    group = hasattr(command, "commands")
    entry = texts()["app"] if group else texts()["commands"].get(command.name, {})
    params = command.get_params(ctx)
    arguments = [p for p in params if p.param_type_name == "argument"]
    options = [p for p in params if p.param_type_name == "option"]
    pieces = [w["options_piece"]] + ([w["command_piece"]] if group else [_metavar(p) for p in arguments])
    lines = [f"{w['usage']}{w['colon']} {ctx.command_path} {' '.join(pieces)}", "", entry.get(lang, command.help or ""), ""]
    name = None if group else command.name
    if arguments:
        lines += [f"{w['arguments']}{w['colon']}", *_columns([(_metavar(p), f"{_param_help(name, p, lang)}  {w['required']}")
                                                   for p in arguments]), ""]
    rows = []
    for p in options:
        label = ", ".join([*p.opts, *p.secondary_opts])
        value = _metavar(p)
        text = w["help_option"] if p.name == "help" else _param_help(name, p, lang)
        if p.required:
            text += f"  {w['required']}"
        elif value and p.default is not None and p.name != "lang":
            text += f"  [{w['default']}: {getattr(p.default, 'value', p.default)}]"
        rows.append((f"{label} {value}".strip(), text))
    lines += [f"{w['options']}{w['colon']}", *_columns(rows), ""]
    if group:
        names = command.list_commands(ctx)
        rows = [(n, texts()["commands"].get(n, {}).get(lang, "").split(". ")[0].rstrip(".") + ".")
                for n in names]
        lines += [f"{w['commands']}{w['colon']}", *_columns(rows), "", w["more"]]
    return "\n".join(lines).rstrip() + "\n"


def usage_message(exc: Any, lang: str) -> str:
    """A usage error (missing argument, unknown option, bad value...) in our own words, in `lang`."""
    click = _click()

    words = texts()["usage"]

    def t(key: str, **values: object) -> str:
        return words[key][lang].format(**values)

    ctx = exc.ctx
    command_name = ctx.command.name if ctx is not None and ctx.parent is not None else None
    param = getattr(exc, "param", None)
    quoted = re.findall(r"'([^']*)'", exc.message or "")
    if isinstance(exc, click.MissingParameter) and param is not None:
        key = "missing_argument" if param.param_type_name == "argument" else "missing_option"
        name = _metavar(param) if param.param_type_name == "argument" else "/".join(param.opts)
        text = t(key, name=name, help=_param_help(command_name, param, lang))
    elif isinstance(exc, click.NoSuchOption):
        text = t("no_such_option", name=exc.option_name)
        if exc.possibilities:
            text += " — " + t("did_you_mean", names=", ".join(sorted(exc.possibilities)))
    elif isinstance(exc, click.BadOptionUsage):
        text = t("needs_value", name=exc.option_name)
    elif isinstance(exc, click.BadParameter) and param is not None:
        name = _metavar(param) if param.param_type_name == "argument" else "/".join(param.opts)
        value = quoted[0] if quoted else (exc.message or "").split(" ")[0]
        if param.name == "lang" and value == os.environ.get("ODPLAN_LANG"):
            name = "ODPLAN_LANG"            # the default taken from the environment
        text = t("bad_value", name=name, value=value)
        if getattr(param.type, "choices", None):
            text += " — " + t("expected_choice", choices=" | ".join(map(str, param.type.choices)))
        elif getattr(param.type, "min", None) is not None:
            text += " — " + t("expected_min", min=param.type.min)
        elif param.type.name == "integer":
            text += " — " + t("expected_int")
    elif (exc.message or "").startswith("No such command"):
        import difflib

        name = quoted[0] if quoted else ""
        known = [c for c in app_command().list_commands(ctx)] if ctx is not None else []
        text = t("no_such_command", name=name)
        close = difflib.get_close_matches(name, known)
        text += " — " + (t("did_you_mean", names=", ".join(close)) if close else
                         t("known_commands", names=", ".join(known)))
    elif (exc.message or "").startswith("Got unexpected extra argument"):
        extra = re.search(r"\(([^()]*)\)$", exc.message or "")
        text = t("extra_argument", value=extra.group(1) if extra else "")
    elif (exc.message or "").startswith("Missing command"):
        text = t("missing_command")
    else:
        text = t("other", detail=exc.format_message())
    path = ctx.command_path if ctx is not None else "odplan-xl"
    return f"{text}\n  {t('hint', command=path)}"


@functools.cache
def app_command() -> Any:
    """The click command behind `app`, its help and messages in the run's language."""
    return typer.main.get_command(app)


def choose_language(args: list[str]) -> tuple[str, list[str]]:
    """The run's language and the arguments as the commands take them.

    `--lang X` is accepted before the command (moved after it) as well as after; the last one given
    wins; without one, ODPLAN_LANG, else Arabic.
    """
    out: list[str] = []
    chosen: str | None = None
    before: str | None = None
    command_at: int | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out += args[i:]
            break
        if (arg == "--lang" and i + 1 < len(args)) or arg.startswith("--lang="):
            value = arg.partition("=")[2] if "=" in arg else args[i + 1]
            i += 1 if "=" in arg else 2
            chosen = value
            if command_at is None:
                before = value
            elif out[command_at] != "version":        # the version speaks no language: nothing to pass
                out += ["--lang", value]
            continue
        if command_at is None and not arg.startswith("-"):
            command_at = len(out)
        out.append(arg)
        i += 1
    if before is not None and command_at is not None and out[command_at] != "version":
        out[command_at + 1:command_at + 1] = ["--lang", before]
    env = os.environ.get("ODPLAN_LANG", "").strip()
    lang = chosen if chosen in LANGS else env if env in LANGS else "ar"
    return lang, out


class _QuietPipe:
    """A standard stream that ends quietly when its reader goes away (`| head`): what is left to print is
    dropped, the command finishes its work and exits with its own code."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._gone()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._gone()

    def _gone(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> None:
    """The `odplan-xl` program: the language chosen once, usage errors in our words, quiet closed pipes."""
    click = _click()

    if not isinstance(sys.stdout, _QuietPipe):
        sys.stdout, sys.stderr = _QuietPipe(sys.stdout), _QuietPipe(sys.stderr)  # type: ignore[assignment]
    lang, args = choose_language(list(sys.argv[1:] if argv is None else argv))
    _CHOSEN.append(lang)
    try:
        code = app_command().main(args=args, prog_name="odplan-xl", standalone_mode=False)
    except click.NoArgsIsHelpError as exc:
        say(exc.ctx.get_help() if exc.ctx is not None else "")
        code = 0
    except click.UsageError as exc:
        shout(usage_message(exc, lang))
        code = 2
    except (click.Abort, KeyboardInterrupt):
        code = 130
    except Exception as exc:      # outside a command's guard (parsing): still a message, not a traceback
        error = internal_error(exc)
        shout(error.message(lang))
        code = error.exit_code
    sys.stdout.flush()
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
