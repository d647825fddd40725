"""Inline SVG made safe for a page: only drawing elements and attributes survive, and inline styles become
presentation attributes (the pages' Content-Security-Policy forbids inline styles; attributes are not styles).

matplotlib's output is ours, but it carries text we were given (county names): this pass is the last word on
what reaches the page, whatever the drawing holds.
"""

from __future__ import annotations

import re

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
ELEMENTS = {"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
            "defs", "clipPath", "title", "desc", "use", "linearGradient", "stop", "image", "metadata"}
PNG_DATA = "data:image/png;base64,"
REFERENCED = {"clipPath", "linearGradient"}
DROPPED_WITH_CONTENT = {"script", "style", "foreignObject", "metadata"}
ATTRIBUTES = {"id", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height",
              "points", "transform", "viewBox", "version", "fill", "fill-opacity", "fill-rule", "stroke",
              "stroke-width", "stroke-opacity", "stroke-linejoin", "stroke-linecap", "stroke-miterlimit",
              "stroke-dasharray", "stroke-dashoffset", "opacity", "clip-path", "clip-rule", "font-size",
              "font-family", "font-weight", "font-style", "text-anchor", "dominant-baseline", "role",
              "aria-label", "aria-hidden", "focusable", "offset", "stop-color", "stop-opacity", "gradientUnits",
              "preserveAspectRatio", "class"}
_PRECISION = re.compile(r"(\d\.\d)\d+")
_FONT = re.compile(r"^(?:(?P<style>italic|oblique|normal)\s+)?(?:(?P<weight>bold|normal|\d{3})\s+)?"
                   r"(?P<size>[\d.]+(?:px|pt)?)\s+(?P<family>.+)$")


def _style_attributes(style: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name == "font":
            match = _FONT.match(value)
            if match:
                found["font-size"] = match["size"]
                found["font-family"] = match["family"].replace('"', "'")
                if match["weight"] and match["weight"] != "normal":
                    found["font-weight"] = match["weight"]
                if match["style"] and match["style"] != "normal":
                    found["font-style"] = match["style"]
        elif name in ATTRIBUTES and "url(" not in value.replace("url(#", ""):
            found[name] = value
    return found


def clean(svg: str | bytes, *, label: str) -> str:
    """The drawing as an inline `<svg>` element with an accessible name, nothing executable left in it."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                             remove_pis=True, huge_tree=False)
    root = etree.fromstring(svg.encode() if isinstance(svg, str) else svg, parser)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in DROPPED_WITH_CONTENT or local not in ELEMENTS:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        style = element.attrib.pop("style", "")
        for name in list(element.attrib):
            if name == XLINK_HREF or name == "href":
                value = element.attrib[name]
                # A link inside the drawing, or the colour scale's own pixels (PNG in a data: URI) on an <image>.
                if not (value.startswith("#") or (local == "image" and value.startswith(PNG_DATA))):
                    del element.attrib[name]
            elif name not in ATTRIBUTES or (name == "id" and local not in REFERENCED):
                del element.attrib[name]  # ids only where a reference needs them: two drawings share a page
        if "d" in element.attrib:
            # A tenth of a point is finer than print or screen shows; the paths shrink by about half.
            element.set("d", " ".join(_PRECISION.sub(r"\1", element.attrib["d"]).split()))
        for name, value in _style_attributes(style).items():
            if name not in element.attrib:
                element.set(name, value)
    root.attrib.update({"role": "img", "aria-label": label, "stroke-linejoin": "round", "stroke-linecap": "butt"})
    for size in ("width", "height"):
        root.attrib.pop(size, None)  # the viewBox keeps the proportions; the page sets the width
    etree.cleanup_namespaces(root, top_nsmap={None: SVG_NS, "xlink": "http://www.w3.org/1999/xlink"})
    return etree.tostring(root, encoding="unicode")
