"""What changed between two versions of a plan: cover fields, and per section the rows added, removed, changed.

Rows are matched by content, not by position: identical rows first (wherever they moved), then each
remaining old row with the new row most like it (same activity, or most fields equal), so a row whose
date moved is one changed row. A row no new row resembles is removed (an emptied row is not read, so it
is removed); a new row no old row resembles is added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from odplan_xl import schema
from odplan_xl.plan.model import Plan, Row, SectionData

# Below this share of equal fields (and without the same activity), two rows are not the same row.
SIMILAR = 0.5


def json_value(value: Any) -> Any:
    """A plan value as JSON: dates in ISO form, amounts as text (exact), the rest as it is."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class Changed:
    before: Row
    after: Row
    fields: list[str]


@dataclass
class SectionDiff:
    key: str
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class PlanDiff:
    cover: dict[str, tuple[Any, Any]]                 # field -> (before, after), changed fields only
    sections: dict[str, SectionDiff]                  # changed sections only, in plan order

    def __bool__(self) -> bool:
        return bool(self.cover or self.sections)

    def to_dict(self) -> dict[str, Any]:
        def row(key: str, r: Row) -> dict[str, Any]:
            return {k: json_value(r.values.get(k)) for k in _keys(key)}

        return {
            "cover": {k: {"before": json_value(a), "after": json_value(b)} for k, (a, b) in self.cover.items()},
            "sections": {key: {"added": [row(key, r) for r in d.added],
                               "removed": [row(key, r) for r in d.removed],
                               "changed": [{"before": row(key, c.before), "after": row(key, c.after),
                                            "fields": c.fields} for c in d.changed]}
                         for key, d in self.sections.items()},
        }


def _spec(key: str) -> schema.Section:
    return schema.AUTHORS if key == "authors" else schema.section(key)


def _keys(key: str) -> list[str]:
    """The compared columns of a section: every typed column (computed ones follow from them)."""
    return [c.key for c in _spec(key).columns if not c.computed]


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b or (a in (None, "") and b in (None, ""))


def _fields(keys: list[str], a: Row, b: Row) -> list[str]:
    return [k for k in keys if not _same(a.values.get(k), b.values.get(k))]


# Columns that tell one row from another: what is typed freely (a list's choice or a yes/no is shared
# by many rows and says little about which row it is).
_DESCRIPTIVE = frozenset({schema.Kind.TEXT, schema.Kind.LONG_TEXT, schema.Kind.DATE, schema.Kind.AMOUNT,
                          schema.Kind.INTEGER, schema.Kind.EMAIL})


def _score(keys: list[str], activity: str | None, a: Row, b: Row, descriptive: frozenset[str] = frozenset()
           ) -> float:
    """How alike two rows are: the share of equal fields among the descriptive ones filled in either
    (all fields when none is); 1 more for the same activity."""
    filled = [k for k in keys if k in descriptive and (a.values.get(k) not in (None, "") or
                                                       b.values.get(k) not in (None, ""))]
    if not filled:
        filled = [k for k in keys if a.values.get(k) not in (None, "") or b.values.get(k) not in (None, "")]
    if not filled:
        return 0.0
    share = sum(1 for k in filled if _same(a.values.get(k), b.values.get(k))) / len(filled)
    same_activity = activity is not None and a.values.get(activity) not in (None, "") and \
        _same(a.values.get(activity), b.values.get(activity))
    return share + (1.0 if same_activity else 0.0)


def compare_rows(key: str, old: list[Row], new: list[Row]) -> SectionDiff:
    keys = _keys(key)
    activity = _spec(key).activity
    descriptive = frozenset(c.key for c in _spec(key).columns if c.kind in _DESCRIPTIVE)
    out = SectionDiff(key)

    def ident(r: Row) -> tuple[Any, ...]:
        values = [r.values.get(k) for k in keys]
        return tuple((type(v).__name__, json_value(v)) if v not in (None, "") else None for v in values)

    unmatched_new: dict[tuple[Any, ...], list[int]] = {}
    for j, r in enumerate(new):
        unmatched_new.setdefault(ident(r), []).append(j)
    rest_old = []
    for r in old:
        same = unmatched_new.get(ident(r))
        if same:
            same.pop(0)
        else:
            rest_old.append(r)
    rest_new = sorted(j for js in unmatched_new.values() for j in js)
    pairs = sorted(((_score(keys, activity, a, new[j], descriptive), i, j) for i, a in enumerate(rest_old) for j in rest_new),
                   key=lambda t: (-t[0], t[1], t[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    matched: list[tuple[int, int]] = []
    for score, i, j in pairs:
        if score < SIMILAR or i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        matched.append((i, j))
    for i, j in sorted(matched, key=lambda p: p[1]):
        out.changed.append(Changed(rest_old[i], new[j], _fields(keys, rest_old[i], new[j])))
    out.removed = [r for i, r in enumerate(rest_old) if i not in used_old]
    out.added = [new[j] for j in rest_new if j not in used_new]
    return out


def compare(old: Plan, new: Plan) -> PlanDiff:
    """The differences from `old` to `new`."""
    cover = {}
    for col in schema.COVER_FIELDS:
        a, b = old.cover.get(col.key), new.cover.get(col.key)
        if not _same(a, b):
            cover[col.key] = (a, b)
    sections = {}
    pairs: list[tuple[str, SectionData, SectionData]] = [("authors", old.authors, new.authors)]
    pairs += [(s.key, old.sections[s.key], new.sections[s.key]) for s in schema.SECTIONS]
    for key, a, b in pairs:
        diff = compare_rows(key, a.rows, b.rows)
        if diff:
            sections[key] = diff
    return PlanDiff(cover, sections)
