"""The grant staff's review pages (/grants/review/…).

Grant officers and approvers see every filed application; liaison officers read their districts'
applications; anyone else gets 404 on every page, as for an application outside their scope.
What a reviewer may do is read from the workflow declaration, never decided here.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from ..exports import XLSX_CONTENT_TYPE, year_workbook
from ..forms.review import QueueFilterForm
from ..policy import may_review
from ..selectors import review as selectors
from .actions import act as take_action


def _reviewers_only(user) -> None:
    if not may_review(user):
        raise Http404


@require_safe
def queue(request):
    """The year's filed applications, open ones and the longest waiting first, with counts.

    Opens on the user's own work (自分の対応待ち) when some waits on them.
    """
    _reviewers_only(request.user)
    form = QueueFilterForm(
        request.GET,
        fiscal_years=selectors.queue_fiscal_years(),
        districts=selectors.districts_for_filter(request.user),
    )
    filters = form.filters()
    found = selectors.review_queue(request.user, **filters)
    page = Paginator(found.applications, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.queue_page_rows(page.object_list)
    return render(
        request,
        "subsidies/review/queue.html",
        {"form": form, "filters": {**filters, "show": found.show}, "queue": found, "page": page},
    )


@require_safe
def application(request, pk: int):
    """One application as the grant staff review it, with the actions the workflow allows."""
    _reviewers_only(request.user)
    detail = selectors.review_detail(request.user, pk)
    return render(request, "subsidies/review/application.html", {"detail": detail})


@require_http_methods(["GET", "POST"])
def act(request, pk: int, action: str):
    """One review action: its form on GET; on POST the action's service, or the refusal."""
    _reviewers_only(request.user)
    application = selectors.application_for_action(request.user, pk)
    attempt = take_action(
        request,
        application,
        action,
        councils=False,
        data=request.POST if request.method == "POST" else None,
        back=redirect("grants:review_application", pk=application.pk),
        facts=selectors.action_facts,
    )
    if attempt.response is not None:
        return attempt.response
    return render(
        request,
        "subsidies/review/act.html",
        {
            "application": application,
            "transition": attempt.transition,
            "action": action,
            "form": attempt.form,
            "facts": attempt.facts,
        },
    )


@require_safe
def year_overview(request, fiscal_year: int):
    """The year's budget, allocations, requests, grants, payments and refunds by district."""
    _reviewers_only(request.user)
    overview = selectors.year_overview(request.user, fiscal_year)
    if overview is None:
        raise Http404
    return render(request, "subsidies/review/year.html", {"overview": overview})


@require_safe
def year_xlsx(request, fiscal_year: int):
    """The year's applications and current budgets as an Excel workbook."""
    _reviewers_only(request.user)
    program_year = selectors.year_program(fiscal_year)
    if program_year is None:
        raise Http404
    workbook = year_workbook(program_year, selectors.review_scope(request.user))
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=f"grant-applications-{fiscal_year}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
