"""Where a button's unexpected failure is written for IT staff: %TEMP%\\odplan-xl-error.txt."""

from __future__ import annotations

import datetime as dt
import tempfile
import traceback
from pathlib import Path

LOG_NAME = "odplan-xl-error.txt"


def log_error(exc: BaseException) -> Path | None:
    """Write the traceback where IT staff can find it; the officer sees only a short message."""
    try:
        path = Path(tempfile.gettempdir()) / LOG_NAME
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        path.write_text(f"{dt.datetime.now().isoformat(timespec='seconds')}\n{text}", encoding="utf-8")
        return path
    except OSError:
        return None
