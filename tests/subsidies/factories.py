"""Grant test data: a program year open for applications, and applications in any state.

``GrantYearFactory()`` makes this fiscal year's program year with the standard expense
categories, open for applications today. ``make_applicant(year)`` gives an established council,
its allocation and a coordinator. ``application_in(state, year=…)`` walks a complete application
through the real services to any state of the workflow, so tests start from what users produce.
"""

import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core import roles
from core.dates import current_fiscal_year, fiscal_year_range
from subsidies.categories import STANDARD_EXPENSE_CATEGORIES
from subsidies.models import (
    Allocation,
    AttachmentKind,
    ExpenseCategory,
    IncomeSource,
    PaymentKind,
    Program,
    ProgramYear,
    Side,
    State,
)
from subsidies.services import applications as edits
from subsidies.services import decisions
from tests.factories import CouncilFactory, StaffUserFactory, UserFactory
from tests.plans.factories import IndicatorFactory, InitiativeFactory, PlanFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name: str = "minutes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("name",)

    name = "地域づくり一括交付金"
    purpose = "地区まちづくり協議会の活動を一つの交付金で支えます。"


class GrantYearFactory(factory.django.DjangoModelFactory):
    """This fiscal year, open for applications from a month ago to a month ahead."""

    class Meta:
        model = ProgramYear
        django_get_or_create = ("program", "fiscal_year")
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    fiscal_year = factory.LazyFunction(current_fiscal_year)
    budget = 50_000_000
    advance_ratio_percent = 50
    application_opens_on = factory.LazyFunction(
        lambda: timezone.localdate() - dt.timedelta(days=30)
    )
    application_closes_on = factory.LazyFunction(
        lambda: timezone.localdate() + dt.timedelta(days=30)
    )
    report_due_on = factory.LazyAttribute(lambda year: fiscal_year_range(year.fiscal_year)[1])

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and not self.expense_categories.exists():
            ExpenseCategory.objects.bulk_create(
                ExpenseCategory(program_year=self, name=name, eligible=eligible, note=note, order=i)
                for i, (name, eligible, note) in enumerate(STANDARD_EXPENSE_CATEGORIES)
            )


def category(year: ProgramYear, name: str) -> ExpenseCategory:
    return year.expense_categories.get(name=name)


def make_applicant(year: ProgramYear, *, allocation: int = 1_000_000, coordinator=None):
    """An established council with its allocation for the year and a coordinator."""
    council = CouncilFactory(established=True)
    coordinator = coordinator or UserFactory(groups=[roles.COORDINATORS])
    council.coordinators.add(coordinator)
    Allocation.objects.create(
        program_year=year,
        district=council.district,
        counts_as_of=fiscal_year_range(year.fiscal_year)[0],
        population=5000,
        households=2200,
        computed_amount=allocation,
    )
    return council, coordinator


BASICS = {
    "representative_title": "会長",
    "representative_name": "山田 一郎",
    "address": "みどり野市桜台1-2-3",
    "contact_name": "佐藤 花子",
    "contact_phone": "0123-45-6789",
    "contact_email": "sakuradai@example.jp",
}


def budget_lines(year: ProgramYear, *, grant: int = 600_000, own: int = 100_000) -> list[dict]:
    """A balanced budget: the grant and own funds against three eligible expense lines."""
    total = grant + own
    return [
        {
            "side": Side.INCOME,
            "income_source": IncomeSource.GRANT,
            "category": None,
            "description": "一括交付金",
            "amount": grant,
        },
        {
            "side": Side.INCOME,
            "income_source": IncomeSource.OWN_FUNDS,
            "category": None,
            "description": "会費",
            "amount": own,
        },
        {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": category(year, "消耗品費"),
            "description": "防災用品",
            "amount": total // 2,
        },
        {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": category(year, "印刷製本費"),
            "description": "広報紙",
            "amount": total // 4,
        },
        {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": category(year, "報償費"),
            "description": "講師謝礼",
            "amount": total - total // 2 - total // 4,
        },
    ]


def complete_draft(
    year: ProgramYear | None = None,
    *,
    grant: int = 600_000,
    council=None,
    coordinator=None,
    allocation: int = 1_000_000,
):
    """A draft with everything a submission needs; returns (application, coordinator)."""
    year = year or GrantYearFactory()
    if council is None:
        council, coordinator = make_applicant(year, allocation=allocation, coordinator=coordinator)
    application = edits.start_application(
        council=council, program_year=year, by=coordinator, **BASICS
    )
    edits.update_basics(
        application=application,
        by=coordinator,
        purpose="防災と見守りを中心に、地域の担い手を育てます。",
    )
    plan = PlanFactory(district=council.district)
    initiative = InitiativeFactory(plan=plan)
    IndicatorFactory(initiative=initiative)
    edits.save_plan_rows(
        application=application,
        by=coordinator,
        rows=[
            {
                "activity": "地区防災訓練",
                "initiatives": [initiative],
                "schedule": "9月 第1日曜日",
                "expected_effect": "避難経路の確認と参加者の増加",
                "cost": 700_000,
            }
        ],
    )
    edits.save_budget(
        application=application, by=coordinator, lines=budget_lines(year, grant=grant)
    )
    edits.add_attachment(
        application=application,
        by=coordinator,
        kind=AttachmentKind.MINUTES,
        title="令和8年度 総会議事録",
        file=pdf_file(),
    )
    application.refresh_from_db()
    return application, coordinator


def report_lines(year: ProgramYear, *, grant: int = 600_000, spent: int = 700_000) -> list[dict]:
    day = fiscal_year_range(year.fiscal_year)[0] + dt.timedelta(days=60)
    own = spent - grant
    return [
        {
            "side": Side.INCOME,
            "income_source": IncomeSource.GRANT,
            "category": None,
            "description": "一括交付金",
            "amount": grant,
            "spent_on": None,
        },
        {
            "side": Side.INCOME,
            "income_source": IncomeSource.OWN_FUNDS,
            "category": None,
            "description": "会費",
            "amount": own,
            "spent_on": None,
        },
        {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": category(year, "消耗品費"),
            "description": "防災用品",
            "amount": spent,
            "spent_on": day,
        },
    ]


class Staff:
    """One grant officer and one approver: different people, so the four-eyes rule holds."""

    def __init__(self):
        self.officer = StaffUserFactory.grant_officer()
        self.approver = StaffUserFactory.grant_approver()


ORDER = [
    State.DRAFT,
    State.SUBMITTED,
    State.RECOMMENDED,
    State.APPROVED,
    State.PAID,
    State.REPORTED,
    State.REPORT_ACCEPTED,
    State.SETTLED,
]


def application_in(
    state: State,
    year: ProgramYear | None = None,
    *,
    staff: Staff | None = None,
    grant: int = 600_000,
    granted: int | None = None,
    spent: int = 700_000,
    pay: int | None = None,
    **draft_kwargs,
):
    """A complete application walked through the services to `state`.

    Returns (application, coordinator, staff). Side states (returned, rejected, withdrawn,
    change requested, report returned, cancelled) branch off the main line where they occur.
    """
    year = year or GrantYearFactory()
    staff = staff or Staff()
    application, coordinator = complete_draft(year, grant=grant, **draft_kwargs)
    granted = grant if granted is None else granted
    today = timezone.localdate()

    def done():
        application.refresh_from_db()
        return application, coordinator, staff

    if state == State.DRAFT:
        return done()
    if state == State.WITHDRAWN:
        decisions.withdraw(application=application, by=coordinator)
        return done()
    decisions.submit(application=application, by=coordinator)
    if state == State.SUBMITTED:
        return done()
    if state == State.RETURNED:
        decisions.return_for_correction(
            application=application,
            by=staff.officer,
            reasons={"budget": "見積書の金額と合わせてください。"},
        )
        return done()
    decisions.recommend(application=application, by=staff.officer)
    if state == State.RECOMMENDED:
        return done()
    if state == State.REJECTED:
        decisions.reject(application=application, by=staff.approver, comment="対象外の事業です。")
        return done()
    decisions.approve(
        application=application,
        by=staff.approver,
        granted_amount=granted,
        decision_number=f"み協第{application.pk}号",
        decided_on=today,
    )
    if state == State.APPROVED:
        return done()
    if state == State.CHANGE_REQUESTED:
        edits.start_change(application=application, by=coordinator, reason="講師の追加")
        decisions.request_change(application=application, by=coordinator)
        return done()
    amount = granted if pay is None else pay
    decisions.record_payment(
        application=application,
        by=staff.officer,
        kind=PaymentKind.FULL if amount == granted else PaymentKind.ADVANCE,
        amount=amount,
        paid_on=today,
    )
    if state == State.PAID:
        return done()
    if state == State.CANCELLED:
        decisions.cancel(
            application=application,
            by=staff.approver,
            return_amount=granted,
            cancelled_on=today,
            comment="目的外の支出がありました。",
        )
        return done()
    edits.save_report(
        application=application,
        by=coordinator,
        summary="防災訓練を実施し120人が参加。",
        outcomes="次年度は子ども向けの訓練を加える。",
        lines=report_lines(year, grant=granted, spent=spent),
        indicators=[],
    )
    edits.add_attachment(
        application=application,
        by=coordinator,
        kind=AttachmentKind.RECEIPT,
        title="領収書一式",
        file=pdf_file("receipts.pdf"),
        for_report=True,
    )
    decisions.submit_report(application=application, by=coordinator)
    if state == State.REPORTED:
        return done()
    if state == State.REPORT_RETURNED:
        decisions.return_report(
            application=application,
            by=staff.officer,
            reasons={"report_budget": "領収書の日付を確認してください。"},
        )
        return done()
    decisions.accept_report(application=application, by=staff.officer)
    if state == State.REPORT_ACCEPTED:
        return done()
    decisions.settle(application=application, by=staff.approver, settled_on=today)
    return done()
