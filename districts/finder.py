"""The district finder: from what a resident types — an address, a town, a school, a reading —
to their school district.

Reading the text is pure (``read_query``, ``find_town``, ``read_numbers``, ``resolve_areas``);
``find_district`` adds the two reads it needs: the finder's index of towns and districts (one
cached copy per public records version, so most requests read none of it from the database)
and the areas of the town found (one query).

Both sides are compared through core.text.fold, so 「二丁目」, 「2丁目」 and 「２丁目」, 「緑ヶ丘」,
「緑ケ丘」 and 「緑が丘」, katakana and hiragana, full and half width all read alike.
"""

import logging
import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.cache import for_current_version
from core.english import LocalName, ja_html
from core.text import fold, is_word_char, kanji_numeral, printable, to_hiragana

from .models import Area, District

logger = logging.getLogger(__name__)

# Longer text is cut, not refused: an address with a building name and a room fits easily.
MAX_QUERY_LENGTH = 100
SUGGESTION_COUNT = 5

_PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)  # fmt: skip
# Folded as the text is (三重県 → 3重県, 千葉県 → 1000葉県), longest first.
_FOLDED_PREFECTURES = tuple(sorted((fold(name) for name in _PREFECTURES), key=len, reverse=True))

# 〒123-4567, 郵便番号1234567, or seven digits opening the text.
_POSTAL_CODE = re.compile(r"(?:〒|郵便番号)\s*(\d{3})-?(\d{4})(?!\d)|^(\d{3})-?(\d{4})(?![\d-])")
# A number after the town and what marks it: 2丁目, 5番地, 5番, 3号, 5の3, 2-5-3.
_NUMBER = re.compile(r"-?(\d+)(丁目|ちょうめ|番地|ばんち|番|号|の|-)?")
_CHOME_MARKERS = {"丁目", "ちょうめ"}
_BANCHI_MARKERS = {"番地", "ばんち", "番"}

# What a school's or a district's name may end with, folded, longest first; stripped from both
# sides so that 「桜台小」, 「桜台小学校」 and 「桜台小学校区」 all meet 「桜台」.
_NAME_SUFFIXES = tuple(
    sorted(
        (
            "小学校区",
            "中学校区",
            "義務教育学校区",
            "学校区",
            "小学校",
            "中学校",
            "義務教育学校",
            "学校",
            "校区",
            "地区",
            "小",
            "中",
            "しょうがっこうく",
            "ちゅうがっこうく",
            "しょうがっこう",
            "ちゅうがっこう",
            "がっこう",
            "こうく",
            "ちく",
        ),  # fmt: skip
        key=len,
        reverse=True,
    )
)
_NAME_PREFIXES = ("市立", "町立", "村立", "区立")


class Outcome(StrEnum):
    FOUND = "found"  # one district: go there
    SEVERAL = "several"  # a short list to choose from
    ASK_BANCHI = "ask_banchi"  # the 丁目 is split between districts by 番地
    NONE = "none"  # nothing matched: say so, suggest towns, name the city's contact
    POSTAL_CODE = "postal_code"  # only a postal code, which the city's table does not hold


class MatchedBy(StrEnum):
    ADDRESS = "address"
    SCHOOL = "school"
    NAME = "name"
    READING = "reading"


@dataclass(frozen=True)
class DistrictRef:
    """What the finder shows of a district; kept in the cached index, so no model instance."""

    pk: int
    slug: str
    name: str
    school_name: str
    name_kana: str
    name_en: str = ""

    @cached_property
    def url(self) -> str:
        return reverse("district_detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> LocalName:
        return LocalName(self.name, self.name_en, self.name_kana)


@dataclass(frozen=True)
class Town:
    key: str  # fold(town): Area.town_key
    name: str  # as the city's table writes it
    kana: str
    reading: str  # the kana folded, without spaces


@dataclass(frozen=True)
class NameMatch:
    district: DistrictRef
    by: frozenset[MatchedBy]  # which of its names: 桜台 is the stem of name and school alike


@dataclass
class FinderIndex:
    """Every town and district the finder can match, built from two queries."""

    towns: dict[str, Town]  # by town_key
    # What the text may contain (a town's key or its reading, without spaces) → town keys.
    town_keys: dict[str, frozenset[str]]
    longest_key: int
    districts: dict[int, DistrictRef]
    # A name with its suffixes stripped (桜台) → the districts it names, and how.
    names: dict[str, tuple[NameMatch, ...]]

    @cached_property
    def neighbours(self) -> tuple[dict[str, list[Town]], dict[str, list[Town]]]:
        """The towns by each pair of characters and by the first character of their name and
        reading, for the suggestions. Built on first use in each process (after the index is
        stored in the cache, so not stored with it)."""
        by_pair: dict[str, list[Town]] = {}
        by_first: dict[str, list[Town]] = {}
        for town in self.towns.values():
            for spelling in {town.key, town.reading} - {""}:
                by_first.setdefault(spelling[0], []).append(town)
                for pair in _bigrams(spelling):
                    by_pair.setdefault(pair, []).append(town)
        return by_pair, by_first

    @classmethod
    def build(cls, town_rows, district_rows) -> "FinderIndex":
        towns: dict[str, Town] = {}
        for key, name, kana in town_rows:
            if key and key not in towns:
                reading = _compact(to_hiragana(kana))
                towns[key] = Town(key=key, name=name, kana=kana, reading=reading)
        town_keys: dict[str, set[str]] = {}
        for town in towns.values():
            town_keys.setdefault(town.key, set()).add(town.key)
            if town.reading:
                town_keys.setdefault(town.reading, set()).add(town.key)
        districts = {row[0]: DistrictRef(*row) for row in district_rows}
        names: dict[str, dict[DistrictRef, set[MatchedBy]]] = {}
        for district in districts.values():
            for text, by in (
                (district.name, MatchedBy.NAME),
                (district.school_name, MatchedBy.SCHOOL),
                (district.name_kana, MatchedBy.READING),
            ):
                stem = name_stem(_compact(fold(text)))
                if stem:
                    names.setdefault(stem, {}).setdefault(district, set()).add(by)
        return cls(
            towns=towns,
            town_keys={key: frozenset(found) for key, found in town_keys.items()},
            longest_key=max(map(len, town_keys), default=0),
            districts=districts,
            names={
                stem: tuple(NameMatch(district, frozenset(by)) for district, by in found.items())
                for stem, found in names.items()
            },
        )


# Reading the text ---------------------------------------------------------------------------


def clean_query(value: str) -> str:
    """What was typed, safe to keep and show (core.text.printable), cut to MAX_QUERY_LENGTH,
    spaces trimmed."""
    return printable(value).strip()[:MAX_QUERY_LENGTH].strip()


def has_words(value: str) -> bool:
    """Whether there is anything to look for: a letter, digit or kana (not a lone ー or 々)."""
    return any(is_word_char(char) and char not in "ー々" for char in fold(value))


def _compact(folded: str) -> str:
    """Folded text with spaces, punctuation and symbols dropped ('-' kept: 2-5-3)."""
    return "".join(char for char in folded if char == "-" or is_word_char(char))


@dataclass(frozen=True)
class Query:
    text: str  # as typed, cleaned
    key: str  # folded and compact, without postal code, prefecture and city
    postal_code: str  # 1234567, or ""


def read_query(text: str, *, city_name: str | None = None) -> Query:
    """Fold the text and drop what every address of the city shares: the postal code, the
    prefecture and the city's name (settings.CITY_NAME), each where an address writes it."""
    text = clean_query(text)
    folded = fold(text)
    postal_code = ""
    found = _POSTAL_CODE.search(folded)
    if found:
        digits = [part for part in found.groups() if part]
        postal_code = "".join(digits)
        folded = folded[: found.start()] + " " + folded[found.end() :]
    key = _compact(folded).lstrip("-")
    for prefecture in _FOLDED_PREFECTURES:
        if key.startswith(prefecture):
            key = key[len(prefecture) :]
            break
    city = _compact(fold(settings.CITY_NAME if city_name is None else city_name))
    if city and key.startswith(city):
        key = key[len(city) :]
        # みどり野市立桜台小学校: the city's own school.
        key = key.removeprefix("立")
    for prefix in ("大字", "字"):
        key = key.removeprefix(prefix)
    return Query(text=text, key=key, postal_code=postal_code)


def name_stem(key: str) -> str:
    """The name without what schools' and districts' names end with: 桜台小学校区, 桜台小学校,
    桜台小 and 市立桜台小学校 → 桜台; さくらだいしょうがっこう → さくらだい."""
    for prefix in _NAME_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    for suffix in _NAME_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


@dataclass(frozen=True)
class TownMatch:
    town_keys: frozenset[str]
    start: int
    end: int
    tail: str  # the text after the town: 2丁目5-3


def find_town(key: str, index: FinderIndex) -> TownMatch | None:
    """The town named in the text: a town's key (or reading) followed by a number, a dash or
    the end of the text; the one starting first, and of those the longest (新桜台 over 桜台).

    Requiring a number or the end after it keeps a short town name inside other words (原 in
    原田小学校) from being taken for an address.
    """
    for start in range(len(key)):
        for end in range(min(start + index.longest_key, len(key)), start, -1):
            towns = index.town_keys.get(key[start:end])
            if towns is not None and (end == len(key) or key[end].isdigit() or key[end] == "-"):
                return TownMatch(town_keys=towns, start=start, end=end, tail=key[end:])
    return None


@dataclass(frozen=True)
class Numbers:
    chome: int | None
    banchi: int | None


def read_numbers(tail: str, *, town_has_chome: bool) -> Numbers:
    """The 丁目 and 番地 after the town: 2丁目5番3号, 2-5-3, 5番地 (a town without 丁目: 123-4)."""
    parts: list[tuple[int, str]] = []
    at = 0
    while at < len(tail):
        found = _NUMBER.match(tail, at)
        if found is None or found.end() == at:
            break
        parts.append((int(found.group(1)), found.group(2) or ""))
        at = found.end()
    if not parts:
        return Numbers(None, None)
    for position, (number, marker) in enumerate(parts):
        if marker in _CHOME_MARKERS:
            after = parts[position + 1][0] if position + 1 < len(parts) else None
            return Numbers(number, after)
    first, marker = parts[0]
    if not town_has_chome or marker in _BANCHI_MARKERS:
        return Numbers(None, first)
    return Numbers(first, parts[1][0] if len(parts) > 1 else None)


# Resolving ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    label: str  # 「桜台二丁目 1～12番地」, 「桜台小学校」
    district: DistrictRef


@dataclass
class FinderResult:
    outcome: Outcome
    query: str
    district: DistrictRef | None = None  # FOUND
    by: MatchedBy | None = None
    place: str = ""  # the place, school or name matched: 「桜台二丁目」; for ASK_BANCHI the 丁目
    choices: list[Choice] = field(default_factory=list)
    suggestions: list[Town] = field(default_factory=list)
    banchi_not_found: int | None = None  # ASK_BANCHI again: no row holds that 番地
    chome_not_found: int | None = None  # SEVERAL: the town has no such 丁目
    town: str = ""  # SEVERAL by address: the town's name

    @property
    def message(self) -> SafeString:
        """How the district was found, for the district page: 「桜台二丁目は桜台小学校区です」
        (on an English page with the Japanese marked lang="ja")."""
        values = {
            "place": ja_html(self.place),
            "district": conditional_escape(self.district.display_name if self.district else ""),
        }
        if self.by is MatchedBy.SCHOOL:
            message = _("%(place)s is the school of %(district)s.")
        elif self.by is MatchedBy.NAME:
            message = _("Found %(district)s by its name.")
        elif self.by is MatchedBy.READING:
            message = _("Found %(district)s by its reading “%(place)s”.")
        else:
            message = _("%(place)s is in %(district)s.")
        # The message's own text is the code's; the values are escaped above.
        return mark_safe(message % values)  # noqa: S308


def _place(area, *, chome_known: bool) -> str:
    if area.chome is not None and chome_known:
        return f"{area.town}{kanji_numeral(area.chome)}丁目"
    return area.town


def _choices(areas, index: FinderIndex) -> list[Choice]:
    return [Choice(area.label, index.districts[area.district_id]) for area in areas]


def _covers(area, banchi: int) -> bool:
    low, high = area.banchi_span
    return low <= banchi and (high is None or banchi <= high)


def resolve_areas(
    query: str, areas: list, numbers: Numbers, index: FinderIndex, *, banchi: int | None = None
) -> FinderResult:
    """From the areas of the town found (in address order) and the 丁目 and 番地 read, to a
    district, a list to choose from, or a question for the 番地. `banchi`, when given (the
    form that asks for it), stands for the 番地 read from the text."""
    chome = numbers.chome
    banchi = banchi if banchi is not None else numbers.banchi
    rows = areas
    chome_known = False
    if chome is not None:
        of_chome = [area for area in areas if area.chome == chome]
        whole_town = [area for area in areas if area.chome is None]
        # A 丁目 that is not in the table falls back to the whole town: still an answer when the
        # town lies in one district, else the list of its 丁目.
        rows = of_chome or whole_town or areas
        chome_known = bool(of_chome)
    if len({area.district_id for area in rows}) == 1:
        area = rows[0]
        return FinderResult(
            Outcome.FOUND,
            query,
            district=index.districts[area.district_id],
            by=MatchedBy.ADDRESS,
            place=_place(area, chome_known=chome_known),
        )
    split = len({(area.town_key, area.chome) for area in rows}) == 1 and any(
        area.banchi_from is not None for area in rows
    )
    if split and (chome_known or rows[0].chome is None):
        place = _place(rows[0], chome_known=chome_known)
        if banchi is None:
            return FinderResult(
                Outcome.ASK_BANCHI, query, place=place, choices=_choices(rows, index)
            )
        holding = [area for area in rows if _covers(area, banchi)]
        if len({area.district_id for area in holding}) == 1:
            return FinderResult(
                Outcome.FOUND,
                query,
                district=index.districts[holding[0].district_id],
                by=MatchedBy.ADDRESS,
                place=f"{place}{banchi}番地",
            )
        return FinderResult(
            Outcome.ASK_BANCHI,
            query,
            place=place,
            choices=_choices(rows, index),
            banchi_not_found=banchi,
        )
    return FinderResult(
        Outcome.SEVERAL,
        query,
        choices=_choices(rows, index),
        town=rows[0].town,
        chome_not_found=chome if chome is not None and not chome_known else None,
    )


_SCHOOL_ENDINGS = ("小学校", "中学校", "義務教育学校", "学校", "小", "中")


def _matched_by(key: str, match: NameMatch) -> MatchedBy:
    """Which of the district's names the text gave: the school when it ends as schools do, the
    reading when it is all kana, else the district's own name."""
    if MatchedBy.SCHOOL in match.by and (
        key.endswith(_SCHOOL_ENDINGS) or match.by == {MatchedBy.SCHOOL}
    ):
        return MatchedBy.SCHOOL
    if MatchedBy.READING in match.by and (_is_kana(key) or match.by == {MatchedBy.READING}):
        return MatchedBy.READING
    if MatchedBy.NAME in match.by:
        return MatchedBy.NAME
    return next(iter(sorted(match.by)))


_LEVELS = (("小学校", ("小学校区", "小学校", "小")), ("中学校", ("中学校区", "中学校", "中")))


def _same_level(key: str, matches: tuple[NameMatch, ...]) -> tuple[NameMatch, ...]:
    """桜台中 means the junior high school's district where 桜台 has an elementary one too."""
    for school, endings in _LEVELS:
        if key.endswith(endings):
            same = tuple(
                match
                for match in matches
                if school in match.district.school_name or school in match.district.name
            )
            return same or matches
    return matches


def _is_kana(key: str) -> bool:
    return all("ぁ" <= char <= "ゖ" or char == "ー" for char in key)


def _name_result(query: Query, matches: tuple[NameMatch, ...]) -> FinderResult:
    if len(matches) == 1:
        match = matches[0]
        by = _matched_by(query.key, match)
        place = {
            MatchedBy.SCHOOL: match.district.school_name,
            MatchedBy.READING: match.district.name_kana,
        }.get(by, match.district.name)
        return FinderResult(Outcome.FOUND, query.text, district=match.district, by=by, place=place)
    return FinderResult(Outcome.SEVERAL, query.text, choices=_name_choices(query, matches))


def _name_choices(query: Query, matches) -> list[Choice]:
    return [
        Choice(
            match.district.school_name
            if _matched_by(query.key, match) is MatchedBy.SCHOOL
            else match.district.name,
            match.district,
        )
        for match in matches
    ]


def _bigrams(text: str) -> set[str]:
    return {text[at : at + 2] for at in range(len(text) - 1)}


def _common_prefix(one: str, other: str) -> int:
    length = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        length += 1
    return length


def suggest_towns(key: str, index: FinderIndex, limit: int = SUGGESTION_COUNT) -> list[Town]:
    """The towns closest to what was typed: sharing the most pairs of characters, then the
    longest common start, in the town's name or its reading."""
    letters = "".join(re.split(r"[\d-]+|丁目|ちょうめ|番地|ばんち|番|号", key))
    if not letters:
        return []
    pairs = _bigrams(letters)
    by_pair, by_first = index.neighbours
    candidates = set(by_first.get(letters[0], ()))
    for pair in pairs:
        candidates.update(by_pair.get(pair, ()))
    scored = []
    for town in candidates:
        score = max(
            (len(pairs & _bigrams(spelling)), _common_prefix(letters, spelling))
            for spelling in (town.key, town.reading)
        )
        scored.append((score, town))
    scored.sort(key=lambda item: (-item[0][0], -item[0][1], item[1].kana, item[1].name))
    return [town for _score, town in scored[:limit]]


def resolve(query: Query, index: FinderIndex, areas_of, *, banchi: int | None = None):
    """The finder's answer for a read query. `areas_of(town_keys)` gives the towns' areas in
    address order (the one query); it is called only when the text names a town."""
    if not query.key:
        if query.postal_code:
            return FinderResult(Outcome.POSTAL_CODE, query.text)
        return FinderResult(Outcome.NONE, query.text)
    town = find_town(query.key, index)
    names = _same_level(query.key, index.names.get(name_stem(query.key), ()))
    if town is not None and (town.tail or not names):
        # An address (a town and its numbers), or a town that is nothing else's name.
        return _town_result(query, town, index, areas_of, banchi=banchi)
    if names:
        named = _name_result(query, names)
        if town is None:
            return named
        # Both a town and a district's name (桜台 the town, 桜台小学校区 the district): one
        # answer when they agree, else both to choose from.
        by_town = _town_result(query, town, index, areas_of, banchi=banchi)
        if by_town.outcome is Outcome.FOUND and {m.district for m in names} == {by_town.district}:
            return by_town
        choices = _name_choices(query, names)
        if by_town.outcome is Outcome.FOUND:
            choices.append(Choice(by_town.place, by_town.district))
        else:
            choices += by_town.choices
        return FinderResult(Outcome.SEVERAL, query.text, choices=choices)
    if query.postal_code and not any(char.isalpha() for char in query.key):
        return FinderResult(Outcome.POSTAL_CODE, query.text)
    return FinderResult(Outcome.NONE, query.text, suggestions=suggest_towns(query.key, index))


def _town_result(query: Query, town: TownMatch, index, areas_of, *, banchi):
    # Rows of a district newer than the index are left out (the next version's index has it).
    areas = [area for area in areas_of(town.town_keys) if area.district_id in index.districts]
    if not areas:  # the index was a moment older than the table
        return FinderResult(Outcome.NONE, query.text, suggestions=suggest_towns(query.key, index))
    numbers = read_numbers(town.tail, town_has_chome=any(area.chome is not None for area in areas))
    return resolve_areas(query.text, areas, numbers, index, banchi=banchi)


# The index, cached ----------------------------------------------------------------------------

INDEX_KEY = "districts:finder-index"
INDEX_SECONDS = 24 * 60 * 60


def load_index() -> FinderIndex:
    """The index from the database: two queries, whatever the size of the city."""
    towns = Area.objects.order_by().values_list("town_key", "town", "town_kana").distinct()
    districts = District.objects.order_by("pk").values_list(
        "pk", "slug", "name", "school_name", "name_kana", "name_en"
    )
    return FinderIndex.build(sorted(towns), list(districts))


def finder_index() -> FinderIndex:
    """The index for the current public records version (core.cache.for_current_version, with
    this process's copy): any write to the districts (or other public records) starts a new
    version, so an index never outlives the table it was built from."""
    return for_current_version(INDEX_KEY, load_index, timeout=INDEX_SECONDS, memo=True)


def _areas_of(town_keys) -> list[Area]:
    return list(
        Area.objects.filter(town_key__in=sorted(town_keys))
        .in_address_order()
        .only("district_id", "town", "town_key", "chome", "banchi_from", "banchi_to")
    )


def find_district(text: str, *, banchi: int | None = None) -> FinderResult:
    """Where the text leads: one district, a list to choose from, a question for the 番地, or
    nothing (with the closest towns). At most three queries (one once the index is cached)."""
    return resolve(read_query(text), finder_index(), _areas_of, banchi=banchi)
