"""Charts of a measure across report editions, as inline SVG.

matplotlib's SVG backend rather than Vega-Lite (altair + vl-convert-python): it writes a
standalone static SVG (no script, no font file, no network: what a brief mailed as one
file needs), drawn in Python by a well-kept library with small wheels, where vl-convert
ships a JavaScript engine of its own (tens of MB) to run Vega. The object API
(:class:`matplotlib.figure.Figure`, no pyplot) keeps no global state between charts.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

INK = "#1f2d3d"
ACCENT = "#b7791f"
# Labels as SVG text: selectable, read out by screen readers, half the bytes of glyph paths
# and quicker to write; the browser sets them in its sans-serif.
FONTTYPE = "none"


@dataclass
class Point:
    year: int
    low: float
    high: float
    text: str  # the value as the report writes it


def _scale(unit: str | None, values: list[float]) -> tuple[float, str]:
    """A divisor and the axis label: money in millions or billions of its currency."""
    if unit in (None, "percent", "percentage_points"):
        return 1.0, {"percent": "percent", "percentage_points": "percentage points"}.get(unit or "", "")
    top = max((abs(v) for v in values), default=0.0)
    for divisor, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if top >= divisor:
            return divisor, f"{unit} {word}"
    return 1.0, unit


def measure_svg(name: str, unit: str | None, points: list[Point]) -> str:
    """An SVG element (no XML prolog or DOCTYPE: it goes inline in HTML) of one measure by report year.

    ``name`` (the measure's key) only tells charts' ids apart; the title is the page's, in HTML.
    """
    points = sorted(points, key=lambda p: p.year)
    divisor, label = _scale(unit, [p.high for p in points] + [p.low for p in points])
    figure = Figure(figsize=(4.2, 2.2), dpi=72)
    figure.subplots_adjust(left=0.17, right=0.97, bottom=0.13, top=0.95)
    axes = figure.add_subplot()
    years = [p.year for p in points]
    middle = [(p.low + p.high) / 2 / divisor for p in points]
    axes.plot(years, middle, color=INK, linewidth=1.4, marker="o", markersize=5, zorder=2)
    for p in points:
        if p.high != p.low:  # a range: its two ends
            axes.vlines(p.year, p.low / divisor, p.high / divisor, color=ACCENT, linewidth=4, alpha=0.6, zorder=1)
        axes.annotate(p.text, (p.year, (p.low + p.high) / 2 / divisor), textcoords="offset points", xytext=(0, 7),
                      ha="center", fontsize=8, color=INK)
    axes.set_xticks(years, [str(y) for y in years])
    axes.set_xlim(min(years) - 0.5, max(years) + 0.5)
    low = min(p.low for p in points) / divisor
    high = max(p.high for p in points) / divisor
    pad = (high - low) * 0.35 or abs(high) * 0.3 or 1.0
    bottom = 0.0 if low >= 0 else low - pad
    axes.set_ylim(bottom, high + max(pad, 0.22 * (high - bottom)))  # room for the labels above the points
    axes.set_ylabel(label, fontsize=8)
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.yaxis.set_major_locator(MaxNLocator(4))
    # fixed margins: tight_layout measures every label again and cost a third of a chart
    salt = "m" + hashlib.sha1(f"{name}|{years}|{unit}".encode()).hexdigest()[:10]
    buffer = io.StringIO()
    # a fixed salt: the same ids (and bytes) each time
    with matplotlib.rc_context({"svg.fonttype": FONTTYPE, "svg.hashsalt": salt}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    # inline in HTML: the parser puts <svg> in its namespace (xlink:href included), and the
    # RDF metadata block says nothing a reader needs; neither leaves a URL in the file
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", svg)
    # inline SVGs share one document: prefix every id (glyph paths are named alike in every chart)
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{salt}{m.group(1)}"', svg)
    svg = re.sub(r'(["(])#([A-Za-z_][^")]*)', lambda m: f"{m.group(1)}#{salt}{m.group(2)}", svg)
    return svg
