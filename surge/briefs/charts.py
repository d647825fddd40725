"""A brief's drawings as vector SVG from matplotlib (its SVG canvas only: no pyplot, no global figure state):
calls by hour, and the incident's counties shaded by needs per 10,000 residents."""

from __future__ import annotations

import io
import math
from datetime import datetime
from zoneinfo import ZoneInfo

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch

import geo
from surge.briefs.charts_svg import clean

MAX_COUNTIES = 3_300  # every county in the country, and no more
MAP_TOLERANCE = 0.02  # degrees: finer than a county is drawn at brief size
MAX_LABELLED = 12  # county names are written on the map only when few
SHADES = "Blues"
NO_NEEDS = "#eeeeee"


def _svg(figure: Figure, *, salt: str, label: str) -> str:
    out = io.StringIO()
    # Text stays text (small, searchable, selectable); the salt keeps clip-path ids apart between drawings.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt, "font.family": "DejaVu Sans"}):
        FigureCanvasSVG(figure).print_svg(out, metadata={"Date": None, "Creator": None})
    return clean(out.getvalue(), label=label)


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
    axes.bar([p - 0.27 for p in positions], [row["offered"] for row in by_hour], width=0.27, color="#1f4e79",
             label=words["offered"])
    axes.bar(list(positions), [row["answered"] for row in by_hour], width=0.27, color="#5b9bd5",
             label=words["answered"])
    axes.bar([p + 0.27 for p in positions], [row["abandoned"] for row in by_hour], width=0.27, color="#c55a11",
             label=words["abandoned"])
    step = max(1, len(labels) // 12)
    axes.set_xticks(list(positions)[::step], labels[::step], rotation=45, ha="right", fontsize=7)
    axes.set_ylabel(words["calls"], fontsize=8)
    axes.tick_params(axis="y", labelsize=7)
    axes.legend(fontsize=7, frameon=False, ncols=3, loc="upper left")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    return _svg(figure, salt="calls-by-hour", label=words["title"])


def _outline(fips: str):
    try:
        shape = geo.county(fips).geometry
    except geo.GeoError:
        return None
    return None if shape is None or shape.is_empty else shape.simplify(MAP_TOLERANCE, preserve_topology=True)


def needs_map(counties: list[str], rates: dict[str, float], *, words: dict[str, str]) -> str | None:
    """The incident's counties shaded by needs per 10,000 residents (grey: none logged), with a colour scale."""
    shapes = {fips: shape for fips in list(dict.fromkeys(counties))[:MAX_COUNTIES]
              if (shape := _outline(fips)) is not None}
    if not shapes:
        return None
    top = max(rates.values(), default=0.0) or 1.0
    norm, colours = Normalize(vmin=0, vmax=top), matplotlib.colormaps[SHADES]
    figure = Figure(figsize=(7.0, 4.6))
    axes = figure.add_subplot()
    for fips, shape in shapes.items():
        rate = rates.get(fips)
        fill = NO_NEEDS if rate is None else colours(0.15 + 0.85 * norm(rate))
        for polygon in getattr(shape, "geoms", [shape]):
            if polygon.geom_type != "Polygon":
                continue
            xs, ys = polygon.exterior.xy
            axes.fill(xs, ys, facecolor=fill, edgecolor="#555555", linewidth=0.4)
    if len(shapes) <= MAX_LABELLED:
        for fips, shape in shapes.items():
            point = shape.representative_point()
            # parse_math off: a name is text, never markup ("$" starts mathtext otherwise).
            axes.text(point.x, point.y, geo.county(fips).name, fontsize=6, ha="center", va="center",
                      parse_math=False)
    middle = sum(shape.centroid.y for shape in shapes.values()) / len(shapes)
    axes.set_aspect(1 / max(0.2, math.cos(math.radians(middle))))
    axes.set_axis_off()
    scale = matplotlib.cm.ScalarMappable(norm=norm, cmap=SHADES)
    figure.colorbar(scale, ax=axes, shrink=0.7, label=words["scale"])
    axes.legend(handles=[Patch(facecolor=NO_NEEDS, edgecolor="#555555", label=words["none"])], fontsize=7,
                frameon=False, loc="lower left")
    return _svg(figure, salt="needs-map", label=words["title"])
