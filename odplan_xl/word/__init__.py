"""The plan as a Word document (python-docx and lxml live only in this package)."""

from odplan_xl.word.document import (
                                     build_document,
                                     document_text,
                                     format_amount,
                                     format_date,
                                     format_value,
                                     load_base,
                                     open_document,
                                     save,
                                     set_toc_pages,
                                     toc_bookmarks,
                                     write,
)

__all__ = ["build_document", "document_text", "format_amount", "format_date", "format_value", "load_base",
           "open_document", "save", "set_toc_pages", "toc_bookmarks", "write"]
