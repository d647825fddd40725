"""A brief's drawings as vector SVG from matplotlib (its SVG canvas only: no pyplot, no global figure state):
calls by hour, and the incident's counties shaded by needs per 10,000 residents."""

from __future__ import annotations

import functools
import io
import json
import math
import threading
from collections import OrderedDict
from datetime import datetime
from zoneinfo import ZoneInfo

import matplotlib
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.collections import PolyCollection
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

import geo
from surge.briefs.charts_svg import clean

MAX_COUNTIES = 3_300  # every county in the country, and no more
MAP_TOLERANCE = 0.02  # degrees: finer than a county is drawn at brief size
MAX_LABELLED = 12  # county names are written on the map only when few
SHADES = "Blues"
NO_NEEDS = "#eeeeee"


BARS_UP_TO = 48  # hours drawn as grouped bars; a longer period is drawn as steps (hundreds of bars are a blur)
KEPT_DRAWINGS = 16  # the latest drawings, by their inputs: a brief's page and its PDF draw the same twice

# matplotlib's settings are process-wide and it is not thread-safe: one drawing at a time per process.
_drawing = threading.Lock()
_kept: OrderedDict[str, str | None] = OrderedDict()


def forget_drawings() -> None:
    """Drop the kept drawings (a benchmark that times a brief drawn afresh calls this)."""
    with _drawing:
        _kept.clear()


def _one_at_a_time(draw):
    """Draw under the process's lock, or hand back the same drawing made a moment ago from the same inputs."""
    @functools.wraps(draw)
    def locked(*args, **kwargs):
        key = json.dumps([draw.__name__, args, kwargs], sort_keys=True, default=str)
        with _drawing:
            if key in _kept:
                _kept.move_to_end(key)
                return _kept[key]
            drawn = draw(*args, **kwargs)
            _kept[key] = drawn
            if len(_kept) > KEPT_DRAWINGS:
                _kept.popitem(last=False)
            return drawn

    return locked


def _svg(figure: Figure, *, salt: str, label: str) -> str:
    out = io.StringIO()
    # Text stays text (small, searchable, selectable); the salt keeps clip-path ids apart between drawings.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt, "font.family": "DejaVu Sans"}):
        FigureCanvasSVG(figure)
        figure.savefig(out, format="svg", bbox_inches="tight", pad_inches=0.05,
                       metadata={"Date": None, "Creator": None})
    return clean(out.getvalue(), label=label)


@_one_at_a_time
def calls_by_hour(by_hour: list[dict], *, timezone: str, words: dict[str, str]) -> str | None:
    """Offered, answered and abandoned calls per hour on the incident's clock; None when there were none."""
    if not by_hour:
        return None
    zone = ZoneInfo(timezone)
    hours = [datetime.fromisoformat(row["hour"].replace("Z", "+00:00")).astimezone(zone) for row in by_hour]
    labels = [hour.strftime("%d %H:00") for hour in hours]
    figure = Figure(figsize=(7.0, 2.6))
    axes = figure.add_subplot()
    positions = range(len(by_hour))
    series = (("offered", "#1f4e79"), ("answered", "#5b9bd5"), ("abandoned", "#c55a11"))
    if len(by_hour) <= BARS_UP_TO:
        for shift, (name, colour) in zip((-0.27, 0, 0.27), series):
            axes.bar([p + shift for p in positions], [row[name] for row in by_hour], width=0.27, color=colour,
                     label=words[name])
    else:  # one stepped line a series: three drawn paths, not a bar a series an hour
        edges = [p - 0.5 for p in range(len(by_hour) + 1)]
        for name, colour in series:
            axes.stairs([row[name] for row in by_hour], edges, color=colour, linewidth=1.2, label=words[name])
    step = max(1, len(labels) // 12)
    axes.set_xticks(list(positions)[::step], labels[::step], rotation=45, ha="right", fontsize=7)
    axes.set_ylabel(words["calls"], fontsize=8)
    axes.tick_params(axis="y", labelsize=7)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # calls are whole
    axes.legend(fontsize=7, frameon=False, ncols=3, loc="lower left", bbox_to_anchor=(0, 1.0))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    return _svg(figure, salt="calls-by-hour", label=words["title"])


def _outline(fips: str):
    try:
        shape = geo.county(fips).geometry
    except geo.GeoError:
        return None
    return None if shape is None or shape.is_empty else shape


def _tolerance(shapes) -> float:
    """Coarser for a wider map: about a 500th of its extent, never finer than MAP_TOLERANCE."""
    bounds = [shape.bounds for shape in shapes]
    width = max(b[2] for b in bounds) - min(b[0] for b in bounds)
    height = max(b[3] for b in bounds) - min(b[1] for b in bounds)
    return max(MAP_TOLERANCE, max(width, height) / 500)


@_one_at_a_time
def needs_map(counties: list[str], rates: dict[str, float], *, words: dict[str, str]) -> str | None:
    """Counties shaded by needs per 10,000 residents (grey: none logged), with a colour scale."""
    outlines = {fips: shape for fips in list(dict.fromkeys(counties))[:MAX_COUNTIES]
                if (shape := _outline(fips)) is not None}
    if not outlines:
        return None
    tolerance = _tolerance(outlines.values())
    shapes = {fips: shape.simplify(tolerance, preserve_topology=True) for fips, shape in outlines.items()}
    top = max(rates.values(), default=0.0) or 1.0
    # The palest blues are cut off, so a county with few needs still stands apart from one with none.
    norm = Normalize(vmin=0, vmax=top)
    colours = ListedColormap(matplotlib.colormaps[SHADES](np.linspace(0.15, 1.0, 256)))
    figure = Figure(figsize=(7.0, 4.6))
    axes = figure.add_subplot()
    rings, fills = [], []
    for fips, shape in shapes.items():
        rate = rates.get(fips)
        fill = NO_NEEDS if rate is None else colours(norm(rate))
        for polygon in getattr(shape, "geoms", [shape]):
            if polygon.geom_type == "Polygon" and not polygon.is_empty:
                rings.append(list(polygon.exterior.coords))
                fills.append(fill)
    # One collection: far quicker to draw than a patch per county, and the same paths in the SVG.
    axes.add_collection(PolyCollection(rings, facecolors=fills, edgecolors="#555555", linewidths=0.3))
    axes.autoscale_view()
    if len(shapes) <= MAX_LABELLED:
        for fips, shape in shapes.items():
            point = shape.representative_point()
            # parse_math off: a name is text, never markup ("$" starts mathtext otherwise).
            axes.text(point.x, point.y, geo.county(fips).name, fontsize=6, ha="center", va="center",
                      parse_math=False, bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    middle = sum(shape.centroid.y for shape in shapes.values()) / len(shapes)
    axes.set_aspect(1 / max(0.2, math.cos(math.radians(middle))))
    axes.set_axis_off()
    scale = matplotlib.cm.ScalarMappable(norm=norm, cmap=colours)
    figure.colorbar(scale, ax=axes, shrink=0.7, label=words["scale"])
    axes.legend(handles=[Patch(facecolor=NO_NEEDS, edgecolor="#555555", label=words["none"])], fontsize=7,
                frameon=False, loc="lower left")
    return _svg(figure, salt="needs-map", label=words["title"])
