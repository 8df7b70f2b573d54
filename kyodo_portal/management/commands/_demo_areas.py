"""The demo city's 通学区域一覧: which 町丁目 (and, where a 丁目 is split, which 番地) belong to
each district, for `seed_demo`.

Towns in the centre have 丁目 (桜台一～五丁目 …); the older villages and the hills are whole towns
or addressed by 番地 alone (上野原1024番地). A few 丁目 on the border of two districts are split by
番地 between them, as cities do where a school's catchment follows a road rather than a 丁目.
"""

from typing import NamedTuple

from core.text import fold
from districts.models import Area, District


class Town(NamedTuple):
    district: str  # slug
    town: str
    kana: str
    chome: tuple[int, ...] = ()  # empty: the whole town
    # (丁目, 番地から, 番地まで or None, district slug): parts of a 丁目 split between districts.
    split: tuple[tuple[int, int, int | None, str], ...] = ()


TOWNS = (
    Town("sakuradai", "桜台", "さくらだい", (1, 2, 3, 4), (
        (5, 1, 15, "sakuradai"), (5, 16, None, "midorigaoka"),
    )),
    Town("sakuradai", "桜町", "さくらまち"),
    Town("midorigaoka", "緑が丘", "みどりがおか", (1, 2, 3, 4, 5, 6)),
    Town("midorigaoka", "緑ヶ丘台", "みどりがおかだい", (1, 2)),
    Town("honmachi", "本町", "ほんまち", (1, 2, 3), (
        (4, 1, 20, "honmachi"), (4, 21, None, "higashiyama"),
    )),
    Town("honmachi", "仲町", "なかまち"),
    Town("honmachi", "栄町", "さかえまち", (1, 2)),
    Town("honmachi", "新町", "しんまち"),
    Town("higashiyama", "東山", "ひがしやま", (1, 2, 3)),
    Town("higashiyama", "東山台", "ひがしやまだい", (1, 2)),
    Town("higashiyama", "松ヶ枝町", "まつがえちょう"),
    Town("wakaba", "若葉", "わかば", (1, 2, 3), (
        (4, 1, 9, "wakaba"), (4, 10, None, "kawakita"),
    )),
    Town("wakaba", "若葉台", "わかばだい", (1, 2, 3)),
    Town("kawakita", "川北", "かわきた", (1, 2, 3)),
    Town("kawakita", "川北新田", "かわきたしんでん"),
    Town("kawakita", "堤", "つつみ"),
    Town("minamidai", "南台", "みなみだい", (1, 2, 3), (
        (4, 1, 18, "minamidai"), (4, 19, None, "izumi"),
    )),
    Town("minamidai", "南町", "みなみまち"),
    Town("izumi", "泉", "いずみ", (1, 2, 3)),
    Town("izumi", "泉ヶ丘", "いずみがおか", (1, 2)),
    Town("izumi", "下泉", "しもいずみ"),
    Town("nishihara", "西原", "にしはら", (1, 2, 3, 4, 5)),
    Town("nishihara", "西原台", "にしはらだい", (1, 2, 3)),
    Town("nishihara", "坂下", "さかした"),
    Town("asahi", "旭", "あさひ", (1, 2, 3)),
    Town("asahi", "旭ヶ丘", "あさひがおか"),
    Town("asahi", "宮下", "みやした"),
    Town("uenohara", "上野原", "うえのはら"),
    Town("uenohara", "滝沢", "たきざわ"),
    Town("uenohara", "新田", "しんでん"),
    Town("uenohara", "宮前", "みやまえ"),
    Town("hokubu", "大沢", "おおさわ"),
    Town("hokubu", "小松", "こまつ"),
    Town("hokubu", "長峰", "ながみね"),
    Town("hokubu", "石原", "いしはら"),
    Town("hokubu", "北原", "きたはら"),
)  # fmt: skip


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
    """Replace the demo districts' areas with the table above; returns how many there are."""
    Area.objects.filter(district__in=districts.values()).delete()
    return len(Area.objects.bulk_create(area_rows(districts)))
