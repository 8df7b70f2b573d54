"""Boundaries for the demo city and the grown one: cells that tile a city outline.

Each district gets a site (a point in kilometres from the city's centre); its boundary is the
part of the outline nearer to its site than to any other (a Voronoi cell), with every shared
edge given the same slight bend on both sides so the city looks drawn rather than ruled, and
no gaps or overlaps appear. The demo city's twelve sites follow what the districts' summaries
say (本町 in the centre, 桜台 3 km east, 川北 on the river's north bank, 北部 far to the north);
the grown city's districts sit on a jittered grid in slug order, so districts with neighbouring
numbers are neighbours. Everything is seeded: the same input draws the same city.
"""

import math
import random
from collections.abc import Iterable, Sequence

from demo.city import MAP_CENTRE, MAP_OUTLINE, MAP_SITES

Point = tuple[float, float]

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_AT_EQUATOR = 111.320
# How many nearest sites are enough to cut a cell: on a jittered grid a cell's true neighbours
# are among its nearest dozen.
NEAREST = 24

# --- The demo city, みどり野市 ----------------------------------------------------------------

# Where the demo city's districts lie: demo/data/map.toml.
DEMO_CENTRE, DEMO_SITES, DEMO_OUTLINE = MAP_CENTRE, MAP_SITES, MAP_OUTLINE

# --- The grown city -----------------------------------------------------------------------------

SCALE_CENTRE = (139.600, 35.470)  # apart from the demo city
SCALE_SPACING_KM = 1.6
SCALE_SEED = 20260401


def demo_city_boundaries(districts: dict) -> None:
    """Give the demo city's districts (slug → District, saved) their boundaries."""
    from districts.models import District

    slugs = [slug for slug in DEMO_SITES if slug in districts]
    cells = tile([DEMO_SITES[slug] for slug in slugs], DEMO_OUTLINE, seed=7)
    for slug, cell in zip(slugs, cells, strict=True):
        districts[slug].boundary = geometry(cell, DEMO_CENTRE)
    District.objects.bulk_update([districts[slug] for slug in slugs], ["boundary"])


def scale_city_boundaries(districts: Sequence) -> None:
    """Set the boundary of each (unsaved) district of the grown city, in slug order."""
    count = len(districts)
    rng = random.Random(SCALE_SEED + count)  # noqa: S311 - demo data, not secrets
    columns = math.ceil(math.sqrt(count * 1.3))
    rows = math.ceil(count / columns)
    sites = []
    for index in range(count):
        row, column = divmod(index, columns)
        if row % 2:  # a snake, so that consecutive numbers stay neighbours at the row ends
            column = columns - 1 - column
        sites.append(
            (
                (column - (columns - 1) / 2 + rng.uniform(-0.3, 0.3)) * SCALE_SPACING_KM,
                ((rows - 1) / 2 - row + rng.uniform(-0.3, 0.3)) * SCALE_SPACING_KM,
            )
        )
    outline = _grown_outline(sites, SCALE_SPACING_KM * 0.7)
    for district, cell in zip(districts, tile(sites, outline, seed=SCALE_SEED), strict=True):
        district.boundary = geometry(cell, SCALE_CENTRE)


# --- Geometry -----------------------------------------------------------------------------------


def geometry(cell: Sequence[Point], centre: tuple[float, float]) -> dict:
    """A GeoJSON Polygon (longitude, latitude) of a cell in kilometres around `centre`."""
    lon0, lat0 = centre
    per_lon = KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat0))
    ring = [[round(lon0 + x / per_lon, 6), round(lat0 + y / KM_PER_DEGREE_LAT, 6)] for x, y in cell]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def convex_hull(points: Iterable[Point]) -> list[Point]:
    """Counter-clockwise, by Andrew's monotone chain."""
    points = sorted(set(points))
    if len(points) < 3:
        return points

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _grown_outline(sites: Sequence[Point], margin: float) -> list[Point]:
    """The hull of an octagon of radius `margin` round each site: every site lies well inside,
    however few there are."""
    corners = [
        (math.cos(math.pi * k / 4) * margin, math.sin(math.pi * k / 4) * margin) for k in range(8)
    ]
    return convex_hull((x + dx, y + dy) for x, y in sites for dx, dy in corners)


def _clip(polygon: list[Point], site: Point, other: Point) -> list[Point]:
    """The part of a convex polygon nearer to `site` than to `other` (one half-plane)."""
    mx, my = (site[0] + other[0]) / 2, (site[1] + other[1]) / 2
    nx, ny = other[0] - site[0], other[1] - site[1]
    # How far each corner lies towards `other`: up to 0 it is nearer to `site`.
    beyond = [(x - mx) * nx + (y - my) * ny for x, y in polygon]
    clipped = []
    for i, (x, y) in enumerate(polygon):
        (px, py), before, after = polygon[i - 1], beyond[i - 1], beyond[i]
        if (before <= 0) != (after <= 0):  # the edge crosses the bisector
            t = before / (before - after)
            clipped.append((px + (x - px) * t, py + (y - py) * t))
        if after <= 0:
            clipped.append((x, y))
    return clipped


def _key(point: Point) -> tuple[int, int]:
    # Vertices shared by two cells are computed twice; to the tenth of a metre they agree.
    return round(point[0] * 10_000), round(point[1] * 10_000)


def _bend(a: Point, b: Point, seed: int) -> list[Point]:
    """Two points between a and b, pushed sideways; the same for the edge b→a reversed."""
    ka, kb = _key(a), _key(b)
    reverse = kb < ka
    if reverse:
        a, b, ka, kb = b, a, kb, ka
    rng = random.Random(f"{seed}:{ka}:{kb}")  # noqa: S311 - demo data, not secrets
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length < 0.3:
        return []
    points = []
    for share in (1 / 3, 2 / 3):
        offset = rng.uniform(-0.09, 0.09) * length
        points.append(
            (a[0] + dx * share - dy / length * offset, a[1] + dy * share + dx / length * offset)
        )
    return points[::-1] if reverse else points


def tile(sites: Sequence[Point], outline: Sequence[Point], *, seed: int) -> list[list[Point]]:
    """The Voronoi cell of each site within the (convex) outline, its edges gently bent."""
    outline = convex_hull(outline)
    cells = []
    for index, site in enumerate(sites):
        others = sorted(
            (other for j, other in enumerate(sites) if j != index),
            key=lambda other: (other[0] - site[0]) ** 2 + (other[1] - site[1]) ** 2,
        )[:NEAREST]
        cell = list(outline)
        for other in others:
            cell = _clip(cell, site, other)
            if not cell:
                break
        bent = []
        for i, corner in enumerate(cell):
            bent.append(corner)
            bent.extend(_bend(corner, cell[(i + 1) % len(cell)], seed))
        cells.append(bent)
    return cells
