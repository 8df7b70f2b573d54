"""The grant staff's review screens: who sees what, the queue, one application, each action's form
and the year's overview."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from core import roles
from subsidies.models import (
    Allocation,
    ApplicationEvent,
    ApplicationVersion,
    AttachmentKind,
    PaymentKind,
    State,
    VersionStatus,
)
from subsidies.selectors import review as review_selectors
from subsidies.services import applications as edits
from subsidies.services import decisions
from tests.factories import (
    DistrictFactory,
    StaffUserFactory,
    SuperUserFactory,
    UserFactory,
)
from tests.subsidies.factories import (
    GrantYearFactory,
    Staff,
    application_in,
    budget_lines,
    complete_draft,
    make_applicant,
    pdf_file,
    report_lines,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return GrantYearFactory()


@pytest.fixture
def staff():
    return Staff()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_of(response) -> str:
    return response.content.decode()


def between(text: str, start: str, end: str) -> str:
    part = text[text.index(start) :]
    return part[: part.index(end)]


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def queue_url(**params):
    url = reverse("grants:review_queue")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def page_url(application):
    return reverse("grants:review_application", args=[application.pk])


def act_url(application, action):
    return reverse("grants:review_action", args=[application.pk, action])


def year_url(fiscal_year):
    return reverse("grants:review_year", args=[fiscal_year])


def button_actions(response) -> list[str]:
    return [row.action for row in response.context["detail"].actions]


def field_error(response, name) -> str:
    return " ".join(str(error) for error in response.context["form"].errors.get(name, []))


# Who may open the review pages ---------------------------------------------------------------


class TestAccess:
    @pytest.fixture
    def submitted(self, year, staff):
        return application_in(State.SUBMITTED, year, staff=staff)[0]

    @pytest.mark.parametrize(
        "make_user",
        [
            lambda: StaffUserFactory.grant_officer(),
            lambda: StaffUserFactory.grant_approver(),
            lambda: SuperUserFactory(),
        ],
        ids=["officer", "approver", "superuser"],
    )
    def test_grant_staff_open_every_page(self, client, submitted, make_user):
        client.force_login(make_user())
        fy = submitted.program_year.fiscal_year
        for url in (
            queue_url(),
            page_url(submitted),
            year_url(fy),
            reverse("grants:review_year_xlsx", args=[fy]),
        ):
            assert client.get(url).status_code == 200, url

    @pytest.mark.parametrize(
        "make_user",
        [
            lambda: UserFactory(groups=[roles.COORDINATORS]),
            lambda: UserFactory(),
            lambda: StaffUserFactory(),
        ],
        ids=["coordinator", "plain user", "staff without a role"],
    )
    def test_everyone_else_gets_404_everywhere(self, client, submitted, make_user):
        client.force_login(make_user())
        fy = submitted.program_year.fiscal_year
        urls = [
            page_url(submitted),
            act_url(submitted, "recommend"),
            reverse("grants:review_year_xlsx", args=[fy]),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert client.post(act_url(submitted, "recommend")).status_code == 404
        submitted.refresh_from_db()
        assert submitted.state == State.SUBMITTED

    def test_coordinators_and_users_without_a_role_do_not_see_the_queue(self, client, submitted):
        for user in (UserFactory(groups=[roles.COORDINATORS]), StaffUserFactory()):
            client.force_login(user)
            assert client.get(queue_url()).status_code == 404
            assert client.get(year_url(submitted.program_year.fiscal_year)).status_code == 404

    def test_the_councils_own_coordinator_gets_404_too(self, client, year, staff):
        application, coordinator, _staff = application_in(State.SUBMITTED, year, staff=staff)
        client.force_login(coordinator)
        assert client.get(page_url(application)).status_code == 404
        assert client.get(act_url(application, "return")).status_code == 404

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, submitted):
        for url in (queue_url(), page_url(submitted), act_url(submitted, "recommend")):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))

    def test_liaison_reads_their_districts_applications_without_buttons(
        self, client, submitted, staff
    ):
        liaison = StaffUserFactory.liaison(submitted.council.district)
        client.force_login(liaison)
        response = client.get(page_url(submitted))
        assert response.status_code == 200
        assert button_actions(response) == []
        assert act_url(submitted, "recommend") not in text_of(response)
        queue = client.get(queue_url())
        assert [a.pk for a in queue.context["page"].object_list] == [submitted.pk]

    def test_liaison_actions_are_refused_and_change_nothing(self, client, submitted):
        client.force_login(StaffUserFactory.liaison(submitted.council.district))
        response = client.get(act_url(submitted, "recommend"))
        assert response.status_code == 302
        assert response["Location"] == page_url(submitted)
        response = client.post(act_url(submitted, "recommend"), {"comment": "ok"})
        assert response.status_code == 302
        assert flash(response)
        submitted.refresh_from_db()
        assert submitted.state == State.SUBMITTED
        assert submitted.recommended_by is None

    def test_liaison_of_another_district_gets_404(self, client, submitted):
        client.force_login(StaffUserFactory.liaison(DistrictFactory()))
        assert client.get(page_url(submitted)).status_code == 404
        assert client.get(act_url(submitted, "recommend")).status_code == 404
        assert client.get(queue_url()).context["page"].paginator.count == 0

    def test_a_missing_application_is_404(self, client, staff):
        client.force_login(staff.officer)
        assert client.get(reverse("grants:review_application", args=[999999])).status_code == 404

    def test_unknown_and_coordinator_actions_are_404(self, client, submitted, staff):
        client.force_login(staff.officer)
        for action in ("submit", "withdraw", "edit", "request_change", "fly"):
            assert client.get(act_url(submitted, action)).status_code == 404, action

    def test_drafts_stay_with_the_council(self, client, year, staff):
        draft, _coordinator = complete_draft(year)
        client.force_login(staff.officer)
        assert client.get(page_url(draft)).status_code == 404
        assert client.get(act_url(draft, "return")).status_code == 404
        response = client.get(queue_url())
        assert response.context["page"].paginator.count == 0
        assert all(row.state != State.DRAFT for row in response.context["queue"].counts)

    def test_pages_refuse_other_methods(self, client, submitted, staff):
        client.force_login(staff.officer)
        assert client.post(queue_url()).status_code == 405
        assert client.post(page_url(submitted)).status_code == 405
        assert client.delete(act_url(submitted, "recommend")).status_code == 405


# The queue ------------------------------------------------------------------------------------


def filed_at(application, days_ago: int):
    """Pretend the application was first filed, and its history written, `days_ago` days ago."""
    moment = timezone.now() - dt.timedelta(days=days_ago)
    type(application).objects.filter(pk=application.pk).update(submitted_at=moment)
    moved_into(application, days_ago)


def moved_into(application, days_ago: int):
    """Pretend every history entry of the application was written `days_ago` days ago.

    The history refuses changes through its own manager; a test may rewrite the clock.
    """
    events = ApplicationEvent.objects.filter(application=application)
    QuerySet.update(events, at=timezone.now() - dt.timedelta(days=days_ago))


class TestQueue:
    def test_oldest_filing_first_and_counts_by_state(self, client, year, staff):
        newer = application_in(State.SUBMITTED, year, staff=staff)[0]
        older = application_in(State.RECOMMENDED, year, staff=staff)[0]
        oldest = application_in(State.SUBMITTED, year, staff=staff)[0]
        complete_draft(year)
        filed_at(newer, 1)
        filed_at(older, 5)
        filed_at(oldest, 9)
        client.force_login(staff.officer)
        response = client.get(queue_url(show="all"))
        assert [a.pk for a in response.context["page"].object_list] == [
            oldest.pk,
            older.pk,
            newer.pk,
        ]
        counts = {row.state: row.count for row in response.context["queue"].counts}
        assert counts[State.SUBMITTED] == 2
        assert counts[State.RECOMMENDED] == 1
        assert counts[State.APPROVED] == 0
        assert State.DRAFT not in counts
        assert response.context["queue"].total == 3
        text = text_of(response)
        assert oldest.council.name in text

    def test_filters_by_state_and_district_keep_the_counts(self, client, year, staff):
        first = application_in(State.SUBMITTED, year, staff=staff)[0]
        second = application_in(State.RECOMMENDED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = client.get(queue_url(state="recommended", show="all"))
        assert [a.pk for a in response.context["page"].object_list] == [second.pk]
        assert response.context["queue"].total == 2
        text = text_of(response)
        assert '<a href="?state=submitted&amp;show=all">' in text
        assert '<a href="?state=recommended&amp;show=all" aria-current="page">' in text
        response = client.get(queue_url(district=first.council.district.slug, show="all"))
        assert [a.pk for a in response.context["page"].object_list] == [first.pk]
        assert response.context["queue"].total == 1

    def test_the_fiscal_year_defaults_to_the_current_one(self, client, year, staff):
        this_year = application_in(State.SUBMITTED, year, staff=staff)[0]
        last_year = GrantYearFactory(fiscal_year=year.fiscal_year - 1)
        old = application_in(State.SUBMITTED, last_year, staff=staff)[0]
        client.force_login(staff.officer)
        response = client.get(queue_url())
        assert response.context["filters"]["fiscal_year"] == year.fiscal_year
        assert [a.pk for a in response.context["page"].object_list] == [this_year.pk]
        response = client.get(queue_url(fiscal_year=last_year.fiscal_year))
        assert [a.pk for a in response.context["page"].object_list] == [old.pk]

    def test_bad_parameters_are_reported_beside_their_field(self, client, year, staff):
        submitted = application_in(State.SUBMITTED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = english(client).get(
            queue_url(fiscal_year="abc", state="flying", district="nowhere", page="x")
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert set(errors) == {"fiscal_year", "state", "district"}
        text = text_of(response)
        assert "Choose a state from the list." in text
        assert "Choose a district from the list." in text
        assert text.count('aria-invalid="true"') == 3
        # The bad filters are ignored: the current year's applications are listed.
        assert [a.pk for a in response.context["page"].object_list] == [submitted.pk]

    def test_pages(self, client, year, staff, monkeypatch):
        monkeypatch.setattr(review_selectors, "PAGE_SIZE", 2)
        applications = [application_in(State.SUBMITTED, year, staff=staff)[0] for _ in range(3)]
        for days, application in enumerate(reversed(applications)):
            filed_at(application, days + 1)
        client.force_login(staff.officer)
        first = client.get(queue_url())
        assert [a.pk for a in first.context["page"].object_list] == [
            applications[0].pk,
            applications[1].pk,
        ]
        assert 'rel="next"' in text_of(first)
        second = client.get(queue_url(page=2))
        assert [a.pk for a in second.context["page"].object_list] == [applications[2].pk]

    def test_query_count_does_not_grow_with_data(
        self, client, year, staff, django_assert_num_queries
    ):
        application_in(State.SUBMITTED, year, staff=staff)
        client.force_login(staff.officer)
        with django_assert_num_queries(8):
            client.get(queue_url())
        for state in [State.SUBMITTED] * 5 + [State.RECOMMENDED] * 2 + [State.APPROVED] * 2:
            application_in(state, year, staff=staff)
        with django_assert_num_queries(8):
            response = client.get(queue_url())
        # The officer's own work: the submitted applications and the approved ones to pay.
        assert response.context["queue"].show == "mine"
        assert response.context["page"].paginator.count == 8
        # The same, less the district choices, which now come from the cache.
        with django_assert_num_queries(7):
            response = client.get(queue_url(show="all"))
        assert response.context["page"].paginator.count == 10
        with django_assert_num_queries(9):
            client.get(queue_url(state="submitted", district=DistrictFactory().slug))
        # 自分の対応待ち with a state: the same queries, the district choices from the cache.
        with django_assert_num_queries(7):
            response = client.get(queue_url(state="submitted", show="mine"))
        assert response.context["page"].paginator.count == 6
        # A liaison officer moves nothing on: no 自分の対応待ち. Nothing in their district, so
        # no page of applications is read.
        liaison = StaffUserFactory.liaison(DistrictFactory())
        client.force_login(liaison)
        with django_assert_num_queries(7):
            response = client.get(queue_url())
        assert response.context["queue"].mine is None


class TestWaitingOnMe:
    """自分の対応待ち: what the user's roles move on next, in their scope, with a count."""

    def rows(self, response) -> list[int]:
        return [a.pk for a in response.context["page"].object_list]

    def test_each_role_sees_its_own_next_steps(self, client, year, staff):
        submitted = application_in(State.SUBMITTED, year, staff=staff)[0]
        recommended = application_in(State.RECOMMENDED, year, staff=staff)[0]
        approved = application_in(State.APPROVED, year, staff=staff)[0]
        reported = application_in(State.REPORTED, year, staff=staff)[0]
        accepted = application_in(State.REPORT_ACCEPTED, year, staff=staff)[0]
        application_in(State.PAID, year, staff=staff)  # waits on the council's report
        application_in(State.RETURNED, year, staff=staff)  # waits on the council
        client.force_login(staff.officer)
        response = client.get(queue_url(show="mine"))
        assert sorted(self.rows(response)) == sorted([submitted.pk, approved.pk, reported.pk])
        assert response.context["queue"].mine == 3
        client.force_login(staff.approver)
        response = client.get(queue_url(show="mine"))
        assert sorted(self.rows(response)) == sorted([recommended.pk, accepted.pk])
        assert response.context["queue"].mine == 2
        assert response.context["queue"].total == 7

    def test_the_recommender_does_not_wait_on_themselves(self, client, year):
        both = StaffUserFactory(groups=[roles.GRANT_OFFICERS, roles.GRANT_APPROVERS])
        other = Staff()
        mine = application_in(State.RECOMMENDED, year, staff=Staff())[0]
        mine_too = application_in(State.SUBMITTED, year, staff=other)[0]
        decisions.recommend(application=mine_too, by=both)
        client.force_login(both)
        assert self.rows(client.get(queue_url(show="mine"))) == [mine.pk]
        client.force_login(other.approver)
        response = client.get(queue_url(show="mine"))
        assert sorted(self.rows(response)) == sorted([mine.pk, mine_too.pk])

    def test_a_final_payment_still_owed_waits_on_the_officer(self, client, year, staff):
        owed = application_in(State.SETTLED, year, staff=staff, pay=300_000)[0]
        done = application_in(State.SETTLED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = client.get(queue_url(show="mine"))
        assert self.rows(response) == [owed.pk]
        response = english(client).get(queue_url(show="all"))
        rows = {row.pk: row for row in response.context["page"].object_list}
        assert rows[owed.pk].waiting_for == ["Grant officer"]
        assert rows[done.pk].waiting_for == []
        assert rows[done.pk].days_waiting is None and rows[owed.pk].days_waiting == 0
        assert self.rows(response) == [owed.pk, done.pk]

    def test_opens_on_my_work_when_there_is_some(self, client, year, staff):
        recommended = application_in(State.RECOMMENDED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = client.get(queue_url())
        assert response.context["queue"].show == "all"  # nothing waits on the officer
        assert self.rows(response) == [recommended.pk]
        client.force_login(staff.approver)
        response = client.get(queue_url())
        assert response.context["queue"].show == "mine"
        text = text_of(response)
        one = '<span class="count">(<span class="amount">1</span>)</span>'
        assert f'<a href="?show=mine" aria-current="page">自分の対応待ち {one}' in text
        assert f'<a href="?show=all">すべての申請 {one}</a>' in text
        # The filter form keeps the choice.
        assert '<input type="hidden" name="show"' in text
        # The state counts are of every application: their links show them all.
        assert '<a href="?state=recommended&amp;show=all">' in text
        response = client.get(queue_url(show="mine", state="submitted"))
        mine = '<a href="?show=mine" aria-current="page">'
        assert mine in text_of(response)  # choosing 自分の対応待ち clears the state

    def test_a_liaison_officer_reads_their_districts_but_nothing_waits_on_them(
        self, client, year, staff
    ):
        ours = application_in(State.SUBMITTED, year, staff=staff)[0]
        application_in(State.SUBMITTED, year, staff=staff)  # another district
        liaison = StaffUserFactory.liaison(ours.council.district)
        client.force_login(liaison)
        for url in (queue_url(), queue_url(show="mine")):
            response = client.get(url)
            assert response.context["queue"].mine is None
            assert response.context["queue"].show == "all"
            assert self.rows(response) == [ours.pk]
            assert "自分の対応待ち" not in text_of(response)


class TestDaysWaiting:
    def test_counted_from_entering_the_state_open_ones_first(self, client, year, staff):
        today = application_in(State.SUBMITTED, year, staff=staff)[0]
        three = application_in(State.SUBMITTED, year, staff=staff)[0]
        # Filed long ago, but sent back and filed again yesterday: it has waited one day.
        again = application_in(State.RETURNED, year, staff=staff)[0]
        filed_at(again, 30)
        decisions.submit(application=again, by=again.council.coordinators.get())
        QuerySet.update(
            ApplicationEvent.objects.filter(application=again, to_state=State.SUBMITTED),
            at=timezone.now() - dt.timedelta(days=1),
        )
        closed = application_in(State.REJECTED, year, staff=staff)[0]
        moved_into(closed, 40)
        moved_into(three, 3)
        client.force_login(staff.officer)
        response = client.get(queue_url(show="all"))
        rows = response.context["page"].object_list
        assert [row.pk for row in rows] == [three.pk, again.pk, today.pk, closed.pk]
        assert [row.days_waiting for row in rows] == [3, 1, 0, None]
        cells = [
            between(text_of(response), f'href="/grants/review/{pk}/"', "</tr>")
            for pk in (three.pk, again.pk, today.pk, closed.pk)
        ]
        assert '<td data-label="待ち日数" class="num">3日</td>' in cells[0]
        assert '<td data-label="待ち日数" class="num">1日</td>' in cells[1]
        assert '<td data-label="待ち日数" class="num">今日</td>' in cells[2]
        assert '<td data-label="待ち日数" class="num">—</td>' in cells[3]

    def test_in_english(self, client, year, staff):
        moved_into(application_in(State.SUBMITTED, year, staff=staff)[0], 2)
        client.force_login(staff.officer)
        text = text_of(english(client).get(queue_url()))
        assert '<td data-label="Days waiting" class="num">2 days</td>' in text
        assert "Waiting on me" in text

    def test_dates_do_not_wrap(self, client, year, staff):
        application_in(State.SUBMITTED, year, staff=staff)
        client.force_login(staff.officer)
        text = text_of(client.get(queue_url()))
        cell = r'<td data-label="初回提出日" class="review-queue__date">R\d+\.\d+\.\d+</td>'
        assert re.search(cell, text)
        css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
        assert ".review-queue__date { white-space: nowrap; }" in css


# One application ------------------------------------------------------------------------------


class TestApplicationPage:
    def test_shows_plan_budget_attachments_history_and_payments(self, client, year, staff):
        application, _coordinator, _staff = application_in(State.PAID, year, staff=staff)
        client.force_login(staff.officer)
        response = client.get(page_url(application))
        text = text_of(response)
        detail = response.context["detail"]
        assert detail.current.plan_rows[0].activity == "地区防災訓練"
        assert "地区防災訓練" in text
        assert detail.current.plan_rows[0].initiatives.all()[0].title in text
        assert detail.current.totals.income == detail.current.totals.expense == 700_000
        assert "700,000" in text
        attachment = detail.attachments[0]
        assert reverse("grants:attachment", args=[application.pk, attachment.pk]) in text
        assert [event.event.action for event in detail.events][-3:] == [
            "recommend",
            "approve",
            "pay",
        ]
        assert detail.payments[0].amount == 600_000
        assert detail.advance_limit == 300_000
        assert "300,000" in text
        assert detail.report is None

    def test_checklist_passes_for_a_complete_application(self, client, year, staff):
        application = application_in(State.SUBMITTED, year, staff=staff)[0]
        client.force_login(staff.officer)
        checks = client.get(page_url(application)).context["detail"].checklist
        assert len(checks) == 7
        assert all(check.passed for check in checks)

    def test_checklist_flags_what_needs_attention(self, client, year, staff):
        application = application_in(State.SUBMITTED, year, staff=staff)[0]
        # After filing, the year marks a category ineligible and the allocation is lowered.
        year.expense_categories.filter(name="印刷製本費").update(eligible=False, note="対象外です")
        Allocation.objects.filter(district=application.council.district).update(
            computed_amount=500_000
        )
        client.force_login(staff.officer)
        response = english(client).get(page_url(application))
        checks = {check.label: check for check in response.context["detail"].checklist}
        attention = [label for label, check in checks.items() if not check.passed]
        assert len(attention) == 2
        assert any("500,000" in label for label in attention)  # the allocation is shown
        text = text_of(response)
        assert "Not eligible" in text
        assert "印刷製本費" in " ".join(
            detail for check in checks.values() for detail in check.details
        )
        assert response.context["detail"].current.has_ineligible

    def test_buttons_are_exactly_the_workflows_rows(self, client, year, staff):
        submitted = application_in(State.SUBMITTED, year, staff=staff)[0]
        recommended = application_in(State.RECOMMENDED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = client.get(page_url(submitted))
        assert button_actions(response) == ["return", "recommend"]
        assert act_url(submitted, "recommend") in text_of(response)
        assert button_actions(client.get(page_url(recommended))) == []
        other_approver = StaffUserFactory.grant_approver()
        client.force_login(other_approver)
        assert button_actions(client.get(page_url(submitted))) == ["reject"]
        response = client.get(page_url(recommended))
        assert button_actions(response) == ["return", "approve", "reject"]
        assert act_url(recommended, "approve") in text_of(response)
        assert act_url(recommended, "recommend") not in text_of(response)

    def test_the_recommender_who_also_approves_sees_the_four_eyes_rule(self, client, year):
        both = StaffUserFactory(groups=[roles.GRANT_OFFICERS, roles.GRANT_APPROVERS])
        application = application_in(State.SUBMITTED, year)[0]
        decisions.recommend(application=application, by=both)
        client.force_login(both)
        response = english(client).get(page_url(application))
        assert button_actions(response) == []
        assert "another approver must decide it" in text_of(response)

    @pytest.mark.parametrize(
        ("state", "documents"),
        [
            (State.SUBMITTED, ["application"]),
            (State.APPROVED, ["application", "decision"]),
            (State.REPORTED, ["application", "decision", "report"]),
            (State.SETTLED, ["application", "decision", "report", "settlement"]),
        ],
    )
    def test_print_links_follow_the_stage(self, client, year, staff, state, documents):
        application = application_in(state, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = client.get(page_url(application))
        assert [slug for slug, _title in response.context["detail"].print_documents] == documents
        text = text_of(response)
        for slug in documents:
            assert reverse("grants:print", args=[application.pk, slug]) in text

    def test_return_reasons_show_beside_their_part_in_the_history(self, client, year, staff):
        application = application_in(State.RETURNED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = english(client).get(page_url(application))
        returned = [e for e in response.context["detail"].events if e.event.action == "return"]
        assert returned[0].reasons == [("Budget", "見積書の金額と合わせてください。")]
        assert "見積書の金額と合わせてください。" in text_of(response)

    def test_a_proposed_change_is_shown_next_to_the_current_version(self, client, year, staff):
        application = change_requested(year, staff, new_grant=700_000)
        client.force_login(staff.approver)
        response = client.get(page_url(application))
        detail = response.context["detail"]
        assert detail.current.version.requested_amount == 600_000
        assert detail.proposed.version.requested_amount == 700_000
        assert detail.under_review is detail.proposed
        text = text_of(response)
        assert 'id="change-heading"' in text
        assert "600,000" in text and "700,000" in text
        assert button_actions(response) == ["approve_change", "refuse_change", "cancel"]

    def test_earlier_versions_stay_readable(self, client, year, staff):
        application = change_requested(year, staff, new_grant=700_000)
        decisions.approve_change(application=application, by=staff.approver, granted_amount=650_000)
        client.force_login(staff.officer)
        detail = client.get(page_url(application)).context["detail"]
        assert detail.current.version.number == 2
        assert [view.version.number for view in detail.earlier] == [1]
        assert detail.earlier[0].totals.grant == 600_000
        assert detail.proposed is None

    def test_report_with_lines_indicators_and_receipts(self, client, year, staff):
        application = application_in(State.REPORTED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = client.get(page_url(application))
        report = response.context["detail"].report
        assert report.totals.expense == 700_000
        assert all(check.passed for check in report.checklist)
        assert [item.kind for item in response.context["detail"].receipts] == [
            AttachmentKind.RECEIPT
        ]
        assert "防災訓練を実施し120人が参加。" in text_of(response)
        assert response.context["detail"].settlement is None

    def test_settlement_figures_once_the_report_is_accepted(self, client, year, staff):
        application = partly_paid(State.REPORT_ACCEPTED, year, staff)
        client.force_login(staff.approver)
        response = english(client).get(page_url(application))
        figures = response.context["detail"].settlement
        assert figures == {
            "eligible": 700_000,
            "confirmed": 600_000,
            "paid": 300_000,
            "refund": 0,
            "final_payment": 300_000,
        }
        text = text_of(response)
        assert "Final payment due" in text
        indicators = response.context["detail"].report.indicators
        assert [row.actual_value for row in indicators] == [Decimal("120")]
        assert indicators[0].indicator.name in text
        assert "参加者数" in text
        assert button_actions(response) == ["settle", "cancel"]

    def test_query_count_does_not_grow_with_data(
        self, client, year, staff, django_assert_num_queries
    ):
        small = bulky_application(year, staff, size=1)
        large = bulky_application(year, staff, size=10)
        client.force_login(staff.officer)
        with django_assert_num_queries(12):
            client.get(page_url(small))
        with django_assert_num_queries(12):
            response = client.get(page_url(large))
        detail = response.context["detail"]
        assert len(detail.current.plan_rows) == 10
        assert len(detail.payments) == 10
        assert len(detail.attachments) == 11


def change_requested(year, staff, *, new_grant: int):
    """An approved application whose council asks for a different amount (a new budget)."""
    application, coordinator, _staff = application_in(State.APPROVED, year, staff=staff)
    edits.start_change(application=application, by=coordinator, reason="講師の追加")
    edits.save_budget(
        application=application, by=coordinator, lines=budget_lines(year, grant=new_grant)
    )
    decisions.request_change(application=application, by=coordinator)
    application.refresh_from_db()
    return application


def partly_paid(state, year, staff):
    """Like application_in, but only an advance of ¥300,000 of the ¥600,000 grant is paid."""
    application, coordinator, _staff = application_in(State.APPROVED, year, staff=staff)
    today = timezone.localdate()
    decisions.record_payment(
        application=application,
        by=staff.officer,
        kind=PaymentKind.ADVANCE,
        amount=300_000,
        paid_on=today,
    )
    if state != State.PAID:
        edits.save_report(
            application=application,
            by=coordinator,
            summary="防災訓練を実施。",
            outcomes="",
            lines=report_lines(year),
            indicators=[
                {"indicator": indicator, "actual_value": Decimal("120"), "note": "参加者数"}
                for indicator in edits.reportable_indicators(application)
            ],
        )
        edits.add_attachment(
            application=application,
            by=coordinator,
            kind=AttachmentKind.RECEIPT,
            title="領収書",
            file=pdf_file("receipts.pdf"),
            for_report=True,
        )
        decisions.submit_report(application=application, by=coordinator)
        decisions.accept_report(application=application, by=staff.officer)
        if state == State.SETTLED:
            decisions.settle(application=application, by=staff.approver, settled_on=today)
    application.refresh_from_db()
    assert application.state == state
    return application


def bulky_application(year, staff, *, size: int):
    """A paid application with `size` plan rows, budget lines, attachments and payments."""
    application, coordinator = complete_draft(year, grant=600_000)
    initiative = application.versions.get().plan_rows.get().initiatives.get()
    edits.save_plan_rows(
        application=application,
        by=coordinator,
        rows=[
            {
                "activity": f"活動{n}",
                "initiatives": [initiative],
                "schedule": "通年",
                "expected_effect": "参加者の増加",
                "cost": 70_000,
            }
            for n in range(size)
        ],
    )
    lines = budget_lines(year)
    extra = [dict(lines[-1], description=f"追加{n}", amount=1) for n in range(size - 1)]
    lines[1] = dict(lines[1], amount=lines[1]["amount"] + len(extra))
    edits.save_budget(application=application, by=coordinator, lines=lines + extra)
    for n in range(size):
        edits.add_attachment(
            application=application,
            by=coordinator,
            kind=AttachmentKind.QUOTE,
            title=f"見積書{n}",
            file=pdf_file(f"quote{n}.pdf"),
        )
    decisions.submit(application=application, by=coordinator)
    decisions.recommend(application=application, by=staff.officer)
    decisions.approve(
        application=application,
        by=staff.approver,
        granted_amount=600_000,
        decision_number=f"み協第{application.pk}号",
        decided_on=timezone.localdate(),
    )
    for _n in range(size):
        decisions.record_payment(
            application=application,
            by=staff.officer,
            kind=PaymentKind.ADVANCE,
            amount=1_000,
            paid_on=timezone.localdate(),
        )
    application.refresh_from_db()
    return application


# The action pages -----------------------------------------------------------------------------


def post(client, application, action, data):
    return english(client).post(act_url(application, action), data)


def assert_refused(response, application, state):
    """The form came back with its errors (never a 500) and the application did not move."""
    assert response.status_code == 200
    assert response.context["form"].errors
    application.refresh_from_db()
    assert application.state == state


class TestReturn:
    def test_form_has_a_box_per_part(self, client, year, staff):
        application = application_in(State.SUBMITTED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = client.get(act_url(application, "return"))
        assert list(response.context["form"].fields) == [
            "basics",
            "plan",
            "budget",
            "attachments",
            "comment",
        ]

    def test_at_least_one_reason(self, client, year, staff):
        application = application_in(State.SUBMITTED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = post(client, application, "return", {"comment": "よろしくお願いします。"})
        assert_refused(response, application, State.SUBMITTED)
        assert "Say what needs correcting" in " ".join(response.context["form"].non_field_errors())
        assert "よろしくお願いします。" in text_of(response)

    def test_returns_with_the_reasons_by_part(self, client, year, staff):
        application = application_in(State.SUBMITTED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = post(
            client,
            application,
            "return",
            {"plan": "実施時期を具体的に。", "budget": " ", "comment": "修正後に再提出を。"},
        )
        assert response.status_code == 302
        assert response["Location"] == page_url(application)
        application.refresh_from_db()
        assert application.state == State.RETURNED
        event = application.events.latest("pk")
        assert event.reasons == {"plan": "実施時期を具体的に。"}
        assert event.comment == "修正後に再提出を。"

    def test_the_approver_may_return_a_recommended_application(self, client, year, staff):
        application = application_in(State.RECOMMENDED, year, staff=staff)[0]
        client.force_login(StaffUserFactory.grant_approver())
        response = post(client, application, "return", {"attachments": "議事録を添付。"})
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.state == State.RETURNED


class TestRecommend:
    def test_recommends(self, client, year, staff):
        application = application_in(State.SUBMITTED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = post(client, application, "recommend", {"comment": "問題ありません。"})
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.state == State.RECOMMENDED
        assert application.recommended_by == staff.officer
        assert flash(response)

    def test_comment_too_long(self, client, year, staff):
        application = application_in(State.SUBMITTED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = post(client, application, "recommend", {"comment": "あ" * 2001})
        assert_refused(response, application, State.SUBMITTED)
        assert field_error(response, "comment")

    def test_an_action_not_open_in_this_state_is_refused_with_a_message(self, client, year, staff):
        application = application_in(State.RECOMMENDED, year, staff=staff)[0]
        client.force_login(staff.officer)
        response = post(client, application, "recommend", {})
        assert response.status_code == 302
        assert response["Location"] == page_url(application)
        assert "Recommended" in flash(response)[0]
        application.refresh_from_db()
        assert application.state == State.RECOMMENDED


class TestApprove:
    @pytest.fixture
    def recommended(self, year, staff):
        return application_in(State.RECOMMENDED, year, staff=staff)[0]

    @pytest.fixture
    def approver(self, client, staff):
        client.force_login(staff.approver)
        return staff.approver

    def data(self, **changes):
        return {
            "granted_amount": "600,000",
            "decision_number": "み協第900号",
            "decided_on": timezone.localdate().isoformat(),
            "conditions": "実績報告は翌年4月末までに。",
            **changes,
        }

    def test_the_form_is_prefilled_with_the_request(self, client, recommended, approver):
        response = english(client).get(act_url(recommended, "approve"))
        text = text_of(response)
        assert 'name="granted_amount" value="600000"' in text
        assert f'name="decided_on" value="{timezone.localdate():%Y/%m/%d}"' in text
        assert response.context["facts"]["allocation"] == 1_000_000
        assert "1,000,000" in text

    def test_approves(self, client, recommended, approver):
        today = timezone.localdate()
        typed = f"{today.year}／{today.month}／{today.day}".translate(
            {ord(digit): ord(digit) + 0xFEE0 for digit in "0123456789"}
        )
        response = post(
            client,
            recommended,
            "approve",
            self.data(granted_amount="５５０，０００円", decided_on=typed),
        )
        assert response.status_code == 302
        recommended.refresh_from_db()
        assert recommended.state == State.APPROVED
        assert recommended.granted_amount == 550_000
        assert recommended.decision_number == "み協第900号"
        assert recommended.decided_by == approver
        assert recommended.decided_on == today

    def test_amount_above_the_request(self, client, recommended, approver):
        response = post(client, recommended, "approve", self.data(granted_amount="600,001"))
        assert_refused(response, recommended, State.RECOMMENDED)
        assert "600,000" in field_error(response, "granted_amount")
        assert 'value="600,001"' in text_of(response)

    def test_amount_above_the_allocation(self, client, recommended, approver):
        Allocation.objects.filter(district=recommended.council.district).update(
            computed_amount=500_000
        )
        response = post(client, recommended, "approve", self.data(granted_amount="550000"))
        assert_refused(response, recommended, State.RECOMMENDED)
        assert "500,000" in field_error(response, "granted_amount")

    def test_amount_above_the_years_budget(self, client, year, recommended, approver):
        year.budget = 400_000
        year.save()
        response = post(client, recommended, "approve", self.data())
        assert_refused(response, recommended, State.RECOMMENDED)
        assert "400,000" in field_error(response, "granted_amount")
        assert "200,000" in field_error(response, "granted_amount")  # how much over

    def test_a_decision_number_used_this_year(self, client, year, staff, recommended, approver):
        other = application_in(State.APPROVED, year, staff=staff)[0]
        response = post(
            client, recommended, "approve", self.data(decision_number=other.decision_number)
        )
        assert_refused(response, recommended, State.RECOMMENDED)
        assert "already used" in field_error(response, "decision_number")
        assert other.decision_number in text_of(response)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"granted_amount": ""}, "granted_amount"),
            ({"granted_amount": "六十万"}, "granted_amount"),
            ({"granted_amount": "0"}, "granted_amount"),
            ({"granted_amount": "-5"}, "granted_amount"),
            ({"decision_number": ""}, "decision_number"),
            ({"decided_on": "2026-02-30"}, "decided_on"),
            ({"decided_on": "1026-04-01"}, "decided_on"),
        ],
    )
    def test_bad_input(self, client, recommended, approver, changes, field):
        response = post(client, recommended, "approve", self.data(**changes))
        assert_refused(response, recommended, State.RECOMMENDED)
        assert field_error(response, field)
        assert "実績報告は翌年4月末までに。" in text_of(response)  # what was typed is kept

    def test_the_recommender_is_refused_by_the_four_eyes_rule(self, client, year):
        both = StaffUserFactory(groups=[roles.GRANT_OFFICERS, roles.GRANT_APPROVERS])
        application = application_in(State.SUBMITTED, year)[0]
        decisions.recommend(application=application, by=both)
        client.force_login(both)
        for action, data in (
            ("approve", self.data()),
            ("reject", {"comment": "対象外"}),
            ("return", {"plan": "修正を"}),
        ):
            assert english(client).get(act_url(application, action)).status_code == 302
            response = post(client, application, action, data)
            assert response.status_code == 302
            assert "another approver must decide it" in flash(response)[0]
            application.refresh_from_db()
            assert application.state == State.RECOMMENDED
            assert application.granted_amount is None

    def test_officers_may_not_approve(self, client, recommended, staff):
        client.force_login(staff.officer)
        response = post(client, recommended, "approve", self.data())
        assert response.status_code == 302
        assert "role" in flash(response)[0]
        recommended.refresh_from_db()
        assert recommended.state == State.RECOMMENDED


class TestReject:
    def test_needs_a_reason(self, client, year, staff):
        application = application_in(State.SUBMITTED, year, staff=staff)[0]
        client.force_login(staff.approver)
        response = post(client, application, "reject", {"comment": "  "})
        assert_refused(response, application, State.SUBMITTED)
        assert "Say why the application is rejected." in field_error(response, "comment")

    def test_rejects(self, client, year, staff):
        application = application_in(State.SUBMITTED, year, staff=staff)[0]
        client.force_login(staff.approver)
        response = post(client, application, "reject", {"comment": "対象外の事業です。"})
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.state == State.REJECTED
        assert application.events.latest("pk").comment == "対象外の事業です。"


class TestPay:
    @pytest.fixture
    def approved(self, year, staff, client):
        client.force_login(staff.officer)
        return application_in(State.APPROVED, year, staff=staff)[0]

    def data(self, **changes):
        return {
            "kind": PaymentKind.ADVANCE,
            "amount": "300,000",
            "paid_on": timezone.localdate().isoformat(),
            **changes,
        }

    def test_the_page_shows_paid_so_far_the_ceiling_and_the_advance_limit(self, client, approved):
        response = client.get(act_url(approved, "pay"))
        facts = response.context["facts"]
        assert (facts["paid"], facts["ceiling"], facts["advance_limit"]) == (0, 600_000, 300_000)
        text = text_of(response)
        assert "300,000" in text and "600,000" in text
        assert [value for value, _label in response.context["form"].fields["kind"].choices] == [
            "advance",
            "full",
        ]

    def test_records_an_advance(self, client, approved):
        response = post(client, approved, "pay", self.data())
        assert response.status_code == 302
        approved.refresh_from_db()
        assert approved.state == State.PAID
        assert approved.payments.get().amount == 300_000

    def test_an_advance_above_the_ratio(self, client, approved):
        response = post(client, approved, "pay", self.data(amount="300,001"))
        assert_refused(response, approved, State.APPROVED)
        assert "300,000" in field_error(response, "amount")
        assert "50%" in field_error(response, "amount")
        assert 'value="300,001"' in text_of(response)

    def test_a_payment_above_the_grant(self, client, approved):
        response = post(client, approved, "pay", self.data(kind="full", amount="600,001"))
        assert_refused(response, approved, State.APPROVED)
        assert "600,000" in field_error(response, "amount")
        assert not approved.payments.exists()

    def test_a_payment_dated_before_the_decision(self, client, approved):
        day = (approved.decided_on - dt.timedelta(days=1)).isoformat()
        response = post(client, approved, "pay", self.data(paid_on=day))
        assert_refused(response, approved, State.APPROVED)
        assert "before the decision" in field_error(response, "paid_on")

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"kind": "final"}, "kind"),
            ({"kind": ""}, "kind"),
            ({"amount": ""}, "amount"),
            ({"amount": "0"}, "amount"),
            ({"amount": "abc"}, "amount"),
            ({"paid_on": ""}, "paid_on"),
            ({"paid_on": "tomorrow"}, "paid_on"),
            ({"paid_on": "2099-01-01"}, "paid_on"),
        ],
    )
    def test_bad_input(self, client, approved, changes, field):
        response = post(client, approved, "pay", self.data(**changes))
        assert_refused(response, approved, State.APPROVED)
        assert field_error(response, field)

    def test_after_settlement_only_the_final_payment(self, client, year, staff):
        settled = partly_paid(State.SETTLED, year, staff)
        client.force_login(staff.officer)
        response = client.get(act_url(settled, "pay"))
        assert [v for v, _l in response.context["form"].fields["kind"].choices] == ["final"]
        assert response.context["facts"]["left_to_pay"] == 300_000
        assert 'name="amount" value="300000"' in text_of(response)
        response = post(client, settled, "pay", self.data(kind="final", amount="300,001"))
        assert_refused(response, settled, State.SETTLED)
        assert "600,000" in field_error(response, "amount")  # the confirmed amount
        response = post(client, settled, "pay", self.data(kind="final", amount="300,000"))
        assert response.status_code == 302
        assert sum(p.amount for p in settled.payments.all()) == 600_000


class TestChange:
    @pytest.fixture
    def requested(self, client, year, staff):
        client.force_login(staff.approver)
        return change_requested(year, staff, new_grant=700_000)

    def test_the_page_shows_current_and_proposed(self, client, requested):
        response = client.get(act_url(requested, "approve_change"))
        facts = response.context["facts"]
        assert facts["current"].version.requested_amount == 600_000
        assert facts["proposed"].version.requested_amount == 700_000
        assert 'name="granted_amount" value="700000"' in text_of(response)

    def test_amount_above_the_proposed_request(self, client, requested):
        response = post(
            client, requested, "approve_change", {"granted_amount": "700,001", "comment": ""}
        )
        assert_refused(response, requested, State.CHANGE_REQUESTED)
        assert "700,000" in field_error(response, "granted_amount")

    def test_approves_the_change(self, client, requested):
        response = post(
            client, requested, "approve_change", {"granted_amount": "650000", "comment": "了承"}
        )
        assert response.status_code == 302
        requested.refresh_from_db()
        assert requested.state == State.APPROVED
        assert (requested.requested_amount, requested.granted_amount) == (700_000, 650_000)
        assert requested.versions.get(status=VersionStatus.CURRENT).number == 2

    def test_refusing_needs_a_reason(self, client, requested):
        response = post(client, requested, "refuse_change", {"comment": ""})
        assert_refused(response, requested, State.CHANGE_REQUESTED)
        assert "Say why the change is refused." in field_error(response, "comment")

    def test_refuses_the_change(self, client, requested):
        response = post(client, requested, "refuse_change", {"comment": "予算の範囲外です。"})
        assert response.status_code == 302
        requested.refresh_from_db()
        assert requested.state == State.APPROVED
        assert requested.granted_amount == 600_000
        assert ApplicationVersion.objects.get(application=requested, number=2).status == (
            VersionStatus.REFUSED
        )


class TestReport:
    @pytest.fixture
    def reported(self, client, year, staff):
        client.force_login(staff.officer)
        return application_in(State.REPORTED, year, staff=staff)[0]

    def test_return_report_has_a_box_per_part_and_needs_one(self, client, reported):
        response = client.get(act_url(reported, "return_report"))
        assert list(response.context["form"].fields) == [
            "report",
            "report_budget",
            "receipts",
            "comment",
        ]
        response = post(client, reported, "return_report", {"comment": "確認を"})
        assert_refused(response, reported, State.REPORTED)
        assert response.context["form"].non_field_errors()

    def test_returns_the_report(self, client, reported):
        response = post(client, reported, "return_report", {"receipts": "領収書が不鮮明です。"})
        assert response.status_code == 302
        reported.refresh_from_db()
        assert reported.state == State.REPORT_RETURNED
        assert reported.events.latest("pk").reasons == {"receipts": "領収書が不鮮明です。"}

    def test_accepts_the_report(self, client, reported):
        response = post(client, reported, "accept_report", {"comment": ""})
        assert response.status_code == 302
        reported.refresh_from_db()
        assert reported.state == State.REPORT_ACCEPTED


class TestSettle:
    @pytest.fixture
    def accepted(self, client, year, staff):
        client.force_login(staff.approver)
        return application_in(State.REPORT_ACCEPTED, year, staff=staff)[0]

    def test_the_page_shows_the_figures(self, client, year, accepted):
        # The year now says 消耗品費 is not eligible: nothing is confirmed, all is returned.
        year.expense_categories.filter(name="消耗品費").update(eligible=False)
        response = client.get(act_url(accepted, "settle"))
        figures = response.context["facts"]["figures"]
        assert (figures["confirmed"], figures["refund"]) == (0, 600_000)
        assert "600,000" in text_of(response)

    def test_bad_date(self, client, accepted):
        response = post(client, accepted, "settle", {"settled_on": "2026/13/01", "comment": "x"})
        assert_refused(response, accepted, State.REPORT_ACCEPTED)
        assert field_error(response, "settled_on")
        assert 'value="2026/13/01"' in text_of(response)

    def test_settles(self, client, accepted):
        response = post(
            client, accepted, "settle", {"settled_on": timezone.localdate().isoformat()}
        )
        assert response.status_code == 302
        accepted.refresh_from_db()
        assert accepted.state == State.SETTLED
        assert accepted.confirmed_amount == 600_000


class TestCancel:
    @pytest.fixture
    def paid(self, client, year, staff):
        client.force_login(staff.approver)
        return partly_paid(State.PAID, year, staff)

    def data(self, **changes):
        return {
            "return_amount": "300,000",
            "cancelled_on": timezone.localdate().isoformat(),
            "comment": "目的外の支出がありました。",
            **changes,
        }

    def test_prefills_what_was_paid(self, client, paid):
        response = client.get(act_url(paid, "cancel"))
        assert 'name="return_amount" value="300000"' in text_of(response)

    def test_cannot_return_more_than_was_paid(self, client, paid):
        response = post(client, paid, "cancel", self.data(return_amount="300,001"))
        assert_refused(response, paid, State.PAID)
        assert "300,000" in field_error(response, "return_amount")

    def test_needs_a_reason(self, client, paid):
        response = post(client, paid, "cancel", self.data(comment=""))
        assert_refused(response, paid, State.PAID)
        assert field_error(response, "comment")

    def test_cancels(self, client, paid):
        response = post(client, paid, "cancel", self.data())
        assert response.status_code == 302
        paid.refresh_from_db()
        assert paid.state == State.CANCELLED
        assert paid.refund_amount == 300_000

    def test_officers_may_not_cancel(self, client, paid, staff):
        client.force_login(staff.officer)
        response = post(client, paid, "cancel", self.data())
        assert response.status_code == 302
        paid.refresh_from_db()
        assert paid.state == State.PAID


# The year -------------------------------------------------------------------------------------


class TestYearOverview:
    def test_one_row_per_allocated_district_with_its_application_and_totals(
        self, client, year, staff
    ):
        paid = partly_paid(State.PAID, year, staff)
        submitted = application_in(State.SUBMITTED, year, staff=staff, grant=500_000)[0]
        cancelled = application_in(State.CANCELLED, year, staff=staff)[0]
        draft, _coordinator = complete_draft(year)
        empty_council, _ = make_applicant(year, allocation=300_000)
        client.force_login(staff.officer)
        response = client.get(year_url(year.fiscal_year))
        overview = response.context["overview"]
        rows = {row.district_id: row for row in overview.rows}
        assert len(rows) == 5
        assert rows[paid.council.district_id].application_pk == paid.pk
        assert rows[paid.council.district_id].paid == 300_000
        assert rows[submitted.council.district_id].requested == 500_000
        assert rows[submitted.council.district_id].granted is None
        assert rows[cancelled.council.district_id].granted is None  # no longer in force
        assert rows[cancelled.council.district_id].refunded == 600_000
        assert rows[draft.council.district_id].application_pk is None  # the council's own
        assert rows[empty_council.district_id].application_pk is None
        assert overview.totals == {
            "allocated": 4 * 1_000_000 + 300_000,
            "requested": 600_000 + 500_000 + 600_000,
            "granted": 600_000,
            "paid": 300_000 + 600_000,
            "confirmed": 0,
            "refunded": 600_000,
            "applications": 3,
        }
        assert overview.budget_left == year.budget - 600_000
        text = text_of(response)
        assert reverse("grants:review_year_xlsx", args=[year.fiscal_year]) in text
        assert "4,300,000" in text

    def test_liaison_sees_their_districts_only(self, client, year, staff):
        mine = application_in(State.SUBMITTED, year, staff=staff)[0]
        application_in(State.SUBMITTED, year, staff=staff)
        client.force_login(StaffUserFactory.liaison(mine.council.district))
        overview = client.get(year_url(year.fiscal_year)).context["overview"]
        assert [row.district_id for row in overview.rows] == [mine.council.district_id]
        assert overview.totals["requested"] == 600_000

    def test_a_year_without_a_program_is_404(self, client, year, staff):
        client.force_login(staff.officer)
        assert client.get(year_url(year.fiscal_year + 5)).status_code == 404
        xlsx = reverse("grants:review_year_xlsx", args=[year.fiscal_year + 5])
        assert client.get(xlsx).status_code == 404

    def test_query_count_does_not_grow_with_data(
        self, client, year, staff, django_assert_num_queries
    ):
        application_in(State.PAID, year, staff=staff)
        client.force_login(staff.officer)
        with django_assert_num_queries(6):
            client.get(year_url(year.fiscal_year))
        for state in [State.SUBMITTED] * 4 + [State.PAID] * 3 + [State.SETTLED] * 2:
            application_in(state, year, staff=staff)
        with django_assert_num_queries(6):
            response = client.get(year_url(year.fiscal_year))
        assert len(response.context["overview"].rows) == 10
