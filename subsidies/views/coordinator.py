"""Coordinators' grant pages (/grants/applications/…): apply, correct, change, report.

Every application is read through policy.councils_applications, so anything outside the
user's councils is a 404. The services check the workflow again on every write, so a button the
page should not have shown is still refused.
"""

import contextlib
import functools
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.dates import fiscal_year_range
from core.forms import add_service_errors

from .. import policy, rules, workflow
from ..actions import ACTIONS
from ..forms import coordinator as forms
from ..models import Application, ApplicationVersion
from ..parts import (
    PART_ORDER,
    PARTS,
    REPORT_STEP_LABELS,
    STEP_LABELS,
    STEPS,
    part_label,
    parts_of_step,
)
from ..selectors import coordinator as selectors
from ..selectors.application import VersionView, current_budget_lines
from ..services import applications as edits
from .actions import act as take_action


def _url(application: Application, step: str) -> str:
    return reverse("grants:application_step", args=[application.pk, step])


def _detail(application: Application):
    return redirect("grants:application_detail", application.pk)


def _refused(request, application: Application, reason) -> HttpResponse:
    messages.error(request, str(reason))
    return _detail(application)


def _refusal_goes_back(view):
    """A write the workflow refuses (a service's ActionNotAllowed) ends on the application's
    page with the reason, whichever step or form of application `pk` it came from."""

    @functools.wraps(view)
    def wrapped(request, pk: int, *args, **kwargs):
        try:
            return view(request, pk, *args, **kwargs)
        except workflow.ActionNotAllowed as refusal:
            messages.error(request, str(refusal))
            return redirect("grants:application_detail", pk)

    return wrapped


def _not_editable(request, application: Application):
    return _refused(
        request,
        application,
        _("This application cannot be changed while it is “%(state)s”.")
        % {"state": application.get_state_display()},
    )


# The dashboard ---------------------------------------------------------------------------------


@require_safe
def dashboard(request):
    """The user's councils: this year's allocation, deadlines and every application."""
    return render(
        request,
        "subsidies/coordinator/dashboard.html",
        {"dashboard": selectors.dashboard(request.user)},
    )


@require_http_methods(["GET", "POST"])
def start(request, council_pk: int, fiscal_year: int):
    """Open the year's application with the basic information; the plan step follows."""
    council = selectors.users_council(request.user, council_pk)
    program_year = selectors.program_year_for(fiscal_year)
    existing = selectors.open_application(council, program_year)
    if existing is not None:
        messages.info(request, str(edits.ONE_OPEN_APPLICATION))
        return _detail(existing)
    # The dashboard's button posts here without the form: that shows the empty form.
    data = request.POST if request.POST.get("form") == "basics" else None
    form = forms.BasicsForm(data, initial=selectors.basics_initial(council))
    if data is not None and form.is_valid():
        try:
            with transaction.atomic():
                application = edits.start_application(
                    council=council, program_year=program_year, by=request.user, **form.basics()
                )
                edits.update_basics(
                    application=application, by=request.user, purpose=form.cleaned_data["purpose"]
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The application has been started as a draft."))
            return redirect(_url(application, "plan"))
    return render(
        request,
        "subsidies/coordinator/start.html",
        {"council": council, "program_year": program_year, "form": form},
    )


# The application's steps -----------------------------------------------------------------------


@dataclass
class Editing:
    """What every step page knows: the application, the version edited and the step list."""

    application: Application
    mode: str  # "application" or "change"
    version: ApplicationVersion
    step: str
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def steps(self) -> list[dict]:
        slugs = STEPS[self.mode]
        return [
            {
                "slug": slug,
                "number": number,
                "label": STEP_LABELS[slug],
                "url": _url(self.application, slug),
                "current": slug == self.step,
                "flagged": slug in self.reasons,
            }
            for number, slug in enumerate(slugs, start=1)
        ]

    @property
    def number(self) -> int:
        return STEPS[self.mode].index(self.step) + 1

    @property
    def label(self):
        return STEP_LABELS[self.step]

    @property
    def reason(self) -> str:
        return self.reasons.get(self.step, "")

    def next_url(self) -> str:
        slugs = STEPS[self.mode]
        return _url(self.application, slugs[min(slugs.index(self.step) + 1, len(slugs) - 1)])

    def context(self, **extra) -> dict:
        return {"editing": self, "application": self.application, **extra}


def _editing(request, application: Application, step: str) -> Editing | HttpResponse:
    """The step's Editing, or the response to send instead (refusal, change not started)."""
    mode = selectors.editing_mode(application, request.user)
    if mode is None:
        return _not_editable(request, application)
    if step not in STEPS[mode]:
        raise Http404
    if mode == "change" and selectors.proposed_version(application) is None:
        return redirect("grants:application_change", application.pk)
    return Editing(
        application=application,
        mode=mode,
        version=selectors.version_for_editing(application),
        step=step,
        reasons=selectors.return_reasons(application),
    )


def _saved(request, editing: Editing):
    """After a step is saved: on to the next step, or back to the application as a draft."""
    if request.POST.get("go") == "draft":
        messages.success(request, _("Your answers have been saved. You can continue later."))
        return _detail(editing.application)
    return redirect(editing.next_url())


def _with_extra_row(data, prefix: str):
    """The posted rows with one more empty row, for 「行を追加」 when the rows cannot be saved."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    with contextlib.suppress(ValueError):
        data[key] = str(int(data.get(key, "0")) + 1)
    return data


@require_http_methods(["GET", "POST"])
@_refusal_goes_back
def step(request, pk: int, step: str):
    """One step of the application (or of a change request), saved as a draft each time."""
    if step not in STEP_LABELS:
        raise Http404
    application = selectors.councils_application(request.user, pk)
    editing = _editing(request, application, step)
    if not isinstance(editing, Editing):
        return editing
    return STEP_VIEWS[step](request, editing)


def _basics_step(request, editing: Editing):
    application, version = editing.application, editing.version
    data = request.POST if request.method == "POST" else None
    if editing.mode == "application":
        form = forms.BasicsForm(data, instance=application, initial={"purpose": version.purpose})
    else:
        form = forms.PurposeForm(data, initial={"purpose": version.purpose})
    if data is not None and form.is_valid():
        basics = form.basics() if editing.mode == "application" else {}
        try:
            edits.update_basics(
                application=application,
                by=request.user,
                purpose=form.cleaned_data["purpose"],
                **basics,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, editing)
    return render(request, "subsidies/coordinator/step_basics.html", editing.context(form=form))


def _plan_step(request, editing: Editing):
    application, version = editing.application, editing.version
    initiatives = selectors.plan_initiatives(application)
    rows = version.plan_rows.prefetch_related("initiatives")
    add = request.GET.get("add") == "plan"
    data = request.POST if request.method == "POST" else None
    formset = forms.plan_formset(data, rows=rows, initiatives=initiatives, extra_rows=int(add))
    page_errors = []
    if data is not None:
        adding = data.get("go") == "add_row"
        if formset.is_valid():
            try:
                edits.save_plan_rows(
                    application=application,
                    by=request.user,
                    rows=[form.row() for form in formset.kept()],
                )
            except ValidationError as error:
                page_errors = error.messages
            else:
                if adding:
                    return redirect(_url(application, "plan") + "?add=plan#plan-new")
                return _saved(request, editing)
        elif adding:
            formset = forms.plan_formset(
                _with_extra_row(data, "plan"), rows=rows, initiatives=initiatives
            )
            formset.is_valid()
    return render(
        request,
        "subsidies/coordinator/step_plan.html",
        editing.context(
            formset=formset,
            has_initiatives=bool(initiatives),
            added=add,
            errors=forms.error_summary(
                groups=[(gettext_lazy("Activity %(number)s"), formset)], page_errors=page_errors
            ),
        ),
    )


def _budget_forms(editing: Editing, data=None, add: str = ""):
    application = editing.application
    return forms.BudgetForms(
        data,
        lines=list(editing.version.budget_lines.select_related("category")),
        categories=selectors.expense_categories(application.program_year),
        program_year=application.program_year,
        allocation=selectors.allocation_of(application),
        add=add,
    )


def _totals(budget) -> dict:
    """The budget's running totals for the page, and the live-update script's yen format."""
    totals = budget.entered_totals()
    return {
        "totals": totals,
        "gap": abs(totals.difference),
        "yen_format": _("¥%(amount)s") % {"amount": "{amount}"},
    }


def _budget_step(request, editing: Editing):
    application = editing.application
    data = request.POST if request.method == "POST" else None
    add = request.GET.get("add", "")
    budget = _budget_forms(editing, data, add=add if add in ("income", "expense") else "")
    page_errors = []
    if data is not None:
        adding = {"add_income": "income", "add_expense": "expense"}.get(data.get("go", ""))
        if budget.is_valid():
            try:
                edits.save_budget(application=application, by=request.user, lines=budget.lines())
            except ValidationError as error:
                page_errors = error.messages
            else:
                if adding:
                    return redirect(f"{_url(application, 'budget')}?add={adding}#{adding}-new")
                return _saved(request, editing)
        elif adding:
            budget = _budget_forms(editing, _with_extra_row(data, adding))
            budget.is_valid()
    return render(
        request,
        "subsidies/coordinator/step_budget.html",
        editing.context(
            budget=budget,
            **_totals(budget),
            allocation=budget.allocation,
            added=add,
            errors=forms.error_summary(groups=budget.groups(), page_errors=page_errors),
        ),
    )


def _attachments_step(request, editing: Editing):
    application = editing.application
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        go = request.POST.get("go", "")
        if go != "upload" and form.is_empty():
            return _saved(request, editing)
        if form.is_valid():
            filed = _upload(request, application, form, for_report=False)
            if filed and go == "upload":
                return redirect(_url(application, "attachments"))
            if filed:
                return _saved(request, editing)
    return render(
        request,
        "subsidies/coordinator/step_attachments.html",
        editing.context(
            form=form,
            attachments=selectors.application_attachments(application, for_report=False),
        ),
    )


def _upload(request, application: Application, form, *, for_report: bool) -> bool:
    """File the upload; False when it is refused, with the reason beside the form."""
    try:
        attachment = edits.add_attachment(
            application=application, by=request.user, for_report=for_report, **form.attachment()
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("“%(title)s” has been attached.") % {"title": attachment.title})
    return True


def _check_step(request, editing: Editing, failure: list[str] | None = None):
    if request.method != "GET" and failure is None:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    application = editing.application
    contents = VersionView.of(selectors.version_with_contents(editing.version))
    attachments = selectors.application_attachments(application, for_report=False)
    allocation = selectors.allocation_of(application)
    if failure is None:
        # What submitting would refuse now: the declared checks, read from the rows shown here.
        filing = contents.filing(application, attachments=attachments, allocation=allocation)
        problems = rules.problems(rules.APPLICATION_CHECKS, filing)
    else:
        problems = failure
    return render(
        request,
        "subsidies/coordinator/check.html",
        editing.context(
            contents=contents,
            problems=problems,
            failed=failure is not None,
            attachments=attachments,
            allocation=allocation,
            action="submit" if editing.mode == "application" else "request_change",
        ),
    )


STEP_VIEWS = {
    "basics": _basics_step,
    "plan": _plan_step,
    "budget": _budget_step,
    "attachments": _attachments_step,
    "check": _check_step,
}


# Attachments -----------------------------------------------------------------------------------


@require_POST
@_refusal_goes_back
def remove_attachment(request, pk: int, attachment_pk: int):
    """Take back a file not yet filed with the application or the report."""
    application = selectors.councils_application(request.user, pk)
    attachment = selectors.councils_attachment(application, attachment_pk)
    back = (
        reverse("grants:application_receipts", args=[application.pk])
        if attachment.for_report
        else _url(application, "attachments")
    )
    try:
        edits.remove_attachment(attachment=attachment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” has been removed.") % {"title": attachment.title})
    return redirect(back)


# A change request ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@_refusal_goes_back
def start_change(request, pk: int):
    """Say what changes and why; the plan and budget steps then edit the proposed version."""
    application = selectors.councils_application(request.user, pk)
    if not workflow.can("edit_change", application, request.user):
        return _not_editable(request, application)
    if selectors.proposed_version(application) is not None:
        return redirect(_url(application, "basics"))
    form = forms.ChangeReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edits.start_change(
                application=application,
                by=request.user,
                reason=form.cleaned_data["change_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The change request has been started. Change the plan and budget, then submit."),
            )
            return redirect(_url(application, "basics"))
    return render(
        request,
        "subsidies/coordinator/change.html",
        {"application": application, "form": form},
    )


# The report ------------------------------------------------------------------------------------


def _report_steps(application: Application, current: str, reasons: dict) -> list[dict]:
    urls = {
        "report": reverse("grants:application_report", args=[application.pk]),
        "receipts": reverse("grants:application_receipts", args=[application.pk]),
    }
    return [
        {
            "slug": slug,
            "number": number,
            "label": label,
            "url": urls[slug],
            "current": slug == current,
            "flagged": bool(parts_of_step(slug) & set(reasons)),
        }
        for number, (slug, label) in enumerate(REPORT_STEP_LABELS.items(), start=1)
    ]


def _report_page(request, application: Application, *, data=None, failure=None):
    report = selectors.report_of(application)
    lines = list(report.lines.all()) if report else list(current_budget_lines(application))
    add = request.GET.get("add", "")
    form = forms.ReportForm(data, instance=report or None)
    budget = forms.ReportBudgetForms(
        data,
        lines=lines,
        categories=selectors.expense_categories(application.program_year),
        program_year=application.program_year,
        add=add if add in ("income", "expense") else "",
    )
    indicators = forms.indicator_forms(
        data,
        indicators=list(edits.reportable_indicators(application)),
        saved=report.indicator_results.all() if report else (),
    )
    page_errors = list(failure or [])
    if data is not None:
        adding = {"add_income": "income", "add_expense": "expense"}.get(data.get("go", ""))
        valid = all([form.is_valid(), budget.is_valid(), *(f.is_valid() for f in indicators)])
        if valid:
            try:
                edits.save_report(
                    application=application,
                    by=request.user,
                    summary=form.cleaned_data["summary"],
                    outcomes=form.cleaned_data["outcomes"],
                    lines=budget.lines(),
                    indicators=[row for f in indicators if (row := f.result())],
                )
            except ValidationError as error:
                page_errors = error.messages
            else:
                report_url = reverse("grants:application_report", args=[application.pk])
                if adding:
                    return redirect(f"{report_url}?add={adding}#{adding}-new")
                if data.get("go") == "draft":
                    messages.success(
                        request, _("The report has been saved. You can continue later.")
                    )
                    return _detail(application)
                return redirect("grants:application_receipts", application.pk)
        elif adding:
            budget = forms.ReportBudgetForms(
                _with_extra_row(data, adding),
                lines=lines,
                categories=selectors.expense_categories(application.program_year),
                program_year=application.program_year,
            )
            budget.is_valid()
    reasons = selectors.return_reasons(application, report=True)
    fiscal_first, fiscal_last = fiscal_year_range(application.program_year.fiscal_year)
    return render(
        request,
        "subsidies/coordinator/report.html",
        {
            "application": application,
            "page_title": REPORT_STEP_LABELS["report"],
            "fiscal_first": fiscal_first,
            "fiscal_last": fiscal_last,
            "form": form,
            "budget": budget,
            **_totals(budget),
            "indicators": indicators,
            "reasons": reasons,
            "steps": _report_steps(application, "report", reasons),
            "added": add,
            "failed": failure is not None,
            "errors": forms.error_summary(
                forms_=[form, *indicators], groups=budget.groups(), page_errors=page_errors
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@_refusal_goes_back
def report(request, pk: int):
    """The year-end report (実績報告書) with the actual budget and indicator results."""
    application = selectors.councils_application(request.user, pk)
    if not workflow.can("edit_report", application, request.user):
        return _not_editable(request, application)
    return _report_page(
        request, application, data=request.POST if request.method == "POST" else None
    )


@require_http_methods(["GET", "POST"])
@_refusal_goes_back
def report_receipts(request, pk: int):
    """Upload the receipts (領収書) filed with the report, then submit the report."""
    application = selectors.councils_application(request.user, pk)
    if not workflow.can("edit_report", application, request.user):
        return _not_editable(request, application)
    form = forms.AttachmentForm(request.POST or None, request.FILES or None, for_report=True)
    if request.method == "POST" and form.is_valid():
        filed = _upload(request, application, form, for_report=True)
        if filed:
            return redirect("grants:application_receipts", application.pk)
    reasons = selectors.return_reasons(application, report=True)
    return render(
        request,
        "subsidies/coordinator/receipts.html",
        {
            "application": application,
            "page_title": REPORT_STEP_LABELS["receipts"],
            "form": form,
            "receipts": selectors.application_attachments(application, for_report=True),
            "reasons": reasons,
            "steps": _report_steps(application, "receipts", reasons),
            "can_submit": workflow.can("submit_report", application, request.user),
        },
    )


# Actions ---------------------------------------------------------------------------------------


@require_POST
def act(request, pk: int, action: str):
    """Submit, withdraw, request the change or submit the report, as the workflow allows."""
    application = selectors.councils_application(request.user, pk)
    # Withdrawing asks for confirmation first: the form is shown until it comes back confirmed.
    confirmed = action != "withdraw" or request.POST.get("confirm")
    attempt = take_action(
        request,
        application,
        action,
        councils=True,
        data=request.POST if confirmed else None,
        back=_detail(application),
    )
    if attempt.response is not None:
        return attempt.response
    if action == "withdraw":
        return render(
            request,
            "subsidies/coordinator/withdraw.html",
            {"application": application, "form": attempt.form},
        )
    return _refused_with_problems(
        request, application, action, list(attempt.form.non_field_errors())
    )


def _refused_with_problems(request, application: Application, action: str, problems: list[str]):
    """Back to the page where the problems can be put right, listing every one of them."""
    if action == "submit_report":
        return _report_page(request, application, failure=problems)
    editing = _editing(request, application, "check")
    if not isinstance(editing, Editing):
        for problem in problems:
            messages.error(request, problem)
        return editing
    return _check_step(request, editing, failure=problems)


# The application's page ------------------------------------------------------------------------


@require_safe
def detail(request, pk: int):
    """State, amounts, versions, payments, history, files, documents and the allowed actions."""
    page = selectors.application_detail(request.user, pk)
    application = page.application
    rows = [
        row
        for row in workflow.available(application, request.user)
        if row.role in policy.COUNCIL_ROLES
    ]
    return render(
        request,
        "subsidies/coordinator/detail.html",
        {
            "detail": page,
            "application": application,
            "links": _action_links(application, rows, has_proposed=page.proposed is not None),
            "buttons": [row for row in rows if row.action in ACTIONS],
            "prints": _prints(application, page),
            "corrections": _corrections(application, page),
        },
    )


def _action_links(application: Application, rows, *, has_proposed: bool) -> list[dict]:
    targets = {
        "edit": _url(application, "basics"),
        "edit_change": (
            _url(application, "basics")
            if has_proposed
            else reverse("grants:application_change", args=[application.pk])
        ),
        "edit_report": reverse("grants:application_report", args=[application.pk]),
    }
    labels = {"edit_change": gettext_lazy("Continue the change request")} if has_proposed else {}
    return [
        {"url": targets[row.action], "label": labels.get(row.action, row.label)}
        for row in rows
        if row.action in targets
    ]


def _corrections(application: Application, page) -> list[dict]:
    """The latest return's reasons, each with the page where that part is corrected."""
    urls = {step: _url(application, step) for step in STEP_LABELS}
    urls.update(
        report=reverse("grants:application_report", args=[application.pk]),
        receipts=reverse("grants:application_receipts", args=[application.pk]),
    )
    steps = {part.slug: part.step for part in PARTS}
    reasons = {**page.reasons, **page.report_reasons}
    parts = sorted(
        reasons,
        key=lambda part: PART_ORDER.index(part) if part in PART_ORDER else len(PART_ORDER),
    )
    return [
        {"label": part_label(part), "text": reasons[part], "url": urls.get(steps.get(part))}
        for part in parts
    ]


def _prints(application: Application, detail) -> list[dict]:
    return [
        {"url": reverse("grants:print", args=[application.pk, slug]), "label": title}
        for slug, title in detail.print_documents
    ]
