"""Normalising what people type in Japanese: full-width digits, kana readings."""

import unicodedata

_KATAKANA_START, _KATAKANA_END = ord("ァ"), ord("ヶ")
_TO_HIRAGANA = {code: code - 0x60 for code in range(_KATAKANA_START, _KATAKANA_END + 1)}


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
