"""LibreOffice in the tests: the one policy when it is missing, and LibreOffice as an independent reader
of our workbooks (VBA modules, sheet code names, button macros).

Policy (`require`, used through the `soffice` and `libreoffice_uno` fixtures of conftest.py): when the
environment variable CI is set, a missing LibreOffice is a test failure, never a skip, so a CI machine
without it cannot stay green; elsewhere the test is skipped with a reason saying how to install it.

The UNO bridge (python3-uno) is built for the system Python, not for the project's virtualenv, so
the inspection runs as a small script under /usr/bin/python3 that starts its own headless soffice
with a private profile, prints JSON and shuts soffice down again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
INSTALL = "sudo apt-get install libreoffice-calc-nogui libreoffice-writer-nogui python3-uno"

# ModuleType constants of com.sun.star.script.ModuleType.
MODULE_TYPES = {0: "UNKNOWN", 1: "NORMAL", 2: "CLASS", 3: "FORM", 4: "DOCUMENT"}

# Every script the tests run under the system Python: its own headless soffice with a private profile, a
# `desktop` to open documents with, `prop` for their properties, `args` for the script's own arguments; the
# body (indented as inside the `try:`) prints one JSON line; soffice is shut down whatever happens.
_PROLOGUE = r'''
import json, os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

profile, pipe = sys.argv[1:3]
args = sys.argv[3:]


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


proc = subprocess.Popen(
    ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
     "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
     "--accept=pipe,name=%s;urp;" % pipe],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
desktop = None
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except NoConnectException:
            if proc.poll() is not None:
                raise SystemExit("soffice exited with %s" % proc.returncode)
            time.sleep(0.25)
    else:
        raise SystemExit("no connection to soffice")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
'''
_EPILOGUE = r'''
finally:
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:
            pass
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
'''


def run_uno(body: str, args: list[str], *, timeout: float, what: str) -> Any:
    """Run `body` (a script's work, indented as inside the prologue's `try:`) under the system Python with
    its own headless LibreOffice; the last line it prints, read as JSON."""
    with tempfile.TemporaryDirectory(prefix="lo_") as profile:
        pipe = f"odplan_{uuid.uuid4().hex}"
        done = subprocess.run([SYSTEM_PYTHON, "-c", _PROLOGUE + body + _EPILOGUE, profile, pipe, *args],
                              capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"LibreOffice {what} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


_INSPECT = r'''
    path = args[0]
    # MacroExecutionMode 0 (never execute): the VBA modules and the button bindings are
    # still imported and listed, and nothing in the file runs.
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(path), "_blank", 0,
        (prop("Hidden", True), prop("ReadOnly", True), prop("MacroExecutionMode", 0)))
    if doc is None:
        raise SystemExit("LibreOffice could not open " + path)
    result = {"modules": {}, "sheets": [], "buttons": []}
    libs = doc.BasicLibraries
    result["libraries"] = list(libs.getElementNames())
    if libs.hasByName("VBAProject"):
        libs.loadLibrary("VBAProject")
        lib = libs.getByName("VBAProject")
        for name in lib.getElementNames():
            kind = lib.getModuleInfo(name).ModuleType if lib.hasModuleInfo(name) else None
            result["modules"][name] = {"type": kind, "source": lib.getByName(name)}
    sheets = doc.Sheets
    for i in range(sheets.Count):
        sheet = sheets.getByIndex(i)
        result["sheets"].append({"name": sheet.Name, "code_name": sheet.CodeName})
        forms = sheet.DrawPage.Forms
        for f in range(forms.Count):
            form = forms.getByIndex(f)
            for c in range(form.Count):
                control = form.getByIndex(c)
                info = control.getPropertySetInfo()
                label = control.Label if info.hasPropertyByName("Label") else None
                for event in form.getScriptEvents(c):
                    result["buttons"].append({
                        "sheet": sheet.Name, "label": label, "name": control.Name,
                        "listener": event.ListenerType, "event": event.EventMethod,
                        "script_type": event.ScriptType, "script": event.ScriptCode})
    doc.close(True)
    print(json.dumps(result))
'''


def unavailable(uno: bool = False) -> str | None:
    """Why LibreOffice (with the UNO bridge when `uno`) cannot be used here, or None when it can."""
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not on PATH"
    if not uno:
        return None
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} not found (the UNO bridge runs under the system Python)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        return "python3-uno is not installed for the system Python"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(uno: bool = False) -> str:
    """The path of soffice; when LibreOffice is missing, fail under CI and skip elsewhere (see above)."""
    reason = unavailable(uno)
    if reason is None:
        return str(shutil.which("soffice"))
    if in_ci():
        pytest.fail(f"{reason}: CI must install it ({INSTALL}, as .ci/run does)", pytrace=False)
    pytest.skip(f"{reason}; install it with: {INSTALL}")


def inspect_workbook(path: str | os.PathLike[str], *, timeout: float = 180) -> dict:
    """Open `path` in headless LibreOffice and report what it sees.

    Returns {"libraries": [Basic library names], "modules": {name: {"type": ModuleType name,
    "source": text as LibreOffice holds it}}, "sheets": [{"name", "code_name"}], "buttons":
    [{"sheet", "label", "name", "listener", "event", "script_type", "script", "macro"}]}, where
    `script` is the full script URL and `macro` its "VBAProject.OdplanButtons.OdplanCheck" part.
    """
    result = run_uno(_INSPECT, [str(Path(path).resolve())], timeout=timeout, what="inspection")
    for module in result["modules"].values():
        module["type"] = MODULE_TYPES.get(module["type"], module["type"])
    for button in result["buttons"]:
        button["macro"] = macro_name(button["script"])
    return result


def macro_name(script: str) -> str:
    """'VBAProject.OdplanButtons.OdplanCheck' from a LibreOffice script URL bound to a control."""
    prefix = "vnd.sun.star.script:"
    return script.removeprefix(prefix).split("?", 1)[0]


_RECALC = r'''
    outdir, paths = args[0], args[1:]
    times = {}
    for path in paths:
        start = time.perf_counter()
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
                                           (prop("Hidden", True), prop("MacroExecutionMode", 0)))
        if doc is None:
            raise SystemExit("LibreOffice could not open " + path)
        loaded = time.perf_counter()
        doc.calculateAll()
        computed = time.perf_counter()
        out = os.path.join(outdir, os.path.basename(path))
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(out)),
                       (prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        times[os.path.basename(path)] = {"load": loaded - start, "calculate": computed - loaded}
    print(json.dumps(times))
'''


def recalculate(paths: list[Path], outdir: Path, *, timeout: float = 900) -> dict[str, dict[str, float]]:
    """Open every workbook in one headless LibreOffice, recalculate all its formulas, save it as .xlsx
    into `outdir` (same file name). Returns {file name: {"load": s, "calculate": s}}.

    LibreOffice keeps the cached results of an .xlsx written by XlsxWriter on load: calculateAll()
    makes it compute every formula itself (the second engine of the live-layer tests).
    """
    outdir.mkdir(parents=True, exist_ok=True)
    names = [Path(p).name for p in paths]
    if len(set(names)) != len(names):
        raise ValueError("recalculate: file names must differ (they share one output folder)")
    return run_uno(_RECALC, [str(outdir), *(str(Path(p).resolve()) for p in paths)], timeout=timeout,
                   what="recalculation")
