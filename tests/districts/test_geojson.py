"""Uploaded GeoJSON boundaries: what is accepted, how it is stored, and every refusal's message."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from districts import geojson
from districts.geojson import boundary_from_bytes, boundary_from_file

# A square of about 1 km in みどり野市, longitude first.
RING = [
    [139.25, 35.70],
    [139.26, 35.70],
    [139.26, 35.71],
    [139.25, 35.71],
    [139.25, 35.70],
]
POLYGON = {"type": "Polygon", "coordinates": [RING]}


@pytest.fixture(autouse=True)
def _in_english():
    """The messages are checked by their English wording; Japanese is checked once below."""
    with translation.override("en"):
        yield


def upload(data, name="boundary.geojson") -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, raw, content_type="application/geo+json")


def refusal(data) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        boundary_from_file(upload(data))
    return caught.value


def feature(geometry) -> dict:
    return {"type": "Feature", "properties": {"name": "桜台"}, "geometry": geometry}


class TestAccepted:
    def test_polygon_is_stored_as_it_is(self):
        assert boundary_from_file(upload(POLYGON)) == POLYGON

    def test_multipolygon_keeps_every_polygon(self):
        shifted = [[x + 0.02, y] for x, y in RING]
        data = {"type": "MultiPolygon", "coordinates": [[RING], [shifted]]}
        assert boundary_from_file(upload(data)) == data

    def test_feature_and_collection_of_one_give_their_geometry(self):
        assert boundary_from_file(upload(feature(POLYGON))) == POLYGON
        collection = {"type": "FeatureCollection", "features": [feature(POLYGON)]}
        assert boundary_from_file(upload(collection)) == POLYGON

    def test_coordinates_rounded_to_six_decimals_and_altitude_dropped(self):
        ring = [[x + 0.0000001234, y - 0.0000004321, 12.5] for x, y in RING]
        ring[-1] = ring[0]
        stored = boundary_from_file(upload({"type": "Polygon", "coordinates": [ring]}))
        assert stored["coordinates"][0][1] == [139.26, 35.7]
        assert all(len(position) == 2 for position in stored["coordinates"][0])

    def test_utf8_with_byte_order_mark(self):
        raw = "\ufeff".encode() + json.dumps(feature(POLYGON), ensure_ascii=False).encode()
        assert boundary_from_bytes(raw) == POLYGON

    def test_polygon_with_a_hole(self):
        hole = [[139.252, 35.702], [139.254, 35.702], [139.254, 35.704], [139.252, 35.702]]
        data = {"type": "Polygon", "coordinates": [RING, hole]}
        assert boundary_from_file(upload(data)) == data


def ring_of(points: list[list[float]]) -> dict:
    return {"type": "Polygon", "coordinates": [points]}


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"<kml><Placemark/></kml>", "not_json", "not JSON"),
        (b'{"type": "Polygon", ', "not_json", "not JSON"),
        ("桜台".encode("shift_jis") + b"{}", "not_utf8", "UTF-8"),
        ({"type": "Point", "coordinates": [139.25, 35.7]}, "wrong_type", "Point"),
        ({"type": "LineString", "coordinates": RING}, "wrong_type", "LineString"),
        ([1, 2, 3], "wrong_type", "Polygon"),
        ({"type": "Feature", "geometry": None}, "no_geometry", "no geometry"),
        (
            {"type": "FeatureCollection", "features": [feature(POLYGON), feature(POLYGON)]},
            "feature_count",
            "holds 2 features",
        ),
        ({"type": "FeatureCollection", "features": []}, "feature_count", "holds 0 features"),
        (ring_of(RING[:-1]), "unclosed_ring", "not closed"),
        (ring_of([RING[0], RING[1], RING[0]]), "short_ring", "has 3 points"),
        (ring_of([[139.25, "35.70"], *RING[1:]]), "bad_coordinates", "longitude and latitude"),
        (ring_of([[139.25], *RING[1:]]), "bad_coordinates", "longitude and latitude"),
        ({"type": "Polygon", "coordinates": []}, "bad_coordinates", "longitude and latitude"),
        (ring_of([[True, 35.7], *RING[1:]]), "bad_coordinates", "longitude and latitude"),
        # Plane rectangular coordinates (系IX, metres), as a city's GIS exports them.
        (
            ring_of([[-34500.0, -8200.0], [-33500, -8200], [-33500, -7200], [-34500.0, -8200.0]]),
            "projected",
            "EPSG:4326",
        ),
        # Web Mercator metres.
        (
            ring_of(
                [[15501000, 4259000], [15502000, 4259000], [15502000, 4260000], [15501000, 4259000]]
            ),
            "projected",
            "WGS 84",
        ),
        (ring_of([[y, x] for x, y in RING]), "swapped_axes", "longitude first"),
        # Paris: a real place, not in Japan.
        (
            ring_of([[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]),
            "outside_japan",
            "outside Japan",
        ),
    ],
)
def test_refused_with_a_message_that_says_what_to_do(data, code, words):
    error = refusal(data)
    assert error.code == code
    assert words in " ".join(error.messages)


def test_nan_and_infinity_are_refused():
    for constant in ("NaN", "Infinity", "-Infinity"):
        raw = json.dumps(POLYGON).replace("139.26", constant, 1).encode()
        assert refusal(raw).code == "not_finite"
    # A number too large for a float is read as infinity.
    assert refusal(json.dumps(POLYGON).replace("139.26", "1e999", 1).encode()).code == "not_finite"


def test_file_over_the_size_limit_is_refused_before_reading_it(monkeypatch):
    monkeypatch.setattr(geojson, "MAX_FILE_BYTES", 1024)
    padded = json.dumps({**POLYGON, "properties": {"note": "あ" * 2000}}).encode()
    error = refusal(padded)
    assert error.code == "too_large"
    # The real limit is 2 MB.
    monkeypatch.undo()
    assert "2 MB" in refusal(b" " * (2 * 1024 * 1024 + 1)).messages[0]


def test_too_many_points_are_refused():
    steps = geojson.MAX_POSITIONS
    ring = [[139.25 + 0.01 * i / steps, 35.70 + 0.00001 * (i % 2)] for i in range(steps)]
    ring += [[139.26, 35.71], ring[0]]
    error = refusal(ring_of(ring))
    assert error.code == "too_many_positions"
    assert "50,000" in error.messages[0]


def test_messages_are_in_japanese_for_japanese_staff():
    with translation.override("ja"):
        error = refusal({"type": "FeatureCollection", "features": []})
        assert error.messages == [
            "FeatureCollectionに0件のFeatureがあります。校区の区域を表すFeatureを1件だけにしてください。"
        ]
