"""Workbook files through openpyxl (the only package importing it): guarded reading, and writing sheets."""

from .read import (
                   MAX_DIRECTORY_BYTES,
                   MAX_FILE_BYTES,
                   MAX_PART_BYTES,
                   MAX_RATIO,
                   MAX_UNCOMPRESSED_BYTES,
                   FileGrid,
                   TableRef,
                   inspect_file,
                   open_grid,
                   parsers_are_safe,
)

__all__ = ["MAX_DIRECTORY_BYTES", "MAX_FILE_BYTES", "MAX_PART_BYTES", "MAX_RATIO", "MAX_UNCOMPRESSED_BYTES",
           "FileGrid", "TableRef", "inspect_file", "open_grid", "parsers_are_safe"]
