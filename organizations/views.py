from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.cache import public_page
from core.english import kana_rows

from . import selectors
from .forms import DirectoryFilterForm

PAGE_SIZE = 20


@login_not_required
@public_page
@require_safe
def directory(request):
    """The directory of groups: filter by kind, district and field, search by name or kana."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    page = Paginator(selectors.search_groups(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "organizations/directory.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "kana_rows": kana_rows(),
            "row": filters.get("row", ""),
        },
    )


@login_not_required
@public_page
@require_safe
def organization_detail(request, pk: int):
    detail = selectors.group_for_page(pk)
    return render(request, "organizations/organization_detail.html", {"detail": detail})
