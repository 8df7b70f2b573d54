"""Admin search that finds a record however its words were written, and however staff type them.

Records keep text as it was entered: 「桜台二丁目」 in one, 「桜台2丁目」 or 「桜台２丁目」 in the
next, 「ＮＰＯ法人」 in full-width letters, readings in hiragana and names in katakana. Each word
staff type is searched in each of the forms it may be written in (search_variants), and a row
matches a word when any form is found in any search field; as in Django's own search, a row must
match every word. The database answers with one query, as before, so the change list's query
count does not change.
"""

import re

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.utils.text import smart_split, unescape_string_literal

from core.text import fold, kanji_numeral, normalize, to_hiragana

_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}
_TO_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
_NUMBER_RE = re.compile(r"(?<!\d)\d{1,4}(?!\d)")


def _digits_as_kanji(text: str) -> str:
    """2丁目 → 二丁目, 12 → 十二: numbers as addresses write them (up to four digits)."""
    return _NUMBER_RE.sub(lambda number: kanji_numeral(int(number.group())), text)


def search_variants(word: str) -> list[str]:
    """The forms a typed word may be written in in the records, the word as typed first.

    As typed; in half-width letters and digits (「ＮＰＯ」 → 「NPO」); in hiragana, as readings are
    kept; folded (core.text.fold: kanji numerals as digits, 「二丁目」 → 「2丁目」); with digits as
    kanji numerals (「2丁目」 → 「二丁目」); in katakana; in full-width letters and digits
    (「2丁目」 → 「２丁目」). Upper and lower case of half-width letters match alike already.
    """
    normalized = normalize(word)
    folded = fold(word)
    variants = (
        word,
        normalized,
        to_hiragana(normalized),
        folded,
        _digits_as_kanji(folded),
        folded.translate(_TO_KATAKANA),
        folded.upper().translate(_TO_FULL_WIDTH),
    )
    return list(dict.fromkeys(variant for variant in variants if variant))


class KanaSearchMixin:
    """For a ModelAdmin: search_fields searched with every form of each typed word."""

    def get_search_results(self, request, queryset, search_term):
        search_fields = self.get_search_fields(request)
        words = [
            unescape_string_literal(bit) if bit[:1] in "\"'" and bit[0] == bit[-1] else bit
            for bit in smart_split(search_term or "")
        ]
        forms = [search_variants(word) for word in words]
        lookups = [self._search_lookup(str(name)) for name in search_fields or ()]
        if not lookups or all(len(word_forms) == 1 for word_forms in forms) or None in lookups:
            # Nothing typed that is written another way, or a search field with a lookup of its
            # own (which Django knows how to apply): Django's search as it is.
            return super().get_search_results(request, queryset, search_term)
        condition = Q.create(
            [
                Q.create(
                    [(lookup, form) for form in word_forms for lookup in lookups],
                    connector=Q.OR,
                )
                for word_forms in forms
            ]
        )
        may_have_duplicates = any(lookup_spawns_duplicates(self.opts, lookup) for lookup in lookups)
        return queryset.filter(condition), may_have_duplicates

    def _search_lookup(self, field_name: str) -> str | None:
        """The lookup Django's search uses for a search field; None when the name ends in a
        lookup of its own (「name__exact」)."""
        for prefix, lookup in (("^", "istartswith"), ("=", "iexact"), ("@", "search")):
            if field_name.startswith(prefix):
                return f"{field_name.removeprefix(prefix)}__{lookup}"
        opts = self.model._meta
        for part in field_name.split(LOOKUP_SEP):
            try:
                field = opts.get_field(opts.pk.name if part == "pk" else part)
            except FieldDoesNotExist:
                return None
            if hasattr(field, "path_infos"):
                opts = field.path_infos[-1].to_opts
        return f"{field_name}__icontains"
