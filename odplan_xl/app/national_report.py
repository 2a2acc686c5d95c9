"""national.docx: the charts drawn from the figures, then the document written by the Word layer."""

from __future__ import annotations

from pathlib import Path

from odplan_xl import schema
from odplan_xl.coordinator import charts
from odplan_xl.coordinator.figures import CELL_AR, STATES, Body, Figures
from odplan_xl.plan.display import format_number, format_percent
from odplan_xl.word import national as word_national

CHART_BODIES = 40        # more bodies than this: the completeness chart counts plans per state
STATE_COLOURS = (charts.GREEN, charts.ORANGE, charts.RED)


def _note(body: Body) -> str:
    """What the end of a body's bar says: the share of valid cells, and its errors when it has some."""
    valid = format_percent(body.cells.shares()[0])
    errors = body.record.get("errors") or 0
    return f"{valid} — {word_national.text('chart_errors', errors)}" if errors else valid


def chart_images(f: Figures) -> dict[str, bytes]:
    """The report's three charts as PNG images."""
    out = {}
    if 0 < len(f.bodies) <= CHART_BODIES:
        shares = [b.cells.shares() for b in f.bodies]
        parts = [(CELL_AR[state], [s[k] for s in shares], colour)
                 for k, (state, colour) in enumerate(zip(STATES, STATE_COLOURS, strict=True))]
        out["completeness"] = charts.stacked(word_national.text("chart_completeness"), [b.name for b in f.bodies],
                                             parts, [_note(b) for b in f.bodies],
                                             [STATE_COLOURS[STATES.index(b.state)] for b in f.bodies],
                                             lambda v: format_percent(v, 0))
    elif f.bodies or f.unreadable:      # one bar per body would be unreadable: how many plans per state
        bars = f.state_bars()
        out["completeness"] = charts.bars(word_national.text("chart_completeness_states"),
                                          [label for label, _ in bars], [n for _, n in bars], format_number)
    out["months"] = charts.columns(word_national.text("chart_months"), schema.MONTHS_AR, f.months[:12],
                                   word_national.text("chart_months_axis"), format_number)
    out["budget"] = charts.bars(word_national.text("chart_budget"), f.sources, [float(f.budget(s)) for s in f.sources],
                                format_number)
    return out


def write(f: Figures, path: Path) -> Path:
    """national.docx, written atomically."""
    return word_national.write(f, chart_images(f), path)
