"""District maps drawn as SVG on the server: no tiles, no script, nothing from another site.

Two maps: the city, every district with a boundary coloured (and patterned) by its council's
rollout stage, each a link to its page; and a district's own outline among its neighbours. Both
sit beside lists of the same districts, which are their text alternative.

Drawing is done once per change of the public records, not per request: the outlines of every
district are read in one query and cached under the public records version (core.cache), and
each finished map is cached under that version and the page's language. Any write to a
district, a council or anything else public bumps the version, so the next visitor gets a map
drawn from the new data.
"""

import math
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from core.cache import for_current_version
from core.english import LocalName, ja_attribute

from .models import CouncilStage, District

# The "2": outlines carry each district's English name since the portal shows one, and an
# outline stored in the older shape must not be read back.
CACHE_PREFIX = "district-maps-2"
# Entries carry the records version in their key, so they are never out of date; the timeout
# only clears the versions nobody asks for any more.
CACHE_SECONDS = 24 * 60 * 60

WIDTH = 800
MIN_HEIGHT, MAX_HEIGHT = 240, 900
PADDING = 8
# Douglas–Peucker tolerance, in viewBox units: detail finer than this is not visible.
TOLERANCE = 0.6
# How far from the edges a name is written on the district map, in viewBox units.
LABEL_MARGIN_X, LABEL_MARGIN_Y = 90, 30
# The district map shows this much of the surroundings, as a share of the district's size.
SURROUNDINGS = 0.5

# Each stage has a colour and a pattern of its own (not colour alone), drawn in static/css.
STAGE_PATTERNS = {
    CouncilStage.ESTABLISHED: "",
    CouncilStage.MODEL: "hatch",
    CouncilStage.PREPARING: "dots",
    CouncilStage.NOT_STARTED: "",
}

Ring = tuple[tuple[float, float], ...]
Box = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class Outline:
    """A district's boundary as the maps need it: longitude/latitude rings and their box."""

    pk: int
    name: str
    display_name: LocalName
    url: str
    stage: str
    polygons: tuple[tuple[Ring, ...], ...]
    box: Box

    @property
    def stage_label(self) -> str:
        return str(CouncilStage(self.stage).label)

    @property
    def accessible_name(self) -> str:
        return gettext("%(district)s (%(stage)s)") % {
            "district": self.display_name.text,
            "stage": self.stage_label,
        }


# --- The outlines, once per version ---------------------------------------------------------


def _polygons_of(geometry) -> tuple[tuple[Ring, ...], ...]:
    if not isinstance(geometry, dict):
        return ()
    if geometry.get("type") == "Feature":
        return _polygons_of(geometry.get("geometry"))
    coordinates = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        coordinates = [coordinates]
    elif geometry.get("type") != "MultiPolygon":
        return ()
    return tuple(
        tuple(tuple((float(x), float(y)) for x, y, *_altitude in ring) for ring in polygon)
        for polygon in coordinates
    )


def _box(polygons) -> Box:
    xs = [x for polygon in polygons for ring in polygon for x, _y in ring]
    ys = [y for polygon in polygons for ring in polygon for _x, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def load_outlines() -> list[Outline]:
    """Every district that has a boundary, in display order (one query)."""
    rows = (
        District.objects.filter(boundary__isnull=False)
        .order_by("display_order", "name_kana")
        .values_list("pk", "name", "name_en", "name_kana", "slug", "boundary", "council__stage")
    )
    outlines = []
    for pk, name, name_en, name_kana, slug, boundary, stage in rows:
        polygons = _polygons_of(boundary)
        if not polygons or not polygons[0] or not polygons[0][0]:
            continue
        outlines.append(
            Outline(
                pk=pk,
                name=name,
                display_name=LocalName(name, name_en, name_kana),
                url=reverse("district_detail", kwargs={"slug": slug}),
                stage=stage or CouncilStage.NOT_STARTED,
                polygons=polygons,
                box=_box(polygons),
            )
        )
    return outlines


def _cached(name: str, build, *, per_language: bool = True):
    """`build()`, computed once per records version (and language, for what has text)."""
    language = get_language() if per_language else "any"
    return for_current_version(f"{CACHE_PREFIX}:{language}:{name}", build, timeout=CACHE_SECONDS)


def city_outlines() -> list[Outline]:
    """Every district's outline, read once per records version whatever the language."""
    return _cached("outlines", load_outlines, per_language=False)


# --- Projection and path data ---------------------------------------------------------------


class Projection:
    """Equirectangular, with longitude shrunk by cos(latitude) so that shapes keep their
    proportions at the city's latitude, fitted into a viewBox WIDTH wide."""

    def __init__(self, box: Box):
        west, south, east, north = box
        self.shrink = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * self.shrink, 1e-9)
        span_y = max(north - south, 1e-9)
        inner = WIDTH - 2 * PADDING
        self.scale = inner / span_x
        height = span_y * self.scale + 2 * PADDING
        if height > MAX_HEIGHT:
            self.scale = (MAX_HEIGHT - 2 * PADDING) / span_y
        self.height = round(min(max(height, MIN_HEIGHT), MAX_HEIGHT))
        # Centre the drawing in the viewBox.
        self.left = (WIDTH - span_x * self.scale) / 2 - west * self.shrink * self.scale
        self.top = (self.height - span_y * self.scale) / 2 + north * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * self.shrink * self.scale + self.left, self.top - lat * self.scale


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker on a closed ring's points (first and last kept)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs(dy * (px - ax) - dx * (py - ay)) / length
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def path_data(outline: Outline, project: Projection) -> str:
    """SVG path data of every ring of the outline (holes cut by the even-odd rule)."""
    parts = []
    for polygon in outline.polygons:
        for ring in polygon:
            points = simplify([project(lon, lat) for lon, lat in ring], TOLERANCE)
            if len(points) < 4:
                # Smaller than the tolerance: keep its corners so it still shows.
                points = [project(lon, lat) for lon, lat in ring]
            if points[0] == points[-1]:
                points = points[:-1]
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


# --- The maps -------------------------------------------------------------------------------


def _union(boxes) -> Box:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


# Boxes this close (in degrees, about a metre) touch: a shared edge rounded two ways still meets.
TOUCHING = 1e-5


def _touches(a: Box, b: Box) -> bool:
    return (
        a[0] <= b[2] + TOUCHING
        and b[0] <= a[2] + TOUCHING
        and a[1] <= b[3] + TOUCHING
        and b[1] <= a[3] + TOUCHING
    )


def _patterns() -> SafeString:
    """The fills drawn over a stage's colour; the same ids serve the legend's swatches."""
    return mark_safe(
        "<defs>"
        '<pattern id="map-pattern-hatch" width="8" height="8" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        '<rect class="map-pattern__ground map-pattern__ground--model" width="8" height="8"/>'
        '<line class="map-pattern__mark" x1="2" y1="0" x2="2" y2="8"/></pattern>'
        '<pattern id="map-pattern-dots" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect class="map-pattern__ground map-pattern__ground--preparing" width="8" height="8"/>'
        '<circle class="map-pattern__dot" cx="4" cy="4" r="1.6"/></pattern>'
        "</defs>"
    )


def _area_class(stage: str) -> str:
    return f"map-area map-area--{stage}"


def _svg(project: Projection, title_id: str, title: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="map__svg" viewBox="0 0 {} {}" role="group" aria-labelledby="{}">'
        '<title id="{}">{}</title>{}{}</svg>',
        WIDTH,
        project.height,
        title_id,
        title_id,
        title,
        _patterns(),
        body,
    )


@dataclass(frozen=True)
class CityMap:
    svg: SafeString
    legend: list[tuple[str, str, int]]  # (stage, label, districts drawn)
    drawn: int


def _build_city_map() -> CityMap | None:
    outlines = city_outlines()
    if not outlines:
        return None
    project = Projection(_union(outline.box for outline in outlines))
    links = format_html_join(
        "",
        '<a href="{}" class="map-link" aria-label="{}"><title>{}</title>'
        '<path class="{}" d="{}"/></a>',
        (
            (
                outline.url,
                outline.accessible_name,
                outline.accessible_name,
                _area_class(outline.stage),
                path_data(outline, project),
            )
            for outline in outlines
        ),
    )
    counts = {stage: 0 for stage in CouncilStage}
    for outline in outlines:
        counts[CouncilStage(outline.stage)] += 1
    legend = [(str(stage), str(stage.label), counts[stage]) for stage in reversed(CouncilStage)]
    svg = _svg(project, "city-map-title", gettext("Map of the districts by council stage"), links)
    return CityMap(svg=svg, legend=legend, drawn=len(outlines))


def city_map() -> CityMap | None:
    """The city map (None when no district has a boundary), built once per version."""
    # False stands for "no map": None is what the cache returns for a missing key.
    found = _cached("city", lambda: _build_city_map() or False)
    return found or None


@dataclass(frozen=True)
class DistrictMap:
    svg: SafeString
    neighbours: list[Outline]


def _label_point(outline: Outline, project: Projection) -> tuple[str, str]:
    """The centroid of the outline's largest ring, kept inside the view so the name shows."""
    best_area, point = -1.0, (WIDTH / 2, project.height / 2)
    for polygon in outline.polygons:
        ring = [project(lon, lat) for lon, lat in polygon[0]]
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area and abs(area) > best_area:
            best_area, point = abs(area), (cx / (3 * area), cy / (3 * area))
    x = min(max(point[0], LABEL_MARGIN_X), WIDTH - LABEL_MARGIN_X)
    y = min(max(point[1], LABEL_MARGIN_Y), project.height - LABEL_MARGIN_Y / 2)
    return f"{x:.1f}", f"{y:.1f}"


def _build_district_map(district_pk: int, *, links: bool = True) -> DistrictMap | None:
    outlines = city_outlines()
    own = next((outline for outline in outlines if outline.pk == district_pk), None)
    if own is None:
        return None
    neighbours = [
        outline
        for outline in outlines
        if outline.pk != district_pk and _touches(outline.box, own.box)
    ]
    west, south, east, north = own.box
    margin_x, margin_y = (east - west) * SURROUNDINGS, (north - south) * SURROUNDINGS
    project = Projection((west - margin_x, south - margin_y, east + margin_x, north + margin_y))
    neighbour_template = (
        '<a href="{}" class="map-link" aria-label="{}"><title>{}</title>'
        '<path class="map-area map-area--neighbour" d="{}"/></a>'
        if links
        else '<g><title>{1}</title><path class="map-area map-area--neighbour" d="{3}"/></g>'
    )
    body = format_html_join(
        "",
        neighbour_template,
        (
            (
                outline.url,
                outline.accessible_name,
                outline.accessible_name,
                path_data(outline, project),
            )
            for outline in neighbours
        ),
    ) + format_html(
        '<g class="map-current"><title>{}</title><path class="map-area map-area--current" d="{}"/>'
        "</g>",
        own.display_name.text,
        path_data(own, project),
    )
    # Names on the map for sighted readers; screen readers have the links' names and the list.
    labels = format_html_join(
        "",
        '<text class="map-label{}" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (
                " map-label--current" if outline is own else "",
                *_label_point(outline, project),
                outline.name,
            )
            for outline in [*neighbours, own]
        ),
    )
    # The names as the city's maps write them, in Japanese on English pages too (short enough
    # to fit on the map; the list of neighbours below gives the English names).
    body += format_html(
        '<g class="map-labels" aria-hidden="true"{}>{}</g>', ja_attribute(own.name), labels
    )
    title = gettext("Map of %(district)s and the districts around it") % {
        "district": own.display_name.text
    }
    return DistrictMap(
        svg=_svg(project, f"district-map-title-{own.pk}", title, body), neighbours=neighbours
    )


def district_map(district: District) -> DistrictMap | None:
    """The district among its neighbours (None without a boundary), built once per version."""
    if district.boundary is None:
        return None
    found = _cached(f"district:{district.pk}", lambda: _build_district_map(district.pk) or False)
    return found or None


def boundary_preview(district: District) -> SafeString | None:
    """The admin's preview: the district map without links (staff are editing, not browsing)."""
    if district.pk is None or district.boundary is None:
        return None
    found = _build_district_map(district.pk, links=False)
    return found.svg if found else None
