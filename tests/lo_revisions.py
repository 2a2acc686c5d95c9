"""LibreOffice as the independent reader of tracked changes: accept all or reject all, then the text.

Runs under the system Python (python3-uno) with its own headless soffice, as lo_helpers does. For each
(document, action) — action "accept", "reject" or "none" — it prints the body's text block by block
(paragraphs; tables cell by cell, in order), the headers' text and the number of tracked changes.
"""

from __future__ import annotations

import json
from pathlib import Path

from lo_helpers import run_uno

_SCRIPT = r'''
    jobs = json.loads(args[0])

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
'''


def read(jobs: list[tuple[str | Path, str]], *, timeout: float = 600) -> list[dict]:
    """LibreOffice's reading of each (document, "accept" | "reject" | "none")."""
    payload = json.dumps([(str(Path(p).resolve()), action) for p, action in jobs])
    return run_uno(_SCRIPT, [payload], timeout=timeout, what="reading")
