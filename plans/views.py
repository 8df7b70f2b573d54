from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from core.cache import public_page
from core.uploads import file_response

from . import selectors
from .feeds import city_calendar_window
from .forms import MeetingFilterForm
from .models import MeetingAttachment, Plan


@login_not_required
@public_page
@require_safe
def plan_detail(request, pk: int):
    """A district plan: vision, issues, initiatives with roles, indicators' progress, reviews."""
    detail = selectors.plan_for_page(pk)
    return render(request, "plans/plan_detail.html", {"detail": detail})


def page_cursor(value: str | None) -> int | None:
    """The meeting list's page cursor (a meeting's id); anything else means the first page."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


@login_not_required
@public_page
@require_safe
def meeting_list(request):
    """Upcoming meetings (soonest first) and past ones (newest first), with filters.

    Past meetings are paged by cursor (?older_than=<id>), without counting them: every page
    costs two short index reads, whether the city has held a hundred meetings or 200,000. The
    fiscal-year filter takes residents straight to any year.
    """
    form = MeetingFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    page = selectors.past_meetings_page(
        older_than=page_cursor(request.GET.get("older_than")), **filters
    )
    # The announcements head the first page only, so later pages show just the records.
    upcoming = selectors.upcoming_meetings(**filters) if page.is_first else None
    return render(
        request,
        "plans/meeting_list.html",
        {
            "form": form,
            "page": page,
            "upcoming": upcoming,
            "filtered": bool(filters),
            "district": filters.get("district"),
            "city_calendar_window": city_calendar_window(),
        },
    )


@login_not_required
@public_page
@require_safe
def meeting_detail(request, pk: int):
    """One meeting: an announcement before it is held, the record (minutes, decisions) after."""
    detail = selectors.meeting_for_page(pk)
    return render(request, "plans/meeting_detail.html", {"detail": detail})


@login_not_required
@require_safe
def plan_document(request, pk: int):
    """The plan's PDF, for public plans only (drafts answer 404 like their page)."""
    plan = get_object_or_404(Plan.objects.public(), pk=pk)
    return file_response(plan.document, download_name=plan.title, public=True)


@login_not_required
@require_safe
def meeting_attachment(request, pk: int, attachment_pk: int):
    """A meeting's attachment, only while the meeting is published."""
    attachment = get_object_or_404(
        MeetingAttachment.objects.filter(meeting__is_published=True), pk=attachment_pk, meeting=pk
    )
    return file_response(attachment.file, download_name=attachment.title, public=True)
