"""/search/: the site search page, its filters, bad input and its query count."""

import dataclasses

import pytest
from django.urls import reverse

from core import search
from core.models import SearchChange
from tests.factories import DistrictFactory, OrganizationFactory
from tests.plans.factories import MeetingFactory, PlanFactory, at_two_pm

pytestmark = pytest.mark.django_db

URL = reverse("site_search")


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_the_page_without_words_explains_what_to_type(client):
    response = get(client)
    body = response.content.decode()
    assert 'name="q"' in body
    assert response.context["words"] == []
    assert "防災 finds 自主防災会" in body or "自主防災会" in body


def test_results_are_grouped_by_kind_with_counts_and_marked_excerpts(client):
    OrganizationFactory(name="桜台自主防災会", description="")
    MeetingFactory(title="定例会", agenda="", minutes="防災訓練の日程を決めた。")
    PlanFactory(title="桜台の計画", vision="防災と福祉のまち")
    response = get(client, q="防災")
    counts = response.context["counts"]
    assert (counts["group"], counts["meeting"], counts["plan"]) == (1, 1, 1)
    assert response.context["total"] == 3
    body = response.content.decode()
    assert "<mark>防災</mark>訓練の日程を決めた。" in body
    assert "桜台自主<mark>防災</mark>会" in body
    assert [group.key for group in response.context["groups"]] == ["group", "meeting", "plan"]


def test_unpublished_records_are_not_counted_or_excerpted(client):
    OrganizationFactory(name="非公開の防災会", is_published=False)
    MeetingFactory(title="非公開の会議", minutes="防災の秘密", is_published=False)
    PlanFactory(draft=True, title="下書きの計画", vision="防災の下書き")
    response = get(client, q="防災")
    assert response.context["total"] == 0
    body = response.content.decode()
    for hidden in ("非公開の防災会", "非公開の会議", "防災の秘密", "下書き"):
        assert hidden not in body
    assert "Nothing matches" in body or "一致するものはありません" in body


def test_meetings_are_newest_first(client):
    district = DistrictFactory()
    older = MeetingFactory(
        district=district, title="古い会議", minutes="防災", starts_at=at_two_pm(-90)
    )
    newer = MeetingFactory(
        district=district, title="新しい会議", minutes="防災", starts_at=at_two_pm(-3)
    )
    response = get(client, q="防災", kind="meeting")
    urls = [result.url for result in response.context["page"].object_list]
    assert urls == [
        reverse("meeting_detail", kwargs={"pk": newer.pk}),
        reverse("meeting_detail", kwargs={"pk": older.pk}),
    ]


def test_one_kind_is_paginated(client):
    for number in range(25):
        OrganizationFactory(name=f"防災会{number:02d}", name_kana=f"ぼうさいかい{number:02d}")
    first = get(client, q="防災", kind="group")
    assert len(first.context["page"].object_list) == 20
    second = get(client, q="防災", kind="group", page=2)
    assert len(second.context["page"].object_list) == 5
    assert 'rel="prev"' in second.content.decode()
    beyond = get(client, q="防災", kind="group", page=99)
    assert beyond.context["page"].number == 2


def test_the_district_filter(client):
    north, south = DistrictFactory(slug="north"), DistrictFactory(slug="south")
    OrganizationFactory(name="北の防災会", districts=[north])
    OrganizationFactory(name="南の防災会", districts=[south])
    response = get(client, q="防災", district="north")
    assert response.context["counts"]["group"] == 1
    body = response.content.decode()
    assert "北の<mark>防災</mark>会" in body
    assert "南の" not in body


def test_a_bad_kind_or_district_is_reported_and_the_words_still_searched(client):
    OrganizationFactory(name="防災会")
    response = get(client, q="防災", kind="secret", district="no-such-district")
    form = response.context["form"]
    assert "kind" in form.errors and "district" in form.errors
    assert response.context["counts"]["group"] == 1


def test_counts_stop_at_the_cap(client, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for number in range(5):
        OrganizationFactory(name=f"防災会{number}")
    response = get(client, q="防災")
    group = response.context["groups"][0]
    assert group.count_label == "3+"
    listed = get(client, q="防災", kind="group")
    assert listed.context["page"].paginator.count == 3


@pytest.mark.parametrize(
    "query",
    [
        "防" * 5000,
        "\x00防災",
        "%",
        "_",
        "\\",
        "%_\\' OR 1=1 --",
        "   ",
        "　",
        "!?、。",
        "防災 NEAR/2 福祉",
        '"防災',
        "Bōsai 防災 ぼうさい",
        "😀",
        "\ufffd\ufffd",
    ],
)
def test_hostile_words_never_fail(client, query):
    OrganizationFactory(name="自主防災会")
    response = get(client, q=query, kind="group")
    assert response.context["form"].is_bound


def test_lone_surrogates_in_the_address_are_answered(client):
    response = client.get(URL + "?q=%ED%A0%80%E9%98%B2%E7%81%BD")
    assert response.status_code == 200


def test_overlong_words_are_cut_and_said_so(client):
    OrganizationFactory(name="自主防災会")
    response = get(client, q="防災" + "あ" * 200)
    assert response.context["form"].query_was_cut
    assert 'id="search-q-cut"' in response.content.decode()


def _city(scale: int) -> None:
    for _ in range(scale):
        district = DistrictFactory()
        OrganizationFactory(name="防災会", districts=[district])
        MeetingFactory(district=district, minutes="防災訓練")
        PlanFactory(district=district, vision="防災のまち")


@pytest.mark.parametrize("kind", ["", "meeting"])
def test_the_query_count_does_not_grow_with_data(client, django_assert_num_queries, kind):
    _city(1)
    get(client, q="防災", kind=kind)  # the index is brought up to date
    # The change queue, the first matches of every kind (or of the one kind), the entries
    # shown; the district choices come from the cache once read.
    expected = 3
    with django_assert_num_queries(expected):
        get(client, q="防災", kind=kind)
    _city(10)
    get(client, q="防災", kind=kind)
    with django_assert_num_queries(expected):
        get(client, q="防災", kind=kind)


@pytest.mark.parametrize("role", ["superuser", "grant_officer", "liaison_user", "coordinator"])
def test_signed_in_users_search_what_residents_see(client, request, role):
    """The search shows published records only, to everyone: the admin is where staff find the
    rest."""
    client.force_login(request.getfixturevalue(role))
    OrganizationFactory(name="公開の防災会")
    OrganizationFactory(name="非公開の防災会", is_published=False)
    MeetingFactory(title="非公開の会議", minutes="防災", is_published=False)
    response = get(client, q="防災")
    assert response.context["total"] == 1
    body = response.content.decode()
    assert "非公開" not in body


def test_each_kind_is_listed_in_its_order(client):
    for name, reading in (
        ("防災会い", "ぼうさいかいい"),
        ("防災会あ", "ぼうさいかいあ"),
        ("防災会う", "ぼうさいかいう"),
    ):
        OrganizationFactory(name=name, name_kana=reading)
    district = DistrictFactory()
    for days in (40, 5, 20):
        MeetingFactory(
            district=district, title=f"{days}日前", minutes="防災", starts_at=at_two_pm(-days)
        )
    groups = {group.key: group for group in get(client, q="防災").context["groups"]}
    assert [
        r.title.replace("<mark>", "").replace("</mark>", "") for r in groups["group"].results
    ] == [
        "防災会あ",
        "防災会い",
        "防災会う",
    ]
    assert [r.title for r in groups["meeting"].results] == ["5日前", "20日前", "40日前"]


@pytest.mark.parametrize("rare_matches", [200, 2])
def test_a_long_phrase_is_read_in_one_pass_or_kind_by_kind_alike(client, monkeypatch, rare_matches):
    """A phrase of many bigrams is first looked up for every kind at once; with more matches
    than that pass takes, the kinds are read one by one. Both give the same page."""
    monkeypatch.setattr(search, "RARE_MATCHES", rare_matches)
    for name, reading in (("桜台地区社会福祉協議会う", "う"), ("桜台地区社会福祉協議会あ", "あ")):
        OrganizationFactory(name=name, name_kana=reading)
    OrganizationFactory(name="若葉地区社会福祉協議会", name_kana="い")
    district = DistrictFactory()
    for days in (40, 5):
        MeetingFactory(
            district=district,
            title=f"{days}日前",
            minutes="桜台地区社会福祉協議会の報告",
            starts_at=at_two_pm(-days),
        )
    response = get(client, q="桜台地区社会福祉協議会")
    assert response.context["counts"]["group"] == 2
    groups = {group.key: group for group in response.context["groups"]}
    titles = [r.title.replace("<mark>", "").replace("</mark>", "") for r in groups["group"].results]
    assert titles == ["桜台地区社会福祉協議会あ", "桜台地区社会福祉協議会う"]
    assert [r.title for r in groups["meeting"].results] == ["5日前", "40日前"]


def test_a_kind_with_nothing_says_so(client):
    OrganizationFactory(name="自主防災会")
    response = get(client, q="防災", kind="meeting")
    body = response.content.decode()
    assert response.context["counts"] == {"meeting": 0}
    assert "この種類には一致するものがありません" in body
    assert "すべての種類の結果を見る" in body


def test_the_total_says_more_when_a_kind_is_over_the_cap(client, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for number in range(5):
        OrganizationFactory(name=f"防災会{number}")
    MeetingFactory(minutes="防災")
    response = get(client, q="防災")
    assert response.context["total"] == 4
    assert '<span class="amount">4</span>件以上' in response.content.decode()


def test_a_long_title_is_shown_whole(client):
    name = "み" * 120 + "防災会"
    OrganizationFactory(name=name)
    response = get(client, q="防災")
    (result,) = response.context["groups"][0].results
    assert result.title == "み" * 120 + "<mark>防災</mark>会"


def test_a_record_the_index_cannot_take_does_not_stop_the_search(client, monkeypatch):
    OrganizationFactory(name="自主防災会")
    search.apply_changes()
    group = OrganizationFactory(name="防災ボランティア")

    def broken(ids=None):
        raise RuntimeError("a record that cannot be read")

    kinds = dict(search.KINDS)
    kinds["group"] = dataclasses.replace(kinds["group"], documents=broken)
    monkeypatch.setattr(search, "KINDS", kinds)
    response = get(client, q="防災")
    assert response.context["counts"]["group"] == 1
    assert SearchChange.objects.filter(kind="group", object_id=group.pk).exists()
