"""Japanese records on English pages: names English readers can read, and the `lang` marks that
let a screen reader switch to a Japanese voice for Japanese text (WCAG 3.1.2).

One rule for every district, council, group, grant program and formula component the portal
names (`LocalName`):

- In Japanese, the Japanese name.
- In English, the English name where the record has one. Otherwise the Japanese name, marked
  lang="ja", followed by its reading in Latin letters (core.romaji, from the record's kana):
  「<span lang="ja">桜台小学校区</span> (Sakuradai Shōgakkōku)」. Where markup cannot go (the page
  title, an attribute, a feed), the reading alone stands for the name: 「Sakuradai Shōgakkōku」;
  only a record with neither an English name nor a reading falls back to the Japanese name.

Other Japanese text shown on English pages (descriptions, minutes, meeting titles, officers'
names, addresses) stays as written and is marked with `lang="ja"`: `ja_html` around a short
value, `ja_attribute` on the element that holds a longer one.
"""

import re
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.utils.functional import lazy
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy, pgettext

from .romaji import romaji

# Kana (with the prolonged sound mark) and kanji: the characters that make text Japanese.
_JAPANESE = re.compile(
    "[\u3005\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0003ffff]"
)


def english_name_field(*, max_length: int):
    """The optional English name a district, council or group may carry (see LocalName)."""
    return models.CharField(
        gettext_lazy("English name"),
        max_length=max_length,
        blank=True,
        help_text=gettext_lazy(
            "Optional. Shown on English pages; without it they show the Japanese name with its "
            "reading in Latin letters."
        ),
    )


def has_japanese(text) -> bool:
    """Whether the text has kana or kanji in it."""
    return bool(text) and _JAPANESE.search(str(text)) is not None


def is_english() -> bool:
    return (get_language() or "").split("-")[0] == "en"


def ja_html(text) -> SafeString:
    """The text, escaped (unless already safe markup); on an English page, text with Japanese
    in it inside <span lang="ja">."""
    if text is None:
        return mark_safe("")
    if is_english() and has_japanese(text):
        return format_html('<span lang="ja">{}</span>', text)
    return conditional_escape(text)


def ja_attribute(text) -> SafeString:
    """' lang="ja"' for the element holding the text, on an English page when the text has
    Japanese in it; nothing otherwise (a Japanese page is lang="ja" already)."""
    if is_english() and has_japanese(text):
        return mark_safe(' lang="ja"')
    return mark_safe("")


@dataclass(frozen=True)
class LocalName:
    """A record's name in the language of the page (see the module's docstring).

    Rendered in a template it is markup (`{{ district.display_name }}`, and as a value of
    blocktranslate): templates turn values into strings before escaping them, so str() gives
    the markup, marked safe. `.text` is the plain form, for titles, attributes and feeds.
    """

    japanese: str
    english: str = ""
    reading: str = ""

    @cached_property
    def romaji(self) -> str:
        return romaji(self.reading)

    @property
    def text(self) -> str:
        if not is_english():
            return self.japanese
        return self.english or self.romaji or self.japanese

    def __str__(self) -> SafeString:
        return self.__html__()

    @property
    def subtitle(self) -> SafeString:
        """What a heading shows under the name: the kana reading in Japanese; in English, the
        Japanese name beside an English one (the reading is already in the name otherwise)."""
        if not is_english():
            return escape(self.reading)
        if self.english and self.japanese:
            return ja_html(self.japanese)
        return mark_safe("")

    def __html__(self) -> SafeString:
        if not is_english():
            return escape(self.japanese)
        if self.english:
            return escape(self.english)
        if not has_japanese(self.japanese):
            return escape(self.japanese)
        if self.romaji:
            return format_html('<span lang="ja">{}</span> ({})', self.japanese, self.romaji)
        return format_html('<span lang="ja">{}</span>', self.japanese)


def local_name(record, *, name="name", english="name_en", reading="name_kana") -> LocalName:
    """The LocalName of a model instance or a row (a dict) with a name, an English name and a
    kana reading; a missing field counts as empty."""
    if isinstance(record, dict):
        get = record.get
    else:

        def get(field, default=""):
            return getattr(record, field, default)

    return LocalName(
        japanese=get(name, "") or "",
        english=get(english, "") or "",
        reading=get(reading, "") or "",
    )


# The 50音 index ------------------------------------------------------------------------------

# Each row of the kana table (core.text.gojuon_row) by the romaji of its first sound.
GOJUON_ROW_ROMAJI = {
    "あ": "A", "か": "Ka", "さ": "Sa", "た": "Ta", "な": "Na",
    "は": "Ha", "ま": "Ma", "や": "Ya", "ら": "Ra", "わ": "Wa",
}  # fmt: skip
OTHER_ROW = "他"


class KanaRow(str):
    """A row of the 50音 index (the row's kana, 「か」), as its links and headings show it.

    In Japanese the kana (「か」, 「か行」); in English the row's romaji with the kana beside it,
    marked lang="ja" (「Ka <span lang="ja">か</span>」, 「Ka row <span lang="ja">か行</span>」),
    so that readers who do not read kana can still find a name they heard.
    """

    @property
    def kana(self) -> str:
        return str(self)

    @property
    def romaji(self) -> str:
        return GOJUON_ROW_ROMAJI.get(self.kana, "")

    def __html__(self) -> str:
        return self.label.__html__()

    @property
    def label(self) -> SafeString:
        """The index link's text."""
        if not is_english():
            return escape(self.kana)
        if not self.romaji:
            return escape(pgettext("names whose reading is not in kana", "Other"))
        return format_html('{} <span lang="ja">{}</span>', self.romaji, self.kana)

    @property
    def heading(self) -> SafeString:
        """The heading of the row's names."""
        if not is_english():
            return escape(gettext("%(row)s row") % {"row": self.kana})
        if not self.romaji:
            return escape(pgettext("names whose reading is not in kana", "Other"))
        return format_html(
            '{} <span lang="ja">{}</span>',
            gettext("%(row)s row") % {"row": self.romaji},
            f"{self.kana}行",
        )


# A translated message with markup (<span lang="ja">…</span> around its Japanese examples), for
# a form's label, help text or error: marked safe when it is rendered, in the language of the
# page. Only for messages written in the code, never for anything a user typed.
safe_message = lazy(mark_safe, SafeString)


# Where each row's readings start, in the order readings sort: a row runs to the next one's start.
_ROW_STARTS = (
    ("あ", "ぁ"), ("か", "か"), ("さ", "さ"), ("た", "た"), ("な", "な"),
    ("は", "は"), ("ま", "ま"), ("や", "ゃ"), ("ら", "ら"), ("わ", "ゎ"),
)  # fmt: skip


def kana_rows() -> list[KanaRow]:
    """The rows of the 50音 index, あ to わ."""
    return [KanaRow(row) for row, _start in _ROW_STARTS]


def reading_range(row: str) -> tuple[str, str | None]:
    """The readings of a row as a range for the database: (first, before) — readings ≥ first
    and < before (None: no end). Readings are stored in hiragana (core.fields)."""
    rows = dict(_ROW_STARTS)
    starts = [start for _row, start in _ROW_STARTS]
    first = rows[row]
    index = starts.index(first)
    return first, starts[index + 1] if index + 1 < len(starts) else None
