from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.cache import public_page
from core.csv_export import csv_lines, csv_response
from core.uploads import file_response

from . import finder, selectors
from .forms import BanchiForm, FinderForm
from .models import Council, District


@login_not_required
@public_page
@require_safe
def district_list(request):
    """All districts in 50音 order, headed by their row of the kana table."""
    districts = list(selectors.district_list())
    return render(
        request,
        "districts/district_list.html",
        {"rows": selectors.kana_rows(districts), "total": len(districts)},
    )


@login_not_required
@require_safe
def council_bylaws(request, slug: str):
    """The council's bylaws (PDF), from the district's address."""
    council = get_object_or_404(Council.objects.select_related("district"), district__slug=slug)
    return file_response(council.bylaws, download_name=f"{council.name} 規約", public=True)


@login_not_required
@public_page
@require_safe
def statistics_csv(request, slug: str):
    """Every population figure of the district, oldest first, as CSV (open data)."""
    district = get_object_or_404(District.objects.only("slug"), slug=slug)
    header = [
        _("As of"),
        _("Population"),
        _("Households"),
        _("Aged under 15"),
        _("Aged 65 and over"),
        _("Aging rate (%)"),
    ]
    rows = (
        [
            row.as_of.isoformat(),
            row.population,
            row.households,
            row.under_15,
            row.aged_65_over,
            row.aging_rate,
        ]
        for row in selectors.district_statistics(district)
    )
    return csv_response(csv_lines(header, rows), filename=f"{district.slug}-population.csv")


@login_not_required
@public_page
@require_safe
def district_find(request):
    """The finder: one district → its page, with how it was found as a message; else a short
    list, a question for the 番地, or what came closest and whom to ask."""
    if "q" not in request.GET:
        return render(request, "districts/finder.html", {"finder_form": FinderForm()})
    form = FinderForm(request.GET)
    if not form.is_valid():
        return render(request, "districts/finder.html", {"finder_form": form})
    query = form.cleaned_data["q"]
    banchi_form = BanchiForm(request.GET) if "banchi" in request.GET else None
    banchi = banchi_form.cleaned_data["banchi"] if banchi_form and banchi_form.is_valid() else None
    result = finder.find_district(query, banchi=banchi)
    if result.outcome is finder.Outcome.FOUND:
        # The district page skips the page cache while a message waits (core.cache).
        messages.success(request, result.message)
        return redirect(result.district.url)
    if result.outcome is finder.Outcome.ASK_BANCHI and (banchi_form is None or banchi is not None):
        banchi_form = BanchiForm(initial={"q": query})
    return render(
        request,
        "districts/finder.html",
        {"finder_form": form, "result": result, "banchi_form": banchi_form},
    )
