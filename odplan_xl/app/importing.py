"""A plan written in Word brought into a new plan workbook: the library behind `odplan-xl import`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from odplan_xl.errors import OdplanError
from odplan_xl.files import refuse_existing, refuse_overwrite_input, require_suffix
from odplan_xl.importer.placer import Imported, place
from odplan_xl.word.reading import document_wordings, read_document
from odplan_xl.workbook.template import UNPLACED_SHEET, build_workbook

# At least this many of the ten sections must be found for a document to be taken for a plan.
MIN_SECTIONS = 2


@dataclass
class ImportResult:
    output: Path                 # the workbook written
    imported: Imported           # where every piece went, what found no place, warnings

    @property
    def rows(self) -> int:
        return sum(len(r) for r in self.imported.data["sections"].values())

    @property
    def exit_code(self) -> int:
        """0 when every piece was placed, 1 when some text is in the sheet «نص غير مصنف»."""
        return 1 if self.imported.unplaced else 0


# The default workbook's name: never `<stem>.xlsx`, the workbook a document made by `convert` came from.
DEFAULT_SUFFIX = "-imported.xlsx"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


def default_output(path: str | Path) -> Path:
    """`<document stem>-imported.xlsx` next to the document (`PLAN.docx` made from `PLAN.xlsx` does not
    reach back to it)."""
    path = Path(path)
    return path.with_name(path.stem + DEFAULT_SUFFIX)


def moved_message(n: int, lang: str = "ar") -> str:
    """How many texts went to the sheet «نص غير مصنف» («نُقلت 3 نصوص إلى ورقة نص غير مصنف»)."""
    if lang != "ar":
        return f"{n} texte(s) déplacé(s) dans la feuille « {UNPLACED_SHEET} »"
    if n == 1:
        return f"نُقل نص واحد إلى ورقة {UNPLACED_SHEET}"
    if n == 2:
        return f"نُقل نصان إلى ورقة {UNPLACED_SHEET}"
    if 3 <= n % 100 <= 10:
        return f"نُقلت {n} نصوص إلى ورقة {UNPLACED_SHEET}"
    return f"نُقل {n} نصا إلى ورقة {UNPLACED_SHEET}"


def import_docx(doc: str | Path, output: str | Path | None = None, *, overwrite: bool = False,
                year: int | None = None) -> ImportResult:
    """Read a plan written on the official Word template and write it as a plan workbook (status «مسودة»).

    Text that finds no place in a table goes to the sheet «نص غير مصنف» with where it was in the
    document; each row carries a note of where it came from. `year` sets the plan year when the
    document does not say it. Raises OdplanError for what is not a readable .docx or not a plan.
    """
    doc = Path(doc)
    if doc.suffix.lower() in WORKBOOK_SUFFIXES:
        raise OdplanError("workbook-not-document", name=doc.name)
    out = require_suffix(output if output is not None else default_output(doc), (".xlsx", ".xlsm"))
    refuse_overwrite_input(out, doc)
    refuse_existing(out, overwrite)
    document = read_document(doc)
    imported = place(document.blocks, document_wordings(), year=year)
    if len(imported.sections) < MIN_SECTIONS:
        raise OdplanError("not-a-plan", where=doc.name)
    build_workbook(out, imported.data)
    return ImportResult(out, imported)
