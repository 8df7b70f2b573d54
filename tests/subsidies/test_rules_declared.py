"""A check declared once in subsidies/rules.py reaches every place that applies or shows it.

A new rule, say "one expense category may take at most a share of the budget", is one more entry
in a tuple of rules.py: the service refuses with its message, the coordinator's check page lists
it before submitting, and the staff's review checklist shows its label as needing attention. The
rule below lives only in this test; the product has no such cap.
"""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from subsidies import rules
from subsidies.models import PaymentKind, Side, State
from subsidies.services import applications as edits
from subsidies.services import decisions
from tests.subsidies.factories import application_in

pytestmark = pytest.mark.django_db

CAPPED = "消耗品費"
CAP_PERCENT = 40
CAP_LABEL = "No expense category takes more than its share of the budget"


def cap_problems(filing) -> list[str]:
    """消耗品費 at most 40% of the expenses (the test budgets give it 50% and 100%)."""
    expenses = [line for line in filing.lines if line.side == Side.EXPENSE]
    total = sum(line.amount for line in expenses)
    capped = sum(line.amount for line in expenses if line.category.name == CAPPED)
    if capped * 100 <= total * CAP_PERCENT:
        return []
    return [f"{CAPPED} takes {capped * 100 // total}% of the expenses, more than {CAP_PERCENT}%."]


CATEGORY_CAP = rules.Check("category_cap", CAP_LABEL, cap_problems)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_of(response) -> str:
    return response.content.decode()


def review_page(client, application, staff):
    client.force_login(staff.officer)
    return client.get(reverse("grants:review_application", args=[application.pk]))


def check_page(client, application, coordinator) -> str:
    client.force_login(coordinator)
    return text_of(client.get(f"/grants/applications/{application.pk}/check/"))


def refusal(action) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        action()
    return caught.value.messages


def outcome(checklist, label):
    found = [item for item in checklist if item.label == label]
    assert len(found) == 1, [item.label for item in checklist]
    return found[0]


# The application and the change request --------------------------------------------------------


def test_a_check_added_to_the_application_tuple_refuses_lists_and_shows(monkeypatch, english):
    # Returned for correction: the council may submit again, the staff may read it.
    application, coordinator, staff = application_in(State.RETURNED)
    assert "Everything needed is there." in check_page(english, application, coordinator)
    assert CAP_LABEL not in text_of(review_page(english, application, staff))

    monkeypatch.setattr(rules, "APPLICATION_CHECKS", (*rules.APPLICATION_CHECKS, CATEGORY_CAP))
    message = "消耗品費 takes 50% of the expenses, more than 40%."

    # (1) The service refuses with the check's message.
    assert refusal(lambda: decisions.submit(application=application, by=coordinator)) == [message]
    application.refresh_from_db()
    assert application.state == State.RETURNED

    # (2) The review checklist lists the label as needing attention, with the message.
    response = review_page(english, application, staff)
    cap = outcome(response.context["detail"].checklist, CAP_LABEL)
    assert (cap.passed, cap.details) == (False, [message])
    assert CAP_LABEL in text_of(response) and message in text_of(response)

    # (3) The coordinator's check page lists the problem before submitting.
    page = check_page(english, application, coordinator)
    assert "Before you can submit" in page and message in page
    assert "Everything needed is there." not in page


def test_a_change_request_is_refused_by_the_same_tuple(monkeypatch):
    application, coordinator, _staff = application_in(State.APPROVED)
    edits.start_change(application=application, by=coordinator, reason="講師の追加")
    monkeypatch.setattr(rules, "APPLICATION_CHECKS", (*rules.APPLICATION_CHECKS, CATEGORY_CAP))
    problems = refusal(lambda: decisions.request_change(application=application, by=coordinator))
    assert problems == ["消耗品費 takes 50% of the expenses, more than 40%."]


def test_advice_draws_the_reviewers_eye_but_refuses_nothing(monkeypatch, english):
    application, coordinator, staff = application_in(State.RETURNED)
    advice = "Compare the supplies with last year's."
    monkeypatch.setattr(
        rules,
        "APPLICATION_CHECKS",
        (
            *rules.APPLICATION_CHECKS,
            rules.Check("advised", "A reviewer looks at this", advice=lambda _filing: [advice]),
        ),
    )

    assert "Everything needed is there." in check_page(english, application, coordinator)
    advised = outcome(
        review_page(english, application, staff).context["detail"].checklist,
        "A reviewer looks at this",
    )
    assert (advised.passed, advised.problems, advised.details) == (False, [], [advice])
    decisions.submit(application=application, by=coordinator)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_every_declared_application_check_is_on_the_checklist(english):
    application, _coordinator, staff = application_in(State.SUBMITTED)
    checklist = review_page(english, application, staff).context["detail"].checklist
    assert [item.key for item in checklist] == [
        "purpose",
        "plan",
        "balance",
        "categories",
        "request",
        "minutes",
        "window",
    ]
    assert all(item.passed for item in checklist)


# The report ------------------------------------------------------------------------------------


def test_a_check_added_to_the_report_tuple_refuses_and_shows(monkeypatch, english):
    # Returned report: filed once (the staff read it), and the council may submit it again.
    application, coordinator, staff = application_in(State.REPORT_RETURNED)
    report = review_page(english, application, staff).context["detail"].report
    assert all(item.passed for item in report.checklist)

    monkeypatch.setattr(rules, "REPORT_CHECKS", (*rules.REPORT_CHECKS, CATEGORY_CAP))
    message = "消耗品費 takes 100% of the expenses, more than 40%."

    assert refusal(lambda: decisions.submit_report(application=application, by=coordinator)) == [
        message
    ]
    application.refresh_from_db()
    assert application.state == State.REPORT_RETURNED

    response = review_page(english, application, staff)
    cap = outcome(response.context["detail"].report.checklist, CAP_LABEL)
    assert (cap.passed, cap.details) == (False, [message])
    assert message in text_of(response)


# Payments: a field-keyed check stands beside its field -----------------------------------------


def test_a_check_added_to_the_payment_tuple_refuses_beside_its_field(monkeypatch):
    application, _coordinator, staff = application_in(State.APPROVED)
    limit = "Pay at most ¥100,000 at a time."
    monkeypatch.setattr(
        rules,
        "PAYMENT_CHECKS",
        (
            *rules.PAYMENT_CHECKS,
            rules.Check(
                "instalments",
                "Paid in instalments",
                lambda entry: [limit] if entry.amount > 100_000 else [],
                field="amount",
            ),
        ),
    )

    def pay(amount):
        return decisions.record_payment(
            application=application,
            by=staff.officer,
            kind=PaymentKind.ADVANCE,
            amount=amount,
            paid_on=timezone.localdate(),
        )

    with pytest.raises(ValidationError) as caught:
        pay(200_000)
    assert caught.value.message_dict == {"amount": [limit]}
    # A field shows the first problem its checks find: the advance ratio, declared before it.
    with pytest.raises(ValidationError) as caught:
        pay(300_001)
    (ratio,) = caught.value.message_dict["amount"]
    assert ratio != limit and rules.yen(300_000) in ratio
    pay(100_000)
    assert application.payments.get().amount == 100_000
