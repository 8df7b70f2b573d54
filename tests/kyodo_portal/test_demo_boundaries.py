"""The demo and grown cities' boundaries: valid, tiling their city, neighbours where expected."""

import io
import math
from itertools import pairwise

import pytest
from django.core.management import call_command

from districts import maps
from districts.geojson import normalise_boundary
from districts.models import District
from kyodo_portal.management.commands import _demo_boundaries as boundaries


def area(ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))) / 2


def contains(ring, point) -> bool:
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in pairwise(ring):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def closed(cell):
    return [*cell, cell[0]]


class TestDemoCity:
    @pytest.fixture
    def cells(self):
        sites = list(boundaries.DEMO_SITES.values())
        return dict(
            zip(
                boundaries.DEMO_SITES,
                boundaries.tile(sites, boundaries.DEMO_OUTLINE, seed=7),
                strict=True,
            )
        )

    def test_each_district_holds_its_own_site_and_the_cells_fill_the_outline(self, cells):
        for slug, cell in cells.items():
            assert contains(closed(cell), boundaries.DEMO_SITES[slug]), slug
        outline = closed(boundaries.convex_hull(boundaries.DEMO_OUTLINE))
        total = sum(area(closed(cell)) for cell in cells.values())
        # The bends of shared edges cancel out; only the outline's own bends change the sum.
        assert total == pytest.approx(area(outline), rel=0.03)

    def test_boundaries_pass_the_uploads_checks(self, cells):
        for cell in cells.values():
            geometry = boundaries.geometry(cell, boundaries.DEMO_CENTRE)
            assert normalise_boundary(geometry) == geometry

    def test_the_same_input_draws_the_same_city(self, cells):
        sites = list(boundaries.DEMO_SITES.values())
        again = boundaries.tile(sites, boundaries.DEMO_OUTLINE, seed=7)
        assert list(cells.values()) == again

    @pytest.mark.django_db
    def test_seed_demo_gives_every_district_its_boundary(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        assert not District.objects.filter(boundary__isnull=True).exists()
        sakuradai = District.objects.get(slug="sakuradai")
        drawn = maps.district_map(sakuradai)
        # 桜台 is 3 km east of the centre: 本町 and 東山 are among its neighbours, 北部 is not.
        neighbours = {outline.url for outline in drawn.neighbours}
        assert {"/districts/honmachi/", "/districts/higashiyama/"} <= neighbours
        assert "/districts/hokubu/" not in neighbours


class Unsaved:
    boundary = None


class TestGrownCity:
    def test_four_hundred_districts_valid_and_numbered_neighbours_close(self):
        districts = [Unsaved() for _ in range(400)]
        boundaries.scale_city_boundaries(districts)
        centres = []
        for district in districts:
            ring = normalise_boundary(district.boundary)["coordinates"][0]
            centres.append(
                (sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring))
            )
        spacing = boundaries.SCALE_SPACING_KM / boundaries.KM_PER_DEGREE_LAT
        steps = [math.dist(a, b) for a, b in pairwise(centres)]
        # Along a row and round the snake's turns, the next number is next door.
        assert sorted(steps)[len(steps) * 9 // 10] < 2.5 * spacing

    def test_the_same_count_draws_the_same_city(self):
        first, second = [Unsaved() for _ in range(40)], [Unsaved() for _ in range(40)]
        boundaries.scale_city_boundaries(first)
        boundaries.scale_city_boundaries(second)
        assert [d.boundary for d in first] == [d.boundary for d in second]

    def test_apart_from_the_demo_city(self):
        districts = [Unsaved() for _ in range(400)]
        boundaries.scale_city_boundaries(districts)
        grown_north = max(y for d in districts for _, y in d.boundary["coordinates"][0])
        demo_cells = boundaries.tile(
            list(boundaries.DEMO_SITES.values()), boundaries.DEMO_OUTLINE, seed=7
        )
        demo_south = min(
            y
            for cell in demo_cells
            for _, y in boundaries.geometry(cell, boundaries.DEMO_CENTRE)["coordinates"][0]
        )
        assert grown_north < demo_south
