"""Safe output files: atomic writes, names derived safely from untrusted text."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from odplan_xl.errors import OdplanError

# Device names Windows opens instead of a file, whatever the extension (superscript digits too).
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                     *(f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789¹²³")}
# File systems stop at 255 bytes per name; Arabic takes 2 bytes a letter, emoji 4. Room is left
# for a suffix such as "_gantt.xlsx".
MAX_NAME_BYTES = 160


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it onto `target` only if the block succeeds.

    An exception (or Ctrl-C) midway leaves no partial file behind.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem[:40]}.", suffix=f".part{target.suffix}",
                               dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, 0o666 & ~_umask())   # mkstemp makes 0600; outputs are ordinary files
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def refuse_overwrite_input(output: Path, *inputs: Path) -> None:
    """Stop when an output path would replace one of the inputs."""
    out = output.resolve()
    for src in inputs:
        if out == Path(src).resolve():
            raise OdplanError("output-is-input", path=src)


def refuse_existing(output: str | os.PathLike[str], overwrite: bool) -> Path:
    """The output path, unless it exists and replacing it was not asked for (`--force`, `overwrite=True`)."""
    path = Path(output)
    if path.exists() and not overwrite:
        raise OdplanError("output-exists", path=path)
    return path


def safe_name(text: str, fallback: str = "plan", max_len: int = 80) -> str:
    """A file name stem from untrusted text: no separators, no traversal, no reserved names."""
    text = unicodedata.normalize("NFC", str(text))
    # drop control, format (bidi overrides, zero-width) and separator characters
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    text = re.sub(r'[\\/:*?"<>|]+', "_", text)
    text = re.sub(r"\s+", "_", text).strip("._ ")
    text = re.sub(r"\.{2,}", ".", text)[:max_len]
    while len(text.encode("utf-8")) > MAX_NAME_BYTES:
        text = text[:-1]
    text = text.strip("._ ")
    if not text or text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = f"{fallback}_{text}" if text else fallback
    return text
