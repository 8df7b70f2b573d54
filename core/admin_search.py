from core.text import normalize, to_hiragana


class KanaSearchMixin:
    """Admin search that also finds readings when staff type katakana or half-width kana.

    Readings are stored in hiragana; the search runs once as typed and once normalised, and
    returns the rows either finds.
    """

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        converted = to_hiragana(normalize(search_term))
        if search_term and converted != search_term:
            more, more_duplicates = super().get_search_results(request, queryset, converted)
            results = results | more
            may_have_duplicates = may_have_duplicates or more_duplicates
        return results, may_have_duplicates
