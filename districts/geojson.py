"""A district's boundary from an uploaded GeoJSON file: checked, then stored in one shape.

Staff export boundaries from the city's GIS or draw them on a web map; what comes out varies
(a bare geometry, a Feature, a FeatureCollection of one Feature, altitudes, fifteen decimals,
sometimes the plane rectangular coordinates of the city's GIS instead of longitude and latitude).
`boundary_from_file` accepts what is usable, says precisely what is not, and returns a Polygon
or MultiPolygon of WGS 84 longitude/latitude pairs rounded to six decimals (about 10 cm).
"""

import json
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_POSITIONS = 50_000
DECIMALS = 6
# Japan and its islands, generously: Yonaguni (122.9°E) to Minamitorishima (153.9°E), Okinotori
# (20.4°N) to Cape Sōya (45.5°N).
LONGITUDE = (122.0, 154.0)
LATITUDE = (20.0, 46.0)
GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}


def boundary_from_file(upload) -> dict:
    """The normalised geometry of an uploaded file, or ValidationError saying what is wrong."""
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise _too_large()
    raw = upload.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise _too_large()
    return boundary_from_bytes(raw)


def boundary_from_bytes(raw: bytes) -> dict:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as GeoJSON in UTF-8 and upload it again."),
            code="not_utf8",
        ) from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except _NotFinite:
        raise _not_finite() from None
    except ValueError:
        raise ValidationError(
            _("The file is not JSON. Upload a GeoJSON file (.geojson or .json)."),
            code="not_json",
        ) from None
    return normalise_boundary(data)


def normalise_boundary(data) -> dict:
    """A Polygon or MultiPolygon from a geometry, a Feature or a one-Feature FeatureCollection."""
    geometry = _geometry_of(data)
    if geometry["type"] == "Polygon":
        polygons = [_polygon(geometry.get("coordinates"))]
    else:
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list) or not coordinates:
            raise _bad_coordinates()
        polygons = [_polygon(polygon) for polygon in coordinates]
    positions = [position for polygon in polygons for ring in polygon for position in ring]
    if len(positions) > MAX_POSITIONS:
        raise ValidationError(
            _(
                "The boundary has %(count)s points; the limit is %(limit)s. Simplify it in your "
                "GIS (a tolerance of a metre or two is enough) and upload it again."
            ),
            code="too_many_positions",
            params={"count": f"{len(positions):,}", "limit": f"{MAX_POSITIONS:,}"},
        )
    _check_place(positions)
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _rounded(polygons[0])}
    return {"type": "MultiPolygon", "coordinates": [_rounded(polygon) for polygon in polygons]}


class _NotFinite(ValueError):
    pass


def _refuse_constant(name: str):
    raise _NotFinite(name)


def _too_large() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s MB. Simplify the boundary and upload it again."),
        code="too_large",
        params={"limit": MAX_FILE_BYTES // (1024 * 1024)},
    )


def _not_finite() -> ValidationError:
    return ValidationError(
        _("The coordinates contain a value that is not a number (NaN or Infinity)."),
        code="not_finite",
    )


def _bad_coordinates() -> ValidationError:
    return ValidationError(
        _("The coordinates are not those of a polygon: each point needs a longitude and latitude."),
        code="bad_coordinates",
    )


def _wrong_type(found) -> ValidationError:
    return ValidationError(
        _(
            "The file holds a %(found)s. Upload a Polygon or MultiPolygon, or a Feature with one "
            "as its geometry."
        ),
        code="wrong_type",
        params={"found": found if isinstance(found, str) and found else _("JSON value")},
    )


def _geometry_of(data) -> dict:
    if not isinstance(data, dict):
        raise _wrong_type(None)
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise ValidationError(
                _(
                    "The FeatureCollection holds %(count)s features; it must hold exactly one, "
                    "the district's boundary."
                ),
                code="feature_count",
                params={"count": len(features) if isinstance(features, list) else 0},
            )
        data = features[0]
        kind = data.get("type") if isinstance(data, dict) else None
        if kind != "Feature":
            raise _wrong_type(kind)
    if kind == "Feature":
        data = data.get("geometry")
        if not isinstance(data, dict):
            raise ValidationError(
                _("The Feature has no geometry. Upload a Feature whose geometry is a Polygon."),
                code="no_geometry",
            )
        kind = data.get("type")
    if kind not in GEOMETRY_TYPES:
        raise _wrong_type(kind)
    return data


def _number(value) -> float:
    # bool is an int to Python, not a coordinate to anyone.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad_coordinates()
    if not math.isfinite(value):
        raise _not_finite()
    return float(value)


def _polygon(rings) -> list[list[tuple[float, float]]]:
    if not isinstance(rings, list) or not rings:
        raise _bad_coordinates()
    polygon = []
    for ring in rings:
        if not isinstance(ring, list):
            raise _bad_coordinates()
        positions = []
        for position in ring:
            if not isinstance(position, list) or not 2 <= len(position) <= 3:
                raise _bad_coordinates()
            # An altitude, where there is one, is dropped: the map is flat.
            positions.append((_number(position[0]), _number(position[1])))
        if len(positions) < 4:
            raise ValidationError(
                _("A ring of the boundary has %(count)s points; a closed ring needs at least 4."),
                code="short_ring",
                params={"count": len(positions)},
            )
        if positions[0] != positions[-1]:
            raise ValidationError(
                _("A ring of the boundary is not closed: its last point must repeat its first."),
                code="unclosed_ring",
            )
        polygon.append(positions)
    return polygon


def _inside(value: float, span: tuple[float, float]) -> bool:
    return span[0] <= value <= span[1]


def _check_place(positions) -> None:
    if all(_inside(x, LATITUDE) and _inside(y, LONGITUDE) for x, y in positions):
        raise ValidationError(
            _(
                "The coordinates look like latitude, longitude. GeoJSON writes longitude first "
                "([139.7, 35.6]); swap the two and upload again."
            ),
            code="swapped_axes",
        )
    if any(abs(x) > 180 or abs(y) > 90 for x, y in positions):
        raise ValidationError(
            _(
                "The coordinates look projected (metres, such as the plane rectangular "
                "coordinate system). Export the boundary in WGS 84 longitude and latitude "
                "(EPSG:4326) and upload again."
            ),
            code="projected",
        )
    if not all(_inside(x, LONGITUDE) and _inside(y, LATITUDE) for x, y in positions):
        raise ValidationError(
            _("The boundary lies outside Japan. Check that it is the right file."),
            code="outside_japan",
        )


def _rounded(polygon) -> list[list[list[float]]]:
    return [[[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring] for ring in polygon]
