"""English names of the demo city's records, for the portal's English pages.

Some districts, councils and groups have an English name and the rest do not, so that the demo
shows both ways a name appears in English: as its English name, or as the Japanese name with its
reading in Latin letters. The grant program and its formula's components all have one.
"""

from districts.models import Council, District
from organizations.models import Organization
from subsidies.models import FormulaComponent, Program

DISTRICT_NAMES = {
    "sakuradai": "Sakuradai Elementary School District",
    "midorigaoka": "Midorigaoka Elementary School District",
    "nishihara": "Nishihara Junior High School District",
}
COUNCIL_NAMES = {
    "sakuradai": "Sakuradai Community Council",
    "honmachi": "Honmachi Community Collaboration Committee",
}
GROUP_NAMES = {
    "{base}地区社会福祉協議会": "{base} Social Welfare Council",
    "{base}地区民生委員児童委員協議会": "{base} Welfare and Child Commissioners' Council",
    "{base}見守り隊": "{base} Children's Safety Watch",
    "{base}子ども食堂": "{base} Children's Cafeteria",
}
# The districts whose groups above have English names (the others' do not).
GROUP_DISTRICTS = {"sakuradai": "Sakuradai", "honmachi": "Honmachi"}
PROGRAM_NAMES = {"地域づくり一括交付金": "Consolidated Community Development Grant"}
COMPONENT_LABELS = {
    "均等割": "Equal share per district",
    "人口割": "Share by population",
    "世帯割": "Share by households",
    "防犯灯加算": "Street light addition",
}
UNIT_NAMES = {"防犯灯": "street lights"}


def seed_english_names(districts: dict[str, District]) -> None:
    """Set the demo's English names by natural key (updates only, so a rerun changes nothing)."""
    for slug, name_en in DISTRICT_NAMES.items():
        District.objects.filter(slug=slug).update(name_en=name_en)
    for slug, name_en in COUNCIL_NAMES.items():
        Council.objects.filter(district__slug=slug).update(name_en=name_en)
    for slug, base_en in GROUP_DISTRICTS.items():
        district = districts.get(slug)
        if district is None:
            continue
        base = district.name.removesuffix("小学校区").removesuffix("中学校区")
        for name, name_en in GROUP_NAMES.items():
            Organization.objects.filter(name=name.format(base=base)).update(
                name_en=name_en.format(base=base_en)
            )
    for name, name_en in PROGRAM_NAMES.items():
        Program.objects.filter(name=name).update(name_en=name_en)
    for label, label_en in COMPONENT_LABELS.items():
        FormulaComponent.objects.filter(label=label).update(label_en=label_en)
    for unit, unit_en in UNIT_NAMES.items():
        FormulaComponent.objects.filter(unit_name=unit).update(unit_name_en=unit_en)
