"""The batch summary's files: summary.xlsx (the sheet of `sheets/summary.py`) and summary.json; the previous
run's records, to keep the rows of plans not converted again."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from odplan_xl import schema
from odplan_xl.files import atomic_path
from odplan_xl.sheets.summary import RESULT_AR, note, sheet
from odplan_xl.version import __version__

WRITER = "odplan_xl.xlsx.write"      # what `write` imports (openpyxl): only then, or ahead by batch


# --- JSON ---------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """JSON values: amounts as text with three decimals (exact millimes), dates as ISO text."""
    if isinstance(value, Decimal):
        return f"{value:.3f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def document(records: list[dict[str, Any]], *, options: dict[str, Any], exit_code: int) -> dict[str, Any]:
    """summary.json: the run, the counts, and every record with every finding."""
    counts = {key: sum(1 for r in records if r["result"] == key) for key in RESULT_AR}
    return {
        "tool": f"odplan-xl {__version__}",
        "schema_version": schema.SCHEMA_VERSION,
        "created": dt.datetime.now().astimezone().replace(microsecond=0).isoformat(),
        "options": options,
        "exit_code": exit_code,
        "counts": counts,
        "plans": [{**_plain(r), "note": note(r)} for r in records],
    }


def write(records: list[dict[str, Any]], xlsx: Path, json_path: Path, *, options: dict[str, Any],
          exit_code: int) -> None:
    """Write summary.xlsx and summary.json, each atomically."""
    from odplan_xl.xlsx.write import write_summary  # WRITER

    write_summary(xlsx, sheet(records, xlsx.parent), filter_row=1)
    text = json.dumps(document(records, options=options, exit_code=exit_code), ensure_ascii=False, indent=1)
    with atomic_path(json_path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except (InvalidOperation, TypeError, ValueError):
        return None


def previous_run(json_path: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The options and records (by input path) of the last run, to keep the rows of plans not converted
    again; empty when there is no usable summary.json."""
    try:
        doc = json.loads(json_path.read_text(encoding="utf-8"))
        plans, options = doc["plans"], doc["options"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}, {}
    out = {}
    for rec in plans if isinstance(plans, list) else []:
        if not isinstance(rec, dict) or not isinstance(rec.get("path"), str):
            continue
        rec = dict(rec)
        rec.pop("note", None)
        rec["budget_total"] = _amount(rec.get("budget_total"))
        by_source = rec.get("budget_by_source")
        rec["budget_by_source"] = ({k: _amount(v) for k, v in by_source.items()}
                                   if isinstance(by_source, dict) else {})
        out[rec["path"]] = rec
    return (options if isinstance(options, dict) else {}), out


def still_valid(old: dict[str, Any], source: Path, output: Path) -> bool:
    """A previous record still describes `source`: same size and time, same document, still there."""
    try:
        stat = source.stat()
    except OSError:
        return False
    return (old.get("result") in ("complete", "incomplete") and old.get("output") == str(output)
            and output.exists() and old.get("size") == stat.st_size
            and old.get("mtime_ns") == stat.st_mtime_ns and isinstance(old.get("findings"), list))
