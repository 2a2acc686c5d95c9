"""Workbook files: guarded reading (python-calamine; openpyxl for the numbers it cannot give exactly)
and writing sheets (openpyxl). The only package importing either library; openpyxl is imported only
by the modules that write, and by the fallback reader when a sheet needs it."""

from odplan_xl.package import (
    MAX_DIRECTORY_BYTES,
    MAX_FILE_BYTES,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_UNCOMPRESSED_BYTES,
)

from .read import FileGrid, inspect_file, open_grid


def parsers_are_safe() -> bool:
    """Whether openpyxl (the writer, and the fallback reader) parses XML without expanding entities."""
    from .fallback import parsers_are_safe as safe

    return safe()


__all__ = ["MAX_DIRECTORY_BYTES", "MAX_FILE_BYTES", "MAX_PART_BYTES", "MAX_RATIO", "MAX_UNCOMPRESSED_BYTES",
           "FileGrid", "inspect_file", "open_grid", "parsers_are_safe"]
