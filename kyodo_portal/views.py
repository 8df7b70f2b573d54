"""Pages that gather from several apps, and the site's own pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.cache import public_page
from districts import selectors as district_selectors
from districts.maps import city_map

from . import health, search
from .district_page import district_sections


@login_not_required
@public_page
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
            "city_map": city_map(),
        },
    )


@login_not_required
@public_page
@require_safe
def district_detail(request, slug: str):
    district = district_selectors.district_for_page(slug)
    return render(
        request,
        "districts/district_detail.html",
        {
            "district": district,
            "facts": district_selectors.district_facts(district),
            "sections": district_sections(district),
        },
    )


@login_not_required
@public_page
@require_safe
def accessibility_policy(request):
    return render(request, "accessibility.html")


@login_not_required
@require_safe
def site_search(request):
    """/search/?q=: published records of every kind (kyodo_portal.search). Not page-cached: the
    words are anyone's, and the index answers fast enough."""
    form = search.SiteSearchForm(request.GET or None)
    conditions = form.conditions() if form.is_bound else {}
    context = search.run(conditions, request.GET.get("page"))
    return render(request, "search.html", {"form": form, **context})


@login_not_required
@never_cache
@require_safe
def switch_language(request, code: str):
    """The header's language links: remember the choice and go back to the page.

    A plain link rather than Django's POST form, so pages carry no CSRF token and one cached
    page serves every anonymous visitor. The cookie is the one django.views.i18n.set_language
    writes, which CookieLocaleMiddleware reads.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        url=next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not or not within health.PROBE_SECONDS.
    For load balancers and monitors."""
    if not health.database_answers():
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@login_not_required
@never_cache
def csrf_failure(request, reason=""):
    """The site's page for a form sent without a valid security token (a page left open for
    long, cookies turned off). It never reads the posted form: the form may be what failed."""
    return render(request, "403_csrf.html", status=403)
