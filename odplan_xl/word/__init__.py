"""The plan as a Word document (python-docx and lxml live only in this package).

Layers, as in python-docx: `oxml` (XML names, element builders, page geometry) under `styles` (the base
document), `tables` (the fast row path), `pages` (page sections, headers, footers), `toc` and `wording`;
`document` builds the plan on top of them.
"""

from odplan_xl.word.document import (
                                     build_document,
                                     build_for_saving,
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

__all__ = ["build_document", "build_for_saving", "document_text", "format_amount", "format_date", "format_value",
           "load_base", "open_document", "save", "set_toc_pages", "toc_bookmarks", "write"]
