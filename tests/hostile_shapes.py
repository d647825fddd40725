"""Shapes from the geometry denial-of-service finding, shared by the tests and bench/geo_guard.py."""

import math


def star(points: int, step: int, centre=(-95.4, 29.8), radius=1.0) -> dict:
    """`points` points on a circle, each joined to the one `step` places on: crosses itself points*(step-1) times."""
    cx, cy = centre
    ring = [[cx + radius * math.cos(2 * math.pi * i * step / points), cy + radius * math.sin(2 * math.pi * i * step / points)]
            for i in range(points)]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def overlapping_holes(count: int = 1000) -> dict:
    """A US-sized rectangle with `count` 2x2-degree holes laid out so that neighbours overlap."""
    shell = [[-125, 25], [-67, 25], [-67, 49], [-125, 49], [-125, 25]]
    holes = []
    for i in range(count):
        x = -124 + (i * 7.31) % 54
        y = 26 + (i * 3.77) % 20
        holes.append([[x, y], [x + 2, y], [x + 2, y + 2], [x, y + 2], [x, y]])
    return {"type": "Polygon", "coordinates": [shell, *holes]}


def comb(vertices: int = 10_000, west=-125.0, east=-67.0, south=25.0, north=49.0) -> dict:
    """A valid polygon: a strip along the south with thin teeth up to the north, `vertices` points in all."""
    teeth = (vertices - 4) // 4
    width = (east - west) / teeth
    ring = [[east, south], [east, south + 0.5]]
    for i in range(teeth - 1, -1, -1):
        left = west + i * width
        ring += [[left + width / 2, south + 0.5], [left + width / 2, north], [left, north], [left, south + 0.5]]
    ring += [[west, south], [east, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def hatching(count: int = 1990) -> dict:
    """Long thin parallel slivers as holes, plus one bow-tie: few crossings, but every edge's box meets every other."""
    shell = [[-125, 25], [-67, 25], [-67, 49], [-125, 49], [-125, 25]]
    holes = []
    for i in range(count):
        o = i * 0.004
        holes.append([[-120 + o, 26], [-120 + o + 0.002, 26], [-70 + o + 0.002, 40], [-70 + o, 40], [-120 + o, 26]])
    bow_tie = [[-124, 45], [-123, 46], [-123, 45], [-124, 46], [-124, 45]]
    return {"type": "Polygon", "coordinates": [shell, *holes, bow_tie]}


def across_the_antimeridian() -> dict:
    """A box around the western Aleutians, from 170 E to 170 W; read the long way round it would reach Aleutians East."""
    return {"type": "Polygon", "coordinates": [[[170, 50], [-170, 50], [-170, 55], [170, 55], [170, 50]]]}


def zigzag(points: int = 9_999, waves: int = 1_000, amplitude: float = 1.0) -> dict:
    """A valid oval over the Plains whose edge zigzags in and out by `amplitude` degrees: long edges, many counties."""
    ring = []
    for i in range(points):
        angle = 2 * math.pi * i / points
        radius = 8 + amplitude * math.sin(waves * angle)
        ring.append([-98 + 1.3 * radius * math.cos(angle), 38 + 0.8 * radius * math.sin(angle)])
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}
