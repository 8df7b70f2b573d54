"""The demo city's 通学区域一覧: which 町丁目 (and, where a 丁目 is split, which 番地) belong to
each district, for `seed_demo`.

Towns in the centre have 丁目 (桜台一～五丁目 …); the older villages and the hills are whole towns
or addressed by 番地 alone (上野原1024番地). A few 丁目 on the border of two districts are split by
番地 between them, as cities do where a school's catchment follows a road rather than a 丁目.
The table is data: demo/data/areas.toml, read by demo.city.
"""

from core.text import fold
from demo.city import TOWNS
from districts.models import Area, District


def area_rows(districts: dict[str, District]) -> list[Area]:
    """Every row of the table, town_key set (bulk_create does not call save())."""
    rows = []
    for town in TOWNS:
        parts = [(town.district, chome, None, None) for chome in town.chome]
        if not town.chome and not town.split:
            parts.append((town.district, None, None, None))
        parts += [(slug, chome, start, end) for chome, start, end, slug in town.split]
        rows += [
            Area(
                district=districts[slug],
                town=town.town,
                town_kana=town.kana,
                town_key=fold(town.town),
                chome=chome,
                banchi_from=start,
                banchi_to=end,
            )
            for slug, chome, start, end in parts
        ]
    return rows


def seed_areas(districts: dict[str, District]) -> int:
    """Replace the demo districts' areas with the table's; returns how many there are."""
    Area.objects.filter(district__in=districts.values()).delete()
    return len(Area.objects.bulk_create(area_rows(districts)))
