"""What changed between two versions of a plan: the library behind `odplan-xl diff`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from odplan_xl.files import atomic_path, refuse_existing, refuse_overwrite_input, require_suffix
from odplan_xl.plan.compare import PlanDiff, compare


def diff_plans(old: str | Path, new: str | Path, output: str | Path | None = None, *,
               overwrite: bool = False, when: dt.datetime | None = None) -> PlanDiff:
    """The differences from the workbook `old` to the workbook `new` (cover fields, rows per section).

    With `output` (a .docx): NEW's plan document with the differences as Word tracked changes, by
    «odplan-xl» on `when` (default now): accepting all gives NEW's document, rejecting all OLD's.
    """
    from odplan_xl.app.check import check

    old, new = Path(old), Path(new)
    out = require_suffix(output, (".docx",), code="bad-output-name") if output is not None else None
    if out is not None:
        refuse_overwrite_input(out, old, new)
        refuse_existing(out, overwrite)
    old_plan, old_report = check(old)
    new_plan, new_report = check(new)
    changes = compare(old_plan, new_plan)
    if out is not None:
        from odplan_xl.word.revisions import tracked_document

        when = when or dt.datetime.now(dt.UTC)
        stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        blob = tracked_document((old_plan, old_report), (new_plan, new_report), stamp)
        with atomic_path(out) as part:
            part.write_bytes(blob)
    return changes


# the words of GLOSSARY (Follow-up and the second year): أضيف / حُذف / عُدّل
_WORDS = {"ar": {"title": "ما الذي تغيّر", "none": "لا يوجد أي تغيير.", "cover": "الغلاف", "added": "أضيف",
                 "removed": "حُذف", "changed": "عُدّل"},
          "fr": {"title": "Ce qui a changé", "none": "Aucun changement.", "cover": "Couverture",
                 "added": "ajouté", "removed": "supprimé", "changed": "modifié"}}


def diff_text(changes: PlanDiff, lang: str = "ar") -> str:
    """The differences as readable lines: the cover's fields, then each changed section's rows."""
    from odplan_xl import schema
    from odplan_xl.plan.display import format_value

    words = _WORDS["ar" if lang == "ar" else "fr"]
    if not changes:
        return words["none"]

    def label(spec: schema.Section, row) -> str:
        key = spec.activity or spec.columns[0].key
        return format_value(row.values.get(key)) or "—"

    lines = [words["title"]]
    if changes.cover:
        lines.append(f"\n{words['cover']}")
        for key, (a, b) in changes.cover.items():
            col = next(c for c in schema.COVER_FIELDS if c.key == key)
            lines.append(f"  {words['changed']}: {col.ar if lang == 'ar' else col.fr}: "
                         f"{format_value(a) or '—'} → {format_value(b) or '—'}")
    for key, d in changes.sections.items():
        spec = schema.AUTHORS if key == "authors" else schema.section(key)
        lines.append(f"\n{spec.sheet if key != 'authors' else spec.heading}")
        lines += [f"  + {words['added']}: {label(spec, r)}" for r in d.added]
        lines += [f"  - {words['removed']}: {label(spec, r)}" for r in d.removed]
        for c in d.changed:
            fields = ", ".join(spec.column(k).ar if lang == "ar" else spec.column(k).fr for k in c.fields)
            lines.append(f"  ~ {words['changed']}: {label(spec, c.after)} ({fields})")
    return "\n".join(lines)
