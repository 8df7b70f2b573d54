"""E-mail after each move: to whoever acts next, after the commit, never on a rollback."""

import logging
import smtplib

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends import locmem
from django.db import transaction
from django.utils import timezone, translation

from core import roles
from subsidies.models import Application, AttachmentKind, PaymentKind, State
from subsidies.services import applications as edits
from subsidies.services import decisions
from tests.factories import StaffUserFactory, SuperUserFactory, UserFactory
from tests.subsidies.factories import (
    Staff,
    application_in,
    make_applicant,
    pdf_file,
    report_lines,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://kyodo.example.jp"
    settings.MEDIA_ROOT = tmp_path


class Cast:
    """Everyone who might be written to, and those who never are."""

    def __init__(self, state: State):
        self.staff = Staff()
        self.application, self.coordinator, _ = application_in(state, staff=self.staff)
        council = self.application.council
        self.coordinator_2 = UserFactory(groups=[roles.COORDINATORS])
        self.officer_2 = StaffUserFactory.grant_officer()
        self.approver_2 = StaffUserFactory.grant_approver()
        self.both = StaffUserFactory(groups=[roles.GRANT_OFFICERS, roles.GRANT_APPROVERS])
        # Never written to:
        without_email = UserFactory(groups=[roles.COORDINATORS], email="")
        inactive = UserFactory(groups=[roles.COORDINATORS], is_active=False)
        linked_without_role = UserFactory()
        council.coordinators.add(self.coordinator_2, without_email, inactive, linked_without_role)
        StaffUserFactory.grant_officer(email="")
        StaffUserFactory.grant_officer(is_active=False)
        StaffUserFactory.grant_approver(is_active=False)
        StaffUserFactory.liaison(council.district)
        SuperUserFactory()
        make_applicant(self.application.program_year)  # another council's coordinator

    @property
    def coordinators(self):
        return {self.coordinator, self.coordinator_2}

    @property
    def officers(self):
        return {self.staff.officer, self.officer_2, self.both}

    @property
    def approvers(self):
        return {self.staff.approver, self.approver_2, self.both}


def addresses(users) -> list[str]:
    return sorted(user.email for user in users)


def sent_to() -> list[str]:
    for message in mail.outbox:
        assert len(message.to) == 1, "one message per person, so no one sees the others"
    return sorted(message.to[0] for message in mail.outbox)


def run(django_capture_on_commit_callbacks, action):
    """Take the action in a transaction that commits; nothing goes out before the commit."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        action()
        assert mail.outbox == []
    assert len(callbacks) == 1


def today():
    return timezone.localdate()


# (state to start from, what is done, who should hear of it)
CASES = {
    "submit": (
        State.DRAFT,
        lambda c: decisions.submit(application=c.application, by=c.coordinator),
        lambda c: c.officers,
    ),
    "return": (
        State.SUBMITTED,
        lambda c: decisions.return_for_correction(
            application=c.application,
            by=c.staff.officer,
            reasons={"budget": "見積書の金額と合わせてください。"},
        ),
        lambda c: c.coordinators,
    ),
    "recommend": (
        State.SUBMITTED,
        lambda c: decisions.recommend(application=c.application, by=c.both),
        lambda c: c.approvers - {c.both},
    ),
    "approve": (
        State.RECOMMENDED,
        lambda c: decisions.approve(
            application=c.application,
            by=c.staff.approver,
            granted_amount=600_000,
            decision_number="み協第77号",
            decided_on=today(),
        ),
        lambda c: c.coordinators | c.officers,
    ),
    "reject": (
        State.RECOMMENDED,
        lambda c: decisions.reject(
            application=c.application, by=c.staff.approver, comment="対象外の事業です。"
        ),
        lambda c: c.coordinators,
    ),
    "pay": (
        State.APPROVED,
        lambda c: decisions.record_payment(
            application=c.application,
            by=c.staff.officer,
            kind=PaymentKind.FULL,
            amount=600_000,
            paid_on=today(),
        ),
        # The council hears of the money; the other officers of the payment (not the actor).
        lambda c: c.coordinators | c.officers - {c.staff.officer},
    ),
    "report": (
        State.PAID,
        lambda c: _report(c),
        lambda c: c.officers,
    ),
    "return_report": (
        State.REPORTED,
        lambda c: decisions.return_report(
            application=c.application, by=c.staff.officer, reasons={"receipts": "日付を確認"}
        ),
        lambda c: c.coordinators,
    ),
    "accept_report": (
        State.REPORTED,
        lambda c: decisions.accept_report(application=c.application, by=c.staff.officer),
        lambda c: c.approvers,
    ),
    "settle": (
        State.REPORT_ACCEPTED,
        lambda c: decisions.settle(
            application=c.application, by=c.staff.approver, settled_on=today()
        ),
        lambda c: c.coordinators,
    ),
    "withdraw": (
        State.RETURNED,
        lambda c: decisions.withdraw(application=c.application, by=c.coordinator),
        lambda c: c.officers,
    ),
    "cancel": (
        State.PAID,
        lambda c: decisions.cancel(
            application=c.application,
            by=c.staff.approver,
            return_amount=600_000,
            cancelled_on=today(),
            comment="目的外の支出がありました。",
        ),
        lambda c: c.coordinators | c.officers,
    ),
}


def _report(c: Cast):
    edits.save_report(
        application=c.application,
        by=c.coordinator,
        summary="防災訓練を実施しました。",
        outcomes="",
        lines=report_lines(c.application.program_year),
        indicators=[],
    )
    edits.add_attachment(
        application=c.application,
        by=c.coordinator,
        kind=AttachmentKind.RECEIPT,
        title="領収書",
        file=pdf_file(),
        for_report=True,
    )
    decisions.submit_report(application=c.application, by=c.coordinator)


@pytest.mark.parametrize("move", list(CASES))
def test_each_move_mails_whoever_it_concerns_after_the_commit(
    django_capture_on_commit_callbacks, move
):
    state, action, expected = CASES[move]
    cast = Cast(state)
    run(django_capture_on_commit_callbacks, lambda: action(cast))
    assert sent_to() == addresses(expected(cast))


def test_the_message_names_the_council_the_state_and_links_to_the_right_page(
    django_capture_on_commit_callbacks,
):
    cast = Cast(State.RECOMMENDED)
    application = cast.application
    run(
        django_capture_on_commit_callbacks,
        lambda: decisions.approve(
            application=application,
            by=cast.staff.approver,
            granted_amount=600_000,
            decision_number="み協第8号",
            decided_on=today(),
        ),
    )
    with translation.override(django_settings.LANGUAGE_CODE):
        label = str(State.APPROVED.label)
    by_address = {message.to[0]: message for message in mail.outbox}
    council_page = f"https://kyodo.example.jp/grants/applications/{application.pk}/"
    review_page = f"https://kyodo.example.jp/grants/review/{application.pk}/"
    for user in cast.coordinators:
        message = by_address[user.email]
        assert application.council.name in message.subject
        assert label in message.subject
        assert application.council.name in message.body
        assert label in message.body
        assert council_page in message.body
        assert review_page not in message.body
    for user in cast.officers:
        assert review_page in by_address[user.email].body
        assert council_page not in by_address[user.email].body
    assert by_address[cast.coordinator.email].from_email == django_settings.DEFAULT_FROM_EMAIL


def test_the_reasons_for_a_return_are_in_the_message(django_capture_on_commit_callbacks):
    cast = Cast(State.SUBMITTED)
    run(
        django_capture_on_commit_callbacks,
        lambda: decisions.return_for_correction(
            application=cast.application,
            by=cast.staff.officer,
            reasons={
                "budget": "見積書の金額と合わせてください。",
                "plan": "日程を書いてください。",
            },
            comment="よろしくお願いします。",
        ),
    )
    body = mail.outbox[0].body
    assert "見積書の金額と合わせてください。" in body
    assert "日程を書いてください。" in body
    assert "よろしくお願いします。" in body


def test_a_change_request_goes_to_every_approver_even_the_recommender(
    django_capture_on_commit_callbacks,
):
    """Four eyes is about the decision of the application; a change is decided by any approver."""
    cast = Cast(State.APPROVED)
    Application.objects.filter(pk=cast.application.pk).update(recommended_by=cast.both)
    edits.start_change(application=cast.application, by=cast.coordinator, reason="講師を追加")
    run(
        django_capture_on_commit_callbacks,
        lambda: decisions.request_change(application=cast.application, by=cast.coordinator),
    )
    assert sent_to() == addresses(cast.approvers)


def test_withdrawing_a_draft_the_city_never_saw_mails_nobody(django_capture_on_commit_callbacks):
    cast = Cast(State.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.withdraw(application=cast.application, by=cast.coordinator)
    assert mail.outbox == []


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    cast = Cast(State.DRAFT)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        decisions.submit(application=cast.application, by=cast.coordinator)
        raise RuntimeError("the request failed after the service call")
    assert callbacks == []
    assert mail.outbox == []
    cast.application.refresh_from_db()
    assert cast.application.state == State.DRAFT
    assert not cast.application.events.filter(action="submit").exists()


def test_a_refused_action_sends_nothing(django_capture_on_commit_callbacks):
    cast = Cast(State.RECOMMENDED)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        decisions.approve(
            application=cast.application,
            by=cast.staff.approver,
            granted_amount=600_001,
            decision_number="み協第9号",
            decided_on=today(),
        )
    assert callbacks == []
    assert mail.outbox == []


def test_a_mail_server_that_fails_does_not_undo_the_move(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", broken)
    cast = Cast(State.DRAFT)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        decisions.submit(application=cast.application, by=cast.coordinator)
    cast.application.refresh_from_db()
    assert cast.application.state == State.SUBMITTED
    assert "connection lost" in caplog.text
