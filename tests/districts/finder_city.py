"""The district finder: the fixture city (みどり野市) of tests/districts/test_finder.py and
tests/browser/test_finder.py:

- 桜台小学校区 (sakuradai): 桜台一丁目, 桜台二丁目 1～12番地, 桜台三丁目
- 東山小学校区 (higashiyama): 桜台二丁目 13番地以降, 新桜台 (一・二丁目), 東山 (一・二丁目),
  一本松 (一・二丁目), 大原 501番地以降
- 緑ヶ丘小学校区 (midorigaoka): 緑ヶ丘 一～四丁目
- 本町小学校区 (honmachi): 本町 一～三丁目, 小川 (a town without 丁目), 栄町, 大原 1～500番地
"""

from districts.models import District
from tests.factories import AreaFactory, DistrictFactory


def make_city(copy: int = 0) -> dict[str, District]:
    """The fixture city; `copy` > 0 makes a further city's worth of towns and districts under
    other names (for the query counts at ten times the data)."""
    tag = "" if copy == 0 else f"第{copy}"
    kana_tag = "" if copy == 0 else "だい" + "あいうえおかきくけこ"[copy % 10] * (copy // 10 + 1)
    suffix = "" if copy == 0 else f"-{copy}"

    def district(slug, name, kana):
        return DistrictFactory(
            slug=f"{slug}{suffix}",
            name=f"{tag}{name}小学校区",
            school_name=f"{tag}{name}小学校",
            name_kana=f"{kana_tag}{kana}しょうがっこうく",
        )

    sakuradai = district("sakuradai", "桜台", "さくらだい")
    higashiyama = district("higashiyama", "東山", "ひがしやま")
    midorigaoka = district("midorigaoka", "緑ヶ丘", "みどりがおか")
    honmachi = district("honmachi", "本町", "ほんまち")

    def area(district, town, kana, chome=None, banchi_from=None, banchi_to=None):
        return AreaFactory(
            district=district,
            town=f"{tag}{town}",
            town_kana=f"{kana_tag}{kana}",
            chome=chome,
            banchi_from=banchi_from,
            banchi_to=banchi_to,
        )

    area(sakuradai, "桜台", "さくらだい", 1)
    area(sakuradai, "桜台", "さくらだい", 2, 1, 12)
    area(higashiyama, "桜台", "さくらだい", 2, 13)
    area(sakuradai, "桜台", "さくらだい", 3)
    for chome in (1, 2):
        area(higashiyama, "新桜台", "しんさくらだい", chome)
        area(higashiyama, "東山", "ひがしやま", chome)
        area(higashiyama, "一本松", "いっぽんまつ", chome)
    for chome in (1, 2, 3, 4):
        area(midorigaoka, "緑ヶ丘", "みどりがおか", chome)
    for chome in (1, 2, 3):
        area(honmachi, "本町", "ほんまち", chome)
    area(honmachi, "小川", "おがわ")
    area(honmachi, "栄町", "さかえまち")
    area(honmachi, "大原", "おおはら", None, 1, 500)
    area(higashiyama, "大原", "おおはら", None, 501)
    return {
        "sakuradai": sakuradai,
        "higashiyama": higashiyama,
        "midorigaoka": midorigaoka,
        "honmachi": honmachi,
    }
