"""Safe output files: atomic writes, the operating system's faults as catalogue errors, safe names."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
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

    An exception (or Ctrl-C) midway leaves no partial file behind. An operating-system fault (no
    permission, read-only or full disk, a folder in the way, the target open in another program...)
    comes out as the catalogue's OdplanError naming `target`; what the libraries left half done
    (a zip being written, a generator of XML) is released here, so nothing is printed behind it.
    """
    import tempfile  # only when writing: reading a plan (check) imports this module for os_fault

    target = Path(target)
    tmp_path: Path | None = None
    failure: OSError | None = None
    stage = "open"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem[:40]}.", suffix=f".part{target.suffix}",
                                   dir=target.parent)
        os.close(fd)
        tmp_path = Path(tmp)
        os.chmod(tmp_path, 0o666 & ~_umask())   # mkstemp makes 0600; outputs are ordinary files
        stage = "write"
        yield tmp_path
        stage = "rename"
        os.replace(tmp_path, target)
    except BaseException as exc:
        failure = None if isinstance(exc, (OdplanError, KeyboardInterrupt, SystemExit)) else os_cause(exc)
        _release(exc)
        if failure is None:
            raise
        failure.__traceback__ = None
    finally:
        if tmp_path is not None:
            with contextlib.suppress(OSError):
                tmp_path.unlink()
    if failure is not None:
        raise os_fault(failure, target, temporary=tmp_path, replacing=stage == "rename")


def os_cause(exc: BaseException) -> OSError | None:
    """The operating-system fault behind `exc`: itself, or the OSError a library wrapped in its own error
    (xlsxwriter's FileCreateError(e), `raise ... from e`)."""
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, OSError) and item.errno is not None:
            return item
        todo += [*item.args[:1], item.__cause__]
    return None


def _release(exc: BaseException) -> None:
    """Finish what the failed block's frames still hold (open zips, XML generators) now and quietly.

    Their finalizers would otherwise run later, when the error is dropped, and print "Exception
    ignored in: <generator object WorksheetWriter.get_stream ...>" behind our message.
    """
    import gc
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        for item in (exc, exc.__cause__, exc.__context__):
            if item is not None and item.__traceback__ is not None:
                traceback.clear_frames(item.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _blocking_file(path: Path) -> Path:
    """The file standing where a folder of `path` is expected (or `path`'s folder when none is found)."""
    for parent in (*reversed(path.parents), path):
        if _exists(parent) and not parent.is_dir():
            return parent
    return path.parent


def os_fault(exc: OSError, path: str | os.PathLike[str] | None = None, *, temporary: Path | None = None,
             reading: bool | None = None, replacing: bool = False, folder: bool = False) -> OdplanError:
    """An operating-system fault at a read or a write as the catalogue's 'cannot continue', naming the path
    the user knows (`path`, never our temporary file) and what to do.

    `reading`: the fault met reading an input; None: guessed (a file the fault names that exists is an
    input: outputs are only ever written through `atomic_path`). `replacing`: met renaming onto an
    existing output, where Windows reports a file open in Word or Excel as a permission error. `folder`:
    `path` is the folder being made or written into, not a file.
    """
    named = Path(exc.filename) if isinstance(exc.filename, (str, os.PathLike)) else None
    base = Path(path) if path is not None else None
    written = exc.errno in _WRITE_ONLY
    if named is not None and base is not None and (written or _ours_too(exc.filename2, base, temporary)):
        named = None                      # a copy into our file (filename: its source), a full disk
    if named is not None and (base is None or not _ours(named, base, temporary)):
        base = named                      # the fault is about another file than the output: an input
        if reading is None:
            reading = _exists(named)
    where = base if base is not None else Path(".")
    place = where if folder else where.parent        # the folder written into
    number = exc.errno
    locked = getattr(exc, "winerror", None) in (32, 33) or number in (errno.EBUSY, errno.ETXTBSY)
    if locked or (replacing and number in (errno.EACCES, errno.EPERM) and _exists(where)):
        return OdplanError("output-locked", path=where)
    if number == errno.EROFS:
        return OdplanError("read-only", path=where)
    if number in _WRITE_ONLY:
        return OdplanError("disk-full", path=where)
    if number == errno.ENAMETOOLONG:
        return OdplanError("name-too-long", path=where)
    if number == errno.EISDIR:
        return OdplanError("folder-in-the-way", path=where)
    if number in (errno.ENOTDIR, errno.EEXIST):
        return OdplanError("file-in-the-way", path=_blocking_file(where) if not reading else where)
    if number == errno.ENOENT:
        if reading:
            return OdplanError("not-found", where=str(where))
        return OdplanError("folder-missing", path=place)
    if number in (errno.EACCES, errno.EPERM):
        if reading:
            return OdplanError("read-denied", path=where)
        return OdplanError("write-denied", path=place)
    if reading:
        return OdplanError("read-failed", path=where, reason=exc.strerror or type(exc).__name__)
    return OdplanError("write-failed", path=where, reason=exc.strerror or type(exc).__name__)


# Faults only a write meets: whatever file they name, the output is what could not be written.
_WRITE_ONLY = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG, errno.EROFS})


def _ours_too(second: object, target: Path, temporary: Path | None) -> bool:
    """Whether the second path of a two-path fault (a copy, a rename) is the output or our temporary file."""
    return isinstance(second, (str, os.PathLike)) and _ours(Path(second), target, temporary)


def _exists(path: Path) -> bool:
    """Path.exists() that answers False where the question itself is a fault (a name too long)."""
    try:
        return path.exists()
    except OSError:
        return False


def _ours(named: Path, target: Path, temporary: Path | None) -> bool:
    """Whether a path a fault names is the output itself, a folder made for it, or our temporary file."""
    if named == temporary or named == target or named in target.parents:
        return True
    return named.parent in (target, target.parent) and named.name.startswith(".") and ".part" in named.name


def writable_folder(folder: str | os.PathLike[str]) -> Path:
    """Make `folder` (and its parents) and write a small file in it, before a long run writes there: a
    folder that cannot be written stops the run at once with the catalogue's message."""
    import tempfile

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".odplan-", suffix=".part", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise os_fault(exc, folder, folder=True) from None
    return folder


def require_suffix(path: str | os.PathLike[str], allowed: tuple[str, ...], *, code: str = "output-extension"
                   ) -> Path:
    """The output path, unless its name does not end with one of `allowed` (".xlsx"...): then refused
    before any work, suggesting the same name with the right ending."""
    path = Path(path)
    if path.suffix.lower() in allowed:
        return path
    stem = path.stem if path.suffix else path.name
    suggestion = " / ".join(f"{stem}{s}" for s in allowed)
    endings = " ".join(allowed)
    if code == "bad-output-name":
        raise OdplanError("bad-output-name", name=path.name, suggestion=suggestion)
    if code == "catalogue-extension":
        raise OdplanError("catalogue-extension", name=path.name, suggestion=suggestion)
    raise OdplanError("output-extension", name=path.name,
                      why_ar=f"يجب أن ينتهي بـ {endings}، مثلا: {suggestion}",
                      why_fr=f"il doit se terminer par {endings}, par exemple : {suggestion}")


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
    try:
        exists = path.exists()
    except OSError as exc:              # a name too long, a folder that cannot be looked into
        raise os_fault(exc, path) from None
    if exists and not overwrite:
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
