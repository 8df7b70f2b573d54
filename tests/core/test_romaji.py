"""Readings in modified Hepburn (core.romaji)."""

import pytest

from core.romaji import romaji, romaji_search_terms


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        # The Hepburn spellings of the plain syllables.
        ("しち", "Shichi"),
        ("つふ", "Tsufu"),
        ("じぢずづ", "Jijizuzu"),
        ("をの", "Ono"),
        ("はひふへほ", "Hahifuheho"),
        ("ゐゑ", "Ie"),
        # Syllables with small ゃ ゅ ょ.
        ("きゃきゅきょ", "Kyakyukyo"),
        ("しゃしゅしょ", "Shashusho"),
        ("ちゃちゅちょ", "Chachucho"),
        ("じゃじゅじょ", "Jajujo"),
        ("ぢゃ", "Ja"),
        ("にゃりゅびょぴゃみゅ", "Nyaryubyopyamyu"),
        # Long vowels: おう, おお, うう with a macron; ああ, いい, えい as written.
        ("とうきょう", "Tōkyō"),
        ("おおの", "Ōno"),
        ("ちゅうおう", "Chūō"),
        ("ゆうき", "Yūki"),
        ("りょうこ", "Ryōko"),
        ("おばあさん", "Obaasan"),
        ("にいがた", "Niigata"),
        ("えいが", "Eiga"),
        # ー lengthens the vowel before it.
        ("さっかー", "Sakkā"),
        ("すーぱー", "Sūpā"),
        ("ぴーまん", "Pīman"),
        ("けーき", "Kēki"),
        ("ろーど", "Rōdo"),
        # っ doubles the next consonant; t before ch; nothing at the end.
        ("さっぽろ", "Sapporo"),
        ("ほっかいどう", "Hokkaidō"),
        ("まっちゃ", "Matcha"),
        ("いっしき", "Isshiki"),
        ("あっ", "A"),
        # ん: m before b, m, p; n' before a vowel or y; n elsewhere.
        ("しんばし", "Shimbashi"),
        ("なんば", "Namba"),
        ("ほんま", "Homma"),
        ("さんぽ", "Sampo"),
        ("しんや", "Shin'ya"),
        ("けんいち", "Ken'ichi"),
        ("きんえん", "Kin'en"),
        ("しんじゅく", "Shinjuku"),
        ("ほん", "Hon"),
        # Loanword sounds with small vowels.
        ("ふぁみりー", "Famirī"),
        ("ぱーてぃー", "Pātī"),
        ("うぇぶ", "Webu"),
        ("ゔぁいおりん", "Vaiorin"),
        ("ちぇっく", "Chekku"),
    ],
)
def test_hepburn_spellings(reading, expected):
    assert romaji(reading) == expected


def test_katakana_and_half_width_kana_read_as_hiragana():
    assert romaji("サクラダイ") == "Sakuradai"
    assert romaji("ｻｸﾗﾀﾞｲ") == "Sakuradai"
    assert romaji("ヴァイオリン") == "Vaiorin"


def test_spaces_and_middle_dots_separate_words():
    assert romaji("さくらだい  しょうがっこうく") == "Sakuradai Shōgakkōku"
    assert romaji("さとう・みさき") == "Satō Misaki"
    assert romaji("　さとう　") == "Satō"


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        ("さくらだいしょうがっこうく", "Sakuradai Shōgakkōku"),
        ("さくらだいちくまちづくりきょうぎかい", "Sakuradai Chiku Machizukuri Kyōgikai"),
        ("みどりがおかこうくまちづくりきょうぎかい", "Midorigaoka Kōku Machizukuri Kyōgikai"),
        ("ほんまちいっちょうめじちかい", "Hommachi Itchōme Jichikai"),
        ("かぶしきがいしゃみどりのがす", "Kabushikigaisha Midorinogasu"),
        (
            "にしはらちゅうがっこうくまちづくりきょうぎかいせつりつじゅんびかい",
            "Nishihara Chūgakkōku Machizukuri Kyōgikai Setsuritsu Jumbikai",
        ),
        ("なかまちちょうないかい", "Nakamachi Chōnaikai"),
        ("さくらだいろうじんくらぶ", "Sakuradai Rōjin Kurabu"),
        # Too short a stem: the part is the name itself, not an ending; the longest ending
        # decides, and no word is cut after っ.
        ("じちかい", "Jichikai"),
        ("しょうがっこうく", "Shōgakkōku"),
        ("かぶしきがいしゃ", "Kabushikigaisha"),
        ("ちく", "Chiku"),
        ("みちく", "Michiku"),
    ],
)
def test_the_usual_name_endings_are_words_of_their_own(reading, expected):
    assert romaji(reading) == expected


def test_search_terms_with_and_without_macrons():
    assert romaji_search_terms("ちゅうおう") == "Chūō Chuo"
    assert romaji_search_terms("しんや") == "Shin'ya Shinya"
    assert romaji_search_terms("さくらだい") == "Sakuradai"
    assert romaji_search_terms("") == ""


def test_name_parts_can_be_left_joined():
    assert romaji("さくらだいちく", split_name_parts=False) == "Sakuradaichiku"


@pytest.mark.parametrize("reading", ["", None, "   ", "、。！", "漢字"])
def test_nothing_readable_gives_an_empty_string(reading):
    assert romaji(reading) == ""


def test_small_kana_on_their_own_and_stray_marks():
    assert romaji("ぁ") == "A"
    assert romaji("ーあ") == "A"  # a lengthening mark with nothing before it is left out
    assert romaji("っっか") == "Kka"
