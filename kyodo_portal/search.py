"""The site search page, /search/: every kind of published record, from one index (core.search).

Without a kind chosen, the page shows the first few results of each kind with how many there
are; with a kind, the list of that kind page by page. Counts stop at core.search.COUNT_CAP.
"""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core import search
from core.english import safe_message
from core.forms import SearchQueryField
from core.numbers import format_count
from districts.forms import DistrictFilterField

PAGE_SIZE = 20
# Results of each kind shown when no kind is chosen.
PREVIEW_SIZE = 3


class SiteSearchForm(forms.Form):
    q = SearchQueryField(
        label=_("Words to search for"),
        max_length=search.MAX_QUERY_CHARS,
        help_text=safe_message(
            _(
                'Such as <span lang="ja">防災</span>, <span lang="ja">子育て</span> or a town’s '
                "name. Separate words with spaces."
            )
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        error_messages={"invalid_choice": _("Choose a kind from the list.")},
    )
    district = DistrictFilterField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", _("Everything")),
            *((key, kind.label) for key, kind in search.KINDS.items()),
        ]
        self.fields["q"].widget.attrs.update({"autocomplete": "off", "id": "search-q"})

    def conditions(self) -> dict:
        """The valid conditions only: a bad kind or district is reported and left out."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def query_was_cut(self) -> bool:
        return self.is_bound and self.fields["q"].was_cut(self.data.get("q"))


class CappedPaginator(Paginator):
    """Pages over at most COUNT_CAP results, with the count already made."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = min(count, search.COUNT_CAP)

    @cached_property
    def count(self) -> int:
        return self._count


@dataclass
class Result:
    kind: str
    title: str
    url: str
    context: str
    excerpt: str
    sorted_at: object
    fiscal_year: int | None


@dataclass
class KindResults:
    key: str
    label: str
    count: int
    results: list[Result]

    @property
    def count_label(self) -> str:
        if self.count > search.COUNT_CAP:
            return f"{format_count(search.COUNT_CAP)}+"
        return format_count(self.count)

    @property
    def more(self) -> bool:
        return self.count > len(self.results)


def _results(ids: list[int], entries: dict, words) -> list[Result]:
    return [
        Result(
            kind=entry.kind,
            title=search.excerpt(entry.title, words, width=len(entry.title)),
            url=entry.url,
            context=entry.context,
            excerpt=search.excerpt(entry.body, words),
            sorted_at=entry.sorted_at,
            fiscal_year=entry.fiscal_year,
        )
        for entry in (entries[pk] for pk in ids if pk in entries)
    ]


def run(conditions: dict, page_number) -> dict:
    """What the page shows for valid conditions: per kind, or one kind's page. Three queries:
    the change queue, the first matches of each kind (or of the one kind), the entries shown."""
    words = search.query_words(conditions.get("q", ""))
    if not words:
        return {"words": []}
    district = conditions.get("district")
    kind = conditions.get("kind")
    matches = search.first_matches(
        search.entries_for(words, district_id=district.pk if district else None),
        [kind] if kind else list(search.KINDS),
        words,
    )
    counts = {key: len(ids) for key, ids in matches.items()}
    if kind:
        page = CappedPaginator(matches[kind], PAGE_SIZE, count=counts[kind]).get_page(page_number)
        shown = {kind: list(page.object_list)}
    else:
        page = None
        shown = {key: ids[:PREVIEW_SIZE] for key, ids in matches.items() if ids}
    entries = search.entries_by_id([pk for ids in shown.values() for pk in ids])
    if page is not None:
        page.object_list = _results(shown[kind], entries, words)
    groups = [
        KindResults(
            key=key,
            label=search.KINDS[key].label,
            count=counts[key],
            results=_results(ids, entries, words),
        )
        for key, ids in shown.items()
        if page is None
    ]
    over_cap = {key: count > search.COUNT_CAP for key, count in counts.items()}
    return {
        "words": words,
        "counts": counts,
        # What the headings say: each kind counted up to the cap, "+" where there are more.
        "total": sum(min(count, search.COUNT_CAP) for count in counts.values()),
        "total_over_cap": any(over_cap.values()),
        "kind_over_cap": bool(kind) and over_cap[kind],
        "groups": groups,
        "page": page,
        "kind": kind,
        "kind_label": search.KINDS[kind].label if kind else "",
        "kind_count": KindResults(kind, "", counts[kind], []).count_label if kind else "",
        "district": district,
        "capped_at": search.COUNT_CAP,
    }
