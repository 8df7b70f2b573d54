"""The admin's search: a record is found however its words were written and however staff type
them (widths, kanji numerals, katakana and hiragana), in one query as before."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.admin_search import KanaSearchMixin, search_variants
from organizations.models import Organization
from tests.factories import DistrictFactory, LiaisonAssignmentFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

GROUPS = {
    "kanji": ("桜台二丁目自治会", "さくらだいにちょうめじちかい"),
    "digits": ("桜台3丁目子ども会", "さくらだいさんちょうめこどもかい"),
    "wide": ("桜台４丁目老人クラブ", "さくらだいよんちょうめろうじんくらぶ"),
    "npo": ("ＮＰＯ法人みどり", "えぬぴーおーほうじんみどり"),
    "ascii": ("PTA桜台", "ぴーてぃーえーさくらだい"),
    "katakana": ("サクラ食堂", "さくらしょくどう"),
    "other": ("港南防災会", "こうなんぼうさいかい"),
}


@pytest.fixture
def groups():
    sakura = DistrictFactory(name="桜台小学校区", name_kana="さくらだいしょうがっこうく")
    konan = DistrictFactory(name="港南小学校区", name_kana="こうなんしょうがっこうく")
    return {
        key: OrganizationFactory(
            name=name, name_kana=kana, districts=[konan if key == "other" else sakura]
        )
        for key, (name, kana) in GROUPS.items()
    }


def found(client, term: str) -> set[str]:
    response = client.get(reverse("admin:organizations_organization_changelist"), {"q": term})
    assert response.status_code == 200
    return {group.name for group in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        # 丁目 however the number is written, in the record and in the search box.
        ("桜台2丁目", {"kanji"}),
        ("桜台２丁目", {"kanji"}),
        ("桜台二丁目", {"kanji"}),
        ("桜台3丁目", {"digits"}),
        ("桜台三丁目", {"digits"}),
        ("桜台３丁目", {"digits"}),
        ("桜台4丁目", {"wide"}),
        ("桜台四丁目", {"wide"}),
        # Letters in either width, either case.
        ("npo", {"npo"}),
        ("NPO", {"npo"}),
        ("ｎｐｏ", {"npo"}),
        ("ＰＴＡ", {"ascii"}),
        ("pta", {"ascii"}),
        # Readings and names in hiragana, katakana or half-width kana.
        ("サクラダイニチョウメ", {"kanji"}),
        ("ｻｸﾗｼｮｸﾄﾞｳ", {"katakana"}),
        ("さくら食堂", {"katakana"}),
        # Every word must match, each in any of its forms.
        ("桜台 ２丁目", {"kanji"}),
        ("２丁目　自治会", {"kanji"}),
        ("二丁目 子ども会", set()),
        ('"桜台二丁目"', {"kanji"}),
    ],
)
def test_a_group_is_found_however_the_words_are_written(client, superuser, groups, term, expected):
    client.force_login(superuser)
    assert found(client, term) == {GROUPS[key][0] for key in expected}


def test_the_district_names_of_a_group_are_searched_as_well(client, superuser, groups):
    client.force_login(superuser)
    assert found(client, "こうなんショウガッコウク") == {"港南防災会"}


def test_a_liaison_officers_search_stays_in_scope(client, liaison_user, groups):
    LiaisonAssignmentFactory(user=liaison_user, district=groups["other"].districts.get())
    client.force_login(liaison_user)
    assert found(client, "桜台2丁目") == set()
    assert found(client, "港南") == {"港南防災会"}


def test_a_search_with_other_forms_takes_as_many_queries_as_one_without(client, superuser, groups):
    client.force_login(superuser)
    url = reverse("admin:organizations_organization_changelist")
    counts = []
    # The same group found by a word written one way only, and by words written three ways.
    for term in ("自治会", "桜台２丁目 自治会"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"q": term})
        assert [group.name for group in response.context["cl"].result_list] == ["桜台二丁目自治会"]
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_every_admin_with_a_search_folds_what_is_typed():
    for model, model_admin in admin.site._registry.items():
        if model_admin.search_fields:
            assert isinstance(model_admin, KanaSearchMixin), model


@pytest.mark.parametrize(
    ("typed", "forms"),
    [
        ("桜台2丁目", ["桜台2丁目", "桜台二丁目", "桜台２丁目"]),
        ("桜台十二丁目", ["桜台十二丁目", "桜台12丁目", "桜台１２丁目"]),
        ("ＮＰＯ", ["ＮＰＯ", "NPO", "npo"]),
        ("さくら", ["さくら", "サクラ"]),
        ("防災", ["防災"]),
        ("20261210", ["20261210", "２０２６１２１０"]),  # long numbers are not 丁目
    ],
)
def test_search_variants(typed, forms):
    assert search_variants(typed) == forms


def test_an_admin_whose_search_field_has_its_own_lookup_keeps_djangos_search(rf, superuser):
    organization_admin = admin.site._registry[Organization]
    request = rf.get("/")
    request.user = superuser

    class ExactNameAdmin(type(organization_admin)):
        search_fields = ("name__exact",)

    exact = ExactNameAdmin(Organization, admin.site)
    OrganizationFactory(name="桜台二丁目自治会")
    results, _ = exact.get_search_results(request, Organization.objects.all(), "桜台2丁目")
    assert list(results) == []
    results, _ = exact.get_search_results(request, Organization.objects.all(), "桜台二丁目自治会")
    assert [group.name for group in results] == ["桜台二丁目自治会"]
