"""LibreOffice as the independent reader of tracked changes: accept all or reject all, then the text.

Runs under the system Python (python3-uno) with its own headless soffice, as lo_helpers does. For each
(document, action) — action "accept", "reject" or "none" — it prints the body's text block by block
(paragraphs; tables cell by cell, in order), the headers' text and the number of tracked changes.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import uuid
from pathlib import Path

from lo_helpers import SYSTEM_PYTHON

_SCRIPT = r'''
import json, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

jobs, profile, pipe = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def blocks(text):
    out = []
    en = text.createEnumeration()
    while en.hasMoreElements():
        part = en.nextElement()
        if part.supportsService("com.sun.star.text.TextTable"):
            for name in part.getCellNames():
                out.append("cell:" + part.getCellByName(name).getString())
        else:
            out.append(part.getString())
    return out


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
    dispatcher = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    results = []
    for path, action in jobs:
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True),))
        redlines = doc.getRedlines().createEnumeration()
        count = 0
        authors = set()
        while redlines.hasMoreElements():
            r = redlines.nextElement()
            count += 1
            authors.add(r.getPropertyValue("RedlineAuthor"))
        frame = doc.getCurrentController().getFrame()
        if action == "accept":
            dispatcher.executeDispatch(frame, ".uno:AcceptAllTrackedChanges", "", 0, ())
        elif action == "reject":
            dispatcher.executeDispatch(frame, ".uno:RejectAllTrackedChanges", "", 0, ())
        left = doc.getRedlines().createEnumeration().hasMoreElements()
        headers = []
        styles = doc.getStyleFamilies().getByName("PageStyles")
        for name in sorted(styles.getElementNames()):
            style = styles.getByName(name)
            if style.getPropertyValue("HeaderIsOn"):
                headers.append(style.getPropertyValue("HeaderText").getString())
        results.append({"blocks": blocks(doc.getText()), "headers": sorted(set(headers)),
                        "redlines": count, "authors": sorted(authors), "left": left})
        doc.close(True)
    print(json.dumps(results))
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


def read(jobs: list[tuple[str | Path, str]], *, timeout: float = 600) -> list[dict]:
    """LibreOffice's reading of each (document, "accept" | "reject" | "none")."""
    payload = json.dumps([(str(Path(p).resolve()), action) for p, action in jobs])
    with tempfile.TemporaryDirectory(prefix="lo_") as profile:
        pipe = f"odplan_{uuid.uuid4().hex}"
        done = subprocess.run([SYSTEM_PYTHON, "-c", _SCRIPT, payload, profile, pipe],
                              capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"LibreOffice reading failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])
