"""national.docx: the charts drawn from the figures, then the document written by the Word layer."""

from __future__ import annotations

from pathlib import Path

from odplan_xl import schema
from odplan_xl.coordinator import charts
from odplan_xl.coordinator.figures import Figures
from odplan_xl.word import national as word_national

CHART_BODIES = 40        # more bodies than this: the completeness chart counts plans per band


def chart_images(f: Figures) -> dict[str, bytes]:
    """The report's three charts as PNG images."""
    out = {}
    if 0 < len(f.bodies) <= CHART_BODIES:
        out["completeness"] = charts.bars(word_national.text("chart_completeness"), [b.name for b in f.bodies],
                                          [b.completeness for b in f.bodies], "{:.1%}", limit=1.0)
    elif f.bodies:           # one bar per body would be unreadable: how many plans per band
        bands = f.completeness_bands()
        out["completeness"] = charts.bars(word_national.text("chart_completeness_bands"),
                                          [label for label, _ in bands], [n for _, n in bands], "{:.0f}")
    out["months"] = charts.columns(word_national.text("chart_months"), schema.MONTHS_AR, f.months[:12],
                                   word_national.text("chart_months_axis"))
    out["budget"] = charts.bars(word_national.text("chart_budget"), f.sources, [float(f.budget(s)) for s in f.sources],
                                "{:,.0f}")
    return out


def write(f: Figures, path: Path) -> Path:
    """national.docx, written atomically."""
    return word_national.write(f, chart_images(f), path)
