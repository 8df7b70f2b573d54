"""The consolidated grant of the demo city for seed_demo: the program, two years, applications.

The program 「地域づくり一括交付金」 has two years, 令和7年度 (FY2025, over) and 令和8年度 (FY2026,
under way). Every application is walked through the real services (allocations, applications,
decisions) with the clock set to the day each step happened, so the history, the versions and
the amounts are exactly what coordinators and grant staff would have produced.

The six councils that receive the grant can hold one open application a year each, which leaves
twelve places for the twelve states that hold a place; rejected and withdrawn applications come
on top. The year that is over takes the states that come after the work is done:

    council  令和7年度 (FY2025)                          令和8年度 (FY2026)
    桜台     settled: advance, change approved, final   returned (budget, attachments)
    緑が丘   report accepted: paid in full, underspent   change requested (proposed version 2)
    本町     cancelled: advance to be returned           withdrawn, then submitted again
    東山     report returned (report budget, receipts)   approved, not yet paid
    若葉     reported again after a return; change       recommended
             refused
    川北     rejected, then paid (advance), report       draft
             being written

桜台 is demo-coordinator's council and 東山 demo-coordinator2's; the other councils'
coordinators (seed_demo's accounts) have no usable password, like the liaison staff.

What the councils file and report, each application's steps and their days, the program's text
and the street light counts are data: demo/data/filings.toml, reports.toml, history.toml and
grants.toml, read by demo.grants.

The command skips all of this when the program is already there, so a second run changes
nothing. The years are fixed: the demo city's grant history is that of 令和7–8年度
whenever the command runs.
"""

import datetime as dt
from collections.abc import Sequence
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation
from django.utils.timezone import get_current_timezone

from core.dates import format_fiscal_year, format_wareki_date
from core.names import person_name
from demo.city import COORDINATED_DISTRICTS
from demo.grants import (
    ADJUSTMENT,
    FILED,
    HISTORY,
    INCOME,
    LEGACY_SUBSIDIES,
    PAPERS,
    PAST_YEAR_COMPONENTS,
    PAST_YEAR_SETTINGS,
    PROGRAM_PURPOSE,
    REPORTS,
    SAMPLE_PDF,
    STANDARD_CONDITIONS,
    STREET_LIGHTS,
    THIS_YEAR_SETTINGS,
    Filing,
)
from districts.models import Council, District
from organizations.models import Officer, OfficerRole
from plans.models import IndicatorResult, Initiative, Plan, PlanStage
from subsidies import rules, workflow
from subsidies.actions import ACTIONS
from subsidies.models import (
    Application,
    AttachmentKind,
    ComponentKind,
    ExpenseCategory,
    FormulaComponent,
    IncomeSource,
    LegacySubsidy,
    PaymentKind,
    Program,
    ProgramYear,
    Side,
    UnitCount,
)
from subsidies.selectors.coordinator import plan_initiatives
from subsidies.services import adjust_allocation, compute_allocations, copy_program_year
from subsidies.services import applications as edits
from subsidies.services.program_year import standard_categories

TOKYO = ZoneInfo("Asia/Tokyo")
PAST_YEAR, THIS_YEAR = 2025, 2026
OFFICER, APPROVER = "demo-officer", "demo-approver"
LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


# --- The clock ---------------------------------------------------------------------------------


class Clock:
    """The time the services see while history is recreated.

    The services stamp events with timezone.now() and check the application window and payment
    dates against timezone.localdate(), so both are patched while the seed runs: the demo's
    history then carries the days on which each step happened.
    """

    def __init__(self):
        self.moment = dt.datetime(PAST_YEAR, 2, 1, 9, 0, tzinfo=TOKYO)

    def localdate(self, value=None, timezone=None) -> dt.date:
        return (value or self.moment).astimezone(timezone or get_current_timezone()).date()

    def set(self, when: str) -> None:
        """Move to "YYYY-MM-DD HH:MM" (Tokyo time)."""
        self.moment = dt.datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=TOKYO)

    def tick(self, minutes: int = 4) -> None:
        self.moment += dt.timedelta(minutes=minutes)

    def running(self):
        """While it runs, the services read the time from this clock."""
        return mock.patch.multiple(
            "django.utils.timezone", now=lambda: self.moment, localdate=self.localdate
        )


# --- Files -------------------------------------------------------------------------------------


def pdf_bytes(*lines: str) -> bytes:
    """A small valid one-page A4 PDF with a few lines of ASCII text."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = " ".join(f"({escape(line)}) '" for line in lines)
    stream = f"BT /F1 12 Tf 72 770 Td 18 TL {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def document(slug: str, fy: int, kind: str, name: str) -> ContentFile:
    lines = (line.format(slug=slug, fy=fy, kind=kind) for line in SAMPLE_PDF["demo"])
    return ContentFile(pdf_bytes(*lines), name=name)


# --- Amounts -----------------------------------------------------------------------------------


def split(total: int, weights: Sequence[int], unit: int = 1000) -> list[int]:
    """Share `total` by weight in whole thousands; the first share takes what rounding leaves.
    When a share would come to nothing, the shares are equal instead."""
    whole = sum(weights)
    amounts = [total * weight // whole // unit * unit for weight in weights]
    if min(amounts) <= 0:
        amounts = [total // len(weights) // unit * unit for _ in weights]
    amounts[0] += total - sum(amounts)
    return amounts


def income_lines(grant: int, own: int, other: int, other_label: str) -> list[dict]:
    """The income lines of a budget or a report, the empty ones left out."""
    sources = (
        (IncomeSource.GRANT, INCOME["grant"], grant),
        (IncomeSource.OWN_FUNDS, INCOME["own_funds"], own),
        (IncomeSource.OTHER, other_label, other),
    )
    return [
        {
            "side": Side.INCOME,
            "income_source": source,
            "category": None,
            "description": description,
            "amount": amount,
        }
        for source, description, amount in sources
        if amount
    ]


def budget_lines(grant: int, own: int, other: int, other_label: str, expenses) -> list[dict]:
    """A balanced budget: its income, then the expenses, (category, description, weight) each,
    sharing the total by weight."""
    amounts = split(grant + own + other, [weight for _, _, weight in expenses])
    return income_lines(grant, own, other, other_label) + [
        {
            "side": Side.EXPENSE,
            "income_source": "",
            "category": category,
            "description": description,
            "amount": amount,
        }
        for (category, description, _), amount in zip(expenses, amounts, strict=True)
    ]


def under_way(plan: Plan, initiative: Initiative, fy: int) -> bool:
    """Whether a business plan of the year may name the plan's initiative: under way in the
    year, in an adopted plan (or one since superseded) covering it."""
    return (
        plan.stage in (PlanStage.ADOPTED, PlanStage.SUPERSEDED)
        and plan.covers(fy)
        and initiative.start_fy <= fy <= initiative.end_fy
    )


def applicant(council: Council, coordinator, representative: str) -> dict:
    """Who files the council's application: its representative, its address and the coordinator
    to contact."""
    district = council.district
    return {
        "representative_title": PAPERS["representative"],
        "representative_name": representative,
        "address": district.hub_address,
        "contact_name": person_name(coordinator),
        "contact_phone": council.contact_phone or district.hub_phone,
        "contact_email": council.contact_email,
    }


def fiscal_order(month: int) -> int:
    """April is 0, March is 11."""
    return (month - 4) % 12


# --- Recreating the history --------------------------------------------------------------------


class History:
    """Walks applications through the services on given days, as the people concerned."""

    def __init__(
        self,
        clock: Clock,
        years: dict[int, ProgramYear],
        users: dict[str, AbstractUser],
        councils: dict[str, Council],
    ):
        self.clock = clock
        self.years = years
        self.officer = users[OFFICER]
        self.approver = users[APPROVER]
        self.coordinators = {slug: users[name] for name, slug in COORDINATED_DISTRICTS.items()}
        self.councils = councils

    # What the council writes ---------------------------------------------------------------

    def write(self, application: Application, filing: Filing) -> None:
        """Fill the version being edited, as its coordinator: purpose, business plan and budget,
        the plan's costs and the expenses each their share (weight) of the total."""
        by = self.coordinator(application)
        grant = rules.allocation_for(application).amount - filing.below_allocation
        total = grant + filing.own_funds + filing.other
        edits.update_basics(application=application, by=by, purpose=filing.purpose)
        self.clock.tick(11)
        fy = application.fiscal_year
        offered = [item for item in plan_initiatives(application) if under_way(item.plan, item, fy)]
        costs = split(total, [activity.weight for activity in filing.activities])
        rows = [
            {
                "activity": activity.text,
                "initiatives": [item for item in offered if item.title in activity.initiatives],
                "schedule": activity.schedule,
                "expected_effect": activity.effect,
                "cost": cost,
            }
            for activity, cost in zip(filing.activities, costs, strict=True)
        ]
        edits.save_plan_rows(application=application, by=by, rows=rows)
        self.clock.tick(9)
        categories = {row.name: row for row in application.program_year.expense_categories.all()}
        expenses = [(categories[e.category], e.description, e.weight) for e in filing.expenses]
        lines = budget_lines(grant, filing.own_funds, filing.other, filing.other_label, expenses)
        edits.save_budget(application=application, by=by, lines=lines)

    def basics(self, council: Council, coordinator, day: dt.date) -> dict:
        chairs = Officer.objects.filter(council=council, role=OfficerRole.CHAIR)
        chair = chairs.current(on=day).first() or chairs.order_by("term_start").first()
        representative = chair.person_name if chair else person_name(coordinator)
        return applicant(council, coordinator, representative)

    def start(self, slug: str, fy: int, filing: Filing, *, minutes: str = "") -> Application:
        """Open the application and write all of it, with the general meeting's minutes."""
        council, coordinator = self.councils[slug], self.coordinators[slug]
        application = edits.start_application(
            council=council,
            program_year=self.years[fy],
            by=coordinator,
            **self.basics(council, coordinator, self.clock.moment.date()),
        )
        self.clock.tick(6)
        self.write(application, filing)
        self.clock.tick(7)
        self.attach(
            application,
            AttachmentKind.MINUTES,
            minutes or PAPERS["minutes"].format(fy=format_fiscal_year(fy)),
            "general meeting minutes",
        )
        for title in filing.quotes:
            self.clock.tick(3)
            self.attach(application, AttachmentKind.QUOTE, title, "quote")
        return application

    def attach(
        self, application: Application, kind: str, title: str, what: str, *, for_report=False
    ) -> None:
        slug = application.council.district.slug
        edits.add_attachment(
            application=application,
            by=self.coordinators[slug],
            kind=kind,
            title=title,
            file=document(slug, application.fiscal_year, what, f"{kind}.pdf"),
            for_report=for_report,
        )

    def coordinator(self, application: Application):
        return self.coordinators[application.council.district.slug]

    # The workflow -----------------------------------------------------------------------------

    def take(self, action: str, application: Application, **step) -> None:
        """A workflow action on its day, through the service its page calls, taken by the demo
        account the workflow lets take it now (the council's coordinator, the grant officer or
        the approver). An action with a method `<action>_arguments` works out the service's
        arguments from the step; the others pass the step's reasons and comment as they are."""
        application.refresh_from_db()
        people = (self.coordinator(application), self.officer, self.approver)
        by = next(user for user in people if workflow.can(action, application, user))
        worked_out = getattr(self, f"{action}_arguments", None)
        day = self.clock.moment.date()
        arguments = worked_out(application, day, **step) if worked_out else step
        ACTIONS[action].service(application=application, by=by, **arguments)

    def approve_arguments(self, application: Application, day: dt.date, number: int) -> dict:
        due = format_wareki_date(application.program_year.report_due_on)
        return {
            "granted_amount": application.requested_amount,
            "decision_number": PAPERS["decision_number"].format(number=number),
            "decided_on": day,
            "conditions": STANDARD_CONDITIONS.format(due=due),
        }

    def approve_change_arguments(self, application: Application, day, comment: str) -> dict:
        proposed = application.versions.get(status="proposed")
        return {"granted_amount": proposed.requested_amount, "comment": comment}

    def pay_arguments(self, application: Application, day, kind: str) -> dict:
        """An advance up to the year's limit, the grant in full, or what settling left to pay."""
        amount = application.granted_amount
        if kind == PaymentKind.ADVANCE:
            amount = rules.advance_limit(application)
        elif kind == PaymentKind.FINAL:
            amount = application.confirmed_amount - application.payments.total()
        return {"kind": kind, "amount": amount, "paid_on": day}

    def settle_arguments(self, application: Application, day, comment: str = "") -> dict:
        return {"settled_on": day, "comment": comment}

    def cancel_arguments(self, application: Application, day, comment: str) -> dict:
        paid = application.payments.total()
        return {"return_amount": paid, "cancelled_on": day, "comment": comment}

    # The council's paperwork ------------------------------------------------------------------

    def change(self, application: Application, filing: Filing, reason: str) -> None:
        """Prepare a change request (変更申請): a new version with the changed plan and budget."""
        edits.start_change(application=application, by=self.coordinator(application), reason=reason)
        self.clock.tick(12)
        self.write(application, filing)

    def report(
        self, application: Application, filing: Filing, *, until: int | None = None, first=False
    ) -> None:
        """Write the report from the current budget, which `filing` made; `until`: only expenses
        paid by that month. `first`: the report as first filed, before a return asked for more.
        """
        slug = application.council.district.slug
        outcome = REPORTS[slug]
        application.refresh_from_db()
        fy = application.fiscal_year
        version = application.versions.get(status="current")
        planned = [
            (line.category, line.description, line.amount)
            for line in version.budget_lines.filter(side=Side.EXPENSE).select_related("category")
        ]
        grant, own, other = application.granted_amount, filing.own_funds, filing.other
        if outcome.shortfall:  # the grant was not all spent; what is left goes back
            grant, own, other = grant - outcome.shortfall, 0, 0
        # What was spent, shared among the planned expenses as they shared the budget.
        spent = budget_lines(grant, own, other, filing.other_label, planned)[-len(planned) :]
        months = {expense.description: expense.month for expense in filing.expenses}
        expenses = []
        for index, line in enumerate(spent):
            month = months.get(line["description"], 3)
            if until is None or fiscal_order(month) <= fiscal_order(until):
                day = dt.date(fy if month >= 4 else fy + 1, month, 8 + index * 5 % 20)
                expenses.append(line | {"spent_on": day})
        if until is not None:  # a report still being written: what has been paid so far
            drawn = sum(line["amount"] for line in expenses)
            grant, own, other = min(drawn, grant), max(drawn - grant, 0), 0
        lines = income_lines(grant, own, other, filing.other_label) + expenses
        edits.save_report(
            application=application,
            by=self.coordinators[slug],
            summary=outcome.first_summary if first else outcome.summary,
            outcomes=outcome.outcomes,
            lines=lines,
            indicators=self.indicator_results(application),
        )

    def indicator_results(self, application: Application) -> list[dict]:
        """The plan's figures for the year of the indicators the business plan touches."""
        indicators = list(edits.reportable_indicators(application))
        results = IndicatorResult.objects.filter(
            indicator__in=indicators, fiscal_year=application.fiscal_year
        )
        known = dict(results.values_list("indicator_id", "actual_value"))
        return [
            {
                "indicator": indicator,
                "actual_value": known[indicator.pk],
                "note": PAPERS["indicator_note"],
            }
            for indicator in indicators
            if indicator.pk in known
        ]

    def receipts(self, application: Application) -> None:
        fy = application.fiscal_year
        for title in PAPERS["receipts"]:
            title = title.format(fy=format_fiscal_year(fy))
            self.attach(application, AttachmentKind.RECEIPT, title, "receipts", for_report=True)
            self.clock.tick(2)
        photos = PAPERS["photos"]
        self.attach(application, AttachmentKind.OTHER, photos, "activity photos", for_report=True)


def replay(h: History, row: dict) -> None:
    """One application of demo/data/history.toml (read by demo.grants), each step through the
    services on its day."""
    application = None
    for step in map(dict, row["steps"]):
        action, when = step.pop("do"), step.pop("at", None)
        if when is None:
            h.clock.tick(step.pop("after_minutes"))
        else:
            h.clock.set(when)
        if "filing" in step:
            step["filing"] = FILED[step["filing"]]
        if action == "start":
            application = h.start(row["council"], row["year"], **step)
        elif action in ("write", "attach", "change", "report", "receipts"):
            getattr(h, action)(application, **step)
        else:
            h.take(action, application, **step)


# --- The program and its years -----------------------------------------------------------------


def seed_program() -> Program:
    program = Program.objects.create(name=INCOME["grant"], purpose=PROGRAM_PURPOSE)
    LegacySubsidy.objects.bulk_create(
        LegacySubsidy(program=program, order=order, **subsidy)
        for order, subsidy in enumerate(LEGACY_SUBSIDIES, start=1)
    )
    return program


def seed_past_year(program: Program, districts: dict[str, District], clock: Clock) -> ProgramYear:
    """令和7年度: 均等割 + 人口割 + 防犯灯加算, computed on April 2, 2025."""
    clock.set("2025-02-18 10:00")
    year = ProgramYear.objects.create(program=program, fiscal_year=PAST_YEAR, **PAST_YEAR_SETTINGS)
    FormulaComponent.objects.bulk_create(
        FormulaComponent(program_year=year, order=order, **component)
        for order, component in enumerate(PAST_YEAR_COMPONENTS, start=1)
    )
    lights = year.components.get(kind=ComponentKind.PER_UNIT)
    UnitCount.objects.bulk_create(
        UnitCount(component=lights, district=districts[slug], count=counts[0])
        for slug, counts in STREET_LIGHTS.items()
    )
    ExpenseCategory.objects.bulk_create(standard_categories(year))
    clock.set("2025-04-02 09:30")
    compute_allocations(program_year=year)
    return year


def seed_this_year(
    program: Program, past: ProgramYear, districts: dict[str, District], clock: Clock
) -> ProgramYear:
    """令和8年度: set up from 令和7年度, then the budget, window and street lights updated."""
    clock.set("2026-02-16 10:00")
    year = copy_program_year(program_year=past, fiscal_year=THIS_YEAR)
    for attribute, value in THIS_YEAR_SETTINGS.items():
        setattr(year, attribute, value)
    year.save(update_fields=list(THIS_YEAR_SETTINGS))
    lights = year.components.get(kind=ComponentKind.PER_UNIT)
    counts = list(lights.unit_counts.select_related("district"))
    for row in counts:
        row.count = STREET_LIGHTS[row.district.slug][1]
    UnitCount.objects.bulk_update(counts, ["count"])
    clock.set("2026-04-02 09:30")
    compute_allocations(program_year=year)
    clock.set("2026-04-03 14:00")
    adjust_allocation(
        allocation=year.allocations.get(district=districts[ADJUSTMENT["district"]]),
        adjustment=ADJUSTMENT["amount"],
        reason=ADJUSTMENT["reason"],
    )
    return year


# --- Entry point -------------------------------------------------------------------------------


def seed_grants(councils: dict[str, Council], users: dict[str, AbstractUser]) -> Program:
    """Create the program, its two years and their applications, unless the program is there.

    Call outside any transaction: the services queue an e-mail to whoever acts next once a
    transaction commits, and the demo's history must not send (or, with the console backend,
    print) some sixty notices, nor leave them queued for the worker. Here tasks run as they are
    queued, and the locmem backend keeps the notices in memory.
    """
    program = Program.objects.filter(name=INCOME["grant"]).first()
    if program is not None:
        return program
    districts = District.objects.in_bulk(list(STREET_LIGHTS), field_name="slug")
    with (
        override_settings(EMAIL_BACKEND=LOCMEM_EMAIL, TASKS=IMMEDIATE_TASKS),
        translation.override("ja"),
        transaction.atomic(),
    ):
        program = seed_program()
        clock = Clock()
        # History is recreated as it happened: the services see the day of each step.
        with clock.running():
            past = seed_past_year(program, districts, clock)
            current = seed_this_year(program, past, districts, clock)
            history = History(clock, {PAST_YEAR: past, THIS_YEAR: current}, users, councils)
            for row in HISTORY:
                replay(history, row)
    return program
