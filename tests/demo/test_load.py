"""The demo city's data files: they read into the tables the seeding uses, and a bad row is named.

No database: the files are read and checked against the models' choices only.
"""

import pytest

from demo import city, grants, plans
from demo.load import DATA, built, read


def test_every_data_file_is_read_by_a_table_module():
    files = {path.stem for path in DATA.glob("*.toml")}
    assert files == {
        *("districts", "areas", "groups", "names", "posts", "accounts"),
        *("issues", "initiatives", "plans", "topics", "calendar"),
        *("grants", "filings", "reports", "history"),
        *("english", "map", "scale"),
    }
    assert all(read(name) for name in files)


def test_the_plans_name_only_initiatives_and_issues_the_catalogues_hold():
    for seed in plans.PLANS:
        assert {entry.key for entry in seed.initiatives} <= set(plans.INITIATIVES), seed.title
        assert {key for key, _ in seed.issues} <= set(plans.ISSUES), seed.title
        assert {note.initiative for note in seed.notes} <= {entry.key for entry in seed.initiatives}
    for spec in plans.INITIATIVES.values():
        assert set(spec.issues) <= set(plans.ISSUES), spec.title


def test_the_calendar_names_only_topics_the_topics_file_holds():
    named = set(plans.BOARD_MONTHS.values()) | set(plans.PREP_MIDDLE)
    named |= {topic for topic, _ in plans.FORUMS + plans.OTHERS}
    named |= {
        topic
        for divisions in plans.DIVISIONS.values()
        for division in divisions
        for _, topic in division.meetings
    }
    assert named <= set(plans.TOPICS)


def test_the_districts_groups_and_schools_name_districts_of_the_city():
    slugs = {seed.slug for seed in city.DISTRICTS}
    assert len(slugs) == len(city.DISTRICTS) == 12
    served = [districts for *_, districts in city.JUNIOR_HIGHS + city.FIRE_COMPANIES]
    served += [spec.districts for spec in city.CITY_GROUPS + city.GROUPS_AS_WRITTEN]
    assert all(districts and set(districts) <= slugs for districts in served)
    assert {seed.association for seed in city.DISTRICTS} <= set(city.ASSOCIATIONS.values())
    assert {town.district for town in city.TOWNS} == slugs
    assert {part.district for town in city.TOWNS for part in town.split} <= slugs


def test_a_row_reads_into_named_fields_with_the_models_choices():
    first = plans.PLANS[0]
    assert (first.slug, first.stage, first.start) == ("sakuradai", "superseded", 2019)
    assert plans.INITIATIVES["drill"].indicators[0].target == 320
    sakuradai = city.DISTRICTS[0]
    assert sakuradai.association == ("自治会", "じちかい")
    assert sakuradai.joining_rate == 0.72
    assert sakuradai.council == ("桜台地区まちづくり協議会", "さくらだいちくまちづくりきょうぎかい")


def test_a_misspelt_choice_stops_the_load_and_names_the_row():
    row = dict(read("plans")["plan"][0], stage="adoptd")
    with pytest.raises(ValueError, match=r"plans\.toml \[\[plan\]\] 桜台.*adoptd"):
        built("demo/data/plans.toml [[plan]] 桜台", plans.PlanSeed, row)


def test_an_unknown_field_name_stops_the_load_and_names_the_row():
    row = dict(read("districts")["district"][0], joinng_rate=0.72)
    where = r"districts\.toml \[\[district\]\] sakuradai"
    with pytest.raises(ValueError, match=rf"{where}.*joinng_rate"):
        built("demo/data/districts.toml [[district]] sakuradai", city.DistrictSeed, row)


def test_the_grant_tables_name_districts_of_the_city_and_weigh_every_row():
    slugs = {seed.slug for seed in city.DISTRICTS}
    assert set(grants.STREET_LIGHTS) == slugs
    assert set(grants.REPORTS) <= slugs
    for name, filing in grants.FILED.items():
        assert filing.activities and filing.expenses, name
        assert all(row.weight > 0 for row in (*filing.activities, *filing.expenses)), name
        assert all(1 <= expense.month <= 12 for expense in filing.expenses), name
    assert "{due}" in grants.STANDARD_CONDITIONS


def test_the_accounts_name_role_groups_and_districts_of_the_city():
    slugs = {seed.slug for seed in city.DISTRICTS}
    assert set(city.COORDINATED_DISTRICTS.values()) <= slugs
    usernames = {account.username for account in city.DEMO_ACCOUNTS}
    usernames |= {account.username for account in city.LIAISON_STAFF}
    assert {username for username, *_ in city.LIAISON_ASSIGNMENTS} <= usernames
    assert {district for _, district, *_ in city.LIAISON_ASSIGNMENTS} <= slugs
    assert all(account.phone for account in city.LIAISON_STAFF)
    assert {account.district for account in city.COUNCIL_COORDINATORS} <= slugs


def test_a_role_that_is_no_role_group_stops_the_load():
    row = dict(read("accounts")["account"][0], role="coordinator")
    with pytest.raises(ValueError, match=r"demo-coordinator.*'coordinator' is not a role group"):
        built("demo/data/accounts.toml [[account]] demo-coordinator", city._account, row)


def test_the_demo_history_names_filings_that_exist():
    named = {step["filing"] for row in grants.HISTORY for step in row["steps"] if "filing" in step}
    assert named <= set(grants.FILED)
    assert all(row["steps"][0]["do"] == "start" for row in grants.HISTORY)


def test_the_scale_city_reads_states_of_the_workflow():
    from demo import scale
    from subsidies.states import State

    tables = (scale.OLD_STATES, scale.LAST_YEAR_STATES, scale.THIS_YEAR_STATES)
    assert all(isinstance(state, State) for table in tables for state, _ in table)
    assert {state for (state, _), _ in scale.CLOSED_PATHS} == {State.WITHDRAWN, State.REJECTED}
