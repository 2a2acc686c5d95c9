"""The national report's charts as PNG images (matplotlib), Arabic labels shaped and in visual order."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache

import arabic_reshaper
from bidi import get_display
from matplotlib import font_manager
from matplotlib.figure import Figure

# Fonts with Arabic glyphs, best first (Debian: fonts-noto-core, fonts-hosny-amiri; Windows: the others).
ARABIC_FONTS = ("Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Simplified Arabic", "Traditional Arabic",
                "Arial", "Tahoma", "DejaVu Sans")
BLUE = "#2E75B6"
GREEN = "#548235"        # filled with a valid value
ORANGE = "#ED7D31"       # an invalid value
RED = "#C00000"          # missing (the documents' colour of a gap)
DPI = 150
Number = Callable[[float], str]      # how a value is written (Tunisian style: plan.display)


@lru_cache(maxsize=1)
def font() -> tuple[str, bool]:
    """The font family to draw with, and whether it is one known to have Arabic letters."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in ARABIC_FONTS:
        if name in names:
            return name, name != "DejaVu Sans"
    return "sans-serif", False


def font_note() -> str | None:
    """Why chart labels may show boxes instead of letters (no Arabic font found), or None."""
    name, arabic = font()
    if arabic:
        return None
    return (f"No font with Arabic letters was found for the charts (using {name}); install Noto Naskh Arabic "
            "or Amiri (Debian: fonts-noto-core, fonts-hosny-amiri).")


@lru_cache(maxsize=1)
def lays_out_text() -> bool:
    """Whether matplotlib shapes and orders right-to-left text itself (built with libraqm, 3.11 and later).

    Reshaping text it lays out again would reverse it; older versions draw letters one by one, unjoined
    and left to right.
    """
    from matplotlib import ft2font

    return bool(getattr(ft2font, "__libraqm_version__", None))


def shaped(text: str) -> str:
    """Arabic text as matplotlib must be given it: as is when it lays text out itself, otherwise with
    letters joined (arabic-reshaper) and put in visual order (python-bidi)."""
    if lays_out_text():
        return text
    return get_display(arabic_reshaper.reshape(text))


def _figure(height: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(7.5, height), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "left"]].set_visible(False)
    return fig, ax


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # "glyph missing" when no Arabic font: said in font_note()
        fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _rc() -> dict:
    # the Arabic font first; digits, brackets and Latin letters it lacks come from the next
    return {"family": [font()[0], "DejaVu Sans"], "size": 10}


def columns(title: str, labels: Sequence[str], values: Sequence[float], value_label: str,
            number: Number) -> bytes:
    """Vertical bars, the first label at the right (read from right to left), the value axis at the right."""
    fig, ax = _figure(3.6)
    rc = _rc()
    xs = list(range(len(labels)))[::-1]                # first category on the right
    bars = ax.bar(xs, values, color=BLUE, width=0.65)
    ax.bar_label(bars, labels=[number(v) for v in values], fontsize=8, padding=2, family="DejaVu Sans")
    ax.yaxis.set_major_formatter(lambda v, _pos: number(v))
    ax.set_xticks(xs, [shaped(label) for label in labels], fontdict=rc, rotation=0)
    ax.tick_params(axis="x", labelsize=8)
    ax.yaxis.tick_right()
    ax.yaxis.set_label_position("right")
    ax.spines[["right"]].set_visible(True)
    ax.spines[["left"]].set_visible(False)
    ax.set_ylabel(shaped(value_label), fontdict=rc)
    ax.set_title(shaped(title), fontdict={**rc, "size": 13, "weight": "bold"})
    return _png(fig)


def bars(title: str, labels: Sequence[str], values: Sequence[float], number: Number,
         limit: float | None = None) -> bytes:
    """Horizontal bars growing from right to left, labels at the right, the first at the top."""
    fig, ax = _figure(max(2.4, 0.32 * len(labels) + 1.2))
    rc = _rc()
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, values, color=BLUE, height=0.6)
    for y, v in zip(ys, values, strict=True):       # beyond the end of each bar, on its left
        ax.annotate(number(v), (v, y), xytext=(-3, 0), textcoords="offset points", ha="right",
                    va="center", fontsize=8, family="DejaVu Sans")
    ax.set_yticks(ys, [shaped(label) for label in labels], fontdict={**rc, "size": 9})
    ax.yaxis.tick_right()
    ax.spines[["right"]].set_visible(True)
    ax.spines[["left"]].set_visible(False)
    top = limit if limit is not None else (max(values, default=0) or 1) * 1.25
    ax.set_xlim(top, 0)                                # bars grow leftwards
    ax.xaxis.set_major_formatter(lambda v, _pos: number(v))
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title(shaped(title), fontdict={**rc, "size": 13, "weight": "bold"})
    return _png(fig)


def stacked(title: str, labels: Sequence[str], parts: Sequence[tuple[str, Sequence[float], str]],
            notes: Sequence[str], marks: Sequence[str], number: Number) -> bytes:
    """Horizontal bars of parts of 1 (each `parts` item: name, one value per label, colour), growing from
    right to left in the order given; beside each label a mark of its colour in `marks` (a traffic
    light), at the end of each bar its note in that colour; the legend under the chart."""
    fig, ax = _figure(max(2.8, 0.26 * len(labels) + 1.6))
    rc = _rc()
    ys = list(range(len(labels)))[::-1]
    start = [0.0] * len(labels)
    for name, values, colour in parts:
        ax.barh(ys, values, left=start, color=colour, height=0.6, label=shaped(name))
        start = [a + b for a, b in zip(start, values, strict=True)]
    ax.scatter([-0.025] * len(ys), ys, c=list(marks), s=42, marker="o", clip_on=False, zorder=3)
    for y, note, mark in zip(ys, notes, marks, strict=True):
        ax.annotate(shaped(note), (1.0, y), xytext=(-4, 0), textcoords="offset points", ha="right",
                    va="center", fontsize=8, fontfamily=rc["family"], color=mark,
                    fontweight="normal" if mark == parts[0][2] else "bold")
    ax.set_yticks(ys, [shaped(label) for label in labels], fontdict={**rc, "size": 9})
    ax.tick_params(axis="y", pad=14)                   # room for the marks
    ax.yaxis.tick_right()
    ax.spines[["right"]].set_visible(True)
    ax.spines[["left"]].set_visible(False)
    ax.set_xlim(1.3, 0)                                # room for the notes on the left
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.xaxis.set_major_formatter(lambda v, _pos: number(v))
    ax.tick_params(axis="x", labelsize=8)
    handles, names = ax.get_legend_handles_labels()
    fig.legend(handles[::-1], names[::-1], loc="outside lower center", ncols=len(parts), frameon=False,
               prop={"family": rc["family"], "size": 9})
    ax.set_title(shaped(title), fontdict={**rc, "size": 13, "weight": "bold"})
    return _png(fig)
