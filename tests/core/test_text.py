import pytest

from core.text import gojuon_row, normalize, normalize_kana, to_hiragana


def test_normalize_full_width_digits_and_spaces():
    assert normalize("　０１２３－４５ ") == "0123-45"


def test_to_hiragana_converts_katakana_and_half_width_kana():
    assert to_hiragana("サクラダイ") == "さくらだい"
    assert to_hiragana("ｻｸﾗﾀﾞｲ") == "さくらだい"


def test_normalize_kana_collapses_spaces():
    assert normalize_kana(" ヤマダ　　タロウ ") == "やまだ たろう"


@pytest.mark.parametrize(
    ("reading", "row"),
    [
        ("あおば", "あ"),
        ("ガクエン", "か"),
        ("ぢ", "た"),
        ("ぽぷら", "は"),
        ("わかば", "わ"),
        ("abc", "他"),
        ("", "他"),
    ],
)
def test_gojuon_row(reading, row):
    assert gojuon_row(reading) == row
