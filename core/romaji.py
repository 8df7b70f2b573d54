"""Kana readings in Latin letters (modified Hepburn), for English readers of Japanese names.

The portal shows a district, council or group that has no English name as its Japanese name
with the reading beside it: 「桜台地区まちづくり協議会 (Sakuradai Chiku Machizukuri Kyōgikai)」.
The reading comes from the record's kana field (stored in hiragana), so the romaji is only as
good as that reading; a record that needs better sets its English name.

The spelling is modified (revised) Hepburn, as on passports and railway signs:

- し shi, ち chi, つ tsu, ふ fu, じ・ぢ ji, ず・づ zu, を o; きゃ kya, しゃ sha, ちゃ cha, じゃ ja;
  the sounds written with small vowels in loanwords too (ファ fa, ティ ti, ヴァ va, ウェ we).
- Long vowels with a macron: おう and おお → ō, うう → ū, and a vowel lengthened with ー → ā ī ū ē ō
  (Tōkyō, Chūō, Ōno, Sakkā). ああ, いい and えい stay as written (obaasan, Niigata, Eiga), as
  Hepburn writes them.
- っ doubles the next consonant (Sapporo), and before ch it is t (Matcha); at the end of a word,
  or before a vowel, it is left out.
- ん is m before b, m and p (Shimbashi, Namba, Homma), n' before a vowel or y (Shin'ya,
  Ken'ichi), and n elsewhere.

Words: a space (or ・) in the reading separates words; and the name parts the city's records end
in (地区, 小学校区, まちづくり協議会, 自治会, 一丁目 …) and the legal forms some begin with
(株式会社, NPO法人 …) are set off as words of their own, so that a long reading written without
spaces still reads as words. Each word starts with a capital letter.
"""

import re
import unicodedata

from .text import to_hiragana

# Syllables of two kana first (きゃ, ふぁ …), then of one.
_DIGRAPHS = {
    "きゃ": "kya", "きゅ": "kyu", "きょ": "kyo", "きぇ": "kye",
    "ぎゃ": "gya", "ぎゅ": "gyu", "ぎょ": "gyo",
    "しゃ": "sha", "しゅ": "shu", "しょ": "sho", "しぇ": "she",
    "じゃ": "ja", "じゅ": "ju", "じょ": "jo", "じぇ": "je",
    "ちゃ": "cha", "ちゅ": "chu", "ちょ": "cho", "ちぇ": "che",
    "ぢゃ": "ja", "ぢゅ": "ju", "ぢょ": "jo",
    "にゃ": "nya", "にゅ": "nyu", "にょ": "nyo",
    "ひゃ": "hya", "ひゅ": "hyu", "ひょ": "hyo",
    "びゃ": "bya", "びゅ": "byu", "びょ": "byo",
    "ぴゃ": "pya", "ぴゅ": "pyu", "ぴょ": "pyo",
    "みゃ": "mya", "みゅ": "myu", "みょ": "myo",
    "りゃ": "rya", "りゅ": "ryu", "りょ": "ryo",
    # Sounds of loanwords, written with a small vowel.
    "ふぁ": "fa", "ふぃ": "fi", "ふぇ": "fe", "ふぉ": "fo", "ふゅ": "fyu",
    "てぃ": "ti", "でぃ": "di", "とぅ": "tu", "どぅ": "du", "でゅ": "dyu", "てゅ": "tyu",
    "うぃ": "wi", "うぇ": "we", "うぉ": "wo", "いぇ": "ye",
    "つぁ": "tsa", "つぃ": "tsi", "つぇ": "tse", "つぉ": "tso",
    "ゔぁ": "va", "ゔぃ": "vi", "ゔぇ": "ve", "ゔぉ": "vo", "ゔゅ": "vyu",
    "しぃ": "si", "ずぃ": "zi", "くぁ": "kwa", "ぐぁ": "gwa",
}  # fmt: skip

_MONOGRAPHS = {
    "あ": "a", "い": "i", "う": "u", "え": "e", "お": "o",
    "か": "ka", "き": "ki", "く": "ku", "け": "ke", "こ": "ko",
    "が": "ga", "ぎ": "gi", "ぐ": "gu", "げ": "ge", "ご": "go",
    "さ": "sa", "し": "shi", "す": "su", "せ": "se", "そ": "so",
    "ざ": "za", "じ": "ji", "ず": "zu", "ぜ": "ze", "ぞ": "zo",
    "た": "ta", "ち": "chi", "つ": "tsu", "て": "te", "と": "to",
    "だ": "da", "ぢ": "ji", "づ": "zu", "で": "de", "ど": "do",
    "な": "na", "に": "ni", "ぬ": "nu", "ね": "ne", "の": "no",
    "は": "ha", "ひ": "hi", "ふ": "fu", "へ": "he", "ほ": "ho",
    "ば": "ba", "び": "bi", "ぶ": "bu", "べ": "be", "ぼ": "bo",
    "ぱ": "pa", "ぴ": "pi", "ぷ": "pu", "ぺ": "pe", "ぽ": "po",
    "ま": "ma", "み": "mi", "む": "mu", "め": "me", "も": "mo",
    "や": "ya", "ゆ": "yu", "よ": "yo",
    "ら": "ra", "り": "ri", "る": "ru", "れ": "re", "ろ": "ro",
    "わ": "wa", "ゐ": "i", "ゑ": "e", "を": "o", "ゔ": "vu",
    # Small kana on their own (not after a kana they combine with).
    "ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o",
    "ゃ": "ya", "ゅ": "yu", "ょ": "yo", "ゎ": "wa", "ゕ": "ka", "ゖ": "ke",
}  # fmt: skip

_MACRON = {"a": "ā", "i": "ī", "u": "ū", "e": "ē", "o": "ō"}
_VOWELS = frozenset("aeiouāīūēō")

# Name parts set off as words of their own when a reading ends in them, longest first. Only
# parts that end names in the city's records (districts, councils and groups), so that a place
# name is not cut inside: a part is split off only when at least two kana remain before it.
NAME_PARTS = tuple(
    sorted(
        (
            "しょうがっこうく", "ちゅうがっこうく", "しょうがっこう", "ちゅうがっこう",
            "こうく", "ちく", "ちいき", "がっく",
            "まちづくり", "ちいきづくり", "きょうぎかい", "いいんかい", "じっこういいんかい",
            "じちかい", "ちょうないかい", "ぎょうせいく", "れんごうかい", "れんごう",
            "しゃかいふくし", "こどもかい", "じょせいかい",
            "しょうぼうだん", "ぶんだん", "みんせいいん", "じどういいん", "ふくし", "ろうじん",
            "ぼうはんたい", "ぼうさいかい", "じしゅぼうさいかい", "ほごしゃかい",
            "ぼらんてぃあ", "さーくる", "くらぶ", "ぐるーぷ", "せつりつ", "じゅんびかい",
            "れんらくかい", "れんらく", "いくせい", "じしゅぼうさい", "きょうどうの",
            "そうだんいんかい", "せいしょうねん", "ぼうはんぱとろーるたい", "みまもりたい",
            "いっちょうめ", "にちょうめ", "さんちょうめ", "よんちょうめ", "ごちょうめ",
            "ろくちょうめ", "ななちょうめ", "はっちょうめ", "きゅうちょうめ", "じゅっちょうめ",
            "だんち", "しょくどう", "こうみんかん", "しょうてんかい",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
# The legal forms that begin names of companies and corporations, set off in the same way.
NAME_PREFIXES = tuple(
    sorted(
        (
            "かぶしきがいしゃ", "ゆうげんがいしゃ", "ごうどうがいしゃ", "いっぱんしゃだんほうじん",
            "こうえきしゃだんほうじん", "いっぱんざいだんほうじん", "しゃかいふくしほうじん",
            "とくていひえいりかつどうほうじん", "えぬぴーおーほうじん", "いりょうほうじん",
            "がっこうほうじん",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
_MIN_STEM = 2
_WORD_SEPARATORS = re.compile(r"[\s・･]+")


def _syllables(kana: str) -> list[str]:
    """The reading as Hepburn syllables, with っ and ー still as marks: ["ho", "っ", "ka"]."""
    syllables = []
    at = 0
    while at < len(kana):
        pair = kana[at : at + 2]
        if pair in _DIGRAPHS:
            syllables.append(_DIGRAPHS[pair])
            at += 2
            continue
        char = kana[at]
        if char in _MONOGRAPHS:
            syllables.append(_MONOGRAPHS[char])
        elif char in "っんー":
            syllables.append(char)
        elif char.isascii() and char.isalnum():
            syllables.append(char.lower())
        # Anything else (punctuation, kanji typed by mistake) is left out.
        at += 1
    return syllables


def _join(syllables: list[str]) -> str:
    out: list[str] = []
    for index, syllable in enumerate(syllables):
        following = next((s for s in syllables[index + 1 :] if s not in {"っ", "ー"}), "")
        if syllable == "っ":
            # Doubles the next consonant: ch → tch; nothing before a vowel or at the end; a
            # run of っ doubles it once.
            if syllables[index + 1 : index + 2] == ["っ"]:
                continue
            if following.startswith("ch"):
                out.append("t")
            elif following and following[0] not in _VOWELS and following != "ん":
                out.append(following[0])
            continue
        if syllable == "ん":
            if following[:1] in {"b", "m", "p"}:
                out.append("m")
            elif following[:1] in _VOWELS or following[:1] == "y":
                out.append("n'")
            else:
                out.append("n")
            continue
        previous = out[-1] if out else ""
        if syllable == "ー":
            if previous and previous[-1] in _MACRON:
                out[-1] = previous[:-1] + _MACRON[previous[-1]]
            continue
        # おう, おお → ō; うう → ū (after any syllable ending in that vowel: kō, shū, ryō).
        if previous and (
            (previous[-1] == "o" and syllable in {"u", "o"})
            or (previous[-1] == "u" and syllable == "u")
        ):
            out[-1] = previous[:-1] + _MACRON[previous[-1]]
            continue
        out.append(syllable)
    return "".join(out)


def _split_name_parts(word: str) -> list[str]:
    """The name parts a word ends in, set off: 「さくらだいちくまちづくりきょうぎかい」 →
    ["さくらだい", "ちく", "まちづくり", "きょうぎかい"]."""
    head = next((prefix for prefix in NAME_PREFIXES if word.startswith(prefix)), None)
    if head is not None and len(word) - len(head) >= _MIN_STEM:
        return [head, *_split_name_parts(word[len(head) :])]
    tail: list[str] = []
    while True:
        part = next((part for part in NAME_PARTS if word.endswith(part)), None)
        stem = word[: -len(part)] if part else ""
        # The longest ending decides: 「しょうがっこうく」 on its own is one word, not
        # 「しょうがっ」 and 「こうく」.
        if part is None or len(stem) < _MIN_STEM or stem.endswith("っ"):
            return [word, *tail]
        tail.insert(0, part)
        word = stem


def romaji(reading: str, *, split_name_parts: bool = True) -> str:
    """A kana reading in modified Hepburn, each word capitalised: 「さくらだい しょうがっこうく」
    → 「Sakuradai Shōgakkōku」. Katakana and half-width kana are read as hiragana; an empty or
    unreadable reading gives ""."""
    words = []
    for word in _WORD_SEPARATORS.split(to_hiragana(reading or "")):
        if not word:
            continue
        parts = _split_name_parts(word) if split_name_parts else [word]
        for part in parts:
            written = _join(_syllables(part))
            if written:
                words.append(written[0].upper() + written[1:])
    return " ".join(words)


def romaji_search_terms(reading: str) -> str:
    """The reading in romaji as people type it, for the site search: with the macrons and
    without (「Chūō Chuo」), so that an English reader finds a name by its sound."""
    written = romaji(reading)
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", written) if not unicodedata.combining(char)
    ).replace("'", "")
    return " ".join(dict.fromkeys(part for part in (written, plain) if part))
