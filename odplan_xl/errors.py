"""The one exception for 'cannot continue', with an Arabic and a French message."""

from __future__ import annotations


class OdplanError(Exception):
    """A file cannot be used at all (not a workbook, protected, foreign template, too big...).

    Raised deep inside, caught only at the edges (CLI, Excel buttons, batch), always shown as
    its message, never as a traceback.
    """

    exit_code = 2

    def __init__(self, code: str, ar: str, fr: str, *, where: str | None = None):
        self.code, self.ar, self.fr, self.where = code, ar, fr, where
        super().__init__(f"{code}: {fr}")

    def message(self, lang: str = "ar") -> str:
        text = self.ar if lang == "ar" else self.fr
        return f"{text} ({self.where})" if self.where else text
