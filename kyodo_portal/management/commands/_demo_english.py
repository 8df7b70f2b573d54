"""English names of the demo city's records (demo/data/english.toml), for the English pages."""

from demo.city import ENGLISH_NAMES
from districts.models import Council, District
from organizations.models import Organization
from subsidies.models import FormulaComponent, Program


def seed_english_names(districts: dict[str, District]) -> None:
    """Set the demo's English names by natural key (updates only, so a rerun changes nothing)."""
    names = ENGLISH_NAMES
    for slug, name_en in names["districts"].items():
        District.objects.filter(slug=slug).update(name_en=name_en)
    for slug, name_en in names["councils"].items():
        Council.objects.filter(district__slug=slug).update(name_en=name_en)
    for slug, base_en in names["group_districts"].items():
        district = districts.get(slug)
        if district is None:
            continue
        base = district.name.removesuffix("小学校区").removesuffix("中学校区")
        for name, name_en in names["groups"].items():
            Organization.objects.filter(name=name.format(base=base)).update(
                name_en=name_en.format(base=base_en)
            )
    for name, name_en in names["programs"].items():
        Program.objects.filter(name=name).update(name_en=name_en)
    for label, label_en in names["components"].items():
        FormulaComponent.objects.filter(label=label).update(label_en=label_en)
    for unit, unit_en in names["units"].items():
        FormulaComponent.objects.filter(unit_name=unit).update(unit_name_en=unit_en)
