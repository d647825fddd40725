"""A CAP 1.2 or 1.1 alert as plain data: who sent it, what it warns of, and its areas as drawn shapes and codes.

Only the parts Surge uses are kept. Coordinates come out longitude first, as GeoJSON and shapely want them;
CAP writes latitude first.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from surge.alerts.xml_reading import read_alert
from surge.kernel.errors import ValidationFailed
from surge.kernel.i18n import N_

# Bounds on the work one alert may ask for, checked before any geometry is built.
MAX_INFOS = 50
MAX_AREAS = 500
MAX_GEOCODES = 5_000
MAX_POINTS = 10_000  # polygon points over the whole alert; a circle counts as the points of its disc
CIRCLE_POINTS = 64
MAX_RADIUS_KM = 1_000.0
# CAP 1.1 ships no schema here: its required elements (those of 1.2 less nothing Surge reads) are checked by name.
REQUIRED_ALERT = ("identifier", "sender", "sent", "status", "msgType", "scope")
REQUIRED_INFO = ("category", "event", "urgency", "severity", "certainty")

Point = tuple[float, float]  # (lon, lat)


@dataclass(frozen=True)
class Area:
    description: str
    polygons: tuple[tuple[Point, ...], ...]
    circles: tuple[tuple[float, float, float], ...]  # (lon, lat, radius in km)
    geocodes: tuple[tuple[str, str], ...]  # (valueName, value)


@dataclass(frozen=True)
class Alert:
    version: str
    identifier: str
    sender: str
    sent: str
    status: str
    event: str
    headline: str
    sender_name: str
    severity: str
    urgency: str
    categories: tuple[str, ...]
    areas: tuple[Area, ...]


def _invalid(message: str, field: str = "cap", **params) -> ValidationFailed:
    return ValidationFailed(message, params=params, fields={field: N_("This is not a usable CAP alert.")})


def _label(area: str) -> str:
    area = " ".join(area.split())
    return area if len(area) <= 80 else area[:79] + "…"


class _Reader:
    def __init__(self, namespace: str):
        self.ns = namespace
        self.points = 0

    def all(self, element, name: str) -> list:
        return element.findall(f"{{{self.ns}}}{name}")

    def text(self, element, name: str) -> str:
        found = element.find(f"{{{self.ns}}}{name}")
        return " ".join((found.text or "").split()) if found is not None else ""

    def require(self, element, names: tuple[str, ...], where: str) -> None:
        for name in names:
            if element.find(f"{{{self.ns}}}{name}") is None:
                raise _invalid(N_("The alert's <%(where)s> has no <%(element)s>."), element=name, where=where)

    def spend(self, points: int) -> None:
        self.points += points
        if self.points > MAX_POINTS:
            raise _invalid(N_("The alert's areas have more than %(limit)s points in all."), limit=f"{MAX_POINTS:,}")

    def polygon(self, text: str, area: str) -> tuple[Point, ...]:
        pairs = text.split()
        self.spend(len(pairs))
        ring = []
        for pair in pairs:
            lat, _, lon = pair.partition(",")
            try:
                point = (float(lon), float(lat))
            except ValueError:
                point = None
            if point is None or not (-90 <= point[1] <= 90 and -180 <= point[0] <= 180):
                raise _invalid(N_('A polygon of the area "%(area)s" has a point that is not "latitude,longitude": '
                                  '%(point)s.'), area=area, point=pair[:40])
            ring.append(point)
        if len(ring) < 4:
            raise _invalid(N_('A polygon of the area "%(area)s" has fewer than four points.'), area=area)
        if ring[0] != ring[-1]:
            raise _invalid(N_('A polygon of the area "%(area)s" is not closed: its last point must repeat its '
                              'first.'), area=area)
        return tuple(ring)

    def circle(self, text: str, area: str) -> tuple[float, float, float]:
        self.spend(CIRCLE_POINTS)
        try:
            centre, radius = text.split()
            lat, lon = (float(part) for part in centre.split(","))
            radius_km = float(radius)
        except ValueError:
            lat = lon = radius_km = float("nan")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < radius_km <= MAX_RADIUS_KM):
            raise _invalid(N_('The circle of the area "%(area)s" is not "latitude,longitude radius" with a radius '
                              'above 0 and at most %(limit)s km: %(circle)s.'),
                           area=area, limit=f"{MAX_RADIUS_KM:,.0f}", circle=text[:60])
        return lon, lat, radius_km

    def area(self, element) -> Area:
        label = _label(self.text(element, "areaDesc"))
        geocodes = [(self.text(code, "valueName"), self.text(code, "value")) for code in self.all(element, "geocode")]
        polygons = [self.polygon(p.text or "", label) for p in self.all(element, "polygon")]
        circles = [self.circle(" ".join((c.text or "").split()), label) for c in self.all(element, "circle")]
        return Area(description=label, polygons=tuple(polygons), circles=tuple(circles), geocodes=tuple(geocodes))


def _main_info(reader: _Reader, infos: list):
    """The info the alert's names come from: the first in English (or with no language), else the first."""
    for info in infos:
        language = reader.text(info, "language").lower()
        if not language or language.startswith("en"):
            return info
    return infos[0]


def parse(raw: bytes) -> Alert:
    """The alert in `raw`, or a 422 (ValidationFailed) that says what is wrong; nothing else is raised."""
    root, version = read_alert(raw)
    reader = _Reader(etree.QName(root).namespace)
    if version == "1.1":
        reader.require(root, REQUIRED_ALERT, "alert")
    infos = reader.all(root, "info")
    if not infos:
        raise _invalid(N_("The alert has no <info>: there is no event and no area to take."))
    if len(infos) > MAX_INFOS:
        raise _invalid(N_("The alert has more than %(limit)s <info> blocks."), limit=MAX_INFOS)
    area_elements = []
    for info in infos:
        if version == "1.1":
            reader.require(info, REQUIRED_INFO, "info")
        area_elements.extend(reader.all(info, "area"))
    if len(area_elements) > MAX_AREAS:
        raise _invalid(N_("The alert has more than %(limit)s areas."), limit=MAX_AREAS)
    if sum(len(reader.all(a, "geocode")) for a in area_elements) > MAX_GEOCODES:
        raise _invalid(N_("The alert has more than %(limit)s geocodes."), limit=f"{MAX_GEOCODES:,}")
    if version == "1.1":
        for element in area_elements:
            reader.require(element, ("areaDesc",), "area")
    main = _main_info(reader, infos)
    return Alert(version=version, identifier=reader.text(root, "identifier"), sender=reader.text(root, "sender"),
                 sent=reader.text(root, "sent"), status=reader.text(root, "status"), event=reader.text(main, "event"),
                 headline=reader.text(main, "headline"), sender_name=reader.text(main, "senderName"),
                 severity=reader.text(main, "severity"), urgency=reader.text(main, "urgency"),
                 categories=tuple(" ".join((c.text or "").split()) for c in reader.all(main, "category")),
                 areas=tuple(reader.area(element) for element in area_elements))
