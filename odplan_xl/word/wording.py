"""The document's wording: the pieces of text kept in texts/word_ar.j2."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2


@lru_cache(maxsize=1)
def _texts() -> Any:
    # Output goes into the document as text through lxml, which escapes it: autoescaping here would
    # print "&lt;" literally. Values are data, never template source.
    env = jinja2.Environment(loader=jinja2.PackageLoader("odplan_xl", "texts"), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    return env.get_template("word_ar.j2").module


def text(name: str, *args: Any) -> str:
    """One piece of the document's wording (texts/word_ar.j2)."""
    return str(getattr(_texts(), name)(*args)).strip("\n")
