"""District models: database constraints, their messages, derived values and input clean-up."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.forms import modelform_factory
from django.utils import timezone, translation

from core.fields import kana_validator, phone_validator
from districts.models import (
    Council,
    CouncilStage,
    District,
    DistrictStatistic,
    LiaisonAssignment,
)
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    DistrictStatisticFactory,
    LiaisonAssignmentFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; the site itself defaults to Japanese."""
    with translation.override("en"):
        yield


def days_from_today(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def errors_of(instance) -> dict[str, list[str]]:
    """full_clean()'s messages by field; an empty dict when the instance is valid."""
    try:
        instance.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def statistic(district, **values) -> DistrictStatistic:
    figures = {
        "as_of": dt.date(2025, 4, 1),
        "population": 1000,
        "households": 400,
        "under_15": 100,
        "aged_65_over": 300,
    }
    return DistrictStatistic(district=district, **figures | values)


# Constraints hold in the database ----------------------------------------------------------


def test_district_slug_is_unique_in_the_database():
    DistrictFactory(slug="sakuradai")

    with pytest.raises(IntegrityError), transaction.atomic():
        DistrictFactory(slug="sakuradai")

    assert District.objects.filter(slug="sakuradai").count() == 1


def test_district_slug_is_unique_in_full_clean():
    DistrictFactory(slug="sakuradai")

    errors = errors_of(DistrictFactory.build(slug="sakuradai"))

    assert errors == {"slug": ["District with this Address name already exists."]}


def test_district_has_at_most_one_council_in_the_database():
    council = CouncilFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.create(district=council.district, name="二つ目の協議会")

    assert Council.objects.filter(district=council.district).count() == 1


def test_district_has_at_most_one_council_in_full_clean():
    council = CouncilFactory()

    errors = errors_of(Council(district=council.district, name="二つ目の協議会"))

    assert errors == {"district": ["Council with this District already exists."]}


def test_established_council_without_date_is_refused_by_the_database():
    district = DistrictFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.create(district=district, name="協議会", stage=CouncilStage.ESTABLISHED)
    council = CouncilFactory(district=district, established=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.filter(pk=council.pk).update(established_on=None)

    council.refresh_from_db()
    assert council.established_on == dt.date(2024, 4, 1)


def test_established_council_without_date_is_refused_by_full_clean():
    council = Council(district=DistrictFactory(), name="協議会", stage=CouncilStage.ESTABLISHED)

    assert errors_of(council) == {
        NON_FIELD_ERRORS: ["An established council needs its date established."]
    }
    council.established_on = dt.date(2025, 4, 1)
    assert errors_of(council) == {}


@pytest.mark.parametrize(
    "stage", [CouncilStage.NOT_STARTED, CouncilStage.PREPARING, CouncilStage.MODEL]
)
def test_council_before_establishment_needs_no_date(stage):
    council = Council.objects.create(district=DistrictFactory(), name="協議会", stage=stage)

    assert errors_of(council) == {}


def test_statistic_one_row_per_district_and_date_in_the_database():
    district = DistrictFactory()
    statistic(district).save()

    with pytest.raises(IntegrityError), transaction.atomic():
        DistrictStatistic.objects.bulk_create([statistic(district)])

    # Another date, or the same date in another district, is fine.
    statistic(district, as_of=dt.date(2024, 4, 1)).save()
    statistic(DistrictFactory()).save()
    assert DistrictStatistic.objects.count() == 3


def test_statistic_one_row_per_district_and_date_in_full_clean():
    district = DistrictFactory()
    statistic(district).save()

    assert errors_of(statistic(district)) == {
        NON_FIELD_ERRORS: ["This district already has figures for that date."]
    }


@pytest.mark.parametrize("field", ["population", "households", "under_15", "aged_65_over"])
def test_statistic_counts_cannot_be_negative_in_the_database(field):
    row = statistic(DistrictFactory(), population=1000, households=0, under_15=0, aged_65_over=0)
    setattr(row, field, -1)

    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()

    assert not DistrictStatistic.objects.exists()


@pytest.mark.parametrize("field", ["population", "households", "under_15", "aged_65_over"])
def test_statistic_counts_cannot_be_negative_in_full_clean(field):
    row = statistic(DistrictFactory(), population=1000, households=0, under_15=0, aged_65_over=0)
    setattr(row, field, -1)

    assert errors_of(row)[field] == ["Ensure this value is greater than or equal to 0."]


def test_statistic_age_groups_cannot_exceed_population_in_the_database():
    row = statistic(
        DistrictFactory(), population=1000, households=400, under_15=300, aged_65_over=700
    )
    row.save()  # exactly the population is allowed

    with pytest.raises(IntegrityError), transaction.atomic():
        DistrictStatistic.objects.filter(pk=row.pk).update(under_15=F("under_15") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        statistic(DistrictFactory(), population=1000, under_15=500, aged_65_over=501).save()

    row.refresh_from_db()
    assert row.under_15 == 300


def test_statistic_age_groups_cannot_exceed_population_in_full_clean():
    row = statistic(DistrictFactory(), population=1000, under_15=500, aged_65_over=501)

    assert errors_of(row) == {
        NON_FIELD_ERRORS: ["Under 15 and 65 and over together cannot exceed the population."]
    }
    row.aged_65_over = 500
    assert errors_of(row) == {}


def test_statistic_households_cannot_exceed_population_in_the_database():
    row = statistic(DistrictFactory(), population=1000, households=1000)
    row.save()  # as many households as residents is allowed

    with pytest.raises(IntegrityError), transaction.atomic():
        DistrictStatistic.objects.filter(pk=row.pk).update(households=1001)
    with pytest.raises(IntegrityError), transaction.atomic():
        DistrictStatistic.objects.bulk_create(
            [statistic(DistrictFactory(), population=1000, households=1001)]
        )

    row.refresh_from_db()
    assert row.households == 1000


def test_statistic_households_cannot_exceed_population_in_full_clean():
    row = statistic(DistrictFactory(), population=1000, households=1001)

    assert errors_of(row) == {NON_FIELD_ERRORS: ["Households cannot exceed the population."]}


def test_liaison_assignment_cannot_end_before_it_starts_in_the_database():
    assignment = LiaisonAssignmentFactory(start_on=dt.date(2025, 4, 1), end_on=dt.date(2025, 4, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        LiaisonAssignment.objects.filter(pk=assignment.pk).update(end_on=dt.date(2025, 3, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        LiaisonAssignmentFactory(start_on=dt.date(2025, 4, 1), end_on=dt.date(2025, 3, 31))

    assignment.refresh_from_db()
    assert assignment.end_on == dt.date(2025, 4, 1)


def test_liaison_assignment_cannot_end_before_it_starts_in_full_clean():
    assignment = LiaisonAssignment(
        user=StaffUserFactory(),
        district=DistrictFactory(),
        start_on=dt.date(2025, 4, 1),
        end_on=dt.date(2025, 3, 31),
    )

    assert errors_of(assignment) == {
        NON_FIELD_ERRORS: ["The end date cannot be before the start date."]
    }
    assignment.end_on = dt.date(2025, 4, 1)
    assert errors_of(assignment) == {}


# Derived values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aged_65_over", "population", "expected"),
    [
        (300, 1000, Decimal("30.0")),
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        # Exactly half a tenth rounds up (四捨五入), not to the even digit.
        (5, 2000, Decimal("0.3")),
        (245, 2000, Decimal("12.3")),
        (1, 2000, Decimal("0.1")),
        (0, 1000, Decimal("0.0")),
        (1000, 1000, Decimal("100.0")),
    ],
)
def test_aging_and_child_rates_round_half_up_to_a_tenth(aged_65_over, population, expected):
    row = DistrictStatistic(
        population=population, households=0, under_15=aged_65_over, aged_65_over=aged_65_over
    )

    assert row.aging_rate == expected
    assert row.child_rate == expected
    assert str(row.aging_rate) == str(expected)


def test_aging_and_child_rates_are_separate():
    row = DistrictStatistic(population=8000, households=3500, under_15=900, aged_65_over=2400)

    assert row.aging_rate == Decimal("30.0")
    assert row.child_rate == Decimal("11.3")


def test_rates_are_none_without_residents():
    row = DistrictStatistic(population=0, households=0, under_15=0, aged_65_over=0)

    assert row.aging_rate is None
    assert row.child_rate is None


def test_district_without_council_has_not_started():
    district = District.objects.get(pk=DistrictFactory().pk)

    assert district.council_or_none is None
    assert district.rollout_stage is CouncilStage.NOT_STARTED


@pytest.mark.parametrize("stage", list(CouncilStage))
def test_district_with_council_is_at_its_stage(stage):
    council = CouncilFactory(stage=stage, established_on=dt.date(2024, 4, 1))
    district = District.objects.get(pk=council.district_id)

    assert district.council_or_none == council
    assert district.rollout_stage is stage


# Input clean-up and validators -------------------------------------------------------------

# A model form, as the admin and the coordinators' pages build them.
DistrictForm = modelform_factory(District, fields=["name", "name_kana", "slug", "hub_phone"])


def district(**values) -> District:
    defaults = {
        "name": "桜台小学校区",
        "name_kana": "さくらだいしょうがっこうく",
        "slug": "sakuradai",
    }
    return District(**defaults | values)


READINGS = [
    ("サクラダイ", "さくらだい"),
    ("ｻｸﾗﾀﾞｲ", "さくらだい"),
    (" サクラダイ　ショウガッコウク ", "さくらだい しょうがっこうく"),
    ("ヴァイオリン", "ゔぁいおりん"),
    ("さくらだい", "さくらだい"),
]


@pytest.mark.parametrize(("typed", "stored"), READINGS)
def test_full_clean_stores_readings_in_hiragana(typed, stored):
    place = district(name_kana=typed)
    council = Council(district=DistrictFactory(), name="協議会", name_kana=typed)

    assert errors_of(place) == {}
    assert errors_of(council) == {}
    assert place.name_kana == stored
    assert council.name_kana == stored


@pytest.mark.parametrize(("typed", "stored"), READINGS)
def test_form_accepts_readings_typed_in_katakana(typed, stored):
    form = DistrictForm({"name": "桜台小学校区", "name_kana": typed, "slug": "sakuradai"})

    assert form.is_valid(), form.errors
    assert form.save().name_kana == stored
    assert District.objects.get().name_kana == stored


PHONES = [
    ("０３－１２３４－５６７８", "03-1234-5678"),
    ("　０３１２３４５６７８ ", "0312345678"),
    ("０３ー１２３４ー５６７８", "03-1234-5678"),  # 長音 typed for a hyphen
    ("03−1234−5678", "03-1234-5678"),  # minus sign
    ("03-1234-5678", "03-1234-5678"),
]


@pytest.mark.parametrize(("typed", "stored"), PHONES)
def test_full_clean_stores_phone_numbers_half_width(typed, stored):
    place = district(hub_phone=typed)
    council = Council(district=DistrictFactory(), name="協議会", contact_phone=typed)
    assignment = LiaisonAssignmentFactory.build(
        district=DistrictFactory(), user=StaffUserFactory(), public_phone=typed
    )

    assert errors_of(place) == {}
    assert errors_of(council) == {}
    assert errors_of(assignment) == {}
    assert (place.hub_phone, council.contact_phone, assignment.public_phone) == (stored,) * 3


@pytest.mark.parametrize(("typed", "stored"), PHONES)
def test_form_accepts_full_width_phone_numbers(typed, stored):
    form = DistrictForm(
        {"name": "桜台小学校区", "name_kana": "さくらだい", "slug": "sakuradai", "hub_phone": typed}
    )

    assert form.is_valid(), form.errors
    assert form.save().hub_phone == stored
    assert District.objects.get().hub_phone == stored


@pytest.mark.parametrize("reading", ["桜台", "sakuradai", "さくら台", "サクラ1"])
def test_readings_must_be_kana(reading):
    form = DistrictForm({"name": "桜台小学校区", "name_kana": reading, "slug": "sakuradai"})

    assert errors_of(district(name_kana=reading)) == {
        "name_kana": ["Enter the reading in kana (hiragana or katakana)."]
    }
    assert form.errors == {"name_kana": ["Enter the reading in kana (hiragana or katakana)."]}
    with pytest.raises(ValidationError):
        kana_validator(reading)


@pytest.mark.parametrize("reading", ["さくらだい", "さくらだい しょうがっこうく", "えーびーしー"])
def test_kana_validator_accepts_hiragana_with_spaces_and_long_vowel(reading):
    kana_validator(reading)


def test_required_reading_of_spaces_only_is_blank():
    assert errors_of(district(name_kana="　 ")) == {"name_kana": ["This field cannot be blank."]}


@pytest.mark.parametrize(
    "phone",
    ["03-1234-ABCD", "TEL03-1234-5678", "03(1234)5678", "1-2-3", "０３－１２３４－ＡＢＣＤ"],
)
def test_phone_numbers_must_be_digits_and_hyphens(phone):
    form = DistrictForm(
        {"name": "桜台小学校区", "name_kana": "さくらだい", "slug": "sakuradai", "hub_phone": phone}
    )

    assert errors_of(district(hub_phone=phone)) == {
        "hub_phone": ["Enter a phone number in digits and hyphens, such as 0000-00-0000."]
    }
    assert form.errors == {
        "hub_phone": ["Enter a phone number in digits and hyphens, such as 0000-00-0000."]
    }
    with pytest.raises(ValidationError):
        phone_validator(phone)


@pytest.mark.parametrize("phone", ["03-1234-5678", "0312345678", "0120-123-456", "090-1234-5678"])
def test_phone_validator_accepts_usual_numbers(phone):
    phone_validator(phone)
    assert errors_of(district(hub_phone=phone)) == {}


SQUARE = [[[139.0, 35.0], [139.1, 35.0], [139.1, 35.1], [139.0, 35.0]]]


@pytest.mark.parametrize(
    "boundary",
    [
        None,
        {"type": "Polygon", "coordinates": SQUARE},
        {"type": "MultiPolygon", "coordinates": [SQUARE]},
        {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "Polygon", "coordinates": SQUARE},
        },
    ],
)
def test_boundary_accepts_polygon_multipolygon_and_feature(boundary):
    place = district(boundary=boundary)

    assert errors_of(place) == {}
    place.save()
    place.refresh_from_db()
    assert place.boundary == boundary


@pytest.mark.parametrize(
    "boundary",
    [
        {"type": "Point", "coordinates": [139.0, 35.0]},
        {"type": "FeatureCollection", "features": []},
        {"coordinates": SQUARE},
        {},
        [SQUARE],
        "Polygon",
        42,
    ],
)
def test_boundary_refuses_other_json(boundary):
    assert errors_of(district(boundary=boundary)) == {
        "boundary": ["Enter a GeoJSON Polygon, MultiPolygon or Feature."]
    }


# Querysets ---------------------------------------------------------------------------------


def test_current_liaison_assignments_include_both_boundary_days():
    place = DistrictFactory()
    starts_today = LiaisonAssignmentFactory(district=place, start_on=days_from_today(0))
    ends_today = LiaisonAssignmentFactory(
        district=place, start_on=days_from_today(-30), end_on=days_from_today(0)
    )
    open_ended = LiaisonAssignmentFactory(district=place, start_on=days_from_today(-30))
    LiaisonAssignmentFactory(
        district=place, start_on=days_from_today(-30), end_on=days_from_today(-1)
    )
    LiaisonAssignmentFactory(district=place, start_on=days_from_today(1))

    assert set(LiaisonAssignment.objects.current()) == {starts_today, ends_today, open_ended}


def test_current_liaison_assignments_on_a_given_day():
    assignment = LiaisonAssignmentFactory(start_on=dt.date(2025, 4, 1), end_on=dt.date(2026, 3, 31))

    assert list(LiaisonAssignment.objects.current(on=dt.date(2025, 4, 1))) == [assignment]
    assert list(LiaisonAssignment.objects.current(on=dt.date(2026, 3, 31))) == [assignment]
    assert not LiaisonAssignment.objects.current(on=dt.date(2025, 3, 31)).exists()
    assert not LiaisonAssignment.objects.current(on=dt.date(2026, 4, 1)).exists()


def test_latest_statistic_per_district():
    sakura, konan, kitayama = DistrictFactory(), DistrictFactory(), DistrictFactory()
    DistrictStatisticFactory(district=sakura, as_of=dt.date(2023, 4, 1))
    sakura_latest = DistrictStatisticFactory(district=sakura, as_of=dt.date(2025, 4, 1))
    DistrictStatisticFactory(district=sakura, as_of=dt.date(2024, 4, 1))
    konan_latest = DistrictStatisticFactory(district=konan, as_of=dt.date(2024, 10, 1))

    latest = DistrictStatistic.objects.latest_per_district()

    assert set(latest) == {sakura_latest, konan_latest}
    assert not latest.filter(district=kitayama).exists()
    # It narrows an already filtered queryset rather than replacing it.
    assert list(DistrictStatistic.objects.filter(district=sakura).latest_per_district()) == [
        sakura_latest
    ]


def test_a_statistic_is_named_by_its_district_and_day_in_the_long_form(db):
    figures = DistrictStatisticFactory(district__name="桜台小学校区", as_of=dt.date(2026, 4, 1))
    with translation.override("ja"):
        assert str(figures) == "桜台小学校区 令和8年4月1日"
    with translation.override("en"):
        assert str(figures) == f"{figures.district} 1 April 2026"
