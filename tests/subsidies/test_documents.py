"""The printable official documents and the attachment downloads: who may open them, and when."""

import datetime as dt

import pytest
from django.utils import timezone

from core import roles
from core.dates import format_short_date, format_wareki_date
from subsidies.models import (
    Application,
    AttachmentKind,
    BudgetLine,
    Payment,
    PaymentKind,
    PlanRow,
    Side,
    State,
    VersionStatus,
)
from subsidies.services import decisions
from tests.factories import CouncilFactory, StaffUserFactory, UserFactory
from tests.subsidies.factories import (
    PDF_BYTES,
    GrantYearFactory,
    Staff,
    application_in,
    category,
    complete_draft,
    pdf_file,
)

pytestmark = pytest.mark.django_db

DOCUMENT_STATES = {
    "application": State.SUBMITTED,
    "decision": State.APPROVED,
    "report": State.REPORTED,
    "settlement": State.SETTLED,
}
# The latest state in which each document does not exist yet.
TOO_EARLY = {
    "application": State.DRAFT,
    "decision": State.RECOMMENDED,
    "report": State.PAID,
    "settlement": State.REPORT_ACCEPTED,
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def year():
    return GrantYearFactory()


@pytest.fixture
def staff():
    return Staff()


def text_of(response) -> str:
    return response.content.decode()


def url(application: Application, document: str) -> str:
    return f"/grants/documents/{application.pk}/{document}/"


def other_coordinator():
    council = CouncilFactory(established=True)
    user = UserFactory(groups=[roles.COORDINATORS])
    council.coordinators.add(user)
    return user


# Who may open the documents ------------------------------------------------------------------


@pytest.mark.parametrize("document", list(DOCUMENT_STATES))
def test_every_document_opens_for_the_council_and_for_staff(client, year, staff, document):
    application, coordinator, staff = application_in(DOCUMENT_STATES[document], year, staff=staff)
    liaison = StaffUserFactory.liaison(application.council.district)
    for user in (coordinator, staff.officer, staff.approver, liaison):
        client.force_login(user)
        response = client.get(url(application, document))
        assert response.status_code == 200, user
        assert 'lang="ja"' in text_of(response)
        assert "css/print.css" in text_of(response) and "js/print.js" in text_of(response)
        assert "data-print" in text_of(response)
        assert "<script>" not in text_of(response)  # the CSP forbids inline script


@pytest.mark.parametrize("document", list(DOCUMENT_STATES))
def test_every_document_is_404_outside_the_scope(client, year, staff, document):
    application, _, _ = application_in(DOCUMENT_STATES[document], year, staff=staff)
    signed_out = client.get(url(application, document))
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out["Location"]
    for user in (
        other_coordinator(),
        StaffUserFactory.liaison(CouncilFactory().district),
        StaffUserFactory(),  # staff without a role
        UserFactory(),  # signed in without a role
    ):
        client.force_login(user)
        assert client.get(url(application, document)).status_code == 404, user


@pytest.mark.parametrize("document", list(TOO_EARLY))
def test_a_document_is_404_before_the_state_allows_it(client, year, staff, document):
    application, coordinator, staff = application_in(TOO_EARLY[document], year, staff=staff)
    # The council prints its draft application, marked 下書き (see below); the city never sees it.
    users = (staff.officer,) if document == "application" else (coordinator, staff.officer)
    for user in users:
        client.force_login(user)
        assert client.get(url(application, document)).status_code == 404


def test_unknown_document_and_application_are_404(client, year, staff):
    application, coordinator, _ = application_in(State.SETTLED, year, staff=staff)
    client.force_login(coordinator)
    assert client.get(url(application, "receipt")).status_code == 404
    assert client.get(f"/grants/documents/{application.pk + 100}/application/").status_code == 404


def test_documents_are_only_read(client, year, staff):
    application, coordinator, _ = application_in(State.SUBMITTED, year, staff=staff)
    client.force_login(coordinator)
    assert client.post(url(application, "application")).status_code == 405


def test_the_page_links_the_documents_the_state_allows(client, year, staff):
    application, coordinator, _ = application_in(State.APPROVED, year, staff=staff)
    client.force_login(coordinator)
    text = text_of(client.get(url(application, "decision")))
    assert f'href="{url(application, "application")}"' in text
    assert f'href="{url(application, "decision")}" aria-current="page"' in text
    assert url(application, "report") not in text
    assert url(application, "settlement") not in text


# What each document says ---------------------------------------------------------------------


def test_application_with_business_plan_and_budget(client, year, staff):
    application, coordinator, _ = application_in(State.SUBMITTED, year, staff=staff)
    client.force_login(coordinator)
    response = client.get(url(application, "application"))
    text = text_of(response)
    filed_on = timezone.localdate(application.submitted_at)
    for expected in (
        format_wareki_date(filed_on),
        "みどり野市",
        application.council.name,
        "会長　山田 一郎",
        "みどり野市桜台1-2-3",
        "600,000",  # requested
        "防災と見守りを中心に、地域の担い手を育てます。",
        "令和8年度 総会議事録",
        "地区防災訓練",
        "9月 第1日曜日",
        "避難経路の確認と参加者の増加",
        "防災用品",
        "消耗品費",
        "350,000",
        "700,000",  # both totals
        "佐藤 花子",
        "0123-45-6789",
    ):
        assert expected in text, expected
    attachment = application.attachments.get()
    assert f'href="/grants/documents/{application.pk}/attachments/{attachment.pk}/"' in text
    assert text.count('class="sheet"') == 3  # the form, 事業計画書 and 収支予算書
    assert response.context["document"].totals.balanced
    # As filed and in force: no mark.
    assert "sheet--marked" not in text and "sheet__mark" not in text
    assert "下書き" not in text and "控え" not in text


def test_application_shows_the_current_version(client, year, staff):
    application, coordinator, staff = application_in(State.CHANGE_REQUESTED, year, staff=staff)
    proposed = application.versions.get(status=VersionStatus.PROPOSED)
    PlanRow.objects.filter(version=proposed).update(activity="変更後の事業")
    client.force_login(coordinator)
    text = text_of(client.get(url(application, "application")))
    assert "地区防災訓練" in text
    assert "変更後の事業" not in text


def test_decision_notice(client, year, staff):
    application, coordinator, staff = application_in(
        State.APPROVED, year, staff=staff, grant=600_000, granted=550_000
    )
    Application.objects.filter(pk=application.pk).update(
        decision_conditions="事業完了後30日以内に実績報告書を提出すること。"
    )
    client.force_login(staff.officer)
    text = text_of(client.get(url(application, "decision")))
    for expected in (
        application.decision_number,
        format_wareki_date(application.decided_on),
        f"{application.council.name}",
        "山田 一郎",
        "みどり野市",
        "550,000",
        "事業完了後30日以内に実績報告書を提出すること。",
        format_wareki_date(year.report_due_on),
    ):
        assert expected in text, expected


def test_report_with_statement_of_accounts(client, year, staff):
    application, coordinator, _ = application_in(State.REPORTED, year, staff=staff, spent=700_000)
    client.force_login(coordinator)
    response = client.get(url(application, "report"))
    text = text_of(response)
    spent_on = dt.date(year.fiscal_year, 4, 1) + dt.timedelta(days=60)
    for expected in (
        format_wareki_date(timezone.localdate(application.report.submitted_at)),
        application.decision_number,
        "防災訓練を実施し120人が参加。",
        "次年度は子ども向けの訓練を加える。",
        "領収書一式",
        format_short_date(spent_on),  # in the table of expenses
        "700,000",
    ):
        assert expected in text, expected
    expenses = {row.label: row for row in response.context["document"].expenses}
    assert expenses["消耗品費"].budget == 350_000
    assert expenses["消耗品費"].actual == 700_000
    assert expenses["報償費"].actual == 0
    assert text.count('class="sheet"') == 2  # the report and 収支決算書
    receipt = application.attachments.get(for_report=True)
    assert f"/attachments/{receipt.pk}/" in text
    minutes = application.attachments.get(for_report=False)
    assert f"/attachments/{minutes.pk}/" not in text


def paid_in_advance(application, amount: int) -> None:
    """Turn the full payment into an advance, so a final payment remains after settlement."""
    Payment.objects.filter(application=application).update(kind=PaymentKind.ADVANCE, amount=amount)


def test_settlement_notice_with_final_payment(client, year, staff):
    application, coordinator, staff = application_in(
        State.SETTLED, year, staff=staff, grant=600_000
    )
    paid_in_advance(application, 300_000)
    client.force_login(coordinator)
    response = client.get(url(application, "settlement"))
    text = text_of(response)
    document = response.context["document"]
    assert document.paid_before == 300_000
    assert document.final_payment == 300_000
    assert document.refund == 0
    assert format_wareki_date(application.settled_on) in text
    assert "300,000" in text and "600,000" in text


def test_settlement_notice_after_the_final_payment_is_recorded(client, year, staff):
    application, coordinator, staff = application_in(
        State.SETTLED, year, staff=staff, grant=600_000
    )
    paid_in_advance(application, 400_000)
    Payment.objects.create(
        application=application,
        kind=PaymentKind.FINAL,
        amount=200_000,
        paid_on=timezone.localdate(),
        recorded_by=staff.officer,
    )
    client.force_login(coordinator)
    document = client.get(url(application, "settlement")).context["document"]
    assert document.paid_before == 400_000 and document.final_payment == 200_000


def test_settlement_notice_with_refund_offset_or_returned(client, year, staff):
    application, coordinator, _ = application_in(State.SETTLED, year, staff=staff, grant=600_000)
    Application.objects.filter(pk=application.pk).update(
        confirmed_amount=500_000, refund_amount=100_000, refund_offset=True
    )
    client.force_login(coordinator)
    response = client.get(url(application, "settlement"))
    assert response.context["document"].refund == 100_000
    assert "100,000" in text_of(response) and "500,000" in text_of(response)
    offset_text = text_of(response)
    Application.objects.filter(pk=application.pk).update(refund_offset=False)
    returned_text = text_of(client.get(url(application, "settlement")))
    assert offset_text != returned_text  # how the refund is settled differs


# Attachments ---------------------------------------------------------------------------------


def attachment_url(application, attachment) -> str:
    return f"/grants/documents/{application.pk}/attachments/{attachment.pk}/"


def test_attachment_access_matrix(client, year, staff):
    application, coordinator, staff = application_in(State.SUBMITTED, year, staff=staff)
    attachment = application.attachments.get()
    address = attachment_url(application, attachment)
    allowed = {
        "coordinator": coordinator,
        "officer": staff.officer,
        "approver": staff.approver,
        "liaison of the district": StaffUserFactory.liaison(application.council.district),
    }
    refused = {
        "other coordinator": other_coordinator(),
        "liaison elsewhere": StaffUserFactory.liaison(CouncilFactory().district),
        "staff without role": StaffUserFactory(),
    }
    for who, user in allowed.items():
        client.force_login(user)
        response = client.get(address)
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        # A council's application, not a public record: no cache may keep it.
        assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
    for who, user in refused.items():
        client.force_login(user)
        assert client.get(address).status_code == 404, who
    client.logout()
    signed_out = client.get(address)
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out["Location"]


def test_draft_attachment_opens_for_its_council(client, year, staff):
    application, coordinator, _ = application_in(State.DRAFT, year, staff=staff)
    client.force_login(coordinator)
    response = client.get(attachment_url(application, application.attachments.get()))
    assert response.status_code == 200


def test_attachment_of_another_application_is_404(client, year, staff):
    application, coordinator, staff = application_in(State.SUBMITTED, year, staff=staff)
    other, _, _ = application_in(State.SUBMITTED, year, staff=staff)
    client.force_login(coordinator)
    assert client.get(attachment_url(application, other.attachments.get())).status_code == 404
    client.force_login(staff.officer)
    assert client.get(attachment_url(application, other.attachments.get())).status_code == 404


def test_missing_file_is_404(client, year, staff):
    application, coordinator, _ = application_in(State.SUBMITTED, year, staff=staff)
    attachment = application.attachments.get()
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(coordinator)
    assert client.get(attachment_url(application, attachment)).status_code == 404


# Query counts --------------------------------------------------------------------------------


def add_rows(application, n: int) -> None:
    """n more plan rows, budget lines and attachments (for the application and the report)."""
    version = application.versions.get(status=VersionStatus.CURRENT)
    initiative = version.plan_rows.first().initiatives.first()
    year = application.program_year
    for i in range(n):
        row = PlanRow.objects.create(
            version=version,
            order=10 + i,
            activity=f"追加事業{i}",
            schedule="通年",
            expected_effect="効果",
            cost=1000,
        )
        row.initiatives.add(initiative)
        BudgetLine.objects.create(
            version=version,
            side=Side.EXPENSE,
            category=category(year, "通信運搬費"),
            description=f"切手{i}",
            amount=1000,
        )
        for for_report in (False, True):
            application.attachments.create(
                kind=AttachmentKind.OTHER,
                title=f"資料{i}",
                file=pdf_file(),
                for_report=for_report,
                uploaded_by=application.versions.first().created_by,
            )
        if hasattr(application, "report"):
            application.report.lines.create(
                side=Side.EXPENSE,
                category=category(year, "通信運搬費"),
                description=f"切手{i}",
                amount=1000,
                spent_on=dt.date(year.fiscal_year, 5, 1),
            )


@pytest.mark.parametrize(
    ("document", "for_council", "queries"),
    [
        ("application", True, 9),
        ("application", False, 9),
        ("decision", True, 4),
        ("decision", False, 4),
        ("report", True, 7),
        ("report", False, 7),
        ("settlement", True, 5),
        ("settlement", False, 5),
    ],
)
def test_query_count_does_not_grow_with_data(
    client, year, staff, django_assert_num_queries, document, for_council, queries
):
    application, coordinator, staff = application_in(State.SETTLED, year, staff=staff)
    user = coordinator if for_council else staff.officer
    client.force_login(user)
    add_rows(application, 1)
    with django_assert_num_queries(queries):
        assert client.get(url(application, document)).status_code == 200
    add_rows(application, 9)
    with django_assert_num_queries(queries):
        response = client.get(url(application, document))
    assert response.status_code == 200


# 下書き and 控え: a print that is not the document in force says so ---------------------------


def sheets(text: str) -> list[str]:
    return text.split('<section class="sheet')[1:]


def assert_marked(text: str, label: str, note: str, title: str) -> None:
    parts = sheets(text)
    assert parts
    for sheet in parts:
        assert sheet.startswith(f' sheet--marked" data-mark="{label}"'), sheet[:80]
        assert note in sheet
    assert f"{title}（{label}）</h1>" in text
    assert f"<title>交付申請書（{label}）" in text or f"<title>実績報告書（{label}）" in text


def test_a_draft_prints_for_its_council_marked_draft(client, year, staff):
    application, coordinator = complete_draft(year)
    client.force_login(coordinator)
    response = client.get(url(application, "application"))
    assert response.status_code == 200
    text = text_of(response)
    assert_marked(
        text,
        "下書き",
        '<p class="sheet__mark sheet__mark--draft">下書き：市に提出された申請書ではありません。',
        "交付申請書",
    )
    assert "<h2" in text and "事業計画書（下書き）</h2>" in text
    assert response.context["document"].filed_on is None
    # The council's page links it as a draft.
    page = text_of(client.get(f"/grants/applications/{application.pk}/"))
    assert (
        f'<a href="{url(application, "application")}">交付申請書（様式第1号）（下書き）</a>' in page
    )


def test_a_returned_application_prints_as_a_copy(client, year, staff):
    application, coordinator, staff = application_in(State.RETURNED, year, staff=staff)
    for user in (coordinator, staff.officer):
        client.force_login(user)
        text = text_of(client.get(url(application, "application")))
        assert_marked(
            text,
            "控え",
            '<p class="sheet__mark sheet__mark--copy">控え：修正のため協議会に差し戻されました。',
            "交付申請書",
        )


def test_a_withdrawn_application_prints_as_a_copy(client, year, staff):
    application, coordinator, staff = application_in(State.RETURNED, year, staff=staff)
    decisions.withdraw(application=application, by=coordinator)
    client.force_login(staff.officer)
    text = text_of(client.get(url(application, "application")))
    assert_marked(text, "控え", "控え：協議会が取り下げた申請書です。", "交付申請書")


def test_an_earlier_version_prints_as_a_copy_and_the_current_one_unmarked(client, year, staff):
    application, coordinator, staff = application_in(State.CHANGE_REQUESTED, year, staff=staff)
    decisions.approve_change(
        application=application,
        by=staff.approver,
        granted_amount=application.granted_amount,
    )
    earlier = application.versions.get(status=VersionStatus.SUPERSEDED)
    client.force_login(staff.officer)
    review = text_of(client.get(f"/grants/review/{application.pk}/"))
    link = f"{url(application, 'application')}?version={earlier.number}"
    assert f'<a href="{link}">' in review
    for user in (coordinator, staff.officer):
        client.force_login(user)
        text = text_of(client.get(link))
        assert_marked(text, "控え", "控え：以前の版です", "交付申請書")
        current = text_of(client.get(url(application, "application")))
        assert "sheet--marked" not in current
    client.force_login(coordinator)
    council_page = text_of(client.get(f"/grants/applications/{application.pk}/"))
    assert f'<a href="{link}">' in council_page


@pytest.mark.parametrize("version", ["abc", "99", "2"])
def test_a_version_that_does_not_print_is_404(client, year, staff, version):
    # Version 2 is the proposed change: not this form.
    application, coordinator, _ = application_in(State.CHANGE_REQUESTED, year, staff=staff)
    client.force_login(coordinator)
    assert client.get(f"{url(application, 'application')}?version={version}").status_code == 404
    assert client.get(f"{url(application, 'decision')}?version=1").status_code == 404


def test_a_returned_report_prints_as_a_copy(client, year, staff):
    application, coordinator, staff = application_in(State.REPORT_RETURNED, year, staff=staff)
    client.force_login(coordinator)
    text = text_of(client.get(url(application, "report")))
    assert_marked(
        text, "控え", "控え：実績報告書は修正のため協議会に差し戻されました。", "実績報告書"
    )
    # The application itself, decided and in force, is not marked.
    assert "sheet--marked" not in text_of(client.get(url(application, "application")))


def test_the_marks_in_english(client, year, staff):
    application, coordinator = complete_draft(year)
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    text = text_of(client.get(url(application, "application")))
    assert 'data-mark="Draft"' in text
    assert "(Draft)</h1>" in text


def test_print_css_marks_every_page():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()
    assert ".sheet--marked::before" in css and "content: attr(data-mark)" in css
    assert "position: fixed" in css  # in print, the word repeats on each page
