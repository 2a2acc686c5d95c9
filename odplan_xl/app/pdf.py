"""PDF through LibreOffice headless: one soffice start for one or many documents, and page lookups."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from odplan_xl.errors import OdplanError
from odplan_xl.files import atomic_path

# Headings' bookmarks become named destinations: their pages fill the table of contents.
EXPORT_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {"ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"}}, separators=(",", ":"))

# Arabic fonts Word users have, mapped to free look-alikes when a PDF is made on Linux.
FONT_ALIASES = {"Simplified Arabic": "Noto Naskh Arabic", "Traditional Arabic": "Amiri",
                "Sakkal Majalla": "Amiri", "Arabic Typesetting": "Amiri"}
SYSTEM_FONTS_CONF = Path("/etc/fonts/fonts.conf")

_CANDIDATES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
)


def find_soffice() -> str | None:
    """Path of LibreOffice's soffice: $ODPLAN_SOFFICE, then PATH, then the usual install folders."""
    env = os.environ.get("ODPLAN_SOFFICE")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((c for c in _CANDIDATES if Path(c).exists()), None)


def require_soffice() -> str:
    soffice = find_soffice()
    if soffice is None:
        raise OdplanError("no-libreoffice")
    return soffice


def _fonts_conf(folder: Path) -> Path | None:
    if not SYSTEM_FONTS_CONF.exists():
        return None
    aliases = "".join(f'<alias binding="same"><family>{name}</family><prefer><family>{alias}</family>'
                      f"</prefer></alias>" for name, alias in FONT_ALIASES.items())
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<include ignore_missing="no">{SYSTEM_FONTS_CONF}</include>{aliases}</fontconfig>',
                    encoding="utf-8")
    return conf


def to_pdf(sources: Sequence[str | Path], outputs: Sequence[str | Path] | None = None, *,
           timeout: float | None = None) -> list[Path | None]:
    """Convert documents to PDF with a single LibreOffice start.

    `outputs` default to each source with a .pdf suffix; each is written atomically. Returns, per
    source, the PDF path, or None when LibreOffice produced nothing for that file (the others are
    still converted). Raises OdplanError when LibreOffice is missing or the run times out
    (default: 300 s + 60 s per document; 8,000 dataset rows take about 100 s here).
    """
    soffice = require_soffice()
    sources = [Path(s) for s in sources]
    targets = [Path(o) for o in outputs] if outputs is not None else [s.with_suffix(".pdf") for s in sources]
    if len(targets) != len(sources):
        raise ValueError("one output per source")
    if not sources:
        return []
    timeout = timeout if timeout is not None else 300 + 60 * len(sources)
    with tempfile.TemporaryDirectory(prefix="odplan_lo_") as tmp:
        work = Path(tmp)
        profile, inbox, outbox = work / "profile", work / "in", work / "out"
        inbox.mkdir()
        outbox.mkdir()
        # numbered copies: two inputs with the same name cannot overwrite each other's PDF
        staged = []
        for i, src in enumerate(sources):
            copy = inbox / f"d{i:05d}{src.suffix.lower() or '.docx'}"
            shutil.copyfile(src, copy)
            staged.append(copy)
        env = dict(os.environ)
        conf = _fonts_conf(work) if sys.platform.startswith("linux") else None
        if conf is not None and "FONTCONFIG_FILE" not in env:
            env["FONTCONFIG_FILE"] = str(conf)
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nologo", "--nodefault", "--nolockcheck", "--convert-to", EXPORT_FILTER,
               "--outdir", str(outbox), *map(str, staged)]
        _run(cmd, env, timeout)
        results: list[Path | None] = []
        for copy, target in zip(staged, targets, strict=True):
            made = outbox / f"{copy.stem}.pdf"
            if not made.exists() or made.stat().st_size == 0:
                results.append(None)
                continue
            with atomic_path(target) as part:
                shutil.copyfile(made, part)
            results.append(target)
        return results


def _run(cmd: list[str], env: dict[str, str], timeout: float) -> None:
    kwargs: dict = {"start_new_session": True} if os.name == "posix" else {
        "creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, **kwargs)
    try:
        proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise OdplanError("pdf-timeout", seconds=int(timeout)) from None
    except BaseException:
        _kill(proc)
        raise


def _kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(OSError):
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    with contextlib.suppress(Exception):
        proc.communicate(timeout=10)


def convert_one(source: str | Path, output: str | Path, *, timeout: float | None = None) -> Path:
    """One document to PDF; OdplanError when LibreOffice produced nothing."""
    made = to_pdf([source], [output], timeout=timeout)[0]
    if made is None:
        raise OdplanError("pdf-failed", name=Path(source).name)
    return made


_TOC_NAME = re.compile(r"Toc\d+")


def bookmark_pages(pdf: str | Path) -> dict[str, int]:
    """Page (from 1) of each heading bookmark `_Toc…` exported as a named destination."""
    from pypdf import (
        PdfReader,  # only when a PDF is read: a third of a second of imports otherwise
    )

    reader = PdfReader(str(pdf))
    pages = {}
    for name, dest in reader.named_destinations.items():
        match = _TOC_NAME.search(str(name))
        if match is None:
            continue
        page = reader.get_destination_page_number(dest)
        if page is not None and page >= 0:
            pages[f"_{match.group(0)}"] = page + 1
    return pages


def page_count(pdf: str | Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)
