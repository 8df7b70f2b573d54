from itertools import groupby

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.text import gojuon_row

from . import selectors


@login_not_required
@require_safe
def district_list(request):
    """All districts in 50音 order, headed by their row of the kana table."""
    districts = list(selectors.district_list())
    rows = [
        (row, list(members))
        for row, members in groupby(districts, key=lambda d: gojuon_row(d.name_kana))
    ]
    return render(request, "districts/district_list.html", {"rows": rows, "total": len(districts)})
