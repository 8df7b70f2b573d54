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


# fold(): one form for matching -----------------------------------------------------------------

from core import text as text_module  # noqa: E402
from core.text import fold, fold_mapped, words  # noqa: E402


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("桜台２丁目", "桜台2丁目"),
        ("桜台二丁目", "桜台2丁目"),
        ("桜台2丁目", "桜台2丁目"),
        ("緑ヶ丘", "緑が丘"),
        ("緑ケ丘", "緑が丘"),
        ("緑が丘", "緑が丘"),
        ("ｻｸﾗﾀﾞｲ", "さくらだい"),
        ("サクラダイ", "さくらだい"),
        ("二十三番地", "23番地"),
        ("二〇二六年", "2026年"),
        ("百五", "105"),
        ("十", "10"),
        ("髙橋　﨑", "高橋 崎"),
        ("２ー５ー３", "2-5-3"),
        ("コーヒー", "こーひー"),
        ("  ＡＢＣ　 def ", "abc def"),
        ("a\x00b\ud800c", "abc"),
        ("", ""),
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


def test_fold_keeps_ke_in_words_that_are_not_linking():
    # ケ between kana (ケーキ) is the kana itself, not the linking ヶ between two kanji.
    assert fold("ケーキ") == "けーき"


def test_fold_mapped_points_back_at_the_text_as_written():
    text = "桜台二十三番地"
    folded, sources = fold_mapped(text)
    assert folded == "桜台23番地"
    assert len(sources) == len(folded)
    # The digits 2 and 3 span 二十三 as written; 番 is still the character it was.
    assert sources[2] == 2 and sources[3] == 4
    assert text[sources[4]] == "番"


def test_words_split_on_spaces_and_punctuation():
    assert words(fold("防災・訓練、子育て！ 2丁目")) == ["防災", "訓練", "子育て", "2丁目"]
    assert words("%_\\") == []


@pytest.mark.parametrize(
    ("number", "written"),
    [(1, "一"), (2, "二"), (10, "十"), (12, "十二"), (20, "二十"), (105, "百五")],
)
def test_kanji_numeral_folds_back_to_the_number(number, written):
    from core.text import kanji_numeral

    assert kanji_numeral(number) == written
    assert fold(written) == str(number)


def test_fold_is_fold_mapped_without_the_map():
    """fold() takes a faster road than fold_mapped(); both must give the same text."""
    import random

    alphabet = (
        "桜台二丁目緑ヶケが丘十百千〇一二三四五六七八九零々髙﨑ー－‐-—"
        "ｶﾞｻｸﾗﾀﾞｲﾟアイウエオヴヶかきくけこ"
        "0123456789０１２３４５６７８９①²"
        "ABCabcＡＢＣΣσςİ "
        "\u3000\t\n\r\x00\x1f\u200b\ufeff\ud800\ue000"
        "\u0301\u3099\u309a\uff9e\uff9f"
        "가각각!?、。「」%_\\'\"😀"
    )
    generator = random.Random(20261206)
    samples = [
        "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 40)))
        for _ in range(3000)
    ]
    samples += ["桜台2ー5ー3", "二ー三", " 緑ヶ丘 ", "ﾐﾄﾞﾘｶﾞｵｶ", "か\u3099", "Σ Σ", "\n防災\n訓練\n"]
    for sample in samples:
        assert fold(sample) == fold_mapped(sample)[0], repr(sample)
        # The one-to-one road gives the same map as the character-by-character one.
        assert fold_mapped(sample) == text_module._fold_mapped(sample), repr(sample)
    everyday = "令和8年度の防災訓練を行い、桜台二丁目の自治会と緑ヶ丘小学校が参加した。"
    assert text_module._fold_one_to_one(everyday) is not None


def test_a_line_break_separates_words():
    assert fold("防災\n訓練") == "防災 訓練"
    assert fold("防災\t訓練") == "防災 訓練"
