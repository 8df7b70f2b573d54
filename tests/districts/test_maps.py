"""The district maps: what the SVG says, and that it is drawn once per change of the records."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from districts import maps
from districts.models import CouncilStage
from tests.factories import CouncilFactory, DistrictFactory

pytestmark = pytest.mark.django_db


def square(west: float, south: float, size: float = 0.01) -> dict:
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def city():
    """Three districts in a row (each touching the next) and one far off, of three stages."""
    west = CouncilFactory(
        stage=CouncilStage.ESTABLISHED,
        established_on=dt.date(2020, 4, 1),
        district__name="西小学校区",
        district__name_kana="にししょうがっこうく",
        district__slug="nishi",
        district__boundary=square(139.20, 35.70),
    ).district
    middle = CouncilFactory(
        stage=CouncilStage.MODEL,
        district__name="中央小学校区",
        district__name_kana="ちゅうおうしょうがっこうく",
        district__slug="chuo",
        district__boundary=square(139.21, 35.70),
    ).district
    east = DistrictFactory(
        name="東小学校区",
        name_en="Higashi Elementary School District",
        slug="higashi",
        boundary=square(139.22, 35.70),
    )
    far = DistrictFactory(
        name="遠野小学校区",
        name_kana="とおのしょうがっこうく",
        slug="tono",
        boundary=square(139.40, 35.80),
    )
    DistrictFactory(name="境界なし小学校区", slug="nashi", boundary=None)
    return {"west": west, "middle": middle, "east": east, "far": far}


def links(svg: str) -> dict[str, str]:
    """href → aria-label of each link in the SVG."""
    return dict(re.findall(r'<a href="([^"]+)" class="map-link" aria-label="([^"]+)"', svg))


class TestCityMap:
    def test_a_link_per_district_with_a_boundary_named_with_its_stage(self, city):
        # In English, a link's name is the English name, else the reading (an attribute cannot
        # mark part of its text as Japanese).
        with translation.override("en"):
            drawn = maps.city_map()
        assert links(drawn.svg) == {
            "/districts/nishi/": "Nishi Shōgakkōku (Established)",
            "/districts/chuo/": "Chūō Shōgakkōku (Model district)",
            "/districts/higashi/": "Higashi Elementary School District (Not started)",
            "/districts/tono/": "Tōno Shōgakkōku (Not started)",
        }
        assert "<title>Nishi Shōgakkōku (Established)</title>" in drawn.svg
        assert 'class="map-area map-area--model"' in drawn.svg
        assert drawn.drawn == 4

    def test_japanese_names_and_full_width_brackets(self, city):
        with translation.override("ja"):
            drawn = maps.city_map()
        assert links(drawn.svg)["/districts/chuo/"] == "中央小学校区（モデル地区）"

    def test_legend_lists_every_stage_with_its_count_furthest_first(self, city):
        with translation.override("en"):
            legend = maps.city_map().legend
        assert legend == [
            ("established", "Established", 1),
            ("model", "Model district", 1),
            ("preparing", "Preparing", 0),
            ("not_started", "Not started", 2),
        ]

    def test_stages_have_patterns_not_only_colours(self, city):
        svg = maps.city_map().svg
        assert '<pattern id="map-pattern-hatch"' in svg
        assert '<pattern id="map-pattern-dots"' in svg

    def test_no_map_without_boundaries(self):
        DistrictFactory(boundary=None)
        assert maps.city_map() is None

    def test_paths_fit_the_view_box(self, city):
        svg = maps.city_map().svg
        width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
        numbers = [
            float(n) for d in re.findall(r' d="([^"]+)"', svg) for n in re.findall(r"-?[\d.]+", d)
        ]
        xs, ys = numbers[0::2], numbers[1::2]
        assert min(xs) >= 0 and max(xs) <= width
        assert min(ys) >= 0 and max(ys) <= height

    def test_names_are_escaped(self):
        DistrictFactory(name='<script>"x"</script>', boundary=square(139.2, 35.7))
        svg = maps.city_map().svg
        assert "<script>" not in svg
        assert "&lt;script&gt;" in svg


class TestDistrictMap:
    def test_own_outline_highlighted_among_linked_neighbours(self, city):
        with translation.override("en"):
            drawn = maps.district_map(city["middle"])
        assert [outline.name for outline in drawn.neighbours] == ["西小学校区", "東小学校区"]
        assert set(links(drawn.svg)) == {"/districts/nishi/", "/districts/higashi/"}
        assert drawn.svg.count("map-area--current") == 1
        assert drawn.svg.count("map-area--neighbour") == 2
        assert "遠野" not in drawn.svg  # far away: not a neighbour
        # Names written on the map as the city writes them, hidden from screen readers (the
        # links carry them), marked as Japanese on an English page.
        labels = re.search(
            r'<g class="map-labels" aria-hidden="true" lang="ja">(.*?)</g>', drawn.svg
        )[1]
        assert re.findall(r">([^<]+)</text>", labels) == [
            "西小学校区",
            "東小学校区",
            "中央小学校区",
        ]
        assert 'class="map-label map-label--current"' in labels
        assert "Map of Chūō Shōgakkōku and the districts around it" in drawn.svg

    def test_no_map_for_a_district_without_boundary(self, city):
        nashi = city["west"].__class__.objects.get(slug="nashi")
        assert maps.district_map(nashi) is None

    def test_admin_preview_has_no_links(self, city):
        preview = maps.boundary_preview(city["middle"])
        assert "<a " not in preview
        assert "map-area--current" in preview


class TestBuiltOncePerChange:
    def test_second_render_issues_no_query_and_does_not_rebuild(self, city, monkeypatch):
        builds = []
        build = maps.load_outlines
        monkeypatch.setattr(maps, "load_outlines", lambda: builds.append(1) or build())
        first = maps.city_map()
        with CaptureQueriesContext(connection) as queries:
            again = maps.city_map()
            district = maps.district_map(city["middle"])
            maps.district_map(city["middle"])
        assert len(queries) == 0
        assert again.svg == first.svg
        assert district is not None
        assert len(builds) == 1

    def test_each_language_has_its_own_copy(self, city):
        with translation.override("ja"):
            japanese = maps.city_map().svg
        with translation.override("en"):
            english = maps.city_map().svg
        assert "設立済み" in japanese
        assert "Established" in english

    def test_rebuilt_after_a_district_changes(self, city):
        before = maps.city_map()
        city["east"].name = "東が丘小学校区"
        city["east"].save()
        after = maps.city_map()
        assert "東が丘小学校区" in after.svg
        assert "東が丘小学校区" not in before.svg

    def test_rebuilt_after_a_council_changes_stage(self, city):
        with translation.override("en"):
            maps.city_map()
            CouncilFactory(district=city["east"], stage=CouncilStage.PREPARING)
            after = maps.city_map()
        assert links(after.svg)["/districts/higashi/"] == (
            "Higashi Elementary School District (Preparing)"
        )
