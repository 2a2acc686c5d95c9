"""The follow-up of a plan during its year: each activity's state on a date, and the figures per section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from odplan_xl import schema

if TYPE_CHECKING:
    from odplan_xl.plan.model import Plan, Row

# The states of the follow-up report, in its order. "late" is any activity neither done nor cancelled
# whose end date has passed (the checker's «نشاط متأخر»), postponed ones too: the figures, the list of
# late activities and the checker's warnings count the same rows.
STATES = ("planned", "ongoing", "done", "late", "postponed", "cancelled")
STATE_OF_CHOICE = {schema.PROGRESS_PLANNED: "planned", schema.PROGRESS_ONGOING: "ongoing",
                   schema.PROGRESS_DONE: "done", schema.PROGRESS_POSTPONED: "postponed",
                   schema.PROGRESS_CANCELLED: "cancelled"}
STATE_AR = {"planned": schema.PROGRESS_PLANNED, "ongoing": schema.PROGRESS_ONGOING,
            "done": schema.PROGRESS_DONE, "late": "متأخر", "postponed": schema.PROGRESS_POSTPONED,
            "cancelled": schema.PROGRESS_CANCELLED}
STATE_FR = {"planned": "Programmé", "ongoing": "En cours", "done": "Réalisé", "late": "En retard",
            "postponed": "Reporté", "cancelled": "Annulé"}
FINISHED = frozenset({schema.PROGRESS_DONE, schema.PROGRESS_CANCELLED})
FOLLOWED = tuple(s for s in schema.SECTIONS if s.followed_up)


def choice(row: Row) -> str:
    """The row's «حالة التنفيذ»: «مبرمج» when empty (or not one of the choices: reported by the checker)."""
    value = row.get("progress")
    return value if value in schema.PROGRESS_STATES else schema.PROGRESS_PLANNED


def dates(spec: schema.Section, row: Row) -> tuple[dt.date | None, dt.date | None]:
    """(start, end) of an activity; a section with one date (publication, reuse) has it as both."""
    start = row.get(spec.start) if spec.start else None
    end = row.get(spec.end) if spec.end else start
    return (start if isinstance(start, dt.date) else None, end if isinstance(end, dt.date) else None)


def is_late(spec: schema.Section, row: Row, today: dt.date) -> bool:
    """«نشاط متأخر»: its end date has passed and it is neither done nor cancelled."""
    end = dates(spec, row)[1]
    return end is not None and end < today and choice(row) not in FINISHED


def done_too_early(spec: schema.Section, row: Row, today: dt.date) -> bool:
    """Marked «منجز» although it has not started yet."""
    start = dates(spec, row)[0]
    return choice(row) == schema.PROGRESS_DONE and start is not None and start > today


def state(spec: schema.Section, row: Row, today: dt.date) -> str:
    """One of STATES for the report's figures."""
    state = STATE_OF_CHOICE[choice(row)]
    if state not in ("done", "cancelled") and is_late(spec, row, today):
        return "late"
    return state


@dataclass
class Late:
    """A late activity, for the report's list."""

    section: str
    activity: str
    responsible: str
    end: dt.date
    state: str          # its «حالة التنفيذ»
    note: str
    cell: str           # "Sheet!B7"


@dataclass
class Progress:
    """The follow-up figures of one plan on a date."""

    today: dt.date
    by_section: dict[str, dict[str, int]] = field(default_factory=dict)
    late: list[Late] = field(default_factory=list)
    followed: bool = False       # whether any row carries a «حالة التنفيذ»

    @property
    def total(self) -> dict[str, int]:
        return {s: sum(counts[s] for counts in self.by_section.values()) for s in STATES}

    @property
    def activities(self) -> int:
        return sum(self.total.values())

    @property
    def datasets(self) -> tuple[int, int]:
        """(published, planned) datasets of section 4: «منجز» against every dataset not cancelled."""
        counts = self.by_section.get("datasets", {})
        return counts.get("done", 0), sum(counts.values()) - counts.get("cancelled", 0)


def progress(plan: Plan, today: dt.date) -> Progress:
    """Every followed section's count per state, and the late activities (in plan order)."""
    out = Progress(today=today)
    for spec in FOLLOWED:
        counts = dict.fromkeys(STATES, 0)
        for row in plan.sections[spec.key].rows:
            if row.get("progress") not in (None, ""):
                out.followed = True
            st = state(spec, row, today)
            counts[st] += 1
            if st == "late":
                out.late.append(Late(
                    section=spec.key, activity=str(row.get(spec.activity) or ""),
                    responsible=str(row.get(spec.responsible) or "") if spec.responsible else "",
                    end=dates(spec, row)[1], state=choice(row), note=str(row.get("follow_note") or ""),
                    cell=row.cells.get(spec.activity or "", "")))
        out.by_section[spec.key] = counts
    return out
