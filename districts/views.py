from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@login_not_required
@require_safe
def district_list(request):
    """All districts in 50音 order, headed by their row of the kana table."""
    districts = list(selectors.district_list())
    return render(
        request,
        "districts/district_list.html",
        {"rows": selectors.kana_rows(districts), "total": len(districts)},
    )
