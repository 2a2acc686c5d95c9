"""Blocks as the Word reader gives them, written by hand for the placer's unit tests."""

from __future__ import annotations

from odplan_xl import schema
from odplan_xl.importer.placer import Imported, place
from odplan_xl.word.reading import Cell, Paragraph, Table, document_wordings

_WORDINGS = document_wordings()


def p(text: str, *, heading: int | None = None, bold: bool = False, listed: bool = False) -> Paragraph:
    return Paragraph(text=text, heading=heading, bold=bold, listed=listed,
                     style="List Bullet" if listed else ("Heading %d" % heading if heading else "Normal"))


def h(key: str, level: int = 1) -> Paragraph:
    """A section's heading as the template numbers it, in a Heading style."""
    return p(schema.section(key).numbered_heading, heading=level)


def item(text: str) -> Paragraph:
    return p(text, listed=True)


def table(*rows: list[str]) -> Table:
    return Table(tuple(tuple(Cell(text, i) for i, text in enumerate(row)) for row in rows))


def run(*blocks, year: int | None = None, self_audit: bool = True) -> Imported:
    return place(list(blocks), _WORDINGS, year=year, self_audit=self_audit)


def rows(imported: Imported, key: str) -> list[dict]:
    return imported.data["sections"].get(key, [])
