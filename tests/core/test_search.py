"""The site search index (core.search): tokens, matching, and what is published only.

Every test here runs against the database's own index (FTS5 on SQLite, a GIN-indexed tsvector
on PostgreSQL), kept current by the triggers core.search installs after migrate.
"""

import pytest
from django.db import connection

from core import search
from core.models import SearchChange, SearchEntry
from districts.models import Area
from organizations.models import Organization
from plans.models import Meeting, PlanStage
from plans.services import set_meetings_published
from subsidies.models import PlanRow, State, VersionStatus
from tests.factories import AreaFactory, DistrictFactory, OrganizationFactory, StaffUserFactory
from tests.plans.factories import InitiativeFactory, MeetingFactory, PlanFactory, PlanIssueFactory
from tests.subsidies.factories import application_in

pytestmark = pytest.mark.django_db


def found(query: str, kind: str | None = None) -> list[str]:
    entries = search.matching(search.query_words(query))
    if kind:
        entries = entries.filter(kind=kind)
    return sorted(entries.values_list("title", flat=True))


# Tokens and queries ------------------------------------------------------------------------


def test_tokens_are_bigrams_and_the_last_character_of_each_word():
    assert search.tokens("防災訓練") == ["防災", "災訓", "訓練", "練"]
    assert search.tokens("夏祭り 会") == ["夏祭", "祭り", "り", "会"]


def test_tokens_fold_widths_kana_and_numerals():
    assert search.tokens("ボウサイ") == search.tokens("ぼうさい")
    assert search.tokens("桜台２丁目") == search.tokens("桜台二丁目") == search.tokens("桜台2丁目")


def test_query_words_are_cut_and_counted_not_refused():
    assert search.query_words("防災　福祉  防災") == ["防災", "福祉"]
    assert len(search.query_words("あ" * 10_000)[0]) == search.MAX_WORD_CHARS
    assert len(search.query_words(" ".join(f"語{n}" for n in range(50)))) <= search.MAX_QUERY_WORDS


@pytest.mark.parametrize(
    "query", ["", "   ", "　　", "!!!", "%", "_", "\\", "'", '"', "\x00", "、。・「」", "-- ;"]
)
def test_nothing_searchable_gives_no_words(query):
    assert search.query_words(query) == []
    assert search.matching_ids("group", query) is None


@pytest.mark.parametrize(
    "query",
    [
        "防災' OR 1=1 --",
        'a" OR "b',
        "100%_\\",
        "NEAR(防災 福祉)",
        "防災 AND NOT 福祉",
        "防災*",
        "\ud800防災",
        "防災\x00訓練",
        "Bōsai防災ぼうさいボウサイ",
        "😀防災",
    ],
)
def test_hostile_queries_are_searched_as_text(query):
    OrganizationFactory(name="自主防災会", description="")
    titles = found(query)
    assert titles in ([], ["自主防災会"])


def test_a_word_is_found_inside_longer_text():
    OrganizationFactory(name="桜台自主防災会", description="")
    OrganizationFactory(name="子育てサロン", description="毎月の防災訓練にも参加しています。")
    OrganizationFactory(name="老人クラブ", description="健康づくり")
    assert found("防災") == ["子育てサロン", "桜台自主防災会"]
    assert found("ぼうさい") == []
    assert found("子育て") == ["子育てサロン"]
    assert found("防災 子育て") == ["子育てサロン"]


def test_the_bigrams_of_a_word_must_stand_together():
    OrganizationFactory(name="防犯と災害の会", description="")
    OrganizationFactory(name="自主防災会", description="")
    assert found("防災") == ["自主防災会"]


def test_one_character_matches_the_start_of_a_token():
    OrganizationFactory(name="桜の会", description="")
    OrganizationFactory(name="松の会", description="")
    assert found("桜") == ["桜の会"]


def test_readings_and_widths_fold_alike():
    OrganizationFactory(name="ＮＰＯ法人みどり", name_kana="えぬぴーおーほうじんみどり")
    assert found("npo") == ["ＮＰＯ法人みどり"]
    assert found("ミドリ") == ["ＮＰＯ法人みどり"]
    assert found("エヌピーオー") == ["ＮＰＯ法人みどり"]


# Districts -----------------------------------------------------------------------------------


def test_a_district_is_found_by_its_areas_however_the_number_is_written():
    sakuradai = DistrictFactory(name="桜台小学校区", school_name="桜台小学校")
    AreaFactory(district=sakuradai, town="桜台", town_kana="さくらだい", chome=2)
    DistrictFactory(name="若葉小学校区", school_name="若葉小学校")
    for query in ("桜台2丁目", "桜台２丁目", "桜台二丁目", "さくらだい"):
        assert found(query, "district") == ["桜台小学校区"], query


def test_an_area_added_later_is_searchable_at_once():
    district = DistrictFactory(name="若葉小学校区")
    assert found("緑ヶ丘", "district") == []
    AreaFactory(district=district, town="緑ヶ丘", town_kana="みどりがおか", chome=None)
    assert found("緑ケ丘", "district") == ["若葉小学校区"]
    assert found("緑が丘", "district") == ["若葉小学校区"]
    Area.objects.filter(district=district).delete()
    assert found("緑ヶ丘", "district") == []


# Groups --------------------------------------------------------------------------------------


def test_an_unpublished_group_never_appears():
    OrganizationFactory(name="防災ボランティアの会", is_published=False, description="防災")
    assert found("防災") == []
    assert not SearchEntry.objects.filter(kind="group").exists()


def test_publishing_and_unpublishing_a_group_in_bulk_is_seen():
    group = OrganizationFactory(name="防災ボランティアの会", is_published=False)
    Organization.objects.filter(pk=group.pk).update(is_published=True)
    assert found("防災") == ["防災ボランティアの会"]
    Organization.objects.filter(pk=group.pk).update(is_published=False)
    assert found("防災") == []


def test_a_renamed_or_deleted_group_is_seen():
    group = OrganizationFactory(name="防災の会")
    group.name = "福祉の会"
    group.save()
    assert found("防災") == []
    assert found("福祉") == ["福祉の会"]
    group.delete()
    assert found("福祉") == []


def test_a_group_belongs_to_its_districts_for_the_filter():
    north, south = DistrictFactory(), DistrictFactory()
    group = OrganizationFactory(name="防災の会", districts=[north])
    search.apply_changes()
    entry = SearchEntry.objects.get(kind="group", object_id=group.pk)
    assert list(entry.districts.values_list("district_id", flat=True)) == [north.pk]
    group.districts.add(south)
    search.apply_changes()
    entry = SearchEntry.objects.get(kind="group", object_id=group.pk)
    assert sorted(entry.districts.values_list("district_id", flat=True)) == sorted(
        [north.pk, south.pk]
    )


# Meetings ------------------------------------------------------------------------------------


def test_meetings_are_found_by_agenda_and_minutes_when_published_only():
    MeetingFactory(title="第1回会議", agenda="防災訓練について", minutes="")
    MeetingFactory(title="第2回会議", agenda="", minutes="福祉委員の報告", is_published=False)
    assert found("防災", "meeting") == ["第1回会議"]
    assert found("福祉") == []


def test_the_publish_service_updates_the_index():
    meeting = MeetingFactory(title="臨時会議", minutes="避難所の運営", is_published=False)
    staff = StaffUserFactory()
    set_meetings_published(meetings=[meeting], published=True, by=staff)
    assert found("避難所") == ["臨時会議"]
    set_meetings_published(meetings=[meeting], published=False, by=staff)
    assert found("避難所") == []


def test_renaming_a_district_rewrites_its_meetings_context():
    meeting = MeetingFactory(title="定例会", minutes="防災")
    meeting.district.name = "新しい校区"
    meeting.district.save()
    search.apply_changes()
    assert SearchEntry.objects.get(kind="meeting", object_id=meeting.pk).context == "新しい校区"


# Plans ---------------------------------------------------------------------------------------


def test_a_draft_plan_never_appears_and_an_adopted_one_does_with_its_parts():
    adopted = PlanFactory(title="桜台の計画", vision="安心して暮らせるまち")
    PlanIssueFactory(plan=adopted, title="避難所の担い手", description="")
    InitiativeFactory(plan=adopted, title="見守り活動", description="一人暮らしの高齢者を訪問")
    draft = PlanFactory(draft=True, title="若葉の計画", vision="避難所を増やす")
    InitiativeFactory(plan=draft, title="見守り活動", description="")
    assert found("避難所", "plan") == ["桜台の計画"]
    assert found("高齢者", "plan") == ["桜台の計画"]
    assert found("見守り", "plan") == ["桜台の計画"]
    assert search.excerpt(
        SearchEntry.objects.get(kind="plan").body, search.query_words("高齢者")
    ).count("<mark>")


def test_a_plan_moved_back_to_draft_leaves_the_index():
    plan = PlanFactory(title="桜台の計画", vision="防災のまち")
    assert found("防災", "plan") == ["桜台の計画"]
    type(plan).objects.filter(pk=plan.pk).update(stage=PlanStage.DRAFT)
    assert found("防災", "plan") == []


# Grants --------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.RECOMMENDED])
def test_an_undecided_grant_never_appears(state):
    application_in(state)
    search.apply_changes()
    assert not SearchEntry.objects.filter(kind="grant").exists()


def test_a_decided_grant_is_found_by_its_activities():
    application, _coordinator, _staff = application_in(State.APPROVED)
    search.apply_changes()
    entry = SearchEntry.objects.get(kind="grant", object_id=application.pk)
    activity = PlanRow.objects.filter(
        version__application=application, version__status=VersionStatus.CURRENT
    ).values_list("activity", flat=True)[0]
    word = search.query_words(activity)[0][:2]
    assert entry in search.matching([word]).filter(kind="grant")
    assert entry.fiscal_year == application.program_year.fiscal_year


# The queue and the rebuild ------------------------------------------------------------------


def test_triggers_queue_changes_made_outside_the_orm():
    group = OrganizationFactory(name="防災の会")
    search.apply_changes()
    table = Organization._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET name = %s WHERE id = %s", ["福祉の会", group.pk])  # noqa: S608
    assert SearchChange.objects.filter(kind="group", object_id=group.pk).exists()
    assert found("福祉") == ["福祉の会"]
    assert not SearchChange.objects.exists()


def test_rebuild_writes_every_published_record_once():
    OrganizationFactory(name="防災の会")
    OrganizationFactory(name="非公開の会", is_published=False)
    MeetingFactory(minutes="防災")
    MeetingFactory(is_published=False)
    SearchEntry.objects.all().delete()
    counts = search.rebuild()
    assert counts["group"] == 1
    assert counts["meeting"] == 1
    assert SearchEntry.objects.filter(kind="group").count() == 1
    assert found("防災", "group") == ["防災の会"]
    assert not SearchChange.objects.exists()


def test_the_management_command_rebuilds(capsys):
    from django.core.management import call_command

    OrganizationFactory(name="防災の会")
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index")
    assert "group: 1" in capsys.readouterr().out
    assert found("防災") == ["防災の会"]


# Excerpts ------------------------------------------------------------------------------------


def test_the_excerpt_marks_the_words_as_written():
    text = "今年は２回の防災訓練を行い、ボウサイ意識を高めた。"
    marked = search.excerpt(text, search.query_words("防災 ぼうさい ２"))
    assert "<mark>防災</mark>" in marked
    assert "<mark>ボウサイ</mark>" in marked
    assert "<mark>２</mark>" in marked


def test_the_excerpt_escapes_the_text():
    marked = search.excerpt("<script>alert(1)</script>防災", ["防災"])
    assert "<script>" not in marked
    assert "&lt;script&gt;" in marked
    assert "<mark>防災</mark>" in marked


def test_the_excerpt_is_short_and_centred_on_the_first_match():
    text = "あ" * 300 + "防災" + "い" * 300
    marked = search.excerpt(text, ["防災"])
    assert marked.startswith("…")
    assert marked.endswith("…")
    assert "<mark>防災</mark>" in marked
    assert len(marked) < search.EXCERPT_CHARS + 20


def test_the_excerpt_without_a_match_is_the_start_of_the_text():
    assert search.excerpt("短い文章", ["防災"]) == "短い文章"
    assert search.excerpt("", ["防災"]) == ""


def test_every_meeting_is_queued_once_per_change():
    meetings = MeetingFactory.create_batch(3, minutes="防災")
    search.apply_changes()
    Meeting.objects.filter(pk__in=[m.pk for m in meetings]).update(minutes="福祉")
    assert SearchChange.objects.filter(kind="meeting").count() >= 3
    assert search.apply_changes() >= 3
    assert len(found("福祉", "meeting")) == 3


@pytest.mark.parametrize("before", [0, 1, 29, 30, 31, 59, 60, 61, 98, 99, 100, 200, 5000])
def test_the_excerpt_finds_a_match_anywhere_in_long_minutes(before):
    text = "あ" * before + "第二十三回防災訓練" + "い" * 5000
    marked = search.excerpt(text, search.query_words("防災 23"))
    assert "<mark>防災</mark>" in marked
    assert "<mark>二十三</mark>" in marked
    assert marked.endswith("…")
    # The first mark is 二十三, one character after `before`; a third of the passage goes
    # before it.
    assert marked.startswith("…") == (before + 1 > search.EXCERPT_CHARS // 3)


def test_renaming_a_district_rewrites_its_groups_context():
    district = DistrictFactory(name="旧校区")
    group = OrganizationFactory(name="防災の会", districts=[district])
    search.apply_changes()
    district.name = "新校区"
    district.save()
    search.apply_changes()
    assert SearchEntry.objects.get(kind="group", object_id=group.pk).context == "新校区"
