"""Normalising what people type in Japanese: full-width digits, kana readings."""

import re
import unicodedata

_KATAKANA_START, _KATAKANA_END = ord("ァ"), ord("ヶ")
_TO_HIRAGANA = {code: code - 0x60 for code in range(_KATAKANA_START, _KATAKANA_END + 1)}


def printable(value: str) -> str:
    """What was typed, safe to keep and show again: control characters, NUL and lone surrogates
    (which a page cannot be encoded with) removed."""
    return "".join(
        char
        for char in (value or "")
        if not (char < " " or "\x7f" <= char <= "\x9f" or "\ud800" <= char <= "\udfff")
    )


def normalize(value: str) -> str:
    """NFKC (full-width digits and letters to half-width, half-width kana to full) and trimmed."""
    return unicodedata.normalize("NFKC", value or "").strip()


def to_hiragana(value: str) -> str:
    """Katakana to hiragana, so readings typed either way sort and match alike."""
    return normalize(value).translate(_TO_HIRAGANA)


def normalize_kana(value: str) -> str:
    """A reading as stored: hiragana, single spaces."""
    return " ".join(to_hiragana(value).split())


# Rows of the 50音 table, by the first kana of a reading.
_GOJUON_ROWS = (
    ("あ", "あいうえおぁぃぅぇぉゔ"),
    ("か", "かきくけこがぎぐげご"),
    ("さ", "さしすせそざじずぜぞ"),
    ("た", "たちつてとだぢづでどっ"),
    ("な", "なにぬねの"),
    ("は", "はひふへほばびぶべぼぱぴぷぺぽ"),
    ("ま", "まみむめも"),
    ("や", "やゆよゃゅょ"),
    ("ら", "らりるれろ"),
    ("わ", "わをんゎ"),
)


def gojuon_row(reading: str) -> str:
    """The 50音 row (あ, か, …) a reading sorts under; 「他」 for anything else."""
    first = to_hiragana(reading)[:1]
    for row, members in _GOJUON_ROWS:
        if first and first in members:
            return row
    return "他"


# Folding: what residents type and what the records say, brought to one form for matching --------
#
# fold() is the one rule behind every match the portal makes on text: the site search, the
# directory, the district finder and the search index. Both sides of a comparison go through it,
# so each step only has to be consistent, not linguistically perfect:
#
# - NFKC: full-width digits and letters to half-width, half-width kana to full-width;
# - lower case, and katakana to hiragana (readings are typed either way);
# - the linking 「ヶ・ケ・が」 between two kanji (緑ヶ丘 = 緑ケ丘 = 緑が丘) to 「が」;
# - a few old forms of kanji common in names (髙, 﨑, 邊 …) to the everyday ones;
# - kanji numerals to digits (二丁目 = 2丁目, 二十三 = 23), each run as one number;
# - dashes of every width to "-", spaces to one space, control characters (and lone surrogates)
#   dropped.
#
# fold_mapped() also says where each folded character came from, so a match found in folded text
# can be marked in the text as written.

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
                 "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_NUMERALS = frozenset(_KANJI_DIGITS) | frozenset(_KANJI_UNITS)
_OLD_KANJI = str.maketrans("髙﨑邊邉澤濱濵嶋嶌冨德", "高崎辺辺沢浜浜島島富徳")
_DASHES = frozenset("‐‑‒–—―−－﹣")
_LINKING_KA = frozenset("がけゖ")  # ガ・ケ・ヶ once in hiragana
_ASCII_DIGITS = frozenset("0123456789")
_VOICING_MARKS = frozenset("\uff9e\uff9f\u3099\u309a")


def is_kanji(char: str) -> bool:
    """CJK ideographs (and 々), the characters place names are written in."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
        or char == "々"
    )


def _clusters(value: str):
    """(index, characters) of each base character with the marks that follow it, so that NFKC
    composes 「ｶﾞ」 or 「か゛」 into one kana, as it would the whole string."""
    start = None
    for index, char in enumerate(value):
        if start is not None and (unicodedata.combining(char) or char in _VOICING_MARKS):
            continue
        if start is not None:
            yield start, value[start:index]
        start = index
    if start is not None:
        yield start, value[start:]


def _kanji_number(run: str) -> int:
    """二十三 → 23, 二〇二六 → 2026, 百五 → 105, 十 → 10."""
    if not any(char in _KANJI_UNITS for char in run):
        return int("".join(str(_KANJI_DIGITS[char]) for char in run))
    total = digit = 0
    for char in run:
        if char in _KANJI_UNITS:
            total += (digit or 1) * _KANJI_UNITS[char]
            digit = 0
        else:
            digit = digit * 10 + _KANJI_DIGITS[char]
    return total + digit


def _fold_char(char: str) -> str:
    """One character after NFKC: spaces to " ", dashes to "-", lower case, hiragana, everyday
    kanji; control and unassigned characters (and lone surrogates) to nothing."""
    if char.isspace() or unicodedata.category(char) == "Zs":
        return " "
    if unicodedata.category(char) in {"Cc", "Cs", "Cf", "Co", "Cn"}:
        return ""
    if char in _DASHES:
        return "-"
    return char.lower().translate(_TO_HIRAGANA).translate(_OLD_KANJI)


def fold_mapped(value: str) -> tuple[str, list[int]]:
    """fold(value), and for each character of it the index in `value` it came from."""
    quick = _fold_one_to_one(value)
    if quick is not None:
        return quick, list(range(len(quick)))
    return _fold_mapped(value)


def _fold_one_to_one(value: str) -> str | None:
    """fold(value) when each character folds to one character in its place (most text: no
    kanji numerals of two or more characters, no marks, no spaces to drop), else None."""
    if not value or value.translate(_NOT_ONE_TO_ONE):
        return None
    text = value.translate(_CHAR_FOLDS)
    if text[0] == " " or text[-1] == " " or "  " in text or _KANJI_NUMERAL_RUN_RE.search(text):
        return None
    text = _LINKING_KA_RE.sub("が", text)
    text = _LONG_DASH_RE.sub("-", text)
    return _KANJI_NUMERAL_RE.sub(lambda run: str(_kanji_number(run.group())), text)


def _fold_mapped(value: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    sources: list[int] = []
    for index, cluster in _clusters(value or ""):
        # A lone character: its fold from the table fold() uses (NUL: a mark on its own).
        folded = _CHAR_FOLDS[ord(cluster)] if len(cluster) == 1 else "\0"
        if folded == "\0":
            folded = "".join(_fold_char(c) for c in unicodedata.normalize("NFKC", cluster))
        chars.extend(folded)
        sources.extend([index] * len(folded))
    # The linking ヶ between kanji, decided on the kanji as written (before numerals fold).
    for at in range(1, len(chars) - 1):
        if chars[at] in _LINKING_KA and is_kanji(chars[at - 1]) and is_kanji(chars[at + 1]):
            chars[at] = "が"
    # ー typed between digits is a dash (2ー5ー3); elsewhere it lengthens a vowel.
    for at in range(1, len(chars) - 1):
        if chars[at] == "ー" and chars[at - 1] in _ASCII_DIGITS and chars[at + 1] in _ASCII_DIGITS:
            chars[at] = "-"
    folded: list[str] = []
    mapped: list[int] = []
    at = 0
    while at < len(chars):
        if chars[at] in _KANJI_NUMERALS:
            end = at
            while end < len(chars) and chars[end] in _KANJI_NUMERALS:
                end += 1
            digits = str(_kanji_number("".join(chars[at:end])))
            folded.extend(digits)
            # Every digit points at the run's start, the last one at its end, so that a mark
            # spans the whole run as written.
            mapped.extend([sources[at]] * (len(digits) - 1) + [sources[end - 1]])
            at = end
        elif chars[at] == " " and (not folded or folded[-1] == " "):
            at += 1
        else:
            folded.append(chars[at])
            mapped.append(sources[at])
            at += 1
    if folded and folded[-1] == " ":
        folded.pop()
        mapped.pop()
    return "".join(folded), mapped


def kanji_numeral(number: int) -> str:
    """12 → 十二, 20 → 二十, 105 → 百五: 丁目 as addresses write them (below 10,000; a number
    beyond that, which no 丁目 has, is written in digits)."""
    if number == 0:
        return "〇"
    if not 0 < number < 10_000:
        return str(number)
    digits = "〇一二三四五六七八九"
    written = []
    for unit, value in (("千", 1000), ("百", 100), ("十", 10)):
        count, number = divmod(number, value)
        if count:
            written.append(("" if count == 1 else digits[count]) + unit)
    if number:
        written.append(digits[number])
    return "".join(written)


class _CharFolds(dict):
    """str.translate's table for fold(): each character's fold, worked out on first sight.
    Characters that join the one before them (combining marks, ﾞ and ﾟ) map to NUL, which
    sends the text the slow way, cluster by cluster."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if unicodedata.combining(char) or char in _VOICING_MARKS:
            folded = "\0"
        else:
            folded = "".join(_fold_char(c) for c in unicodedata.normalize("NFKC", char))
        if len(self) < 65_536:
            self[code] = folded
        return folded


_CHAR_FOLDS = _CharFolds()


class _NotOneToOne(dict):
    """str.translate's table: nothing for a character that folds to one character, itself for
    one that folds to none, several, or joins the one before it."""

    def __missing__(self, code: int):
        folded = _CHAR_FOLDS[code]
        kept = None if len(folded) == 1 and folded != "\0" else code
        if len(self) < 65_536:
            self[code] = kept
        return kept


_NOT_ONE_TO_ONE = _NotOneToOne()
_KANJI_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff々"
_LINKING_KA_RE = re.compile(f"(?<=[{_KANJI_CLASS}])[がけゖ](?=[{_KANJI_CLASS}])")
_LONG_DASH_RE = re.compile("(?<=[0-9])ー(?=[0-9])")
_KANJI_NUMERAL_RE = re.compile(f"[{''.join(_KANJI_NUMERALS)}]+")
# A run that becomes more or fewer digits (二十三 → 23, 十 → 10, 百 → 100); a lone digit (二 → 2)
# keeps its length.
_KANJI_NUMERAL_RUN_RE = re.compile(f"[{''.join(_KANJI_NUMERALS)}]{{2,}}|[十百千]")
_SPACES_RE = re.compile(" {2,}")


def fold(value: str) -> str:
    """The form text is matched in: see above. The same as fold_mapped(value)[0], a character
    table and a few regular expressions instead of a loop over clusters (the search index folds
    every record's whole text)."""
    if not value:
        return ""
    text = value.translate(_CHAR_FOLDS)
    if "\0" in text:
        return fold_mapped(value)[0]
    text = _LINKING_KA_RE.sub("が", text)
    text = _LONG_DASH_RE.sub("-", text)
    text = _KANJI_NUMERAL_RE.sub(lambda run: str(_kanji_number(run.group())), text)
    return _SPACES_RE.sub(" ", text).strip(" ")


def is_word_char(char: str) -> bool:
    """Letters, digits and kana: what words are made of, as against spaces and punctuation."""
    return unicodedata.category(char)[0] in {"L", "N", "M"}


class _WordChars(dict):
    """str.translate's table for words(): word characters kept, every other one a space."""

    def __missing__(self, code: int) -> int:
        kept = code if is_word_char(chr(code)) else 0x20
        if len(self) < 65_536:
            self[code] = kept
        return kept


_WORD_CHARS = _WordChars()


def words(folded: str) -> list[str]:
    """The runs of word characters in folded text."""
    return folded.translate(_WORD_CHARS).split()
