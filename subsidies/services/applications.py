"""What coordinators write: the application, a change request and the report, step by step.

Every function checks the workflow declaration first, so an edit in the wrong state or by the
wrong person is refused here whatever the page showed. Amount changes and uploads are recorded in
the application's history.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from districts.models import Council

from .. import policy, rules, workflow
from ..models import (
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    BudgetLine,
    PlanRow,
    ProgramYear,
    Report,
    ReportIndicator,
    ReportLine,
    State,
    VersionStatus,
)

BASIC_FIELDS = (
    "representative_title",
    "representative_name",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
)
# A change request says why; the form gives the same refusal beside its field.
NO_CHANGE_REASON = gettext_lazy("Say what changes and why.")
# One open application per council and year; the start page says so before trying.
ONE_OPEN_APPLICATION = gettext_lazy("The council already has an application for this year.")


def in_record_language(text_of):
    """Text the system writes into the history, in the city's language whoever is signed in."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text_of())


def version_note(number: int, reason: str = "") -> str:
    """What the history says of a version's budget, or of a change request opened (its reason)."""
    if reason:
        return _("Version %(number)s: %(reason)s") % {"number": number, "reason": reason}
    return _("Version %(number)s") % {"number": number}


def record_event(
    *,
    application: Application,
    by,
    action: str,
    to_state: str | None = None,
    from_state: str | None = None,
    amount_before: int | None = None,
    amount_after: int | None = None,
    comment: str = "",
    reasons: dict | None = None,
) -> ApplicationEvent:
    """Append one entry to the application's history."""
    return ApplicationEvent.objects.create(
        application=application,
        actor=by,
        action=action,
        from_state=from_state or application.state,
        to_state=to_state or application.state,
        amount_before=amount_before,
        amount_after=amount_after,
        comment=comment,
        reasons=reasons or {},
    )


def lock(application: Application) -> Application:
    """The application re-read under a row lock, with what the checks need."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("program_year", "council")
        .get(pk=application.pk)
    )


def working_version(application: Application) -> ApplicationVersion:
    """The version being edited: the proposed change once approved, else the current one."""
    status = (
        VersionStatus.PROPOSED if application.state == State.APPROVED else VersionStatus.CURRENT
    )
    return application.versions.get(status=status)


@transaction.atomic
def start_application(*, council: Council, program_year: ProgramYear, by, **basics) -> Application:
    """Open a council's application for the year as a draft with its first version.

    Only the council's own coordinators may; there is no state yet for the workflow to check.
    """
    application = Application(council=council, program_year=program_year, **basics)
    if not policy.acts_as(by, policy.COORDINATOR, application):
        raise workflow.ActionNotAllowed(_("Your role does not allow this action."))
    if rules.allocation_for(application) is None:
        raise ValidationError(
            _("This district has no allocation for %(year)s yet, so it cannot apply.")
            % {"year": program_year},
            code="no_allocation",
        )
    application.full_clean(exclude=["council", "program_year"], validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as clash:
        raise ValidationError(ONE_OPEN_APPLICATION, code="one_open") from clash
    ApplicationVersion.objects.create(application=application, number=1, created_by=by)
    record_event(application=application, by=by, action="create")
    return application


@transaction.atomic
def update_basics(*, application: Application, by, **basics) -> Application:
    """Change the applicant's details and the purpose while the application can be edited.

    During a change request only the purpose (of the proposed version) can change.
    """
    application = lock(application)
    unknown = set(basics) - set(BASIC_FIELDS) - {"purpose"}
    if unknown:
        raise TypeError(f"not an applicant's detail: {', '.join(sorted(unknown))}")
    purpose = basics.pop("purpose", None)
    version = _editable_version(application, by)
    if basics:
        workflow.transition_for("edit", application, by)
        for name, value in basics.items():
            setattr(application, name, value)
        application.full_clean(exclude=["council", "program_year"], validate_constraints=False)
        application.save()
    if purpose is not None:
        version.purpose = purpose
        version.full_clean(exclude=["application", "created_by"], validate_constraints=False)
        version.save(update_fields=["purpose"])
    return application


def _editable_version(application: Application, by) -> ApplicationVersion:
    action = "edit_change" if application.state == State.APPROVED else "edit"
    workflow.transition_for(action, application, by)
    try:
        return working_version(application)
    except ApplicationVersion.DoesNotExist as missing:
        raise ValidationError(_("Start the change request first."), code="no_change") from missing


@transaction.atomic
def save_plan_rows(*, application: Application, by, rows: list[dict]) -> ApplicationVersion:
    """Replace the business plan of the version being edited."""
    application = lock(application)
    version = _editable_version(application, by)
    district_id = application.council.district_id
    for row in rows:
        for initiative in row.get("initiatives", ()):
            if initiative.plan.district_id != district_id:
                raise ValidationError(
                    _("“%(title)s” is not in this district's plan.") % {"title": initiative.title},
                    code="initiative_elsewhere",
                )
    version.plan_rows.all().delete()
    for order, row in enumerate(rows):
        plan_row = PlanRow.objects.create(
            version=version,
            order=order,
            activity=row["activity"],
            schedule=row["schedule"],
            expected_effect=row["expected_effect"],
            cost=row["cost"],
        )
        plan_row.initiatives.set(row.get("initiatives", ()))
    return version


@transaction.atomic
def save_budget(*, application: Application, by, lines: list[dict]) -> ApplicationVersion:
    """Replace the budget of the version being edited; refuses lines the grant cannot pay.

    The request is the grant's income line. Whether income and expenses balance is checked on
    submission, so a draft can be saved half done.
    """
    application = lock(application)
    version = _editable_version(application, by)
    problems = rules.category_problems(lines, program_year=application.program_year)
    if problems:
        raise ValidationError(problems, code="ineligible")
    before = version.requested_amount
    version.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(version=version, order=order, **line) for order, line in enumerate(lines)
    )
    version.requested_amount = rules.totals(lines).grant
    version.save(update_fields=["requested_amount"])
    if version.status == VersionStatus.CURRENT:
        application.requested_amount = version.requested_amount
        application.save(update_fields=["requested_amount", "updated_at"])
    if before != version.requested_amount:
        record_event(
            application=application,
            by=by,
            action="budget",
            amount_before=before,
            amount_after=version.requested_amount,
            comment=in_record_language(lambda: version_note(version.number)),
        )
    return version


@transaction.atomic
def add_attachment(
    *, application: Application, by, kind: str, title: str, file, for_report: bool = False
) -> Attachment:
    """File minutes, a quote or a receipt with the application or the report."""
    application = lock(application)
    if for_report:
        workflow.transition_for("edit_report", application, by)
    else:
        _editable_version(application, by)
    attachment = Attachment(
        application=application,
        for_report=for_report,
        kind=kind,
        title=title,
        file=file,
        uploaded_by=by,
    )
    attachment.full_clean()
    attachment.save()
    record_event(
        application=application,
        by=by,
        action="upload",
        comment=in_record_language(lambda: f"{attachment.get_kind_display()}: {title}"),
    )
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, by) -> None:
    """Take back a file that has not been filed yet; once submitted, files stay."""
    application = lock(attachment.application)
    if attachment.for_report:
        workflow.transition_for("edit_report", application, by)
    else:
        _editable_version(application, by)
    # A file goes to the city with the application, a change request or the report.
    filings = ("submit_report",) if attachment.for_report else ("submit", "request_change")
    filed = application.events.filter(action__in=filings, at__gt=attachment.uploaded_at).exists()
    if filed:
        raise ValidationError(
            _("This file has been submitted to the city and stays with the application."),
            code="filed",
        )
    record_event(
        application=application,
        by=by,
        action="remove_upload",
        comment=in_record_language(lambda: f"{attachment.get_kind_display()}: {attachment.title}"),
    )
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def start_change(*, application: Application, by, reason: str) -> ApplicationVersion:
    """Open a change request (変更申請): a new version copied from the current one."""
    application = lock(application)
    workflow.transition_for("edit_change", application, by)
    if not reason.strip():
        raise ValidationError({"change_reason": NO_CHANGE_REASON}, code="no_reason")
    if application.versions.filter(status=VersionStatus.PROPOSED).exists():
        raise ValidationError(_("A change request is already being prepared."), code="open_change")
    current = application.versions.get(status=VersionStatus.CURRENT)
    rows = list(current.plan_rows.prefetch_related("initiatives"))
    lines = list(current.budget_lines.all())
    number = application.versions.order_by("-number").values_list("number", flat=True)[0] + 1
    version = ApplicationVersion.objects.create(
        application=application,
        number=number,
        status=VersionStatus.PROPOSED,
        purpose=current.purpose,
        change_reason=reason.strip(),
        requested_amount=current.requested_amount,
        created_by=by,
    )
    for row in rows:
        # A new object, not the original with its pk cleared: the original still carries its
        # prefetched initiatives, and set() would take them as already linked to the copy.
        copy = PlanRow.objects.create(
            version=version,
            order=row.order,
            activity=row.activity,
            schedule=row.schedule,
            expected_effect=row.expected_effect,
            cost=row.cost,
        )
        copy.initiatives.set(row.initiatives.all())
    for line in lines:
        line.pk = None
        line.version = version
    BudgetLine.objects.bulk_create(lines)
    record_event(
        application=application,
        by=by,
        action="start_change",
        comment=in_record_language(lambda: version_note(number, reason.strip())),
    )
    return version


def reportable_indicators(application: Application):
    """Indicators of the initiatives the business plan names, as the report may record them."""
    from plans.models import Indicator

    return (
        Indicator.objects.filter(
            initiative__grant_plan_rows__version__application=application,
            initiative__grant_plan_rows__version__status=VersionStatus.CURRENT,
            initiative__plan__start_fy__lte=application.program_year.fiscal_year,
            initiative__plan__end_fy__gte=application.program_year.fiscal_year,
        )
        .select_related("initiative")
        .distinct()
        .order_by("initiative__order", "order", "pk")
    )


@transaction.atomic
def save_report(
    *,
    application: Application,
    by,
    summary: str,
    outcomes: str,
    lines: list[dict],
    indicators: list[dict],
) -> Report:
    """Write the year-end report: what was done, the actual budget and indicator results."""
    application = lock(application)
    workflow.transition_for("edit_report", application, by)
    problems = rules.category_problems(
        lines, program_year=application.program_year
    ) + rules.date_problems(lines, fiscal_year=application.program_year.fiscal_year)
    allowed = set(reportable_indicators(application).values_list("pk", flat=True))
    if any(row["indicator"].pk not in allowed for row in indicators):
        problems.append(_("Report only the indicators of the initiatives in the business plan."))
    if problems:
        raise ValidationError(problems, code="report_lines")
    report, _created = Report.objects.get_or_create(application=application)
    report.summary = summary
    report.outcomes = outcomes
    report.save()
    before = rules.totals(report.lines.all()).expense
    report.lines.all().delete()
    ReportLine.objects.bulk_create(
        ReportLine(report=report, order=order, **line) for order, line in enumerate(lines)
    )
    report.indicator_results.all().delete()
    ReportIndicator.objects.bulk_create(ReportIndicator(report=report, **row) for row in indicators)
    after = rules.totals(lines).expense
    if before != after:
        record_event(
            application=application,
            by=by,
            action="report_budget",
            amount_before=before,
            amount_after=after,
        )
    return report
