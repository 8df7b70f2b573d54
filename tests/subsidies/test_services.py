"""The invariants of DESIGN.md section 5, each refused by the services with a clear message.

Every refusal is checked to change nothing: state, amounts, history, versions, lines, files.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.dates import fiscal_year_range, format_wareki_date
from plans.models import IndicatorResult
from subsidies import rules, workflow
from subsidies.models import (
    Allocation,
    Application,
    ApplicationEvent,
    AttachmentKind,
    ComponentKind,
    FormulaComponent,
    IncomeSource,
    Payment,
    PaymentKind,
    ProgramYear,
    RefundHandling,
    Side,
    State,
    VersionStatus,
)
from subsidies.services import (
    adjust_allocation,
    compute_allocations,
    copy_program_year,
    decisions,
)
from subsidies.services import applications as edits
from tests.factories import DistrictStatisticFactory
from tests.plans.factories import IndicatorFactory, InitiativeFactory, PlanFactory
from tests.subsidies.factories import (
    BASICS,
    GrantYearFactory,
    Staff,
    application_in,
    budget_lines,
    category,
    complete_draft,
    make_applicant,
    pdf_file,
    report_lines,
)
from tests.subsidies.test_workflow import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def today() -> dt.date:
    return timezone.localdate()


def messages(error: ValidationError) -> str:
    """All the messages of a refusal, whether a list or keyed by field, as one text."""
    if hasattr(error, "error_dict"):
        return " ".join(text for texts in error.message_dict.values() for text in texts)
    return " ".join(error.messages)


def refused(application: Application, action, *, field: str | None = None) -> str:
    """Run `action`, expect a ValidationError that changes nothing, return its text."""
    before = snapshot(application)
    with pytest.raises(ValidationError) as caught:
        action()
    assert snapshot(application) == before
    if field is not None:
        assert field in caught.value.message_dict, caught.value
        return " ".join(caught.value.message_dict[field])
    return messages(caught.value)


def approve(application, staff, amount, **extra):
    return decisions.approve(
        application=application,
        by=staff.approver,
        granted_amount=amount,
        decision_number=extra.pop("decision_number", f"み協第{application.pk}号"),
        decided_on=extra.pop("decided_on", today()),
        **extra,
    )


def pay(application, staff, kind, amount, paid_on=None):
    return decisions.record_payment(
        application=application,
        by=staff.officer,
        kind=kind,
        amount=amount,
        paid_on=paid_on or today(),
    )


def actual(year: ProgramYear, *, grant: int, own: int = 0, spent: int) -> list[dict]:
    """A report budget: the grant used and own funds against one dated eligible expense."""
    lines = [
        {
            "side": Side.INCOME,
            "income_source": IncomeSource.GRANT,
            "category": None,
            "description": "一括交付金",
            "amount": grant,
            "spent_on": None,
        },
        {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": category(year, "消耗品費"),
            "description": "防災用品",
            "amount": spent,
            "spent_on": fiscal_year_range(year.fiscal_year)[0] + dt.timedelta(days=30),
        },
    ]
    if own:
        lines.insert(
            1,
            {
                "side": Side.INCOME,
                "income_source": IncomeSource.OWN_FUNDS,
                "category": None,
                "description": "会費",
                "amount": own,
                "spent_on": None,
            },
        )
    return lines


def file_report(application, coordinator, lines, indicators=()):
    edits.save_report(
        application=application,
        by=coordinator,
        summary="防災訓練を2回行いました。",
        outcomes="",
        lines=lines,
        indicators=list(indicators),
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


def accept_and_settle(application, staff):
    decisions.accept_report(application=application, by=staff.officer)
    decisions.settle(application=application, by=staff.approver, settled_on=today())
    application.refresh_from_db()
    return application


# Requested, granted, the allocation and the year's budget ---------------------------------------


def test_a_request_above_the_allocation_is_refused_naming_the_allocation():
    year = GrantYearFactory()
    application, coordinator = complete_draft(year, allocation=500_000, grant=600_000)
    text = refused(application, lambda: decisions.submit(application=application, by=coordinator))
    assert rules.yen(500_000) in text
    assert rules.yen(600_000) in text
    version = application.versions.get()
    assert text in " ".join(decisions.submission_problems(application, version))

    edits.save_budget(
        application=application, by=coordinator, lines=budget_lines(year, grant=500_000)
    )
    decisions.submit(application=application, by=coordinator)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.requested_amount == 500_000


def test_a_change_request_above_the_allocation_is_refused():
    application, coordinator, _staff = application_in(State.APPROVED)
    year = application.program_year
    edits.start_change(application=application, by=coordinator, reason="講師を増やします")
    edits.save_budget(
        application=application, by=coordinator, lines=budget_lines(year, grant=1_000_001)
    )
    text = refused(
        application, lambda: decisions.request_change(application=application, by=coordinator)
    )
    assert rules.yen(1_000_000) in text


def test_the_grant_cannot_exceed_the_request():
    application, _coordinator, staff = application_in(State.RECOMMENDED)
    text = refused(
        application, lambda: approve(application, staff, 600_001), field="granted_amount"
    )
    assert rules.yen(600_000) in text

    approve(application, staff, 550_000)
    application.refresh_from_db()
    assert (application.state, application.granted_amount) == (State.APPROVED, 550_000)


def test_the_grant_cannot_exceed_the_allocation():
    application, _coordinator, staff = application_in(State.RECOMMENDED)
    # The allocation may still be corrected after submission, before any decision.
    adjust_allocation(
        allocation=rules.allocation_for(application),
        adjustment=-500_000,
        reason="世帯数の誤りを訂正",
    )
    text = refused(
        application, lambda: approve(application, staff, 600_000), field="granted_amount"
    )
    assert rules.yen(500_000) in text

    approve(application, staff, 500_000)
    application.refresh_from_db()
    assert application.granted_amount == 500_000


def test_the_years_grants_stay_within_its_budget_saying_by_how_much():
    year = GrantYearFactory(budget=1_000_000)
    staff = Staff()
    first, *_ = application_in(State.RECOMMENDED, year, staff=staff)
    second, *_ = application_in(State.RECOMMENDED, year, staff=staff)
    approve(first, staff, 600_000)

    text = refused(second, lambda: approve(second, staff, 600_000), field="granted_amount")
    assert rules.yen(200_000) in text  # over by
    assert rules.yen(1_000_000) in text  # the budget

    approve(second, staff, 400_000)
    assert sum(Application.objects.values_list("granted_amount", flat=True)) == 1_000_000


def test_a_change_cannot_take_the_years_grants_over_the_budget():
    year = GrantYearFactory(budget=1_000_000)
    staff = Staff()
    first, coordinator, _ = application_in(State.APPROVED, year, staff=staff)
    application_in(State.APPROVED, year, staff=staff, grant=400_000)
    edits.start_change(application=first, by=coordinator, reason="参加者が増えます")
    edits.save_budget(application=first, by=coordinator, lines=budget_lines(year, grant=700_000))
    decisions.request_change(application=first, by=coordinator)
    text = refused(
        first,
        lambda: decisions.approve_change(
            application=first, by=staff.approver, granted_amount=700_000
        ),
        field="granted_amount",
    )
    assert rules.yen(100_000) in text
    decisions.approve_change(application=first, by=staff.approver, granted_amount=600_000)


def test_a_decision_number_is_used_once_a_year():
    year = GrantYearFactory()
    staff = Staff()
    first, *_ = application_in(State.RECOMMENDED, year, staff=staff)
    second, *_ = application_in(State.RECOMMENDED, year, staff=staff)
    approve(first, staff, 600_000, decision_number="み協第1号")
    refused(
        second,
        lambda: approve(second, staff, 600_000, decision_number="み協第1号"),
        field="decision_number",
    )


# One open application per council and year ----------------------------------------------------


def test_one_open_application_per_council_and_year():
    year = GrantYearFactory()
    application, coordinator = complete_draft(year)
    council = application.council
    with pytest.raises(ValidationError) as caught:
        edits.start_application(council=council, program_year=year, by=coordinator, **BASICS)
    assert caught.value.code == "one_open"
    assert Application.objects.filter(council=council).count() == 1

    # The database refuses it too, whatever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(council=council, program_year=year, **BASICS)

    decisions.withdraw(application=application, by=coordinator)
    second = edits.start_application(council=council, program_year=year, by=coordinator, **BASICS)
    assert second.state == State.DRAFT


def test_after_a_rejection_the_council_may_apply_again():
    application, coordinator, _staff = application_in(State.REJECTED)
    again = edits.start_application(
        council=application.council,
        program_year=application.program_year,
        by=coordinator,
        **BASICS,
    )
    assert Application.objects.filter(council=application.council).count() == 2
    assert again.versions.get().number == 1


def test_no_application_without_an_allocation():
    year = GrantYearFactory()
    council, coordinator = make_applicant(year)
    Allocation.objects.filter(district=council.district).delete()
    with pytest.raises(ValidationError) as caught:
        edits.start_application(council=council, program_year=year, by=coordinator, **BASICS)
    assert caught.value.code == "no_allocation"
    assert not Application.objects.exists()


# Budgets ---------------------------------------------------------------------------------------


def test_an_unbalanced_budget_is_saved_but_not_submitted():
    year = GrantYearFactory()
    application, coordinator = complete_draft(year)
    lines = budget_lines(year)  # 700,000 income
    lines[2]["amount"] -= 50_000  # 650,000 expenses
    edits.save_budget(application=application, by=coordinator, lines=lines)
    text = refused(application, lambda: decisions.submit(application=application, by=coordinator))
    for amount in (700_000, 650_000, 50_000):
        assert rules.yen(amount) in text


def test_a_line_in_an_ineligible_category_is_refused_naming_it():
    year = GrantYearFactory()
    application, coordinator = complete_draft(year)
    lines = budget_lines(year)
    lines.append(
        {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": category(year, "食糧費"),
            "description": "懇親会",
            "amount": 20_000,
        }
    )
    text = refused(
        application,
        lambda: edits.save_budget(application=application, by=coordinator, lines=lines),
    )
    assert "食糧費" in text
    assert category(year, "食糧費").note in text


def test_a_category_of_another_year_is_refused():
    year = GrantYearFactory()
    next_year = GrantYearFactory(fiscal_year=year.fiscal_year + 1)
    application, coordinator = complete_draft(year)
    lines = budget_lines(year)
    lines[2]["category"] = category(next_year, "修繕料")
    text = refused(
        application,
        lambda: edits.save_budget(application=application, by=coordinator, lines=lines),
    )
    assert "修繕料" in text


def test_the_request_follows_the_grant_line_and_each_change_is_recorded():
    year = GrantYearFactory()
    application, coordinator = complete_draft(year)
    events = application.events.count()
    edits.save_budget(
        application=application, by=coordinator, lines=budget_lines(year, grant=650_000)
    )
    application.refresh_from_db()
    assert application.requested_amount == 650_000
    assert application.versions.get().requested_amount == 650_000
    event = application.events.last()
    assert application.events.count() == events + 1
    assert (event.action, event.amount_before, event.amount_after) == ("budget", 600_000, 650_000)
    assert event.actor == coordinator


# The report ------------------------------------------------------------------------------------


def test_report_expenses_are_dated_inside_the_fiscal_year():
    application, coordinator, _staff = application_in(State.PAID)
    year = application.program_year
    first, last = fiscal_year_range(year.fiscal_year)

    def save(day):
        lines = report_lines(year)
        lines[2]["spent_on"] = day
        return edits.save_report(
            application=application,
            by=coordinator,
            summary="実施しました。",
            outcomes="",
            lines=lines,
            indicators=[],
        )

    for outside in (first - dt.timedelta(days=1), last + dt.timedelta(days=1)):
        text = refused(application, lambda day=outside: save(day))
        assert format_wareki_date(first) in text
        assert format_wareki_date(last) in text
        assert format_wareki_date(outside) in text
    save(first)
    save(last)
    assert application.report.lines.get(side=Side.EXPENSE).spent_on == last


def test_an_undated_report_expense_is_refused_with_a_message():
    application, coordinator, _staff = application_in(State.PAID)
    lines = report_lines(application.program_year)
    lines[2]["spent_on"] = None
    refused(
        application,
        lambda: edits.save_report(
            application=application,
            by=coordinator,
            summary="実施しました。",
            outcomes="",
            lines=lines,
            indicators=[],
        ),
    )


def test_a_report_in_an_ineligible_category_is_refused():
    application, coordinator, _staff = application_in(State.PAID)
    year = application.program_year
    lines = report_lines(year)
    lines[2]["category"] = category(year, "交際費")
    text = refused(
        application,
        lambda: edits.save_report(
            application=application,
            by=coordinator,
            summary="実施しました。",
            outcomes="",
            lines=lines,
            indicators=[],
        ),
    )
    assert "交際費" in text


def test_an_unbalanced_report_is_not_submitted():
    application, coordinator, _staff = application_in(State.PAID)
    year = application.program_year
    edits.save_report(
        application=application,
        by=coordinator,
        summary="実施しました。",
        outcomes="",
        lines=actual(year, grant=600_000, own=50_000, spent=600_000),
        indicators=[],
    )
    edits.add_attachment(
        application=application,
        by=coordinator,
        kind=AttachmentKind.RECEIPT,
        title="領収書",
        file=pdf_file(),
        for_report=True,
    )
    text = refused(
        application, lambda: decisions.submit_report(application=application, by=coordinator)
    )
    for amount in (650_000, 600_000, 50_000):
        assert rules.yen(amount) in text


def test_an_accepted_report_writes_the_indicator_results_of_the_year():
    application, coordinator, staff = application_in(State.PAID)
    fiscal_year = application.program_year.fiscal_year
    indicator = edits.reportable_indicators(application).get()
    IndicatorResult.objects.create(
        indicator=indicator, fiscal_year=fiscal_year, actual_value=Decimal(100)
    )
    IndicatorResult.objects.create(
        indicator=indicator, fiscal_year=fiscal_year - 1, actual_value=Decimal(90)
    )
    file_report(
        application,
        coordinator,
        report_lines(application.program_year),
        indicators=[{"indicator": indicator, "actual_value": Decimal(130), "note": ""}],
    )
    assert indicator.results.get(fiscal_year=fiscal_year).actual_value == 100

    decisions.accept_report(application=application, by=staff.officer)
    assert indicator.results.get(fiscal_year=fiscal_year).actual_value == 130
    assert indicator.results.get(fiscal_year=fiscal_year - 1).actual_value == 90


def test_a_report_names_only_the_indicators_of_its_business_plan():
    application, coordinator, _staff = application_in(State.PAID)
    elsewhere = IndicatorFactory(initiative=InitiativeFactory(plan=PlanFactory()))
    refused(
        application,
        lambda: edits.save_report(
            application=application,
            by=coordinator,
            summary="実施しました。",
            outcomes="",
            lines=report_lines(application.program_year),
            indicators=[{"indicator": elsewhere, "actual_value": Decimal(1), "note": ""}],
        ),
    )


# Payments --------------------------------------------------------------------------------------


def test_payments_never_exceed_the_grant():
    application, _coordinator, staff = application_in(State.APPROVED)
    text = refused(
        application,
        lambda: pay(application, staff, PaymentKind.FULL, 600_001),
        field="amount",
    )
    assert rules.yen(600_000) in text
    pay(application, staff, PaymentKind.ADVANCE, 300_000)
    refused(application, lambda: pay(application, staff, PaymentKind.FULL, 300_001), field="amount")
    pay(application, staff, PaymentKind.FULL, 300_000)
    refused(application, lambda: pay(application, staff, PaymentKind.ADVANCE, 1), field="amount")
    assert sum(application.payments.values_list("amount", flat=True)) == 600_000


def test_a_payment_in_full_pays_the_rest_of_the_grant():
    """Calling a part payment 'in full' would get round the advance ratio."""
    application, _coordinator, staff = application_in(State.APPROVED)
    text = refused(
        application, lambda: pay(application, staff, PaymentKind.FULL, 400_000), field="amount"
    )
    assert rules.yen(600_000) in text


def test_advances_stay_within_the_ratio_of_the_grant():
    application, _coordinator, staff = application_in(State.APPROVED)
    text = refused(
        application, lambda: pay(application, staff, PaymentKind.ADVANCE, 300_001), field="amount"
    )
    assert rules.yen(300_000) in text
    assert "50" in text
    pay(application, staff, PaymentKind.ADVANCE, 200_000)
    refused(
        application, lambda: pay(application, staff, PaymentKind.ADVANCE, 100_001), field="amount"
    )
    pay(application, staff, PaymentKind.ADVANCE, 100_000)
    assert rules.advance_limit(application) == 300_000
    application.refresh_from_db()
    assert application.state == State.PAID


def test_no_payment_before_the_decision_nor_dated_before_it_or_in_the_future():
    application, _coordinator, staff = application_in(State.RECOMMENDED)
    before = snapshot(application)
    with pytest.raises(workflow.ActionNotAllowed):
        pay(application, staff, PaymentKind.FULL, 600_000)
    assert snapshot(application) == before

    decided_on = today() - dt.timedelta(days=10)
    approve(application, staff, 600_000, decided_on=decided_on)
    text = refused(
        application,
        lambda: pay(application, staff, PaymentKind.FULL, 600_000, decided_on - dt.timedelta(1)),
        field="paid_on",
    )
    assert format_wareki_date(decided_on) in text
    refused(
        application,
        lambda: pay(application, staff, PaymentKind.FULL, 600_000, today() + dt.timedelta(1)),
        field="paid_on",
    )
    pay(application, staff, PaymentKind.FULL, 600_000, decided_on)
    assert application.payments.get().paid_on == decided_on


def test_an_unknown_kind_of_payment_is_refused():
    application, _coordinator, staff = application_in(State.APPROVED)
    refused(application, lambda: pay(application, staff, "gift", 1_000), field="kind")


def test_the_final_payment_comes_after_settlement_and_pays_only_the_rest():
    application, coordinator, staff = application_in(State.APPROVED)
    refused(application, lambda: pay(application, staff, PaymentKind.FINAL, 1_000), field="kind")
    pay(application, staff, PaymentKind.ADVANCE, 300_000)
    file_report(
        application,
        coordinator,
        actual(application.program_year, grant=600_000, own=100_000, spent=700_000),
    )
    accept_and_settle(application, staff)
    assert application.confirmed_amount == 600_000

    refused(application, lambda: pay(application, staff, PaymentKind.ADVANCE, 1_000), field="kind")
    text = refused(
        application, lambda: pay(application, staff, PaymentKind.FINAL, 300_001), field="amount"
    )
    assert rules.yen(600_000) in text
    assert rules.yen(300_000) in text  # paid so far
    pay(application, staff, PaymentKind.FINAL, 300_000)
    application.refresh_from_db()
    assert application.state == State.SETTLED
    event = application.events.last()
    assert (event.action, event.from_state, event.to_state) == ("pay", "settled", "settled")
    assert (event.amount_before, event.amount_after) == (300_000, 600_000)


# Settlement ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spent", "paid", "handling", "confirmed", "refund", "final", "offset"),
    [
        # Spent more than granted: the grant is confirmed, nothing to return.
        (700_000, 600_000, RefundHandling.RETURN, 600_000, 0, 0, False),
        (700_000, 600_000, RefundHandling.OFFSET, 600_000, 0, 0, False),
        # Spent less than paid: the difference goes back, or is offset next year.
        (450_000, 600_000, RefundHandling.RETURN, 450_000, 150_000, 0, False),
        (450_000, 600_000, RefundHandling.OFFSET, 450_000, 150_000, 0, True),
        # Paid an advance only: the rest is the final payment.
        (700_000, 300_000, RefundHandling.RETURN, 600_000, 0, 300_000, False),
        (450_000, 300_000, RefundHandling.RETURN, 450_000, 0, 150_000, False),
    ],
)
def test_settlement_confirms_the_lesser_of_grant_and_spending(
    spent, paid, handling, confirmed, refund, final, offset
):
    application, coordinator, staff = application_in(State.APPROVED)
    year = application.program_year
    ProgramYear.objects.filter(pk=year.pk).update(refund_handling=handling)
    pay(
        application,
        staff,
        PaymentKind.FULL if paid == 600_000 else PaymentKind.ADVANCE,
        paid,
    )
    grant = min(spent, 600_000)
    file_report(application, coordinator, actual(year, grant=grant, own=spent - grant, spent=spent))
    decisions.accept_report(application=application, by=staff.officer)
    application.refresh_from_db()
    assert decisions.settlement_figures(application) == {
        "eligible": spent,
        "confirmed": confirmed,
        "paid": paid,
        "refund": refund,
        "final_payment": final,
    }
    decisions.settle(application=application, by=staff.approver, settled_on=today())
    application.refresh_from_db()
    assert application.state == State.SETTLED
    assert application.confirmed_amount == confirmed
    assert application.refund_amount == refund
    assert application.refund_offset is offset
    event = application.events.last()
    assert (event.action, event.amount_before, event.amount_after) == ("settle", 600_000, confirmed)


def test_eligible_spending_leaves_out_expenses_the_grant_cannot_pay():
    year = GrantYearFactory()
    lines = [
        {"side": Side.INCOME, "income_source": IncomeSource.GRANT, "category": None, "amount": 9},
        {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": category(year, "消耗品費"),
            "amount": 300,
        },
        {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": category(year, "食糧費"),
            "amount": 50,
        },
        {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": category(year, "報償費"),
            "amount": 20,
        },
    ]
    assert rules.eligible_spending(lines) == 320
    totals = rules.totals(lines)
    assert (totals.income, totals.expense, totals.grant, totals.difference) == (9, 370, 9, -361)


# Cancellation ----------------------------------------------------------------------------------


def test_a_cancellation_returns_at_most_what_was_paid():
    application, _coordinator, staff = application_in(State.PAID)

    def cancel(amount, comment="目的外の支出"):
        return decisions.cancel(
            application=application,
            by=staff.approver,
            return_amount=amount,
            cancelled_on=today(),
            comment=comment,
        )

    text = refused(application, lambda: cancel(600_001), field="return_amount")
    assert rules.yen(600_000) in text
    refused(application, lambda: cancel(-1), field="return_amount")
    refused(application, lambda: cancel(0, comment=" "), field="comment")
    cancel(200_000)
    application.refresh_from_db()
    assert (application.state, application.refund_amount) == (State.CANCELLED, 200_000)
    event = application.events.last()
    assert (event.action, event.amount_before, event.amount_after) == ("cancel", 600_000, 200_000)


def test_a_grant_cancelled_before_payment_returns_nothing():
    application, _coordinator, staff = application_in(State.APPROVED)
    refused(
        application,
        lambda: decisions.cancel(
            application=application,
            by=staff.approver,
            return_amount=1,
            cancelled_on=today(),
            comment="事業中止",
        ),
        field="return_amount",
    )


def test_a_grant_cancelled_during_a_change_request_closes_the_change():
    application, _coordinator, staff = application_in(State.CHANGE_REQUESTED)
    decisions.cancel(
        application=application,
        by=staff.approver,
        return_amount=0,
        cancelled_on=today(),
        comment="事業中止",
    )
    assert dict(application.versions.values_list("number", "status")) == {
        1: VersionStatus.CURRENT,
        2: VersionStatus.REFUSED,
    }


# Editing ---------------------------------------------------------------------------------------


def test_the_coordinator_edits_in_draft_and_returned_only():
    application, coordinator, staff = application_in(State.SUBMITTED)
    year = application.program_year
    edits_to_try = [
        lambda: edits.save_budget(
            application=application, by=coordinator, lines=budget_lines(year, grant=500_000)
        ),
        lambda: edits.update_basics(application=application, by=coordinator, address="別の住所"),
        lambda: edits.update_basics(application=application, by=coordinator, purpose="変更"),
        lambda: edits.save_plan_rows(application=application, by=coordinator, rows=[]),
        lambda: edits.add_attachment(
            application=application,
            by=coordinator,
            kind=AttachmentKind.QUOTE,
            title="見積書",
            file=pdf_file(),
        ),
    ]
    before = snapshot(application)
    for edit in edits_to_try:
        with pytest.raises(workflow.ActionNotAllowed):
            edit()
    assert snapshot(application) == before

    decisions.return_for_correction(
        application=application, by=staff.officer, reasons={"budget": "見積と合わせてください"}
    )
    for edit in edits_to_try:
        edit()
    application.refresh_from_db()
    assert application.requested_amount == 500_000
    assert application.address == "別の住所"
    assert application.versions.get().purpose == "変更"


def test_files_stay_once_submitted_but_may_be_taken_back_before():
    application, coordinator, staff = application_in(State.DRAFT)
    quote = edits.add_attachment(
        application=application,
        by=coordinator,
        kind=AttachmentKind.QUOTE,
        title="見積書",
        file=pdf_file("quote.pdf"),
    )
    edits.remove_attachment(attachment=quote, by=coordinator)
    assert not application.attachments.filter(pk=quote.pk).exists()
    assert application.events.last().action == "remove_upload"

    decisions.submit(application=application, by=coordinator)
    decisions.return_for_correction(
        application=application, by=staff.officer, reasons={"attachments": "見積書を追加"}
    )
    minutes = application.attachments.get(kind=AttachmentKind.MINUTES)
    with pytest.raises(ValidationError) as caught:
        edits.remove_attachment(attachment=minutes, by=coordinator)
    assert caught.value.code == "filed"
    assert application.attachments.filter(pk=minutes.pk).exists()

    # A file added after the return has not been filed yet.
    late = edits.add_attachment(
        application=application,
        by=coordinator,
        kind=AttachmentKind.QUOTE,
        title="見積書",
        file=pdf_file("quote.pdf"),
    )
    edits.remove_attachment(attachment=late, by=coordinator)
    assert not application.attachments.filter(pk=late.pk).exists()


def test_a_file_filed_with_a_change_request_stays_after_the_change_is_refused():
    application, coordinator, staff = application_in(State.APPROVED)
    edits.start_change(application=application, by=coordinator, reason="事業を追加します")
    quote = edits.add_attachment(
        application=application,
        by=coordinator,
        kind=AttachmentKind.QUOTE,
        title="追加事業の見積書",
        file=pdf_file("quote.pdf"),
    )
    decisions.request_change(application=application, by=coordinator)
    decisions.refuse_change(application=application, by=staff.approver, comment="認めません")
    edits.start_change(application=application, by=coordinator, reason="規模を縮小します")
    with pytest.raises(ValidationError) as caught:
        edits.remove_attachment(attachment=quote, by=coordinator)
    assert caught.value.code == "filed"
    assert application.attachments.filter(pk=quote.pk).exists()


def test_report_receipts_stay_once_the_report_is_filed():
    application, coordinator, staff = application_in(State.REPORT_RETURNED)
    receipt = application.attachments.get(for_report=True)
    with pytest.raises(ValidationError):
        edits.remove_attachment(attachment=receipt, by=coordinator)
    extra = edits.add_attachment(
        application=application,
        by=coordinator,
        kind=AttachmentKind.RECEIPT,
        title="追加の領収書",
        file=pdf_file("more.pdf"),
        for_report=True,
    )
    edits.remove_attachment(attachment=extra, by=coordinator)
    assert list(application.attachments.filter(for_report=True)) == [receipt]


# Change requests (変更申請) ---------------------------------------------------------------------


def _lines(version):
    return sorted(version.budget_lines.values_list("side", "income_source", "category", "amount"))


def test_an_approved_change_becomes_the_current_version_and_the_old_one_stays_readable():
    application, coordinator, staff = application_in(State.APPROVED)
    year = application.program_year
    first = application.versions.get()
    first_lines = _lines(first)
    first_rows = [
        (row.activity, sorted(i.pk for i in row.initiatives.all())) for row in first.plan_rows.all()
    ]
    assert first_rows[0][1], "the business plan names an initiative"

    proposed = edits.start_change(application=application, by=coordinator, reason="講師を追加")
    assert (proposed.number, proposed.status) == (2, VersionStatus.PROPOSED)
    assert proposed.purpose == first.purpose
    assert proposed.requested_amount == first.requested_amount
    assert _lines(proposed) == first_lines
    assert [
        (row.activity, sorted(i.pk for i in row.initiatives.all()))
        for row in proposed.plan_rows.all()
    ] == first_rows
    with pytest.raises(ValidationError):
        edits.start_change(application=application, by=coordinator, reason="もう一つ")

    edits.save_budget(
        application=application, by=coordinator, lines=budget_lines(year, grant=700_000)
    )
    application.refresh_from_db()
    assert application.requested_amount == 600_000  # the decided version is untouched
    assert _lines(first) == first_lines

    decisions.request_change(application=application, by=coordinator)
    decisions.approve_change(application=application, by=staff.approver, granted_amount=650_000)
    application.refresh_from_db()
    first.refresh_from_db()
    proposed.refresh_from_db()
    assert application.state == State.APPROVED
    assert (application.requested_amount, application.granted_amount) == (700_000, 650_000)
    assert proposed.status == VersionStatus.CURRENT
    assert first.status == VersionStatus.SUPERSEDED
    assert _lines(first) == first_lines
    assert application.versions.get(status=VersionStatus.CURRENT) == proposed
    event = application.events.last()
    assert (event.action, event.from_state, event.to_state) == (
        "approve_change",
        State.CHANGE_REQUESTED,
        State.APPROVED,
    )
    assert (event.amount_before, event.amount_after) == (600_000, 650_000)
    # The new current version carries the plan's indicators into the report.
    assert edits.reportable_indicators(application).exists()


def test_a_refused_change_stays_readable_and_the_grant_stays_as_decided():
    application, coordinator, staff = application_in(State.APPROVED)
    year = application.program_year
    proposed = edits.start_change(application=application, by=coordinator, reason="講師を追加")
    edits.save_budget(
        application=application, by=coordinator, lines=budget_lines(year, grant=700_000)
    )
    decisions.request_change(application=application, by=coordinator)
    refused(
        application,
        lambda: decisions.refuse_change(application=application, by=staff.approver, comment=""),
        field="comment",
    )
    decisions.refuse_change(application=application, by=staff.approver, comment="予算がありません")
    application.refresh_from_db()
    proposed.refresh_from_db()
    assert application.state == State.APPROVED
    assert (application.requested_amount, application.granted_amount) == (600_000, 600_000)
    assert proposed.status == VersionStatus.REFUSED
    assert (
        sum(amount for side, source, _c, amount in _lines(proposed) if source == IncomeSource.GRANT)
        == 700_000
    )
    assert application.versions.get(status=VersionStatus.CURRENT).number == 1

    again = edits.start_change(application=application, by=coordinator, reason="規模を縮小")
    assert (again.number, again.status) == (3, VersionStatus.PROPOSED)


def test_a_change_cannot_grant_less_than_already_paid():
    application, _coordinator, staff = application_in(State.CHANGE_REQUESTED)
    # Whatever path a payment took, a changed grant never falls below it.
    Payment.objects.create(
        application=application,
        kind=PaymentKind.ADVANCE,
        amount=300_000,
        paid_on=today(),
        recorded_by=staff.officer,
    )
    text = refused(
        application,
        lambda: decisions.approve_change(
            application=application, by=staff.approver, granted_amount=299_999
        ),
        field="granted_amount",
    )
    assert rules.yen(300_000) in text
    decisions.approve_change(application=application, by=staff.approver, granted_amount=300_000)


# The history -----------------------------------------------------------------------------------


def test_the_history_is_append_only():
    application, _coordinator, _staff = application_in(State.SUBMITTED)
    event = application.events.get(action="submit")
    event.comment = "書き換え"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    event.refresh_from_db()
    assert event.comment == ""
    assert ApplicationEvent.objects.filter(pk=event.pk).exists()


def test_every_move_amount_change_and_upload_is_in_the_history():
    application, coordinator, staff = application_in(State.SETTLED)
    rows = list(
        application.events.order_by("at", "pk").values_list(
            "action", "from_state", "to_state", "amount_before", "amount_after", "actor"
        )
    )
    c, o, a = coordinator.pk, staff.officer.pk, staff.approver.pk
    assert rows == [
        ("create", "draft", "draft", None, None, c),
        ("budget", "draft", "draft", 0, 600_000, c),
        ("upload", "draft", "draft", None, None, c),
        ("submit", "draft", "submitted", None, 600_000, c),
        ("recommend", "submitted", "recommended", None, 600_000, o),
        ("approve", "recommended", "approved", 600_000, 600_000, a),
        ("pay", "approved", "paid", 0, 600_000, o),
        ("report_budget", "paid", "paid", 0, 700_000, c),
        ("upload", "paid", "paid", None, None, c),
        ("submit_report", "paid", "reported", None, 700_000, c),
        ("accept_report", "reported", "report_accepted", None, None, o),
        ("settle", "report_accepted", "settled", 600_000, 600_000, a),
    ]


def test_a_return_records_its_reasons_by_part():
    application, _coordinator, staff = application_in(State.SUBMITTED)
    refused(
        application,
        lambda: decisions.return_for_correction(
            application=application, by=staff.officer, reasons={"budget": "  "}
        ),
    )
    decisions.return_for_correction(
        application=application,
        by=staff.officer,
        reasons={"budget": " 見積書と合わせてください ", "plan": ""},
        comment="よろしくお願いします",
    )
    event = application.events.last()
    assert event.reasons == {"budget": "見積書と合わせてください"}
    assert (event.from_state, event.to_state) == (State.SUBMITTED, State.RETURNED)


# Allocations and years -------------------------------------------------------------------------


def _formula_year():
    year = GrantYearFactory()
    FormulaComponent.objects.create(
        program_year=year, kind=ComponentKind.FIXED, rate=1_000_000, label="均等割"
    )
    return year


def test_allocations_change_until_the_first_decision_and_then_no_more():
    year = _formula_year()
    staff = Staff()
    application, *_ = application_in(State.RECOMMENDED, year, staff=staff)
    district = application.council.district
    DistrictStatisticFactory(district=district, as_of=fiscal_year_range(year.fiscal_year)[0])
    allocation = rules.allocation_for(application)

    compute_allocations(program_year=year)
    adjust_allocation(allocation=allocation, adjustment=-100_000, reason="訂正")
    allocation.refresh_from_db()
    assert allocation.amount == 900_000

    approve(application, staff, 600_000)
    with pytest.raises(ValidationError) as caught:
        compute_allocations(program_year=year)
    assert caught.value.code == "decided"
    with pytest.raises(ValidationError) as caught:
        adjust_allocation(allocation=allocation, adjustment=0, reason="")
    assert caught.value.code == "decided"
    allocation.refresh_from_db()
    assert (allocation.adjustment, allocation.amount) == (-100_000, 900_000)


def test_a_new_year_copies_the_expense_categories():
    year = GrantYearFactory()
    year.expense_categories.filter(name="燃料費").update(eligible=False, note="今年度は対象外")

    new_year = copy_program_year(program_year=year, fiscal_year=year.fiscal_year + 1)

    def listed(y):
        return list(y.expense_categories.values_list("name", "eligible", "note", "order"))

    assert listed(new_year) == listed(year)
    assert not new_year.expense_categories.filter(pk__in=year.expense_categories.all()).exists()
    assert ("燃料費", False, "今年度は対象外") in [row[:3] for row in listed(new_year)]


def test_the_history_refuses_bulk_updates_and_deletes_too():
    application, _coordinator, _staff = application_in(State.SUBMITTED)
    events = application.events.all()
    count = events.count()
    with pytest.raises(ValidationError):
        events.update(comment="書き換え")
    with pytest.raises(ValidationError):
        events.delete()
    assert application.events.count() == count
    assert not application.events.filter(comment="書き換え").exists()
