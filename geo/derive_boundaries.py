"""Derive geo/data/counties-500k.npz from the Census 1:500k county shapefile.

    pip install -e ".[derive]"      # pyshp and plotly-geo, which ships the shapefile
    python -m geo.derive_boundaries [path/to/cb_YYYY_us_county_500k [output.npz]]

Without a path it uses the copy inside the plotly-geo package. The product
itself never needs either package: it reads only the file written here.
Rerun this after changing geo.grid, as the file carries the built grid.
"""

import re
import sys
import time
from pathlib import Path

import numpy as np
import shapely

from . import boundary_file
from .grid import build_grid
from .overlaps import overlapping_pairs, remove_overlaps
from .polygonal import polygonal_part
from .sources import DATA_DIR, POINT_BOUNDARIES


def _default_source() -> Path:
    from importlib.resources import files

    return Path(str(files("_plotly_geo") / "package_data" / "cb_2016_us_county_500k"))


def read_shapefile(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    import shapefile  # pyshp, needed only here

    with shapefile.Reader(str(path)) as reader:
        rows = sorted(
            (record["GEOID"], record["NAME"], shapely.geometry.shape(shape.__geo_interface__))
            for record, shape in zip(reader.records(), reader.shapes())
        )
    fips, names, shapes = zip(*rows)
    return list(fips), list(names), np.array(shapes, dtype=object)


def clean(shapes: np.ndarray) -> np.ndarray:
    """Valid polygons that share no area; repairs are reported."""
    invalid = np.flatnonzero(~shapely.is_valid(shapes))
    for i in invalid:
        shapes[i] = polygonal_part(shapes[i])
    shapes = remove_overlaps(shapes, invalid)
    assert not overlapping_pairs(shapes, invalid)
    print(f"repaired {invalid.size} invalid shapes")
    return shapes


def main(argv: list[str]) -> int:
    # Plain argv: geo stays free of CLI libraries (see the import contracts).
    if len(argv) > 2 or any(arg.startswith("-") for arg in argv):
        print(__doc__, file=sys.stderr)
        return 2
    source = Path(argv[0]) if argv else _default_source()
    output = Path(argv[1]) if len(argv) > 1 else DATA_DIR / POINT_BOUNDARIES
    vintage = re.search(r"(\d{4})", source.name)
    started = time.perf_counter()
    fips, names, shapes = read_shapefile(source)
    # Snap to the file's integer grid first (a no-op for Census files, which
    # have six decimals), so the index is built over exactly what workers load.
    shapes = clean(shapely.transform(shapes, lambda xy: np.round(xy * boundary_file.SCALE) / boundary_file.SCALE))
    print(f"read and cleaned in {time.perf_counter() - started:.1f} s")
    grid = build_grid(shapes, shapely.STRtree(shapes))
    print(f"grid built in {time.perf_counter() - started:.1f} s")
    # A point for each county on a map; unlike the centroid, always inside.
    interior = shapely.get_coordinates(shapely.point_on_surface(shapes))
    assert shapely.contains_xy(shapes, interior[:, 0], interior[:, 1]).all()
    boundary_file.write(output, vintage=vintage.group(1) if vintage else "unknown", source=source.name,
                        fips=fips, names=names, interior=interior, geoms=shapes, grid=grid)
    loaded = boundary_file.read(output)
    assert all(shapely.equals_exact(loaded.geoms, boundary_file.as_multipolygons(shapes), 0))
    size = output.stat().st_size / 1e6
    print(f"{len(fips)} counties, {shapely.get_num_coordinates(shapes).sum():,} vertices, "
          f"{output.name} {size:.1f} MB, in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
