"""The application reads the same to the council, to the grant staff and on the print page:
one read model (selectors/application.py) and one declaration of its parts and documents
(parts.py)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from subsidies.models import ReportIndicator, State
from subsidies.parts import (
    APPLICATION_PARTS,
    DOCUMENTS,
    PART_LABELS,
    REPORT_PARTS,
    REPORT_STEP_LABELS,
    STEP_LABELS,
    STEPS,
    parts_of_step,
)
from subsidies.services import applications as edits
from subsidies.services import decisions
from tests.subsidies.factories import GrantYearFactory, Staff, application_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return GrantYearFactory()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def council_page(client, application):
    return client.get(reverse("grants:application_detail", args=[application.pk]))


def review_page(client, application):
    return client.get(reverse("grants:review_application", args=[application.pk]))


def print_url(application, slug):
    return reverse("grants:print", args=[application.pk, slug])


# The declaration -----------------------------------------------------------------------------


def test_the_steps_and_the_return_forms_read_the_same_parts():
    assert list(APPLICATION_PARTS) == ["basics", "plan", "budget", "attachments"]
    assert list(REPORT_PARTS) == ["report", "report_budget", "receipts"]
    assert STEPS["application"] == (*APPLICATION_PARTS, "check")
    assert STEPS["change"] == ("basics", "plan", "budget", "check")
    for slug, label in APPLICATION_PARTS.items():
        assert STEP_LABELS[slug] is label
    # Every report part is corrected on one of the report's steps.
    assert set().union(*(parts_of_step(step) for step in REPORT_STEP_LABELS)) == set(REPORT_PARTS)
    assert set(PART_LABELS) == {*APPLICATION_PARTS, *REPORT_PARTS}


# One rule for the printed documents -----------------------------------------------------------


def test_a_grant_cancelled_after_settlement_lists_only_the_documents_that_print(client, year):
    """The council's page, the review page and the print page follow one rule: a cancelled
    grant has no confirmed amount in force, so no settlement notice is offered or printed."""
    staff = Staff()
    application, coordinator, staff = application_in(State.SETTLED, year, staff=staff)
    decisions.cancel(
        application=application,
        by=staff.approver,
        return_amount=0,
        cancelled_on=timezone.localdate(),
        comment="補助事業の中止",
    )
    application.refresh_from_db()
    assert application.settled_on is not None  # the earlier settlement stays recorded
    listed = ["application", "decision", "report"]

    client.force_login(coordinator)
    council = council_page(client, application)
    assert [item["url"] for item in council.context["prints"]] == [
        print_url(application, slug) for slug in listed
    ]
    client.force_login(staff.officer)
    review = review_page(client, application)
    assert [slug for slug, _title in review.context["detail"].print_documents] == listed
    for user in (coordinator, staff.officer):
        client.force_login(user)
        for slug in listed:
            assert client.get(print_url(application, slug)).status_code == 200
        assert client.get(print_url(application, "settlement")).status_code == 404


def test_both_pages_title_the_documents_alike(client, year):
    application, coordinator, staff = application_in(State.SETTLED, year)
    english(client)
    client.force_login(coordinator)
    council = [item["label"] for item in council_page(client, application).context["prints"]]
    client.force_login(staff.officer)
    review = [
        title for _slug, title in review_page(client, application).context["detail"].print_documents
    ]
    assert council == review == [str(document.title) for document in DOCUMENTS]


def test_the_council_prints_its_draft_marked_as_such(client, year):
    application, coordinator, _staff = application_in(State.DRAFT, year)
    english(client)
    client.force_login(coordinator)
    prints = council_page(client, application).context["prints"]
    assert prints == [
        {
            "url": print_url(application, "application"),
            "label": "Application (様式第1号), draft (下書き)",
        }
    ]


# One history and one set of part labels --------------------------------------------------------


def test_the_history_reads_the_same_to_the_council_and_the_staff(client, year):
    application, coordinator, staff = application_in(State.RETURNED, year)
    english(client)
    client.force_login(coordinator)
    council = council_page(client, application).context["detail"].history
    client.force_login(staff.officer)
    review = review_page(client, application).context["detail"].events
    assert [entry.label for entry in council] == [entry.label for entry in review]
    assert [entry.label for entry in review][-2:] == ["Submitted", "Returned for correction"]
    assert (
        review[-1].reasons
        == council[-1].reasons
        == [("Budget", "見積書の金額と合わせてください。")]
    )


def test_a_return_names_each_part_as_the_councils_steps_do(client, year):
    application, coordinator, staff = application_in(State.SUBMITTED, year)
    decisions.return_for_correction(
        application=application, by=staff.officer, reasons={"basics": "住所を確認してください。"}
    )
    english(client)
    client.force_login(staff.officer)
    [returned] = [
        entry
        for entry in review_page(client, application).context["detail"].events
        if entry.event.action == "return"
    ]
    assert returned.reasons == [("Basic information", "住所を確認してください。")]
    client.force_login(coordinator)
    corrections = council_page(client, application).context["corrections"]
    assert corrections == [
        {
            "label": "Basic information",
            "text": "住所を確認してください。",
            "url": reverse("grants:application_step", args=[application.pk, "basics"]),
        }
    ]


# One partial for the same tables ----------------------------------------------------------------


def table(page: str, caption_id: str) -> str:
    """The table whose caption has this id, with the id's page-specific key taken out."""
    start = page.index(f'aria-labelledby="{caption_id}"')
    return page[start : page.index("</table>", start)].replace(caption_id, "caption")


def test_the_council_and_the_staff_read_plan_budget_and_history_in_the_same_tables(client, year):
    application, coordinator, staff = application_in(State.SUBMITTED, year)
    # After filing, the year marks a category ineligible: both see it flagged in the budget.
    year.expense_categories.filter(name="消耗品費").update(eligible=False, note="対象外です")
    version = application.versions.get().number
    client.force_login(coordinator)
    council = council_page(client, application).content.decode()
    client.force_login(staff.officer)
    review = review_page(client, application).content.decode()
    for name in ("plan", "income", "expense"):
        assert table(council, f"{name}-caption-{version}") == table(
            review, f"{name}-caption-current"
        )
    assert "対象外です" in table(review, "expense-caption-current")
    assert table(council, "history-caption") == table(review, "history-caption")
    with translation.override("ja"):
        moved = f"{State.DRAFT.label} → {State.SUBMITTED.label}"
    assert moved in table(council, "history-caption")


def test_the_council_and_the_staff_read_the_indicator_results_in_the_same_table(client, year):
    application, coordinator, staff = application_in(State.REPORTED, year)
    [indicator] = edits.reportable_indicators(application)
    ReportIndicator.objects.create(
        report=application.report, indicator=indicator, actual_value=120, note="参加者数"
    )
    client.force_login(coordinator)
    council = council_page(client, application).content.decode()
    client.force_login(staff.officer)
    review = review_page(client, application).content.decode()
    shown = table(council, "indicators-caption")
    assert shown == table(review, "indicators-caption")
    assert indicator.name in shown and indicator.initiative.title in shown and "参加者数" in shown


def test_the_pages_with_several_versions_give_each_table_its_own_id(client, year):
    """Each shared table's caption id is keyed by its version, so the labels stay unique."""
    application, coordinator, staff = application_in(State.APPROVED, year)
    edits.start_change(application=application, by=coordinator, reason="講師の追加")
    decisions.request_change(application=application, by=coordinator)
    pages = []
    for user, page in ((coordinator, council_page), (staff.approver, review_page)):
        client.force_login(user)
        pages.append(page(client, application).content.decode())
    for text in pages:
        ids = re.findall(r' id="([^"]+)"', text)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        assert text.count('id="plan-caption-') == 2
