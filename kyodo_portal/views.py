"""Pages that gather from several apps, and the site's own pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from districts import selectors as district_selectors

from .district_page import district_sections


@login_not_required
@require_safe
def overview(request):
    """The city overview: rollout by stage, districts by stage, the latest figures."""
    districts = list(district_selectors.district_list())
    return render(
        request,
        "overview.html",
        {
            "stage_counts": district_selectors.stage_counts(districts),
            "by_stage": district_selectors.districts_by_stage(districts),
            "district_total": len(districts),
            "summary": district_selectors.city_summary(),
        },
    )


@login_not_required
@require_safe
def district_detail(request, slug: str):
    district = district_selectors.district_for_page(slug)
    return render(
        request,
        "districts/district_detail.html",
        {"district": district, "sections": district_sections(district)},
    )


@login_not_required
@require_safe
def accessibility_policy(request):
    return render(request, "accessibility.html")


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not. For load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
