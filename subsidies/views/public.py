"""The residents' grant pages: the program, each year's allocations and grants, the CSV, and
each district's grants: every year's, and one year's in full."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.cache import public_page
from core.csv_export import csv_response

from ..exports_csv import year_csv_lines
from ..selectors import public as selectors


@login_not_required
@public_page
@require_safe
def index(request):
    """What the grant is, what it replaced, its years and this year's figures."""
    return render(
        request, "subsidies/public/index.html", {"overview": selectors.program_overview()}
    )


@login_not_required
@public_page
@require_safe
def year(request, fiscal_year: int):
    """Every district's allocation and the grants decided that year, one row per district."""
    return render(request, "subsidies/public/year.html", {"page": selectors.year_page(fiscal_year)})


@login_not_required
@public_page
@require_safe
def year_csv(request, fiscal_year: int):
    """The year's public figures as CSV, streamed so a large city needs no more memory."""
    program_year = selectors.program_year(fiscal_year)
    return csv_response(
        year_csv_lines(program_year), filename=f"grants-{program_year.fiscal_year}.csv"
    )


@login_not_required
@public_page
@require_safe
def district_history(request, slug: str):
    """One district's allocation and decided grant in every fiscal year."""
    return render(
        request,
        "subsidies/public/district_history.html",
        {"history": selectors.district_history(slug)},
    )


@login_not_required
@public_page
@require_safe
def district_year(request, fiscal_year: int, slug: str):
    """One district's grant in one year: the allocation's breakdown, the grant, its activities."""
    return render(
        request,
        "subsidies/public/district_year.html",
        {"detail": selectors.district_year(slug, fiscal_year)},
    )
