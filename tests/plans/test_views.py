"""Residents' pages for plans and meetings, and the district page's plan and meetings sections."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.dates import fiscal_year
from organizations.models import FieldCode
from plans import selectors
from plans.models import (
    ActionStatus,
    InitiativeStatus,
    Meeting,
    MeetingKind,
    PlanStage,
    RoleKind,
    Sector,
)
from tests.factories import CouncilFactory, DistrictFactory, FieldFactory, OrganizationFactory
from tests.plans.factories import (
    ActionItemFactory,
    DecisionFactory,
    IndicatorFactory,
    IndicatorResultFactory,
    InitiativeFactory,
    MeetingAttachmentFactory,
    MeetingFactory,
    PlanFactory,
    PlanIssueFactory,
    ReviewFactory,
    ReviewRatingFactory,
    RoleAssignmentFactory,
    at_two_pm,
)

pytestmark = pytest.mark.django_db

FIELDS = list(FieldCode)
STATUSES = list(InitiativeStatus)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def english(client):
    """The page in English, as after the header's switch: UI text asserted here is stable."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_of(response) -> str:
    return response.content.decode()


def between(text: str, start: str, end: str) -> str:
    """The part of the page from `start` to the next `end`."""
    return text.split(start, 1)[1].split(end, 1)[0]


def tokyo(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


# Data at any scale, for the query-count tests ----------------------------------------------


def populate_plan(plan, scale: int) -> None:
    """`scale` times the issues, initiatives, roles, indicators, results and reviews."""
    groups = [OrganizationFactory(districts=[plan.district]) for _ in range(scale)]
    hidden = OrganizationFactory(is_published=False)
    years = list(plan.fiscal_years)
    initiatives = []
    for n in range(2 * scale):
        field = FieldFactory(code=FIELDS[n % len(FIELDS)])
        issue = PlanIssueFactory(plan=plan, field=field)
        initiative = InitiativeFactory(
            plan=plan, field=field, issues=[issue], status=STATUSES[n % len(STATUSES)]
        )
        initiatives.append(initiative)
        RoleAssignmentFactory(initiative=initiative, organization=groups[n % scale])
        RoleAssignmentFactory(initiative=initiative, organization=hidden, role=RoleKind.SUPPORT)
        RoleAssignmentFactory(initiative=initiative, city=True)
        RoleAssignmentFactory(initiative=initiative, council=True, sector=Sector.SELF)
        indicator = IndicatorFactory(initiative=initiative)
        lower = IndicatorFactory(initiative=initiative, lower=True)
        for offset, fy in enumerate(years[:3]):
            IndicatorResultFactory(indicator=indicator, fiscal_year=fy, actual_value=110 + offset)
            IndicatorResultFactory(indicator=lower, fiscal_year=fy, actual_value=19 - offset)
    reviewed = {review.fiscal_year for review in plan.reviews.all()}
    for fy in [year for year in years if year not in reviewed][:scale]:
        review = ReviewFactory(plan=plan, fiscal_year=fy)
        for initiative in initiatives:
            ReviewRatingFactory(review=review, initiative=initiative)


def populate_meetings(district, scale: int, *, plan=None) -> None:
    """`scale` times the past and upcoming meetings of a district, with all their parts."""
    groups = [OrganizationFactory(districts=[district]) for _ in range(2 * scale)]
    groups.append(OrganizationFactory(districts=[district], is_published=False))
    initiatives = list(plan.initiatives.all()) if plan else []
    existing = district.meetings.count()
    for n in range(existing, existing + 3 * scale):
        meeting = MeetingFactory(
            district=district,
            kind=list(MeetingKind)[n % len(MeetingKind)],
            starts_at=at_two_pm(-n - 1),
            attending_groups=groups,
            plan=plan,
            initiatives=initiatives,
        )
        for _ in range(2):
            DecisionFactory(meeting=meeting)
        ActionItemFactory(meeting=meeting, owner_organization=groups[0])
        ActionItemFactory(meeting=meeting)
        MeetingAttachmentFactory(meeting=meeting)
        MeetingFactory(district=district, starts_at=at_two_pm(n + 1), upcoming=True)
        MeetingFactory(district=district, starts_at=at_two_pm(-n - 1), unpublished=True)


def add_to_meeting(meeting, scale: int) -> None:
    """`scale` times a single meeting's groups, decisions, action items and attachments."""
    for _ in range(scale):
        meeting.attending_groups.add(OrganizationFactory(), OrganizationFactory())
        DecisionFactory(meeting=meeting)
        ActionItemFactory(meeting=meeting, owner_organization=OrganizationFactory())
        ActionItemFactory(meeting=meeting)
        MeetingAttachmentFactory(meeting=meeting)
        MeetingAttachmentFactory(meeting=meeting, image=True)
        meeting.initiatives.add(InitiativeFactory(plan=meeting.plan))


# The plan page -------------------------------------------------------------------------------


class TestPlanPage:
    @pytest.fixture
    def plan(self):
        district = DistrictFactory(name="桜台小学校区", slug="sakuradai")
        plan = PlanFactory(
            district=district,
            title="桜台地域づくり計画",
            start_fy=2019,
            end_fy=2023,
            adopted_on=dt.date(2019, 3, 20),
            vision="顔の見える\n支え合いのまち",
            with_document=True,
        )
        shelter = PlanIssueFactory(
            plan=plan,
            title="避難所を運営する人が足りない",
            field=FieldFactory(code=FieldCode.DISASTER),
        )
        PlanIssueFactory(
            plan=plan, title="見守りの担い手不足", field=FieldFactory(code=FieldCode.WELFARE)
        )
        drill = InitiativeFactory(
            plan=plan,
            title="合同防災訓練",
            issues=[shelter],
            start_fy=2020,
            end_fy=2023,
            status=InitiativeStatus.IN_PROGRESS,
        )
        RoleAssignmentFactory(initiative=drill, organization__name="桜台一丁目自治会")
        RoleAssignmentFactory(initiative=drill, city=True, department="危機管理課")
        RoleAssignmentFactory(
            initiative=drill, council=True, role=RoleKind.SUPPORT, sector=Sector.SELF
        )
        participants = IndicatorFactory(
            initiative=drill,
            name="訓練参加者数",
            unit="人",
            baseline_fy=2018,
            baseline_value=100,
            target_fy=2023,
            target_value=150,
        )
        IndicatorResultFactory(indicator=participants, fiscal_year=2019, actual_value=120)
        IndicatorResultFactory(
            indicator=participants, fiscal_year=2021, actual_value=160, note="雨天で校庭開催"
        )
        vacancies = IndicatorFactory(initiative=drill, name="空き家数", lower=True)  # 20 → 10
        IndicatorResultFactory(indicator=vacancies, fiscal_year=2019, actual_value="17.5")
        review = ReviewFactory(
            plan=plan,
            fiscal_year=2021,
            summary="訓練の参加者が増えた。",
            next_steps="若い世代への呼びかけ",
        )
        ReviewRatingFactory(
            review=review, initiative=drill, rating="A", reason="目標を上回る参加があった"
        )
        return plan

    def test_shows_the_plan_from_vision_to_reviews(self, client, plan):
        response = client.get(f"/plans/{plan.pk}/")
        text = text_of(response)
        assert response.status_code == 200
        for expected in (
            "<h1>桜台地域づくり計画</h1>",
            'href="/districts/sakuradai/"',
            "令和元年度〜令和5年度",  # span in 和暦 (2019 is 令和元年度)
            "平成31年3月20日",  # adopted, in 和暦
            "顔の見える<br>支え合いのまち",
            f"/plans/{plan.pk}/document/",
            "避難所を運営する人が足りない",
            "見守りの担い手不足",
            "合同防災訓練",
            "令和2年度〜令和5年度",  # the initiative's years
            "桜台一丁目自治会",
            "危機管理課",
            "訓練参加者数",
            "訓練の参加者が増えた。",
            "目標を上回る参加があった",
            "若い世代への呼びかけ",
        ):
            assert expected in text, expected

    def test_issues_are_grouped_under_their_field(self, client, plan):
        text = text_of(client.get(f"/plans/{plan.pk}/"))
        issues = between(text, 'id="issues-heading"', "</section>")
        disaster, welfare = issues.index("防災"), issues.index("福祉")
        assert disaster < issues.index("避難所を運営する人が足りない") < welfare
        assert welfare < issues.index("見守りの担い手不足")

    def test_initiative_roles_and_labels_in_english(self, english, plan):
        text = text_of(english.get(f"/plans/{plan.pk}/"))
        initiative = between(text, 'id="initiatives-heading"', 'id="indicators-heading"')
        for expected in (
            "In progress",
            "Disaster preparedness",
            "Issues it answers",
            "Leads",
            "Supports",
            "Mutual help",
            "Public help",
            "Self-help",
            "The council",
        ):
            assert expected in initiative, expected
        reviews = between(text, 'id="reviews-heading"', "</section>")
        assert "A: going well" in reviews and "Next steps" in reviews
        assert "FY2021 (Reiwa 3)" in reviews

    def test_the_group_of_a_role_is_linked(self, client, plan):
        text = text_of(client.get(f"/plans/{plan.pk}/"))
        group = plan.initiatives.get().roles.get(party="group").organization
        assert f'<a href="/organizations/{group.pk}/">桜台一丁目自治会</a>' in text

    def test_an_unpublished_group_is_not_named_among_roles(self, client, plan):
        RoleAssignmentFactory(
            initiative=plan.initiatives.get(),
            organization__name="非公開の会",
            organization__is_published=False,
        )
        text = text_of(client.get(f"/plans/{plan.pk}/"))
        assert "非公開の会" not in text

    def test_progress_for_higher_is_better_with_missing_years(self, english, plan):
        text = text_of(english.get(f"/plans/{plan.pk}/"))
        table = between(
            text, '<span lang="ja">訓練参加者数</span>: baseline, results and target', "</table>"
        )
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table, flags=re.S)
        reached = '<span class="badge">Target reached</span>'
        percent = '<span class="amount">{}</span>'.format
        body = [cell.strip() for cell in cells[4:]]
        assert body == [
            "Baseline（FY2018 (Heisei 30)）", "100", "", "",
            "FY2019 (Reiwa 1)", "120", percent("40.0%"), "",
            "FY2020 (Reiwa 2)", "—", "—", "Not recorded",
            "FY2021 (Reiwa 3)", "160", percent("120.0%"),
            reached + ' <span lang="ja">雨天で校庭開催</span>',
            "FY2022 (Reiwa 4)", "—", "—", "Not recorded",
            "FY2023 (Reiwa 5)", "—", "—", "Not recorded",
            "Target（FY2023 (Reiwa 5)）", "150", "", "",
        ]  # fmt: skip
        summary = between(text, "訓練参加者数（人）", "</dl>")
        assert "160" in summary and "120.0%" in summary and "Target reached" in summary

    def test_progress_for_lower_is_better(self, english, plan):
        text = text_of(english.get(f"/plans/{plan.pk}/"))
        table = between(
            text, '<span lang="ja">空き家数</span>: baseline, results and target', "</table>"
        )
        assert re.search(
            r"FY2019 \(Reiwa 1\)</th>\s*<td class=\"num\">17.5</td>\s*"
            r"<td class=\"num\"><span class=\"amount\">25.0%</span></td>",
            table,
        )
        assert "Lower is better" in text

    def test_each_indicator_with_results_has_a_chart_beside_its_table(self, client, plan):
        IndicatorFactory(initiative=plan.initiatives.get(), name="結果のない指標")
        text = text_of(client.get(f"/plans/{plan.pk}/"))
        indicators = between(text, 'id="indicators-heading"', 'id="reviews-heading"')
        assert indicators.count('<figure class="chart">') == 2
        assert indicators.count("<table") == 3
        assert 'role="img"' in indicators

    def test_draft_plan_is_404(self, client):
        plan = PlanFactory(draft=True)
        assert client.get(f"/plans/{plan.pk}/").status_code == 404

    def test_plan_under_discussion_is_shown_with_a_notice(self, english):
        plan = PlanFactory(discussion=True)
        response = english.get(f"/plans/{plan.pk}/")
        assert response.status_code == 200
        assert "under discussion" in text_of(response)

    def test_unknown_plan_is_404(self, client):
        assert client.get("/plans/999999/").status_code == 404
        assert client.get("/plans/abc/").status_code == 404

    def test_superseded_plan_links_to_the_current_adopted_plan(self, english, plan):
        plan.stage = "superseded"
        plan.save()
        text = text_of(english.get(f"/plans/{plan.pk}/"))
        assert "replaced by a newer plan" in text
        assert "See the current plan" not in text
        this_year = timezone.localdate().year
        current = PlanFactory(
            district=plan.district, title="第2期計画", start_fy=this_year - 2, end_fy=this_year + 2
        )
        text = text_of(english.get(f"/plans/{plan.pk}/"))
        assert (
            f'<a href="/plans/{current.pk}/">See the current plan: <span lang="ja">第2期計画</span>'
            in text
        )

    def test_user_text_is_escaped(self, client):
        plan = PlanFactory(vision="<script>alert('vision')</script>")
        PlanIssueFactory(plan=plan, description="<b>太字</b>")
        text = text_of(client.get(f"/plans/{plan.pk}/"))
        assert "<script>alert" not in text and "&lt;script&gt;" in text
        assert "<b>太字</b>" not in text

    def test_only_post_is_refused(self, client, plan):
        assert client.post(f"/plans/{plan.pk}/").status_code == 405

    def test_query_count_does_not_grow_with_data(self, client, django_assert_num_queries):
        plan = PlanFactory(start_fy=2019, end_fy=2028)
        populate_plan(plan, 1)
        with django_assert_num_queries(9):
            client.get(f"/plans/{plan.pk}/")
        populate_plan(plan, 10)
        with django_assert_num_queries(9):
            response = client.get(f"/plans/{plan.pk}/")
        assert len(response.context["detail"].initiatives) == 22

    def test_query_count_of_a_superseded_plan(self, client, django_assert_num_queries):
        plan = PlanFactory(superseded=True, start_fy=2015, end_fy=2019)
        PlanFactory(district=plan.district, start_fy=2020, end_fy=2030)
        populate_plan(plan, 1)
        with django_assert_num_queries(10):
            client.get(f"/plans/{plan.pk}/")
        populate_plan(plan, 10)
        with django_assert_num_queries(10):
            client.get(f"/plans/{plan.pk}/")


# The meeting list ----------------------------------------------------------------------------


def listed(response) -> tuple[list[str], list[str]]:
    upcoming = response.context["upcoming"]
    return (
        None if upcoming is None else [meeting.title for meeting in upcoming],
        [meeting.title for meeting in response.context["page"].meetings],
    )


def older_link(response) -> str | None:
    """The query string of the page's "Older meetings" link, unescaped."""
    found = re.search(r'href="\?([^"]*)" rel="next"', text_of(response))
    return found and found.group(1).replace("&amp;", "&")


def newer_link(response) -> str | None:
    found = re.search(r'href="\?([^"]*)" rel="prev"', text_of(response))
    return found and found.group(1).replace("&amp;", "&")


class TestMeetingList:
    @pytest.fixture
    def city(self):
        sakura = DistrictFactory(slug="sakuradai", name="桜台小学校区")
        aoba = DistrictFactory(slug="aoba", name="青葉小学校区")
        MeetingFactory(title="桜台 次回総会", district=sakura, starts_at=at_two_pm(20))
        MeetingFactory(
            title="青葉 ワークショップ",
            district=aoba,
            kind=MeetingKind.WORKSHOP,
            starts_at=at_two_pm(5),
        )
        MeetingFactory(title="桜台 非公開の予定", district=sakura, upcoming=True, unpublished=True)
        MeetingFactory(
            title="桜台 役員会",
            district=sakura,
            kind=MeetingKind.BOARD,
            starts_at=tokyo(2025, 6, 1, 19),
        )
        MeetingFactory(title="青葉 総会", district=aoba, starts_at=tokyo(2024, 5, 12, 14))
        MeetingFactory(title="桜台 総会", district=sakura, starts_at=tokyo(2025, 5, 11, 14))
        MeetingFactory(
            title="桜台 非公開の記録",
            district=sakura,
            starts_at=tokyo(2025, 7, 1, 14),
            unpublished=True,
        )
        return sakura, aoba

    def test_upcoming_soonest_first_and_past_newest_first(self, client, city):
        response = client.get("/meetings/")
        assert response.status_code == 200
        assert listed(response) == (
            ["青葉 ワークショップ", "桜台 次回総会"],
            ["桜台 役員会", "桜台 総会", "青葉 総会"],
        )

    def test_unpublished_meetings_are_not_listed_nor_counted(self, english, city, monkeypatch):
        monkeypatch.setattr(selectors, "UPCOMING_SHOWN", 2)
        monkeypatch.setattr(selectors, "PAST_PAGE_SIZE", 3)
        response = english.get("/meetings/")
        text = text_of(response)
        assert "非公開" not in text
        # Two announced and three held are published: all shown, none said to be left over.
        assert len(listed(response)[0]) == 2 and len(listed(response)[1]) == 3
        assert "The soonest 2 are shown" not in text
        assert older_link(response) is None

    def test_more_upcoming_than_shown_says_how_to_find_them(self, english, city, monkeypatch):
        monkeypatch.setattr(selectors, "UPCOMING_SHOWN", 1)
        response = english.get("/meetings/")
        assert listed(response)[0] == ["青葉 ワークショップ"]
        assert "The soonest 1 are shown. Choose a district or a kind of meeting" in text_of(
            response
        )

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"district": "sakuradai"}, (["桜台 次回総会"], ["桜台 役員会", "桜台 総会"])),
            ({"kind": "workshop"}, (["青葉 ワークショップ"], [])),
            ({"kind": "general", "district": "aoba"}, ([], ["青葉 総会"])),
            ({"fiscal_year": "2025"}, ([], ["桜台 役員会", "桜台 総会"])),
            ({"fiscal_year": "2024", "district": "aoba"}, ([], ["青葉 総会"])),
        ],
    )
    def test_filters(self, client, city, params, expected):
        response = client.get("/meetings/", params)
        assert response.status_code == 200
        assert listed(response) == expected
        assert response.context["filtered"] is True

    def test_fiscal_years_offered_are_those_with_published_meetings(self, client, city):
        text = text_of(client.get("/meetings/"))
        select = between(text, 'name="fiscal_year"', "</select>")
        offered = re.findall(r'value="(\d+)"', select)
        held = {
            fiscal_year(timezone.localtime(meeting.starts_at).date())
            for meeting in Meeting.objects.published()
        }
        assert held >= {2024, 2025}
        assert offered == [str(year) for year in sorted(held, reverse=True)]

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"kind": "nonsense"}, "kind"),
            ({"district": "no-such-district"}, "district"),
            ({"fiscal_year": "abc"}, "fiscal_year"),
            ({"fiscal_year": "1900"}, "fiscal_year"),
            ({"fiscal_year": "２０２５"}, "fiscal_year"),
            ({"kind": "<script>alert(1)</script>"}, "kind"),
        ],
    )
    def test_bad_filter_is_reported_beside_the_field(self, client, city, params, field):
        response = client.get("/meetings/", params)
        text = text_of(response)
        assert response.status_code == 200
        assert f'id="id_{field}_error"' in text
        assert 'aria-invalid="true"' in text
        assert "<script>alert(1)</script>" not in text
        # The bad filter is ignored: everything is listed.
        assert listed(response)[1] == ["桜台 役員会", "桜台 総会", "青葉 総会"]

    def test_bad_filter_messages_say_what_to_do(self, english, city):
        text = text_of(
            english.get("/meetings/", {"kind": "x", "district": "x", "fiscal_year": "x"})
        )
        assert "Choose a kind of meeting from the list." in text
        assert "Choose a district from the list." in text
        assert "Choose a fiscal year from the list." in text

    def test_one_bad_filter_does_not_discard_the_others(self, client, city):
        response = client.get("/meetings/", {"kind": "nonsense", "district": "aoba"})
        assert listed(response) == (["青葉 ワークショップ"], ["青葉 総会"])
        assert 'value="aoba" selected' in text_of(response)

    @pytest.mark.parametrize(
        "params",
        [
            {"page": "abc"},
            {"page": "99999"},
            {"older_than": "abc"},
            {"older_than": "-3"},
            {"older_than": "２"},
            {"older_than": "9" * 40},
        ],
    )
    def test_nonsense_parameters_give_the_first_page(self, client, city, params):
        response = client.get("/meetings/", params)
        assert response.status_code == 200
        assert response.context["page"].is_first
        assert listed(response)[1] == ["桜台 役員会", "桜台 総会", "青葉 総会"]

    def test_a_repeated_filter_gives_a_normal_page(self, client, city):
        response = client.get("/meetings/", {"kind": ["general", "board"]})
        assert response.status_code == 200
        assert listed(response)[1] == ["桜台 役員会"]

    @pytest.mark.parametrize("cursor", ["0", "99999999", "unpublished"])
    def test_a_cursor_that_is_no_published_meeting_gives_an_empty_page(self, english, city, cursor):
        if cursor == "unpublished":
            cursor = str(Meeting.objects.get(title="桜台 非公開の記録").pk)
        response = english.get("/meetings/", {"older_than": cursor})
        assert response.status_code == 200
        assert listed(response) == (None, [])
        text = text_of(response)
        assert "There are no older meetings here." in text
        assert '<a href="?">See the newest meetings</a>' in text

    def test_paging_keeps_the_filters_and_shows_upcoming_on_the_first_page(self, client):
        district = DistrictFactory(slug="big")
        for n in range(45):
            MeetingFactory(district=district, starts_at=at_two_pm(-n - 1))
        MeetingFactory(district=district, upcoming=True)
        MeetingFactory(starts_at=at_two_pm(-1))  # another district's
        first = client.get("/meetings/", {"district": "big"})
        assert len(listed(first)[0]) == 1
        assert newer_link(first) is None
        query = older_link(first)
        last_on_first = Meeting.objects.get(district=district, starts_at=at_two_pm(-20))
        assert query == f"district=big&older_than={last_on_first.pk}"
        second = client.get(f"/meetings/?{query}")
        upcoming, past = listed(second)
        assert upcoming is None
        assert len(past) == 20
        assert past[0] == Meeting.objects.get(starts_at=at_two_pm(-21), district=district).title
        assert not second.context["page"].is_first
        # The page before the second is the first: no cursor, the filter kept.
        assert newer_link(second) == "district=big"

    def test_paging_reaches_every_past_meeting_once_and_back(self, client, monkeypatch):
        monkeypatch.setattr(selectors, "PAST_PAGE_SIZE", 4)
        district = DistrictFactory(slug="big")
        same_time = at_two_pm(-5)
        for n in range(11):
            # Several meetings share a start, so the order falls back to the id.
            MeetingFactory(district=district, starts_at=same_time if n % 3 else at_two_pm(-n - 1))
        MeetingFactory(district=district, unpublished=True, starts_at=same_time)
        expected = list(
            Meeting.objects.published()
            .filter(district=district)
            .order_by("-starts_at", "-pk")
            .values_list("title", flat=True)
        )
        pages, query = [], "district=big"
        while query is not None:
            response = client.get(f"/meetings/?{query}")
            pages.append((query, listed(response)[1]))
            query = older_link(response)
        assert [len(titles) for _query, titles in pages] == [4, 4, 3]
        assert [title for _query, titles in pages for title in titles] == expected
        # Back from the last page, each "Newer meetings" link leads to the page before.
        for (query, _titles), (later, _later_titles) in zip(pages, pages[1:], strict=False):
            assert newer_link(client.get(f"/meetings/?{later}")) == query

    def test_a_later_page_says_from_when_it_lists(self, english):
        for n in range(25):
            MeetingFactory(starts_at=tokyo(2025, 6, 30, 14) - dt.timedelta(days=n))
        response = english.get("/meetings/")
        later = english.get(f"/meetings/?{older_link(response)}")
        text = text_of(later)
        assert "<title>Meetings (on or before 10 June 2025)" in text
        assert (
            'Meetings held on or before <time datetime="2025-06-10">10 June 2025</time>,'
            " newest first." in text
        )

    def test_a_chosen_district_offers_its_own_calendar(self, client, city):
        text = text_of(client.get("/meetings/", {"district": "sakuradai"}))
        for scheme in ("webcal", "http"):
            assert f'href="{scheme}://testserver/districts/sakuradai/meetings.ics"' in text
            assert f'href="{scheme}://testserver/meetings/calendar.ics"' in text
        assert "/districts/sakuradai/meetings.ics" not in text_of(client.get("/meetings/"))

    def test_the_city_calendar_link_says_what_it_holds(self, english):
        text = text_of(english.get("/meetings/"))
        link = between(text, 'href="webcal://testserver/meetings/calendar.ics"', "</li>")
        assert 'aria-describedby="city-calendar-window"' in link
        assert "from 7 days ago to 31 days ahead" in link

    def test_rows_show_when_where_and_district(self, client):
        MeetingFactory(
            title="まちづくり総会",
            starts_at=tokyo(2031, 11, 23, 14),
            ends_at=tokyo(2031, 11, 23, 16),
            place="桜台公民館",
            district__name="桜台小学校区",
        )
        text = text_of(client.get("/meetings/"))
        for expected in ("令和13年11月23日（日）14:00〜16:00", "桜台公民館", "桜台小学校区"):
            assert expected in text

    def test_header_marks_the_meetings_link(self, client, city):
        text = text_of(client.get("/meetings/"))
        assert re.search(r'<a href="/meetings/" aria-current="page">', text)
        meeting = city[0].meetings.published().first()
        text = text_of(client.get(f"/meetings/{meeting.pk}/"))
        assert re.search(r'<a href="/meetings/" aria-current="true">', text)

    def test_query_count_does_not_grow_with_data(self, client, django_assert_num_queries):
        # The filters' choices (2: the fiscal years; 1: the districts, read once per change of
        # the records and then from the cache), the chosen district, then the upcoming meetings
        # and the page (first page) or the page and the page before.
        district = DistrictFactory(slug="busy")
        populate_meetings(district, 1)
        with django_assert_num_queries(6):
            client.get("/meetings/", {"district": "busy", "kind": "general"})
        for _ in range(10):
            populate_meetings(DistrictFactory(), 1)
        populate_meetings(district, 9)
        with django_assert_num_queries(6):
            response = client.get("/meetings/", {"district": "busy", "kind": "general"})
        assert response.context["page"].meetings
        with django_assert_num_queries(4):
            response = client.get("/meetings/")
        assert len(response.context["page"].meetings) == 20
        with django_assert_num_queries(4):
            response = client.get(f"/meetings/?{older_link(response)}")
        assert len(response.context["page"].meetings) == 20
        with django_assert_num_queries(5):
            response = client.get(f"/meetings/?{older_link(response)}&district=busy")
        assert response.context["page"].meetings


# The meeting page ----------------------------------------------------------------------------


class TestMeetingPage:
    @pytest.fixture
    def meeting(self):
        council = CouncilFactory(
            name="桜台まちづくり協議会", district__name="桜台小学校区", district__slug="sakuradai"
        )
        plan = PlanFactory(district=council.district, title="桜台地域づくり計画")
        drill = InitiativeFactory(plan=plan, title="合同防災訓練")
        meeting = MeetingFactory(
            district=council.district,
            title="令和7年度 第1回総会",
            kind=MeetingKind.GENERAL,
            starts_at=tokyo(2025, 5, 11, 14),
            ends_at=tokyo(2025, 5, 11, 16),
            place="桜台地区市民センター",
            attendance=42,
            agenda="1. 事業計画\n2. 予算",
            minutes="事業計画を承認した。\n予算を承認した。",
            plan=plan,
            initiatives=[drill],
            attending_groups=[
                OrganizationFactory(name="桜台一丁目自治会"),
                OrganizationFactory(name="非公開の会", is_published=False),
            ],
        )
        DecisionFactory(meeting=meeting, text="防災訓練を10月に行う", order=1)
        DecisionFactory(meeting=meeting, text="会費を据え置く", order=2)
        ActionItemFactory(
            meeting=meeting,
            what="訓練の案内チラシ",
            owner_organization=OrganizationFactory(name="桜台小PTA"),
            owner_role="",
            due_on=dt.date(2025, 8, 31),
            status=ActionStatus.IN_PROGRESS,
        )
        ActionItemFactory(
            meeting=meeting,
            what="備蓄品の点検",
            owner_organization=OrganizationFactory(name="隠れた会", is_published=False),
            owner_role="防災部会長",
        )
        MeetingAttachmentFactory(meeting=meeting, title="総会資料")
        return meeting

    def test_a_past_meeting_reads_as_a_record(self, client, meeting):
        response = client.get(f"/meetings/{meeting.pk}/")
        text = text_of(response)
        assert response.status_code == 200
        for expected in (
            '<h1><span class="heading-district">桜台小学校区</span> 令和7年度 第1回総会</h1>',
            "<title>令和7年度 第1回総会（桜台小学校区）",
            "令和7年5月11日（日）14:00〜16:00",
            "桜台地区市民センター",
            'href="/districts/sakuradai/"',
            "桜台まちづくり協議会",
            "42人",
            "桜台一丁目自治会",
            "1. 事業計画<br>2. 予算",
            "事業計画を承認した。<br>予算を承認した。",
            "訓練の案内チラシ",
            "桜台小PTA",
            "R7.8.31",  # an action item's due date, in its table
            "備蓄品の点検",
            "防災部会長",
            "総会資料",
            f'href="/plans/{meeting.plan.pk}/"',
            f'href="/plans/{meeting.plan.pk}/#initiative-',
            "合同防災訓練",
        ):
            assert expected in text, expected
        assert 'id="minutes-heading"' in text

    def test_decisions_are_a_numbered_list_in_order(self, client, meeting):
        text = text_of(client.get(f"/meetings/{meeting.pk}/"))
        decisions = between(text, 'id="decisions-heading"', "</section>")
        assert re.findall(r"<li>(.*?)</li>", between(decisions, "<ol", "</ol>")) == [
            "防災訓練を10月に行う",
            "会費を据え置く",
        ]

    def test_labels_in_english(self, english, meeting):
        text = text_of(english.get(f"/meetings/{meeting.pk}/"))
        for expected in (
            "Held",
            "General assembly",
            "Sun 11 May 2025, 14:00–16:00",
            "42 people",
            "In progress",
            "Minutes",
            "Decisions",
            "Action items",
            "(PDF",
        ):
            assert expected in text.replace("（", "("), expected

    def test_attachments_link_with_type_and_size(self, client, meeting):
        attachment = meeting.attachments.get()
        text = text_of(client.get(f"/meetings/{meeting.pk}/"))
        link = f"/meetings/{meeting.pk}/attachments/{attachment.pk}/"
        item = between(text, f'<a href="{link}">総会資料</a>', "</li>")
        assert "PDF" in item and "バイト" in item
        response = client.get(link)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        # Downloaded, never rendered on the portal's origin; a public record, so cacheable.
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" not in response.get("Cache-Control", "")

    def test_attachments_of_unpublished_meetings_are_404(self, client, meeting):
        attachment = meeting.attachments.get()
        link = f"/meetings/{meeting.pk}/attachments/{attachment.pk}/"
        meeting.is_published = False
        meeting.save()
        assert client.get(link).status_code == 404
        other = MeetingFactory()
        assert client.get(f"/meetings/{other.pk}/attachments/{attachment.pk}/").status_code == 404

    def test_unpublished_groups_are_not_shown(self, client, meeting):
        text = text_of(client.get(f"/meetings/{meeting.pk}/"))
        assert "非公開の会" not in text
        assert "隠れた会" not in text

    def test_a_draft_plan_is_not_linked(self, client, meeting):
        meeting.plan.stage = "draft"
        meeting.plan.save()
        text = text_of(client.get(f"/meetings/{meeting.pk}/"))
        assert "/plans/" not in text
        assert "合同防災訓練" not in text

    def test_an_upcoming_meeting_reads_as_an_announcement(self, english):
        meeting = MeetingFactory(
            title="次回総会",
            starts_at=tokyo(2031, 11, 23, 14),
            ends_at=tokyo(2031, 11, 23, 16),
            agenda="役員の選出",
            minutes="（誤って入力された議事録）",
            attendance=None,
        )
        DecisionFactory(meeting=meeting, text="まだ決まっていない決定")
        text = text_of(english.get(f"/meetings/{meeting.pk}/"))
        assert "Scheduled" in text
        assert "Sun 23 November 2031, 14:00–16:00" in text
        assert "役員の選出" in text
        assert 'id="minutes-heading"' not in text
        assert "誤って入力された議事録" not in text
        assert "まだ決まっていない決定" not in text

    def test_an_upcoming_meeting_in_japanese(self, client):
        meeting = MeetingFactory(
            starts_at=tokyo(2031, 11, 23, 14), ends_at=tokyo(2031, 11, 23, 16), upcoming=True
        )
        text = text_of(client.get(f"/meetings/{meeting.pk}/"))
        assert "令和13年11月23日（日）14:00〜16:00" in text

    def test_script_in_user_text_is_shown_escaped(self, client):
        meeting = MeetingFactory(
            minutes="<script>alert('minutes')</script>\n2行目",
            agenda="<img src=x onerror=alert(1)>",
            title="<i>題</i>",
        )
        DecisionFactory(meeting=meeting, text="<script>alert('decision')</script>")
        ActionItemFactory(meeting=meeting, what="<script>alert('action')</script>")
        text = text_of(client.get(f"/meetings/{meeting.pk}/"))
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(&#x27;minutes&#x27;)&lt;/script&gt;<br>2行目" in text
        assert "&lt;script&gt;alert(&#x27;decision&#x27;)&lt;/script&gt;" in text
        assert "<img src=x" not in text
        assert "<i>題</i>" not in text

    def test_unpublished_meeting_is_404(self, client):
        meeting = MeetingFactory(unpublished=True)
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 404

    def test_unknown_meeting_is_404(self, client):
        assert client.get("/meetings/999999/").status_code == 404

    def test_query_count_does_not_grow_with_data(self, client, meeting, django_assert_num_queries):
        with django_assert_num_queries(6):
            client.get(f"/meetings/{meeting.pk}/")
        add_to_meeting(meeting, 10)
        with django_assert_num_queries(6):
            response = client.get(f"/meetings/{meeting.pk}/")
        assert len(response.context["detail"].attachments) == 21


# The district page's sections ------------------------------------------------------------------


class TestDistrictPageSections:
    @pytest.fixture
    def district(self):
        council = CouncilFactory(
            established=True, district__slug="sakuradai", district__name="桜台小学校区"
        )
        return council.district

    def test_plan_section_shows_the_current_plan_and_its_progress(self, english, district):
        this_year = timezone.localdate().year
        PlanFactory(district=district, title="旧計画", superseded=True, start_fy=2010, end_fy=2014)
        plan = PlanFactory(
            district=district,
            title="桜台地域づくり計画",
            vision="顔の見えるまち",
            start_fy=this_year - 2,
            end_fy=this_year + 2,
        )
        PlanFactory(
            district=district,
            title="次期計画（下書き）",
            draft=True,
            start_fy=this_year + 3,
            end_fy=this_year + 7,
        )
        InitiativeFactory(plan=plan, title="合同防災訓練", status=InitiativeStatus.DONE)
        InitiativeFactory(plan=plan, title="見守り活動", status=InitiativeStatus.IN_PROGRESS)
        InitiativeFactory(plan=plan, title="子ども食堂", status=InitiativeStatus.IN_PROGRESS)
        text = text_of(english.get("/districts/sakuradai/"))
        section = between(text, 'id="plan-heading"', "</section>")
        assert f'href="/plans/{plan.pk}/"' in section
        assert "顔の見えるまち" in section
        for title in ("合同防災訓練", "見守り活動", "子ども食堂"):
            assert title in section
        figures = dict(
            re.findall(r'<dt>(.*?)</dt><dd><span class="amount">(\d+)</span></dd>', section)
        )
        assert figures == {"Planned": "0", "In progress": "2", "Done": "1", "Paused": "0"}
        assert "旧計画" not in section
        assert "下書き" not in text
        # Each row: a link to the initiative on the plan's page, its field and its status.
        row = between(section, "合同防災訓練", "</tr>")
        assert "<td>Done</td>" in row
        done = plan.initiatives.get(title="合同防災訓練")
        assert f'href="/plans/{plan.pk}/#initiative-{done.pk}"' in section
        assert f"<td>{done.field.get_code_display() if done.field else '—'}</td>" in row

    def test_a_district_with_only_a_draft_plan_shows_none(self, english, district):
        PlanFactory(district=district, title="下書きの計画", draft=True)
        text = text_of(english.get("/districts/sakuradai/"))
        assert "下書きの計画" not in text
        assert "has not published a plan yet" in text

    def test_meetings_section_shows_the_next_meeting_and_the_latest_minutes(
        self, english, district
    ):
        MeetingFactory(district=district, title="次回の総会", starts_at=at_two_pm(14))
        MeetingFactory(
            district=district, title="非公開の予定", starts_at=at_two_pm(7), unpublished=True
        )
        MeetingFactory(
            district=district,
            title="前回の役員会",
            starts_at=at_two_pm(-14),
            minutes="会計報告を承認した。" + "あ" * 300 + "最後の一文",
        )
        MeetingFactory(
            district=district, title="非公開の記録", starts_at=at_two_pm(-7), unpublished=True
        )
        text = text_of(english.get("/districts/sakuradai/"))
        section = between(text, 'id="meetings-heading"', "</section>")
        assert "次回の総会" in section
        assert "前回の役員会" in section
        assert "会計報告を承認した。" in section
        assert "最後の一文" not in section  # an excerpt only
        assert "非公開" not in text
        assert 'href="/meetings/?district=sakuradai"' in section

    def test_sections_follow_the_council_section(self, client, district):
        response = client.get("/districts/sakuradai/")
        keys = [section.key for section, _context in response.context["sections"]]
        assert keys[:3] == ["council", "plan", "meetings"]

    def test_query_count_does_not_grow_with_data(self, client, district, django_assert_num_queries):
        this_year = timezone.localdate().year
        plan = PlanFactory(district=district, start_fy=this_year - 2, end_fy=this_year + 2)
        PlanFactory(district=district, superseded=True, start_fy=2010, end_fy=2014)
        populate_plan(plan, 1)
        populate_meetings(district, 1, plan=plan)
        with django_assert_num_queries(11):  # one of them the areas section's
            client.get("/districts/sakuradai/")
        populate_plan(plan, 10)
        populate_meetings(district, 10, plan=plan)
        with django_assert_num_queries(11):
            response = client.get("/districts/sakuradai/")
        plan_context = dict((s.key, c) for s, c in response.context["sections"])["plan"]
        assert len(plan_context["initiatives"]) == 22


def test_plan_document_follows_the_plan_and_is_stored_under_a_random_name(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan = PlanFactory(with_document=True)
    assert plan.document.name.startswith("plans/documents/")
    assert plan.title not in plan.document.name
    response = client.get(f"/plans/{plan.pk}/document/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    plan.stage = PlanStage.DRAFT
    plan.adopted_on = None
    plan.save()
    assert client.get(f"/plans/{plan.pk}/document/").status_code == 404
    without = PlanFactory()
    assert client.get(f"/plans/{without.pk}/document/").status_code == 404


def test_calendar_and_feed_links_on_the_meeting_pages(client):
    meeting = MeetingFactory()
    text = client.get("/meetings/").content.decode()
    assert 'href="webcal://testserver/meetings/calendar.ics"' in text
    assert 'href="http://testserver/meetings/calendar.ics"' in text
    assert 'href="/feeds/updates.atom"' in text
    district_page = client.get(meeting.district.get_absolute_url()).content.decode()
    calendar = f"//testserver/districts/{meeting.district.slug}/meetings.ics"
    assert f'href="webcal:{calendar}"' in district_page
    assert f'href="http:{calendar}"' in district_page


def test_district_page_latest_minutes_skip_a_meeting_just_held(client):
    with_minutes = MeetingFactory(title="先月の役員会")
    MeetingFactory(
        district=with_minutes.district,
        title="昨日の総会",
        minutes="",
        starts_at=timezone.now() - dt.timedelta(days=1),
    )
    detail = selectors.district_meetings(with_minutes.district)
    assert detail.latest_record == with_minutes


def test_a_meeting_dated_before_the_portal_is_refused():
    meeting = MeetingFactory.build(
        district=DistrictFactory(), starts_at=timezone.make_aware(dt.datetime(1026, 5, 1, 10))
    )
    with pytest.raises(ValidationError) as refused:
        meeting.full_clean()
    assert "starts_at" in refused.value.error_dict
